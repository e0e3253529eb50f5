import { expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { commandTestId } from "../../src/compare/suite.js";
import { Evidence, hungBefore } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";

// Every run hangs on both sides: the same old hang, PRE-EXISTING; unless your runs, read as far
// as they went, hang before a test every baseline run ended (found in review: your change makes
// test_a hang, before an old hang in test_b, and it read PRE-EXISTING, exit 0). Told only where
// the runs report their tests in one order (each run's a beginning of the longest run's): a
// shuffled or parallel order proves nothing of where a run hung.

/**
 * A hung run whose partial report lists `ended` (passing), in that order; null: no report. An id
 * ending in ".mjs" is a file's own entry (node adds those of a partial report at its end); a
 * list starting with "WHOLE" is a run that ended, its whole report.
 */
function hung(side: "current" | "baseline", index: number, listed: string[] | null): RunRecord {
  const whole = listed?.[0] === "WHOLE";
  const ended = whole ? listed!.slice(1) : listed;
  return {
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: whole ? "pass" : "hang",
    exitCode: whole ? 0 : null,
    signal: whole ? null : "SIGINT",
    durationMs: 3_000,
    hangRetried: !whole,
    logPath: null,
    ...(ended === null
      ? {}
      : {
          tests: {
            source: "pytest junitxml",
            ...(whole ? {} : { partial: true as const }),
            entries: ended.map((id, i) => ({
              id,
              name: id,
              file: id.endsWith(".mjs") ? id : "t.py",
              line: i + 1,
              status: "pass" as const,
              message: null,
              ...(id.endsWith(".mjs") ? { kind: "file" as const } : {}),
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
    "a test your change adds before the hang (no baseline run ended it): left out, still told",
    three(["x", "N"]),
    three(["x", "a", "b"]),
    "inconclusive",
    "a,",
  ],
  [
    "node's own entries of the files that ended, at the end of a partial report: left out",
    three(["a1", "a.mjs"]),
    three(["a1", "b1", "a.mjs", "b.mjs"]),
    "inconclusive",
    "b1,",
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

test("a baseline run that ended (its whole report) ended every test of it: the hang is still told apart", () => {
  // (3/3 against 2/3 stops then asks for more runs; the rule holds as they come.)
  const current = three(["x"]).map((ids, i) => hung("current", i + 1, ids));
  const baseline = [
    ["x", "a"],
    ["WHOLE", "x", "a", "b"],
    ["x", "a"],
  ].map((ids, i) => hung("baseline", i + 1, ids));
  expect(hungBefore(current, baseline)).toBe("a");
  // A run of yours that ended is no hang of yours to place.
  expect(hungBefore([...current, hung("current", 4, ["WHOLE", "x", "a"])], baseline)).toBe(
    undefined,
  );
});
