import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseNodeTap } from "../../src/run/reports/parse-node-tap.js";
import type { TestCaseResult } from "../../src/run/reports/types.js";
import { worktreeModules } from "../repos/runner-projects.js";

/*
 * node-tap's raw TAP (`tap --output-file`) as the real tap 21 (the devDependency) writes it, read
 * as culprit reads a run's report. Before, tap's runs were judged by their exit code alone: a
 * suite with one old failure and one new read PRE-EXISTING, exit 0, over the regression.
 */
const tap = join(worktreeModules, ".bin", "tap");
const missing = existsSync(tap) ? null : "tap is not in node_modules (npm ci first)";
if (missing) console.log(`reports-node-tap: skipped: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), "culprit-tap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const context = () => ({ cwd: dir, root: dir, exists: existsSync, label: "the tap report" });

const files: Record<string, string> = {
  "test/nested.test.js": [
    'const t = require("tap");',
    't.test("parent", async (t) => {',
    '  t.test("kid", async (t) => { t.ok(true); });',
    '  t.test("kid2", async (t) => {',
    "    t.ok(true);",
    "    t.same({ a: 1 }, { a: 2 });",
    "  });",
    "});",
    't.test("skipped", { skip: "not now" }, async (t) => { t.ok(false); });',
    't.test("todo", { todo: true }, async (t) => { t.ok(false); });',
    't.test("failing todo assertion", async (t) => { t.ok(false, "later", { todo: true }); t.ok(true); });',
    "",
  ].join("\n"),
  "test/throws.test.js": [
    'const t = require("tap");',
    't.test("throws", async () => {',
    '  throw new TypeError("boom here");',
    "});",
    "",
  ].join("\n"),
  "test/own.test.js": [
    'const t = require("tap");',
    't.test("parent", async (t) => {',
    '  t.test("kid", async (t) => { t.ok(true); });',
    '  t.equal(1, 2, "the parent\'s own");',
    "});",
    "",
  ].join("\n"),
  "test/flat.test.js": [
    'const t = require("tap");',
    't.equal(1, 1, "flat one");',
    't.equal(2, 3, "flat two");',
    "",
  ].join("\n"),
  "test/broken.test.js": [
    'const t = require("tap");',
    'require("../lib/missing.js");',
    't.test("never", async (t) => { t.ok(true); });',
    "",
  ].join("\n"),
  "test/hook.test.js": [
    'const t = require("tap");',
    't.before(async () => { throw new Error("db down"); });',
    't.test("reads", async (t) => { t.ok(true); });',
    "",
  ].join("\n"),
  "test/top.test.js": [
    'const t = require("tap");',
    't.test("reads", async (t) => { t.ok(true); });',
    'throw new Error("top level boom");',
    "",
  ].join("\n"),
  "lib/check.js": 'exports.check = (t, v) => { t.equal(v, 2, "checked"); };\n',
  "test/helper.test.js": [
    'const t = require("tap");',
    'const { check } = require("../lib/check.js");',
    "",
    't.test("a # in its name", async (t) => { check(t, 1); });',
    "",
  ].join("\n"),
  "test/twice.test.js": [
    'const t = require("tap");',
    't.test("same", async (t) => { t.ok(true); });',
    't.test("same", async (t) => { t.ok(false); });',
    "",
  ].join("\n"),
};

let raw = "";
beforeAll(() => {
  if (missing) return;
  symlinkSync(worktreeModules, join(dir, "node_modules"));
  writeFileSync(join(dir, "package.json"), "{}\n");
  mkdirSync(join(dir, "test"));
  mkdirSync(join(dir, "lib"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const out = join(dir, "raw.tap");
  // TypeScript 7 at the top of culprit's node_modules has no JavaScript API for tap's ts-node
  // (test/repos/runner-scenarios.ts says more): tap's own TypeScript 5 instead.
  const env = {
    ...process.env,
    TS_NODE_COMPILER: join(worktreeModules, "@tapjs", "test", "node_modules", "typescript"),
  };
  const r = spawnSync(tap, ["--disable-coverage", `--output-file=${out}`], {
    cwd: dir,
    env,
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(1);
  raw = readFileSync(out, "utf8");
  // tap 21 compiles its TypeScript as it starts: 76 to 89 s in CI runs of two cores, and past
  // 120 s once on a loaded machine (the hook timed out, and the file's 18 tests with it).
}, 300_000);

const parsed = (text: string): TestCaseResult[] => {
  const result = parseNodeTap(text, context());
  if (!result.ok) throw new Error(result.why);
  return result.tests;
};
const rows = (file: string) =>
  parsed(raw)
    .filter((t) => t.file === file)
    .map((t) => [t.id, t.status, t.kind ?? null, t.failedAt?.line ?? null, t.message]);

describe.skipIf(missing !== null)("node-tap's raw TAP, from the real tap 21", () => {
  test.each<[string, string, unknown[]]>([
    [
      "nested subtests: the leaves are the tests; skips, TODOs; what differs, and where",
      "test/nested.test.js",
      [
        ["test/nested.test.js::parent > kid", "pass", null, null, null],
        [
          "test/nested.test.js::parent > kid2",
          "fail",
          null,
          6,
          'should be equivalent\n Object {\n-  "a": 2,\n+  "a": 1,\n }',
        ],
        ["test/nested.test.js::skipped", "skip", null, null, null],
        ["test/nested.test.js::todo", "skip", null, null, null],
        ["test/nested.test.js::failing todo assertion", "pass", null, null, null],
      ],
    ],
    [
      "a thrown error: its type and message",
      "test/throws.test.js",
      [["test/throws.test.js::throws", "fail", null, 3, "TypeError: boom here"]],
    ],
    [
      "a parent failing by its own assertion: its kid passes, and it fails as a suite",
      "test/own.test.js",
      [
        ["test/own.test.js::parent > kid", "pass", null, null, null],
        ["test/own.test.js::parent", "fail", "suite", 4, "the parent's own\n-2\n+1"],
      ],
    ],
    [
      "a file of assertions and no subtest: the file is its one test",
      "test/flat.test.js",
      [["test/flat.test.js", "fail", null, 3, "flat two\n-3\n+2"]],
    ],
    [
      "a file that cannot load: a file failure, with tap's exit code (the error went to the console)",
      "test/broken.test.js",
      [["test/broken.test.js", "fail", "file", null, "exit code 1"]],
    ],
    [
      "a hook that throws before any test: the file fails outside any test, under the id a flat file has",
      "test/hook.test.js",
      [["test/hook.test.js", "fail", "file", 2, "db down"]],
    ],
    [
      "code at the top level that throws after a test: the test passed, the file failed outside it",
      "test/top.test.js",
      [
        ["test/top.test.js::reads", "pass", null, null, null],
        ["test/top.test.js", "fail", "file", 3, "top level boom"],
      ],
    ],
    [
      "an assertion in a helper of another file: the test's own line from the stack; a # in a name",
      "test/helper.test.js",
      [["test/helper.test.js::a # in its name", "fail", null, 4, "checked\n-2\n+1"]],
    ],
    [
      "two tests of one name: numbered, and no place kept (which is which is only their order)",
      "test/twice.test.js",
      [
        ["test/twice.test.js::same", "pass", null, null, null],
        ["test/twice.test.js::same #2", "fail", null, null, "should be equal"],
      ],
    ],
  ])("%s", (_, file, expected) => {
    expect(rows(file)).toEqual(expected);
  });
});

describe("node-tap's raw TAP, pure", () => {
  test("tap 16's at: (file, line), captured from tap 16.3.10 (not installed here)", () => {
    const tap16 = [
      "TAP version 13",
      "# Subtest: test/a.js",
      "    # Subtest: adds",
      "        not ok 1 - should be equal",
      "          ---",
      "          compare: ===",
      "          at:",
      "            line: 2",
      "            column: 25",
      "            file: test/a.js",
      "            type: Test",
      "          stack: |",
      "            Test.<anonymous> (test/a.js:2:25)",
      "          diff: |",
      "            --- expected",
      "            +++ actual",
      "            @@ -1,1 +1,1 @@",
      "            -3",
      "            +2",
      "          ...",
      "        ",
      "        1..1",
      "        # failed 1 test",
      "    not ok 1 - adds # time=16.99ms",
      "    ",
      "    ok 2 - skipped # SKIP",
      "    1..2",
      "    # failed 1 of 2 tests",
      "not ok 1 - test/a.js # time=36.921ms",
      "  ---",
      "  file: test/a.js",
      "  exitCode: 1",
      "  ...",
      "",
      "1..1",
      "# failed 1 test",
      "",
    ].join("\n");
    expect(
      parsed(tap16).map((t) => [
        t.id,
        t.status,
        t.kind ?? null,
        t.failedAt?.line ?? null,
        t.message,
      ]),
    ).toEqual([
      ["test/a.js::adds", "fail", null, 2, "should be equal\n-3\n+2"],
      ["test/a.js::skipped", "skip", null, null, null],
    ]);
  });

  test("tap 16's found and wanted, in that order (npm/node-semver, captured from its run)", () => {
    const semver = [
      "# Subtest: test/functions/coerce.js",
      "    # Subtest: coerce tests",
      "        not ok 19 - coerce(.1, undefined) should be equal to 1.0.0",
      "          ---",
      "          found: -1",
      "          wanted: 0",
      "          compare: ===",
      "          at:",
      "            line: 155",
      "            column: 7",
      "            file: test/functions/coerce.js",
      "          stack: |",
      "            test/functions/coerce.js:155:7",
      "            Array.forEach (<anonymous>)",
      "          ...",
      "        1..19",
      "    not ok 1 - coerce tests # time=57.466ms",
      "    1..1",
      "not ok 1 - test/functions/coerce.js # time=69.5ms",
      "",
    ].join("\n");
    expect(parsed(semver).map((t) => [t.id, t.failedAt?.line, t.message])).toEqual([
      [
        "test/functions/coerce.js::coerce tests",
        155,
        "coerce(.1, undefined) should be equal to 1.0.0\nfound: -1\nwanted: 0",
      ],
    ]);
  });

  test("tap 21's timeout! of a file, where the last file's point should be: it closes nothing (captured)", () => {
    const timedOut = [
      "# Subtest: test/a_hang.test.js",
      "    # Subtest: waits",
      "        not ok 1 - timeout!",
      "          ---",
      "          signal: null",
      "          expired: TAP",
      "          ...",
      "        1..1",
      "    not ok 1 - waits # time=3008.528ms",
      "    1..1",
      "not ok 1 - test/a_hang.test.js # time=3038.428ms",
      "  ---",
      "  exitCode: null",
      "  signal: SIGALRM",
      "  ...",
      "# Subtest: test/z_pass.test.js",
      "    # Subtest: z fine",
      "        ok 1 - should be equal",
      "        1..1",
      "    ok 1 - z fine # time=4.263ms",
      "    1..1",
      "    # time=15.842ms",
      "not ok 2 - timeout!",
      "  ---",
      "  expired: test/a_hang.test.js",
      "  ...",
      "",
    ].join("\n");
    expect(parsed(timedOut).map((t) => [t.id, t.status, t.kind ?? null])).toEqual([
      ["test/a_hang.test.js::waits", "fail", null],
      ["test/z_pass.test.js::z fine", "pass", null],
    ]);
  });

  test.each<[string, string, unknown[]]>([
    [
      "a t.plan's leading 1..N is no end: a test cut short after it did not pass (tap killed)",
      [
        "# Subtest: test/k.test.js",
        "    1..2",
        "    # Subtest: k1",
        "        ok 1 - x",
        "        1..1",
        "    ok 1 - k1 # time=2.864ms",
        "    ",
        "    # Subtest: k2 hangs",
        "        1..2",
        "        ok 1 - y",
        "    # test count(1) != plan(2)",
        "",
      ].join("\n"),
      [
        ["test/k.test.js::k1", "pass", null],
        ["test/k.test.js::k2 hangs", "fail", null],
      ],
    ],
    [
      "a file that timed out before tap printed any of it: the run-level timeout! fails it",
      [
        "# Subtest: test/c.test.js",
        "    # Subtest: c1",
        "        ok 1 - x",
        "        1..1",
        "    ok 1 - c1 # time=3.728ms",
        "    ",
        "    1..1",
        "    # time=22.063ms",
        "ok 1 - test/c.test.js # time=22.063ms",
        "",
        "# Subtest: test/d.test.js",
        "    # Subtest: d1",
        "        ok 1 - x",
        "        1..1",
        "    ok 1 - d1 # time=2.45ms",
        "    ",
        "    1..1",
        "    # time=11.058ms",
        "ok 2 - test/d.test.js # time=11.058ms",
        "",
        "not ok 3 - timeout!",
        "  ---",
        "  expired: test/z.test.js",
        "  ...",
        "",
        "# No coverage generated",
        "# { total: 3, pass: 2, fail: 1 }",
        "# time=4750.314ms",
        "",
      ].join("\n"),
      [
        ["test/c.test.js::c1", "pass", null],
        ["test/d.test.js::d1", "pass", null],
        ["test/z.test.js", "fail", "file"],
      ],
    ],
    [
      "a teardown that throws: its test fails with the error, the next test passes (tap prints the first's point twice)",
      [
        "# Subtest: test/td.test.js",
        "    # Subtest: td",
        "        ok 1 - ok",
        "        1..1",
        "    not ok 1 - td # time=11.525ms",
        "      ---",
        "      at:",
        "        fileName: test/td.test.js",
        "        lineNumber: 2",
        "      ...",
        "    ",
        "    # Subtest: after",
        "        ok 1 - ok",
        "        # test count(1) != plan(null)",
        "    not ok 2 - td # time=11.525ms",
        "      ---",
        "      at:",
        "        fileName: test/td.test.js",
        "        lineNumber: 2",
        "      ...",
        "    ",
        "    not ok 3 - td boom",
        "      ---",
        "      at:",
        "        fileName: test/td.test.js",
        "        lineNumber: 2",
        "      test: td",
        "      ...",
        "    ",
        "    # Subtest",
        "        1..1",
        "        # test count(0) != plan(1)",
        "    ok 4 - after # time=4.367ms",
        "    ",
        "    1..4",
        "    # time=30.635ms",
        "not ok 4 - test/td.test.js # time=30.635ms",
        "",
      ].join("\n"),
      [
        ["test/td.test.js::td", "fail", null],
        ["test/td.test.js::after", "pass", null],
      ],
    ],
  ])("tap 21, captured in review (trimmed of sources and stacks): %s", (_, text, expected) => {
    expect(parsed(text).map((t) => [t.id, t.status, t.kind ?? null])).toEqual(expected);
  });

  test("a run cut short: the test tap was in fails, the ones before keep their outcome", () => {
    const cut = [
      "# Subtest: test/a.js",
      "    # Subtest: first",
      "        ok 1 - fine",
      "        1..1",
      "    ok 1 - first # time=1ms",
      "    # Subtest: second",
      "        ok 1 - fine so far",
      "",
    ].join("\n");
    expect(parsed(cut).map((t) => [t.id, t.status, t.message])).toEqual([
      ["test/a.js::first", "pass", null],
      ["test/a.js::second", "fail", "did not end (tap stopped before it did)"],
    ]);
  });

  test.each([
    ["", /is empty/],
    ["npm ERR! something else\n", /ends before the run did/],
  ])("no tests: %j", (text, why) => {
    const result = parseNodeTap(text, context());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.why).toMatch(why);
  });
});
