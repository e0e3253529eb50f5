import { expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { commandTestId } from "../../src/compare/suite.js";
import { Evidence } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";

// Every run hangs on both sides: the same old hang, PRE-EXISTING; unless your runs, read as far
// as they went, hang before a test every baseline run ended (found in review: your change makes
// test_a hang, before an old hang in test_b, and it read PRE-EXISTING, exit 0). Told only where
// the runs report their tests in one order (each run's a beginning of the longest run's): a
// shuffled or parallel order proves nothing of where a run hung.

/** A hung run whose partial report lists `ended` (passing), in that order; null: no report. */
function hung(side: "current" | "baseline", index: number, ended: string[] | null): RunRecord {
  return {
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: "hang",
    exitCode: null,
    signal: "SIGINT",
    durationMs: 3_000,
    hangRetried: true,
    logPath: null,
    ...(ended === null
      ? {}
      : {
          tests: {
            source: "pytest junitxml",
            partial: true as const,
            entries: ended.map((id, i) => ({
              id,
              name: id,
              file: "t.py",
              line: i + 1,
              status: "pass" as const,
              message: null,
            })),
          },
        }),
  };
}

function command(current: (string[] | null)[], baseline: (string[] | null)[]) {
  const evidence = new Evidence();
  for (const [i, ended] of current.entries()) evidence.add(hung("current", i + 1, ended));
  for (const [i, ended] of baseline.entries()) evidence.add(hung("baseline", i + 1, ended));
  const decision = evidence.decide(1, defaultCompareOptions);
  const row = evidence.testResults().find((t) => t.id === commandTestId)!;
  return {
    verdict: decision.kind === "verdict" ? decision.verdict : `next ${decision.side}`,
    row: row.verdict,
    reason: row.reason,
  };
}

const three = <T>(x: T): T[] => [x, x, x];

test.each<[string, (string[] | null)[], (string[] | null)[], string, string | null]>([
  [
    "yours hang in a, the baseline's after a and b: not the same hang",
    three(["x"]),
    three(["x", "a", "b"]),
    "inconclusive",
    "a,",
  ],
  [
    "the same place on both sides: the old hang",
    three(["x", "a"]),
    three(["x", "a"]),
    "pre-existing",
    null,
  ],
  [
    "one baseline run stopped as early as yours: not told",
    three(["x"]),
    [["x"], ["x", "a"], ["x", "a"]],
    "pre-existing",
    null,
  ],
  [
    "a shuffled order: not told",
    three(["x"]),
    [
      ["a", "x", "b"],
      ["b", "a"],
      ["x", "a", "b"],
    ],
    "pre-existing",
    null,
  ],
  [
    "a run of yours without a report: not told",
    [["x"], null, ["x"]],
    three(["x", "a"]),
    "pre-existing",
    null,
  ],
])("%s", (_name, current, baseline, verdict, before) => {
  const judged = command(current, baseline);
  expect(judged.verdict).toBe(verdict);
  expect(judged.row).toBe(verdict);
  if (before === null) expect(judged.reason).not.toMatch(/hung before/);
  else expect(judged.reason).toContain(`every run hung before ${before}`);
});
