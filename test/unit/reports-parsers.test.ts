import { describe, expect, it } from "vitest";
import { parseGoJson } from "../../src/run/reports/parse-go-json.js";
import { parseJestJson } from "../../src/run/reports/parse-jest-json.js";
import { parseNodeEvents, stderrError } from "../../src/run/reports/parse-node-events.js";
import type { ParsedTests, TestCaseResult } from "../../src/run/reports/types.js";

// The cases the real runners do not produce in test/integration/reports-real-runners.test.ts,
// built from each format's documentation.

const root = "/home/me/shop";
const context = { cwd: root, root, label: "the jest --json report" };

function tests(parsed: ParsedTests): TestCaseResult[] {
  if (!parsed.ok) throw new Error(parsed.why);
  return parsed.tests;
}

describe("jest --json (https://jestjs.io/docs/cli#--json, AggregatedResult)", () => {
  const report = (testResults: unknown[]) => JSON.stringify({ numTotalTests: 0, testResults });

  it("maps every status, numbers tests that share a title, keeps lines", () => {
    const json = report([
      {
        name: `${root}/test/a.test.js`,
        status: "failed",
        message: "",
        assertionResults: [
          {
            ancestorTitles: ["s"],
            title: "t",
            status: "passed",
            failureMessages: [],
            location: { line: 3, column: 5 },
          },
          {
            ancestorTitles: ["s"],
            title: "t",
            status: "failed",
            failureMessages: [
              "Error: no\n    at Object.<anonymous> (/home/me/shop/test/a.test.js:4:9)",
            ],
            location: { line: 4, column: 5 },
          },
          { ancestorTitles: [], title: "p", status: "pending", failureMessages: [] },
          { ancestorTitles: [], title: "todo", status: "todo", failureMessages: [] },
          { ancestorTitles: [], title: "off", status: "disabled", failureMessages: [] },
          { ancestorTitles: [], title: "only", status: "focused", failureMessages: [] },
        ],
      },
    ]);
    expect(
      tests(parseJestJson(json, context)).map((t) => [t.id, t.status, t.line, t.message]),
    ).toEqual([
      ["test/a.test.js::s > t", "pass", 3, null],
      ["test/a.test.js::s > t #2", "fail", 4, "Error: no"],
      ["test/a.test.js::p", "skip", null, null],
      ["test/a.test.js::todo", "skip", null, null],
      ["test/a.test.js::off", "skip", null, null],
      ["test/a.test.js::only", "pass", null, null],
    ]);
  });

  it("lists a file that failed with no failing test as a file-level failure", () => {
    const json = report([
      {
        name: `${root}/test/b.test.js`,
        status: "failed",
        message: "",
        testExecError: { message: "Cannot find module './db' from 'test/b.test.js'" },
        assertionResults: [],
      },
      { name: `${root}/test/c.test.js`, status: "passed", message: "", assertionResults: [] },
    ]);
    expect(tests(parseJestJson(json, context))).toEqual([
      {
        id: "test/b.test.js",
        name: "test/b.test.js",
        file: "test/b.test.js",
        line: null,
        status: "fail",
        message: "Cannot find module './db' from 'test/b.test.js'",
        kind: "file",
      },
    ]);
  });

  it.each([
    ["empty", "", /is empty/],
    ["cut short", '{"testResults":[{"name":"/x', /is not valid JSON/],
    ["not jest's", '{"coverage":{}}', /has no testResults/],
  ])("%s: no tests, and why", (_name, text, why) => {
    const parsed = parseJestJson(text, context);
    expect(parsed.ok ? "" : parsed.why).toMatch(why);
  });
});

describe("culprit's node:test reporter events", () => {
  const file = `${root}/test/a.test.mjs`;
  const lines = (...events: object[]) =>
    `${[...events, { type: "end" }].map((event) => JSON.stringify(event)).join("\n")}\n`;
  const event = (type: string, name: string, nesting: number, extra: object = {}) => ({
    type,
    name,
    nesting,
    file,
    line: 10 + nesting,
    skip: false,
    todo: false,
    suite: false,
    error: null,
    ...extra,
  });
  const failure = (failureType: string, message: string) => ({ error: { failureType, message } });

  it("a failing before hook: the suite is listed, its cancelled tests are skipped", () => {
    // Node reports a hook's failure on the suite (failureType "hookFailed") and cancels its
    // tests ("cancelledByParent"): https://nodejs.org/docs/latest-v20.x/api/errors.html#err_test_failure
    const text = lines(
      event("test:start", "db", 0, { suite: true }),
      event("test:start", "reads", 1),
      event(
        "test:fail",
        "reads",
        1,
        failure("cancelledByParent", "test did not finish before its parent and was cancelled"),
      ),
      event("test:fail", "db", 0, {
        suite: true,
        ...failure("hookFailed", "Error: connect ECONNREFUSED 127.0.0.1:5432"),
      }),
    );
    expect(tests(parseNodeEvents(text, context))).toEqual([
      {
        id: "test/a.test.mjs::db > reads",
        name: "db > reads",
        file: "test/a.test.mjs",
        line: 11,
        status: "skip",
        message: null,
      },
      {
        id: "test/a.test.mjs::db",
        name: "db",
        file: "test/a.test.mjs",
        line: 10,
        status: "fail",
        message: "Error: connect ECONNREFUSED 127.0.0.1:5432",
        kind: "suite",
      },
    ]);
  });

  it("a test with subtests is left out when its outcome is theirs", () => {
    const text = lines(
      event("test:start", "parent", 0),
      event("test:start", "child", 1),
      event("test:fail", "child", 1, failure("testCodeFailure", "Error: x")),
      event("test:fail", "parent", 0, failure("subtestsFailed", "1 subtest failed")),
      event("test:start", "ok parent", 0),
      event("test:start", "ok child", 1),
      event("test:pass", "ok child", 1),
      event("test:pass", "ok parent", 0),
    );
    expect(tests(parseNodeEvents(text, context)).map((t) => [t.id, t.status])).toEqual([
      ["test/a.test.mjs::parent > child", "fail"],
      ["test/a.test.mjs::ok parent > ok child", "pass"],
    ]);
  });

  it("skip and todo are skips; two tests of one name get distinct ids", () => {
    const text = lines(
      event("test:start", "t", 0),
      event("test:pass", "t", 0, { skip: true }),
      event("test:start", "t", 0),
      event("test:fail", "t", 0, { todo: true, ...failure("testCodeFailure", "Error: later") }),
    );
    expect(tests(parseNodeEvents(text, context)).map((t) => [t.id, t.status])).toEqual([
      ["test/a.test.mjs::t", "skip"],
      ["test/a.test.mjs::t #2", "skip"],
    ]);
  });

  it("a file failing outside any test: its error comes from what it wrote on stderr", () => {
    // A plain script (tape's style) run by node --test: node says "test failed"; the error is in
    // the file's test:stderr events, which the reporter hands over with the file's failure.
    const stderr = [
      "node:internal/assert/utils:281",
      "    throw err;",
      "    ^",
      "",
      "AssertionError [ERR_ASSERTION]: tilde is unreserved",
      `    at Object.<anonymous> (${file}:3:8)`,
      "    at Module._compile (node:internal/modules/cjs/loader:1521:14) {",
      "  generatedMessage: false,",
      "}",
      "",
      "Node.js v20.20.2",
      "",
    ].join("\n");
    const text = lines(
      event("test:start", file, 0),
      event("test:fail", file, 0, { stderr, ...failure("testCodeFailure", "test failed") }),
    );
    expect(tests(parseNodeEvents(text, context))).toMatchObject([
      {
        id: "test/a.test.mjs",
        status: "fail",
        message:
          "AssertionError [ERR_ASSERTION]: tilde is unreserved\n  generatedMessage: false,\n}",
        kind: "file",
      },
    ]);
  });

  it.each([
    [
      "Error: Cannot find module '../lib/chars'\nRequire stack:",
      "Error: Cannot find module '../lib/chars'\nRequire stack:",
    ],
    [
      "x\nTypeError: a is not a function\n    at f (a.js:1:1)\nNode.js v22.1.0",
      "TypeError: a is not a function\n    at f (a.js:1:1)",
    ],
    [
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'p'",
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'p'",
    ],
    ["only some output\n", null],
    ["", null],
  ])("stderrError(%j)", (stderr, expected) => {
    expect(stderrError(stderr)).toBe(expected);
  });

  it.each([
    ["empty", "", /is empty/],
    [
      "no end line (the run was cut short)",
      `${JSON.stringify(event("test:start", "t", 0))}\n`,
      /ends before the run did/,
    ],
    ["a line cut in the middle", '{"type":"test:pass","na', /ends before the run did/],
  ])("%s: no tests, and why", (_name, text, why) => {
    const parsed = parseNodeEvents(text, context);
    expect(parsed.ok ? "" : parsed.why).toMatch(why);
  });

  it("stopped by --timeout: the tests that ended are read, not the one it hung in, nor a cut line", () => {
    const text = [
      event("test:start", "v", 0),
      event("test:fail", "v", 0, failure("testCodeFailure", "AssertionError: 2 !== 1")),
      event("test:start", "slow", 0),
    ]
      .map((e) => JSON.stringify(e))
      .join("\n");
    const cut = `${text}\n{"type":"test:pass","na`;
    for (const stopped of [`${text}\n`, cut]) {
      const parsed = parseNodeEvents(stopped, { ...context, stopped: true });
      expect(tests(parsed).map((t) => [t.id, t.status])).toEqual([["test/a.test.mjs::v", "fail"]]);
    }
    // Without `stopped`, the same text is a run cut short.
    expect(parseNodeEvents(cut, context).ok).toBe(false);
  });

  it("stopped in its first test (no event yet): a partial report of no test, not a missing one", () => {
    expect(parseNodeEvents("", { ...context, stopped: true })).toEqual({
      ok: true,
      tests: [],
      partial: true,
    });
    expect(parseNodeEvents("", context).ok).toBe(false);
  });

  it("stopped: what ended passing is listed, a suite's pass and each file before the last", () => {
    const other = `${root}/test/b.test.mjs`;
    const text = `${[
      event("test:start", "ok", 0),
      event("test:pass", "ok", 0),
      event("test:start", "S", 0, { file: other, suite: true }),
      event("test:start", "inner", 1, { file: other }),
      event("test:pass", "inner", 1, { file: other }),
      event("test:pass", "S", 0, { file: other, suite: true }),
      event("test:start", "waits", 0, { file: other }),
    ]
      .map((e) => JSON.stringify(e))
      .join("\n")}\n`;
    const parsed = parseNodeEvents(text, { ...context, stopped: true });
    expect(parsed.ok && parsed.partial).toBe(true);
    expect(tests(parsed).map((t) => [t.id, t.status, t.kind ?? null])).toEqual([
      ["test/a.test.mjs::ok", "pass", null],
      ["test/b.test.mjs::S > inner", "pass", null],
      ["test/b.test.mjs::S", "pass", "suite"],
      ["test/a.test.mjs", "pass", "file"],
    ]);
  });
});

describe("go test -json (https://pkg.go.dev/cmd/test2json)", () => {
  const events = (...list: object[]) => list.map((event) => JSON.stringify(event)).join("\n");
  const pkg = "example.com/shop/store";

  it("reads tests and subtests, skips parents, takes the output as the message", () => {
    const text = events(
      { Action: "start", Package: pkg },
      { Action: "run", Package: pkg, Test: "TestFlush" },
      { Action: "output", Package: pkg, Test: "TestFlush", Output: "=== RUN   TestFlush\n" },
      { Action: "run", Package: pkg, Test: "TestFlush/empty" },
      {
        Action: "output",
        Package: pkg,
        Test: "TestFlush/empty",
        Output: "    store_test.go:41: got 2 rows, want 0\n",
      },
      {
        Action: "output",
        Package: pkg,
        Test: "TestFlush/empty",
        Output: "    --- FAIL: TestFlush/empty (0.00s)\n",
      },
      { Action: "fail", Package: pkg, Test: "TestFlush/empty", Elapsed: 0 },
      { Action: "run", Package: pkg, Test: "TestFlush/full" },
      { Action: "pass", Package: pkg, Test: "TestFlush/full", Elapsed: 0 },
      { Action: "fail", Package: pkg, Test: "TestFlush", Elapsed: 0 },
      { Action: "run", Package: pkg, Test: "TestOpen" },
      { Action: "skip", Package: pkg, Test: "TestOpen", Elapsed: 0 },
      { Action: "output", Package: pkg, Output: "FAIL\n" },
      { Action: "fail", Package: pkg, Elapsed: 0.01 },
    );
    expect(tests(parseGoJson(`# build noise on stderr\n${text}\n`, root))).toEqual([
      {
        id: `${pkg}::TestFlush/empty`,
        name: `${pkg} > TestFlush/empty`,
        file: null,
        line: null,
        status: "fail",
        message: "store_test.go:41: got 2 rows, want 0",
      },
      {
        id: `${pkg}::TestFlush/full`,
        name: `${pkg} > TestFlush/full`,
        file: null,
        line: null,
        status: "pass",
        message: null,
      },
      {
        id: `${pkg}::TestOpen`,
        name: `${pkg} > TestOpen`,
        file: null,
        line: null,
        status: "skip",
        message: null,
      },
    ]);
  });

  it("with -count=3, one failure fails the test", () => {
    const run = (action: string) => [
      { Action: "run", Package: pkg, Test: "TestFlaky" },
      { Action: action, Package: pkg, Test: "TestFlaky" },
    ];
    const text = events(...run("pass"), ...run("fail"), ...run("pass"), {
      Action: "fail",
      Package: pkg,
    });
    expect(tests(parseGoJson(text, root)).map((t) => t.status)).toEqual(["fail"]);
  });

  it("a package that fails with no failing test is a file-level failure", () => {
    const text = events(
      { Action: "output", Package: pkg, Output: "panic: init: no config\n" },
      { Action: "output", Package: pkg, Output: "FAIL\texample.com/shop/store\t0.004s\n" },
      { Action: "fail", Package: pkg, Elapsed: 0.004 },
    );
    expect(tests(parseGoJson(text, root))).toEqual([
      {
        id: pkg,
        name: pkg,
        file: null,
        line: null,
        status: "fail",
        message: "panic: init: no config",
        kind: "file",
      },
    ]);
  });

  it("a run cut short (a test without its end) is not read", () => {
    const text = events(
      { Action: "run", Package: pkg, Test: "TestHang" },
      { Action: "output", Package: pkg, Test: "TestHang", Output: "=== RUN   TestHang\n" },
    );
    const parsed = parseGoJson(text, root);
    expect(parsed.ok ? "" : parsed.why).toMatch(/ends before .* finished/);
  });
});
