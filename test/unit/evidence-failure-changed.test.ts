import { expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { Evidence } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";

// "without your changes it failed otherwise" (failureChanged) says the failure is not the one the
// baseline had. A flaky test asserting on a random value (found on a real pytest project:
// `assert 0.0539... >= 0.3`) fails with another number every run, on both sides: that says
// nothing, and the note was noise. Only a failure that reads the same in every run of your tree
// is compared with the baseline's.

function run(side: "current" | "baseline", index: number, message: string | null): RunRecord {
  return {
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: message ? "fail" : "pass",
    exitCode: message ? 1 : 0,
    signal: null,
    durationMs: 100,
    hangRetried: false,
    logPath: null,
    tests: {
      source: "pytest junitxml",
      entries: [
        {
          id: "test_x.py::test_rate",
          name: "test_x.py::test_rate",
          file: "test_x.py",
          line: 3,
          status: message ? "fail" : "pass",
          message,
        },
      ],
    },
  };
}

function changed(current: (string | null)[], baseline: (string | null)[]): boolean {
  const evidence = new Evidence();
  for (const [i, m] of current.entries()) evidence.add(run("current", i + 1, m));
  for (const [i, m] of baseline.entries()) evidence.add(run("baseline", i + 1, m));
  evidence.decide(1, defaultCompareOptions);
  const [result] = evidence.testResults();
  expect(result!.verdict).toBe("pre-existing");
  return result!.failureChanged;
}

test.each([
  // The same failure on both sides.
  [
    ["assert 3 == 4", "assert 3 == 4", "assert 3 == 4"],
    ["assert 3 == 4", "assert 3 == 4", "assert 3 == 4"],
    false,
  ],
  // Another failure, the same in every run of yours: changed.
  [
    ["assert 5 == 4", "assert 5 == 4", "assert 5 == 4"],
    ["assert 3 == 4", "assert 3 == 4", "assert 3 == 4"],
    true,
  ],
  // A random value: another number every run, on your side too.
  [
    ["assert 0.0539 >= 0.3", "assert 0.2071 >= 0.3", "assert 0.11 >= 0.3"],
    ["assert 0.25 >= 0.3", "assert 0.01 >= 0.3", "assert 0.17 >= 0.3"],
    false,
  ],
])("your %j, the baseline's %j: changed %s", (current, baseline, expected) => {
  expect(changed(current, baseline)).toBe(expected);
});
