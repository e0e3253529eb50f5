import { describe, expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { Evidence } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";
import { failureLines, keptOutput } from "../../src/run/reports/signature.js";

// A command judged by its exit code alone that fails on both sides: the way your tree fails
// (failureLines) is judged as an event of its own (Evidence.decide). Outputs below are as the
// tools print them (xo, AVA, uvu, node); the e2e file exit-code-fails-another-way runs real ones.

const xo =
  "\n  source/index.js:12:5\n  ✖  12:5  Unexpected var, use let or const instead.  no-var\n\n  1 error\n";
const ava =
  "  ✘ [fail]: rounds Rounds\n\n  ─\n\n  rounds\n\n  test/index.js:8\n\n  Difference (- actual, + expected):\n\n  - 1.3\n  + 1.4\n\n  ─\n\n  1 test failed\n";
const esm =
  "node:internal/modules/run_main:123\n    triggerUncaughtException(\n    ^\n\nAssertionError [ERR_ASSERTION]: mul is wrong\n    at file:///home/u/p/test.mjs:4:8\n    at ModuleJob.run (node:internal/modules/esm/module_job:195:25) {\n  generatedMessage: false,\n  code: 'ERR_ASSERTION'\n}\n\nNode.js v20.19.5\n";
const uvu = (fails: string[], passed: number) =>
  `${fails.map((f) => `  FAIL  "${f}"\n    ✘   (#1)\n\n    Expected values to be strictly equal:\n`).join("\n")}\n  Total:     ${passed + fails.length}\n  Passed:    ${passed}\n  Skipped:   0\n  Duration:  ${(passed * 0.37).toFixed(2)}ms\n`;

describe("failureLines: the lines that say how a run failed", () => {
  test.each<[string, { outcome: string; tail?: string }, string[]]>([
    [
      "xo: its error, numbers gone",
      { outcome: "fail", tail: xo },
      ["✖ #:# Unexpected var, use let or const instead. no-var"],
    ],
    ["AVA: its failure mark", { outcome: "fail", tail: ava }, ["✘ [fail]: rounds Rounds"]],
    [
      "node, an ES module's uncaught error: not the call above it, no stack frame, no path",
      { outcome: "fail", tail: esm },
      ["AssertionError [ERR_ASSERTION]: mul is wrong"],
    ],
    [
      "uvu: each failing test, and not the counts",
      { outcome: "fail", tail: uvu(["rounds", "parses"], 69) },
      ['FAIL "rounds"', "✘ (#)", 'FAIL "parses"'],
    ],
    [
      "no error line: the last three, numbers gone",
      { outcome: "fail", tail: "building\n3 of 7 steps done\nexit status 2\n" },
      ["building", "# of # steps done", "exit status #"],
    ],
    [
      "uvu: its FAIL lines above a long diff, read in the whole output (dset trial)",
      {
        outcome: "fail",
        tail: uvu(["merge"], 69).replace(
          "strictly equal:\n",
          `strictly equal:\n${"    ++  line of the diff\n".repeat(30)}`,
        ),
      },
      ['FAIL "merge"', "✘ (#)"],
    ],
    [
      "an error's name above the last 20 lines is a log line, not read",
      { outcome: "fail", tail: `Error: logged by a test\n${"ok\n".repeat(25)}✖ 1 failed\n` },
      ["✖ # failed"],
    ],
    [
      "beside the runner's marks, an error's name is a passing check's log, not read",
      {
        outcome: "fail",
        tail: "Error: bad input (handled)\n  ✖ mul: expected 7, got 6\n\n  1 failed\n",
      },
      ["✖ mul: expected #, got #"],
    ],
    ["a hang, whatever it printed", { outcome: "hang", tail: xo }, ["(hung)"]],
    ["nothing printed", { outcome: "fail", tail: "" }, []],
    [
      "colours and CRLF",
      { outcome: "fail", tail: "\u001b[31m✖ 1:1 bad\u001b[39m\r\n" },
      ["✖ #:# bad"],
    ],
  ])("%s", (_name, run, lines) => {
    expect([...failureLines(run)]).toEqual(lines);
  });
});

function run(side: "current" | "baseline", index: number, tail: string | null): RunRecord {
  return {
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: tail === null ? "pass" : "fail",
    exitCode: tail === null ? 0 : 1,
    signal: null,
    durationMs: 100,
    hangRetried: false,
    logPath: null,
    ...(tail === null ? {} : { tail }),
  };
}

function decided(current: (string | null)[], baseline: (string | null)[], byTheWay = true) {
  const evidence = new Evidence();
  evidence.judgeTheWayItFails = byTheWay;
  current.forEach((tail, i) => {
    evidence.add(run("current", i + 1, tail));
  });
  baseline.forEach((tail, i) => {
    evidence.add(run("baseline", i + 1, tail));
  });
  const d = evidence.decide(1, defaultCompareOptions);
  return {
    said: d.kind === "verdict" ? d.verdict : `next: ${d.side}`,
    way: d.failureWay ? [d.failureWay.current.failures, d.failureWay.baseline.failures] : null,
  };
}

const three = <T>(x: T): T[] => [x, x, x];

const table = (rows: number) =>
  Array.from({ length: rows }, (_, i) => ` m${i}.js    |     100 |      100 |       0 |     100 |`);

describe("keptOutput: what a failing run keeps of its output", () => {
  test.each([
    ["short output: all of it", "a\nb\n✘ [fail]: old\n", "a\nb\n✘ [fail]: old"],
    [
      "a mark above the last lines, which say nothing: it and the two lines after it, then them",
      ["  ✘ [fail]: old", "", "  ✔ adds", "  ─", ...table(25)].join("\n"),
      ["  ✘ [fail]: old", "  ✔ adds", "  ─", "…", ...table(25).slice(-20)].join("\n"),
    ],
    [
      "the last lines name an error: they are enough",
      ["  ✘ [fail]: old", ...table(25), "ERROR: Coverage for lines (80%) does not meet 90%"].join(
        "\n",
      ),
      [...table(25).slice(-19), "ERROR: Coverage for lines (80%) does not meet 90%"].join("\n"),
    ],
    [
      "no mark anywhere: the last lines",
      ["started", ...table(25)].join("\n"),
      table(25).slice(-20).join("\n"),
    ],
  ])("%s", (_, tail, kept) => {
    expect(keptOutput(tail)).toBe(kept);
  });
});

describe("Evidence.decide, by the way your tree fails", () => {
  test.each<[string, (string | null)[], (string | null)[], string, number[] | null]>([
    [
      "a lint error on yours, an old test failure at the baseline",
      three(xo),
      three(ava),
      "regression",
      [3, 0],
    ],
    [
      "a new failing test beside the old one",
      three(uvu(["rounds", "parses"], 69)),
      three(uvu(["rounds"], 70)),
      "regression",
      [3, 0],
    ],
    [
      "the old one only, beside tests your change adds",
      three(uvu(["rounds"], 74)),
      three(uvu(["rounds"], 70)),
      "pre-existing",
      null,
    ],
    [
      "one of two old failures fixed",
      three(uvu(["rounds"], 70)),
      three(uvu(["rounds", "parses"], 69)),
      "pre-existing",
      null,
    ],
    ["the same failure both sides", three(xo), three(xo), "pre-existing", null],
    // Two runs of yours fail a new way, one the old way: not settled, and the baseline never
    // failed that way: one more run, on your tree.
    ["two of three new, not settled", [xo, xo, ava], three(ava), "next: current", [2, 0]],
    // Each run of yours fails with its own words (a random name in the message): no way is
    // seen twice, so nothing is asked beyond the command's verdict.
    [
      "a message that differs every run",
      ["Error: lost apple", "Error: lost pear", "Error: lost plum"],
      three("Error: lost fig"),
      "pre-existing",
      null,
    ],
    // Your tree fails every run, the baseline one in three: the command's comparator wants more
    // runs; the way your tree fails (never at the baseline) settles it.
    [
      "yours a new way every run, the baseline's old failure flaky",
      three(xo),
      [ava, null, null],
      "regression",
      [3, 0],
    ],
  ])("%s", (_name, current, baseline, said, way) => {
    expect(decided(current, baseline)).toEqual({ said, way });
  });

  test("--per-test off: the exit code alone", () => {
    expect(decided(three(xo), three(ava), false)).toEqual({ said: "pre-existing", way: null });
  });

  test("with a test report, the tests are judged, not the output", () => {
    const evidence = new Evidence();
    const entries = (status: "pass" | "fail") => [
      {
        id: "t",
        name: "t",
        file: "t.js",
        line: 1,
        status,
        message: status === "fail" ? "x" : null,
      },
    ];
    for (let i = 1; i <= 3; i++) {
      evidence.add({
        ...run("current", i, xo),
        tests: { source: "tap", entries: entries("fail") },
      });
      evidence.add({
        ...run("baseline", i, ava),
        tests: { source: "tap", entries: entries("fail") },
      });
    }
    const d = evidence.decide(1, defaultCompareOptions);
    expect(d.kind === "verdict" && d.verdict).toBe("pre-existing");
    expect(d.failureWay).toBeUndefined();
  });
});
