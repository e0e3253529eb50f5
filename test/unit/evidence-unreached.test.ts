import { expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { Evidence } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";

// A test failing on your tree that no baseline report has: `new` (a test your change adds: the
// machine looks for a baseline that has it) unless every baseline run hung before it, their
// reports read as far as they went (partial): then it is there but was never reached,
// `inconclusive`, `baseline.unreached`. A baseline run that ended without it says it is not
// there (found in review: one hung baseline run made a new test "unreached", and the selective
// revert that found the regression was never tried).

type Kind = "pass" | "fails" | "hung before it" | "hung, no test" | "lacks it" | "hung past it";

function run(side: "current" | "baseline", index: number, kind: Kind): RunRecord {
  const hung = kind.startsWith("hung");
  const entries = [
    { id: "old", name: "old", file: "t.py", line: 1, status: "pass" as const, message: null },
    ...(kind === "pass" || kind === "fails"
      ? [
          {
            id: "new",
            name: "new",
            file: "t.py",
            line: 5,
            status: kind === "pass" ? ("pass" as const) : ("fail" as const),
            message: kind === "fails" ? "assert 2 == 1" : null,
          },
        ]
      : []),
    // A test your runs report after it: a baseline run that hung after this one went past it.
    ...(side === "current" || kind === "hung past it"
      ? [
          {
            id: "later",
            name: "later",
            file: "u.py",
            line: 1,
            status: "pass" as const,
            message: null,
          },
        ]
      : []),
  ];
  return {
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: hung ? "hang" : kind === "fails" ? "fail" : "pass",
    exitCode: hung ? null : kind === "fails" ? 1 : 0,
    signal: hung ? "SIGINT" : null,
    durationMs: 100,
    hangRetried: hung,
    logPath: null,
    tests: {
      source: "pytest junitxml",
      entries: kind === "hung, no test" ? [] : entries,
      ...(hung ? { partial: true as const } : {}),
    },
  };
}

function judged(baseline: Kind[]) {
  const evidence = new Evidence();
  for (let i = 1; i <= 3; i++) evidence.add(run("current", i, "fails"));
  for (const [i, kind] of baseline.entries()) evidence.add(run("baseline", i + 1, kind));
  evidence.decide(1, defaultCompareOptions);
  const row = evidence.testResults().find((t) => t.id === "new")!;
  return { verdict: row.verdict, baseline: row.baseline, current: row.current, reason: row.reason };
}

test.each<[string, Kind[], string, Record<string, number>]>([
  [
    "every baseline run hung before it",
    ["hung before it", "hung before it", "hung before it"],
    "inconclusive",
    { runs: 0, failures: 0, unreached: 3 },
  ],
  [
    "one hung before it, two ended without it: a test new on your tree",
    ["hung, no test", "lacks it", "lacks it"],
    "new",
    { runs: 0, failures: 0 },
  ],
  [
    "every baseline run hung, but after a test yours report after it: it is not there, new",
    ["hung past it", "hung past it", "hung before it"],
    "new",
    { runs: 0, failures: 0 },
  ],
  [
    "no baseline run has it, none hung: new",
    ["lacks it", "lacks it", "lacks it"],
    "new",
    { runs: 0, failures: 0 },
  ],
  [
    "reached in one baseline run, hung before it in the others: judged on the run that had it",
    ["pass", "hung before it", "hung before it"],
    // 3/3 against 0/1 settles nothing yet; it is not "unreached".
    "inconclusive",
    { runs: 1, failures: 0 },
  ],
])("%s", (_name, baseline, verdict, counts) => {
  const row = judged(baseline);
  expect(row.baseline).toEqual(counts);
  // Your tree's side never carries `unreached`.
  expect(row.current).toEqual({ runs: 3, failures: 3 });
  expect(row.verdict).toBe(verdict);
  expect(/hung before it got there/.test(row.reason)).toBe(counts["unreached"] !== undefined);
});
