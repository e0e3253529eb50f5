import { describe, expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { Evidence } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";
import type { TestCaseResult } from "../../src/run/reports/types.js";

// A change that breaks a helper every test uses: jshttp/cookie's suite has 63 740 tests, and a
// broken separator made 63 519 of them fail. Each failing test was looked up in each run's list
// (and, for the report, the whole evidence made again for each test): culprit spent minutes
// between two runs, deaf to Ctrl-C. Here 20 000 failing tests, which took hours that way.

const n = 20_000;

function entries(status: "pass" | "fail", offset = 0): TestCaseResult[] {
  return Array.from({ length: n }, (_, i) => {
    const k = (i + offset) % n;
    return {
      id: `src/all.spec.ts::all > case ${k}`,
      name: `all > case ${k}`,
      file: "src/all.spec.ts",
      line: 10,
      status,
      message: status === "fail" ? `AssertionError: case ${k}` : null,
    };
  });
}

function run(side: "current" | "baseline", index: number, tests: TestCaseResult[]): RunRecord {
  const fails = tests.some((t) => t.status === "fail");
  return {
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: fails ? "fail" : "pass",
    exitCode: fails ? 1 : 0,
    signal: null,
    durationMs: 1000,
    hangRetried: false,
    logPath: null,
    tests: { source: "vitest --reporter=json", entries: tests },
  };
}

// Seconds now; the earlier code took hours. A limit far above any machine's noise.
const limitMs = 120_000;

describe("a suite whose every test newly fails", () => {
  test(
    `${n} failing tests: one verdict each, with their counts`,
    () => {
      const evidence = new Evidence();
      // The reports list the tests in another order each run (vitest's files run in parallel).
      evidence.add(run("current", 1, entries("fail")));
      evidence.add(run("current", 2, entries("fail", 7)));
      evidence.add(run("current", 3, entries("fail", 13)));
      evidence.add(run("baseline", 1, entries("pass", 3)));
      evidence.add(run("baseline", 2, entries("pass", 5)));
      evidence.add(run("baseline", 3, entries("pass", 11)));
      const decision = evidence.decide(1, defaultCompareOptions);
      expect(decision.tests).toHaveLength(n);
      const results = evidence.testResults();
      expect(results).toHaveLength(n);
      const one = results.find((r) => r.id === "src/all.spec.ts::all > case 4321");
      expect(one).toMatchObject({
        current: { runs: 3, failures: 3 },
        baseline: { runs: 3, failures: 0 },
        message: "AssertionError: case 4321",
      });
    },
    limitMs,
  );
});
