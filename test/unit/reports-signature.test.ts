import { describe, expect, it } from "vitest";
import { failureSignature } from "../../src/run/index.js";

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
  ];
  it.each(same)("same: %s", (_name, a, b) => {
    expect(failureSignature(a)).toBe(failureSignature(b));
  });

  const different: Array<[string, string, string]> = [
    ["other values", "expected 3 to be 2", "expected 4 to be 2"],
    ["other error", "TypeError: x is undefined", "RangeError: x is undefined"],
    ["other file", "at cart (src/cart.ts:41:7)", "at cart (src/price.ts:41:7)"],
    ["other count", "expected 2 items", "expected 20 items"],
  ];
  it.each(different)("different: %s", (_name, a, b) => {
    expect(failureSignature(a)).not.toBe(failureSignature(b));
  });
});
