import { describe, expect, it } from "vitest";
import { failureKind, failureSignature } from "../../src/run/index.js";

describe("failureSignature: what changes from run to run is replaced", () => {
  const table: Array<[string, string, string]> = [
    ["duration in ms", "timed out after 5003ms", "timed out after <duration>"],
    ["duration in seconds", "took 1.52 s to answer", "took <duration> to answer"],
    ["go test framing duration", "--- FAIL: TestFlush (0.03s)", "--- FAIL: TestFlush (<duration>)"],
    [
      "libtest time",
      "test result: FAILED. finished in 0.34s",
      "test result: FAILED. finished in <duration>",
    ],
    ["ISO timestamp", "at 2026-11-30T06:13:02.286665+00:00 the job", "at <time> the job"],
    ["HTTP date", "Date: Mon, 30 Nov 2026 06:13:43 GMT", "Date: <time>"],
    ["time of day", "[06:13:43.120] boom", "[<time>] boom"],
    [
      "temp path",
      "ENOENT: no such file '/tmp/culprit-x1Yz/cache/a.json'",
      "ENOENT: no such file '<tmp>'",
    ],
    [
      "macOS temp path",
      "open /private/var/folders/xy/abc123/T/jest_rs/x: denied",
      "open <tmp>: denied",
    ],
    [
      "hex address",
      "<test_a.TestMath object at 0x7f3431648b50>",
      "<test_a.TestMath object at <hex>>",
    ],
    ["long hex id", "build 3f9a1c0b7d2e4a5f failed", "build <hex> failed"],
    ["uuid", "request 123e4567-e89b-12d3-a456-426614174000 failed", "request <uuid> failed"],
    ["port", "connect ECONNREFUSED 127.0.0.1:54321", "connect ECONNREFUSED 127.0.0.1:<port>"],
    ["localhost port", "GET http://localhost:3000/api", "GET http://localhost:<port>/api"],
    ["port word", "listening on port 8080", "listening on port <port>"],
    ["pid", "worker pid 4242 exited", "worker pid <id> exited"],
    [
      "rust thread id",
      "thread 'tests::breaks' (23825) panicked at src/lib.rs:9:19:",
      "thread 'tests::breaks' panicked at src/lib.rs:<line>:",
    ],
    ["file:line:col", "at cart (src/cart.ts:41:7)", "at cart (src/cart.ts:<line>)"],
    ["temp path and line", "/tmp/dt/m.py:15: DocTestFailure", "<tmp>:<line>: DocTestFailure"],
    [
      "python line",
      'File "tests/test_a.py", line 12, in test_y',
      'File "tests/test_a.py", line <line>, in test_y',
    ],
    ["ANSI colours", "\x1b[31mexpected 3 to be 2\x1b[39m", "expected 3 to be 2"],
    ["blank lines and spacing", "  left: 2\n\n right:   3  \n", "left: 2\nright: 3"],
  ];

  it.each(table)("%s", (_name, message, signature) => {
    expect(failureSignature(message)).toBe(signature);
  });
});

describe("failureSignature: what tells two failures apart stays", () => {
  const same: Array<[string, string, string]> = [
    [
      "two runs of one timeout",
      "Error: timeout of 2000ms exceeded at 2026-11-30T06:13:02Z (pid 4242)",
      "Error: timeout of 2003ms exceeded at 2026-11-30T06:14:11Z (pid 5120)",
    ],
    [
      "one assertion moved by an edit above it",
      "AssertionError: expected 3 to be 2\n ❯ test/cart.test.js:5:40",
      "AssertionError: expected 3 to be 2\n ❯ test/cart.test.js:9:40",
    ],
    [
      // pytest --doctest-modules' JUnit message, as read from its XML (humanize trial: a
      // pre-existing doctest failure read "failed otherwise" after lines were added above it).
      "one doctest failure moved by an edit above its docstring",
      "002 \n003     >>> f(1)\n004     2\n005     >>> f(2)\nExpected:\n    4\nGot:\n    3\n\n/tmp/dt/m.py:5: DocTestFailure",
      "012 \n013     >>> f(1)\n014     2\n015     >>> f(2)\nExpected:\n    4\nGot:\n    3\n\n/tmp/dt/m.py:15: DocTestFailure",
    ],
  ];
  it.each(same)("same: %s", (_name, a, b) => {
    expect(failureSignature(a)).toBe(failureSignature(b));
  });

  const different: Array<[string, string, string]> = [
    ["other values", "expected 3 to be 2", "expected 4 to be 2"],
    ["other error", "TypeError: x is undefined", "RangeError: x is undefined"],
    ["other file", "at cart (src/cart.ts:41:7)", "at cart (src/price.ts:41:7)"],
    ["other count", "expected 2 items", "expected 20 items"],
    [
      "a doctest that got another value",
      "005     >>> f(2)\nExpected:\n    4\nGot:\n    3",
      "005     >>> f(2)\nExpected:\n    4\nGot:\n    5",
    ],
    // Not a doctest listing: a number at the start of a line is a value.
    [
      "a count at the start of a line",
      "100 items left\nexpected none",
      "200 items left\nexpected none",
    ],
  ];
  it.each(different)("different: %s", (_name, a, b) => {
    expect(failureSignature(a)).not.toBe(failureSignature(b));
  });
});

describe("failureKind: what kind of failure a message reports (messages as culprit read them from each runner)", () => {
  // Captured with `culprit --json` from real runs: node 20.20.2 --test, vitest 4.1.12, jest
  // 30.5.2, mocha 12.0.3, pytest 9.0.3, cargo 1.95.0 (an assertion, an undefined name, a call
  // of what is not a function; Rust: assert_eq! and unwrap of None). JUnit 5's message is
  // opentest4j's format; the plain Error, Go's panic: their first line as the runtimes print it.
  const table: Array<[string, string | null, string | undefined]> = [
    [
      "node assert",
      "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n2 !== 3",
      "assertion",
    ],
    ["node reference", "ReferenceError: undefinedThing is not defined", "ReferenceError"],
    ["node type", "TypeError: o.run is not a function", "TypeError"],
    ["vitest assert", "AssertionError: expected 2 to be 3 // Object.is equality", "assertion"],
    ["vitest reference", "ReferenceError: undefinedThing is not defined", "ReferenceError"],
    [
      "jest assert",
      "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 3\nReceived: 2",
      "assertion",
    ],
    ["jest type", "TypeError: o.run is not a function", "TypeError"],
    [
      "mocha assert",
      "Expected values to be strictly equal:\n\n2 !== 3\n\n      + expected - actual\n\n      -2\n      +3\n\nAssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
      "assertion",
    ],
    // A longer diff (deepStrictEqual of 7 keys), cut at ten lines before the class is named.
    [
      "mocha deep, cut",
      "Expected values to be strictly deep-equal:\n+ actual - expected\n\n  {\n+   a: 2,\n+   b: 2,\n-   a: 3,\n-   b: 3,\n    c: 1,\n+   d: 2,",
      "assertion",
    ],
    ["pytest assert", "assert (1 + 1) == 3", "assertion"],
    ["pytest name", "NameError: name 'undefined_thing' is not defined", "NameError"],
    [
      "pytest attribute",
      "AttributeError: 'object' object has no attribute 'run'",
      "AttributeError",
    ],
    [
      "cargo assert_eq",
      "thread 'tests::assert_eq_fails' (8473) panicked at src/lib.rs:4:28:\nassertion `left == right` failed\n  left: 2\n right: 3",
      "assertion",
    ],
    ["JUnit 5", "org.opentest4j.AssertionFailedError: expected: <3> but was: <2>", "assertion"],
    ["a plain Error thrown by the code", "Error: config file missing", "Error"],
    [
      "cargo unwrap",
      "thread 'tests::unwrap_none' (8474) panicked at src/lib.rs:6:52:\ncalled `Option::unwrap()` on a `None` value",
      "panic",
    ],
    ["go panic", "panic: runtime error: index out of range [3] with length 2", "panic"],
    ["no message", null, undefined],
  ];
  it.each(table)("%s", (_name, message, kind) => {
    expect(failureKind(message)).toBe(kind);
  });

  it("an assertion and an error thrown by the code are different kinds, whatever the values", () => {
    expect(failureKind("AssertionError: expected 2 to be 3")).toBe(
      failureKind("AssertionError: expected 7 to be 3"),
    );
    expect(failureKind("AssertionError: expected 2 to be 3")).not.toBe(
      failureKind("TypeError: lib.sumItems is not a function"),
    );
  });
});
