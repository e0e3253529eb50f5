import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseJestJson } from "../../src/run/reports/parse-jest-json.js";
import { parseJunit } from "../../src/run/reports/parse-junit.js";
import { testFileHash } from "../../src/run/reports/plan.js";
import {
  failureLine,
  numberDuplicates,
  withFailureFile,
} from "../../src/run/reports/shape-results.js";
import type { TestCaseResult } from "../../src/run/reports/types.js";

/*
 * Where in its own file a test failed, from the stack or traceback of the runner's report. The
 * four long strings are real reports, captured on this machine: mocha 11's xunit, vitest 4's and
 * jest 30's --json, pytest 8's JUnit. JavaScript: the innermost frame in the test's file;
 * Python: the last of its frames there (Python lists the innermost last).
 */

// mocha's xunit reporter on test/respond.test.mjs, an ES module (frames as file:// URLs).
const mochaXml =
  '<testsuite name="Mocha Tests" tests="2" failures="0" errors="2" skipped="0" timestamp="Fri, 04 Dec 2026 21:04:27 GMT" time="0.003">\n<testcase classname="" name="answers JSON with &#x26; escaped" file="/tmp/culprit-0/r-a78a5892f5f7/20261204T210427-ba7b-current-1/test/respond.test.mjs" time="0.001"><failure>Expected values to be strictly equal:\n+ actual - expected\n\n+ &#x27;{&#x22;str&#x22;:&#x22;&#x26;&#x22;}&#x27;\n- &#x27;{&#x22;str&#x22;:&#x22;\\\\u0026&#x22;}&#x27;\n           ^\n\n      + expected - actual\n\n      -{&#x22;str&#x22;:&#x22;&#x26;&#x22;}\n      +{&#x22;str&#x22;:&#x22;\\u0026&#x22;}\n      \nAssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n+ actual - expected\n\n+ &#x27;{&#x22;str&#x22;:&#x22;&#x26;&#x22;}&#x27;\n- &#x27;{&#x22;str&#x22;:&#x22;\\\\u0026&#x22;}&#x27;\n           ^\n    at Context.&#x3C;anonymous&#x3E; (file:///tmp/culprit-0/r-a78a5892f5f7/20261204T210427-ba7b-current-1/test/respond.test.mjs:8:10)\n    at process.processImmediate (node:internal/timers:483:21)</failure></testcase>\n<testcase classname="" name="an old failure" file="/tmp/culprit-0/r-a78a5892f5f7/20261204T210427-ba7b-current-1/test/respond.test.mjs" time="0"><failure>Expected values to be strictly equal:\n\n2 !== 3\n\n\n      + expected - actual\n\n      -2\n      +3\n      \nAssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n2 !== 3\n\n    at Context.&#x3C;anonymous&#x3E; (file:///tmp/culprit-0/r-a78a5892f5f7/20261204T210427-ba7b-current-1/test/respond.test.mjs:12:10)\n    at process.processImmediate (node:internal/timers:483:21)</failure></testcase>\n</testsuite>\n';

// vitest run --reporter=json: the frame without a function name, an absolute path.
const vitestMessage =
  'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n+ actual - expected\n\n+ \'{"str":"&"}\'\n- \'{"str":"\\\\u0026"}\'\n           ^\n    at /tmp/oa/r/test/respond.test.mjs:8:10\n    at file:///work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:302:11\n    at file:///work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:1903:26\n    at file:///work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:2326:20\n    at new Promise (<anonymous>)\n    at runWithCancel (file:///work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:2323:10)\n    at file:///work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:2305:20\n    at new Promise (<anonymous>)\n    at runWithTimeout (file:///work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:2272:10)\n    at file:///work/main/node_modules/@vitest/runner/dist/chunk-artifact.js:2956:64';

// jest --json: the frame named after the matcher ("Object.toBe").
const jestMessage =
  "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 1\nReceived: 2\n    at Object.toBe (/tmp/oa/j/test/f.test.js:5:15)\n    at Promise.finally.completed (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:1834:28)\n    at new Promise (<anonymous>)\n    at callAsyncCircusFn (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:1774:10)\n    at _callCircusTest (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:1167:40)\n    at _runTestInContext (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:1103:3)\n    at runTestWithContext (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:996:5)\n    at _runTestsForDescribeBlockOnce (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:1008:11)\n    at _runTestsForDescribeBlock (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:824:5)\n    at run (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:789:3)\n    at runAndTransformResultsToJestFormat (/work/main/node_modules/jest-circus/build/jestAdapterInit.js:2300:21)\n    at jestAdapter (/work/main/node_modules/jest-circus/build/runner.js:111:19)\n    at runTestInternal (/work/main/node_modules/jest-runner/build/index.js:247:16)\n    at runTest (/work/main/node_modules/jest-runner/build/index.js:315:7)";

// pytest -o junit_family=xunit1 --junitxml (as culprit runs it): test_a calls a helper of its file, whose assert fails.
const pytestXml =
  '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="2" skipped="0" tests="2" time="0.040" timestamp="2026-12-04T21:08:19.365064+00:00" hostname="vm"><testcase classname="tests.test_a" name="test_a" file="tests/test_a.py" line="4" time="0.001"><failure message="assert 2 == 1">def test_a():\n        y = 2\n&gt;       helper(y)\n\ntests/test_a.py:7: \n_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ \n\nx = 2\n\n    def helper(x):\n&gt;       assert x == 1\nE       assert 2 == 1\n\ntests/test_a.py:2: AssertionError</failure></testcase><testcase classname="tests.test_a.TestK" name="test_b" file="tests/test_a.py" line="10" time="0.001"><failure message="assert 1 == 2">self = &lt;test_a.TestK object at 0x7f6eedafca10&gt;\n\n    def test_b(self):\n&gt;       assert 1 == 2\nE       assert 1 == 2\n\ntests/test_a.py:12: AssertionError</failure></testcase></testsuite></testsuites>';

describe("failureLine", () => {
  it.each([
    ["vitest", vitestMessage, "test/respond.test.mjs", "/tmp/oa/r", 8],
    ["jest", jestMessage, "test/f.test.js", "/tmp/oa/j", 5],
    // The runner's own frames only: no line.
    ["jest, another file", jestMessage, "test/other.test.js", "/tmp/oa/j", undefined],
    [
      "node's assert under node --test, through a helper of another file",
      "AssertionError [ERR_ASSERTION]: 1 == 2\n    at helper (/r/test/lib.js:3:9)\n    at TestContext.<anonymous> (/r/test/a.test.js:12:3)\n    at Test.runInAsyncScope (node:async_hooks:206:9)",
      "test/a.test.js",
      "/r",
      12,
    ],
    [
      "unittest's traceback: the last frame in the file",
      'Traceback (most recent call last):\n  File "/r/tests/test_x.py", line 9, in test_y\n    self.check(2)\n  File "/r/tests/test_x.py", line 5, in check\n    self.assertEqual(x, 1)\nAssertionError: 2 != 1',
      "tests/test_x.py",
      "/r",
      5,
    ],
    ["no stack at all", "expected 1 to equal 2", "test/a.test.js", "/r", undefined],
    [
      "an anonymous async frame, the innermost",
      "Error: boom\n    at async /r/test/a.test.js:5:3\n    at async Promise.all (index 0)\n    at async run (/r/test/a.test.js:20:7)",
      "test/a.test.js",
      "/r",
      5,
    ],
    [
      "a folder in parentheses and a space (a Next.js route group)",
      "AssertionError: no\n    at Object.<anonymous> (/r/app/(auth) x/login.test.js:7:11)\n    at new Promise (<anonymous>)",
      "app/(auth) x/login.test.js",
      "/r",
      7,
    ],
    [
      "an eval frame, then the test's",
      "Error: e\n    at eval (eval at <anonymous> (/r/test/a.test.js:3:1), <anonymous>:1:7)\n    at Context.<anonymous> (/r/test/a.test.js:4:9)",
      "test/a.test.js",
      "/r",
      4,
    ],
    [
      "pytest, a folder with a space",
      "    def test_b():\n>       assert 1 == 2\nE       assert 1 == 2\n\nmy tests/test_a.py:12: AssertionError",
      "my tests/test_a.py",
      "/r",
      12,
    ],
  ])("%s", (_label, text, file, root, line) => {
    expect(failureLine(text, file, { cwd: root, root })).toBe(line);
  });
});

describe("the parsers keep the line", () => {
  it("mocha's xunit: the line of each failing test's own assertion", () => {
    // The report of a run in one of culprit's worktrees: file:// URLs under its root.
    const root = "/tmp/culprit-0/r-a78a5892f5f7/20261204T210427-ba7b-current-1";
    const parsed = parseJunit(mochaXml, { cwd: root, root, label: "mocha" });
    expect(parsed.ok && parsed.tests.map((t) => [t.file, t.name, t.failedAt])).toEqual([
      ["test/respond.test.mjs", "answers JSON with & escaped", { line: 8 }],
      ["test/respond.test.mjs", "an old failure", { line: 12 }],
    ]);
  });

  it("pytest's JUnit: the helper's line, the last of the file's frames", () => {
    const parsed = parseJunit(pytestXml, {
      cwd: "/tmp/oa/py",
      root: "/tmp/oa/py",
      label: "pytest",
    });
    expect(parsed.ok && parsed.tests.map((t) => [t.id, t.failedAt])).toEqual([
      ["tests/test_a.py::test_a", { line: 2 }],
      ["tests/test_a.py::TestK::test_b", { line: 12 }],
    ]);
  });

  it("jest's --json: a passing test has none", () => {
    const report = {
      testResults: [
        {
          name: "/tmp/oa/j/test/f.test.js",
          status: "failed",
          assertionResults: [
            { ancestorTitles: [], title: "f", status: "failed", failureMessages: [jestMessage] },
            { ancestorTitles: [], title: "g", status: "passed", failureMessages: [] },
          ],
        },
      ],
    };
    const context = { cwd: "/tmp/oa/j", root: "/tmp/oa/j", label: "jest" };
    const parsed = parseJestJson(JSON.stringify(report), context);
    expect(parsed.ok && parsed.tests.map((t) => t.failedAt)).toEqual([{ line: 5 }, undefined]);
  });
});

describe("withFailureFile, with the hash of the test files as plan.ts makes it", () => {
  const failing = (file: string, line: number): TestCaseResult => ({
    id: `${file}::answers JSON`,
    name: "answers JSON",
    file,
    line: 1,
    status: "fail",
    message: "boom",
    failedAt: { line },
  });
  const root = mkdtempSync(join(tmpdir(), "culprit-failure-file-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const context = { cwd: root, root };
  mkdirSync(join(root, "test"));
  writeFileSync(join(root, "test/a.test.js"), 'it("a", () => {\n  assert.ok(false);\n});\n');
  writeFileSync(join(root, "test/b.test.js"), 'it("a", () => {\n  assert.ok(false);\n});\n');
  writeFileSync(
    join(root, "test/c.test.js"),
    '// moved down\nit("a", () => {\n  assert.ok(false);\n});\n',
  );

  it("one same text, one same hash; another text, another hash; a file it cannot read, none", () => {
    const [a, b, c, d] = withFailureFile(
      [
        failing("test/a.test.js", 2),
        failing("test/b.test.js", 2),
        failing("test/c.test.js", 3),
        failing("test/gone.test.js", 2),
      ],
      context,
      testFileHash,
    ).map((t) => t.failedAt!);
    expect(a!.file).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toEqual(a);
    expect(c!.line).toBe(3);
    expect(c!.file).not.toBe(a!.file);
    expect(d).toEqual({ line: 2 });
  });

  it("a file written again: its new text's hash", () => {
    const path = join(root, "test/e.test.js");
    writeFileSync(path, "one\n");
    const first = testFileHash(path);
    writeFileSync(path, "two, longer\n");
    expect(testFileHash(path)).not.toBe(first);
  });
});

describe("tests told apart by their order only keep no place", () => {
  it("numberDuplicates", () => {
    const test = (id: string, line: number): TestCaseResult => ({
      id,
      name: id,
      file: "a.js",
      line: null,
      status: "fail",
      message: "x",
      failedAt: { line },
    });
    expect(
      numberDuplicates([test("a.js::loop", 3), test("a.js::loop", 3), test("a.js::one", 9)]).map(
        (t) => [t.id, t.failedAt],
      ),
    ).toEqual([
      ["a.js::loop", undefined],
      ["a.js::loop #2", undefined],
      ["a.js::one", { line: 9 }],
    ]);
  });
});
