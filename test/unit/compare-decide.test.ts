import { beforeAll, describe, expect, it } from "vitest";
import { probGreater } from "../../src/compare/beta.js";
import { boschlooPValue } from "../../src/compare/boschloo.js";
import { decide, defaultCompareOptions, thresholds } from "../../src/compare/decide.js";
import { exactOutcome, memoizedDecide, simulate } from "../../src/compare/loop.js";
import type { CompareOptions, SideCounts } from "../../src/compare/types.js";

const side = (failures: number, runs: number, cannotRun = 0): SideCounts => ({
  failures,
  runs,
  cannotRun,
});

const describeDecision = (
  current: SideCounts,
  baseline: SideCounts | null,
  options = defaultCompareOptions,
) => {
  const d = decide(current, baseline, options);
  return d.kind === "verdict" ? d.verdict : `next ${d.side}`;
};

describe("decide: anchors", () => {
  it("calls 3/3 failing vs 0/3 a regression at the defaults", () => {
    const d = decide(side(3, 3), side(0, 3), defaultCompareOptions);
    expect(d).toMatchObject({ kind: "verdict", verdict: "regression" });
    expect(d.reason).toBe("fails 3/3 with your changes, 0/3 without: p = 0.016");
  });

  it("calls 3/3 vs 3/3 pre-existing", () => {
    const d = decide(side(3, 3), side(3, 3), defaultCompareOptions);
    expect(d).toMatchObject({ kind: "verdict", verdict: "pre-existing" });
    expect(d.reason).toBe(
      "fails 3/3 with your changes, 3/3 without: it failed every run without your changes too",
    );
  });

  it("says what the baseline is at a selective revert (baselineIs)", () => {
    const revert = { ...defaultCompareOptions, baselineIs: "with src/price.mjs reverted" };
    expect(decide(side(3, 3), side(3, 3), revert).reason).toBe(
      "fails 3/3 with your changes, 3/3 with src/price.mjs reverted: it failed every run with src/price.mjs reverted too",
    );
    expect(decide(side(3, 3), side(0, 3), revert).reason).toBe(
      "fails 3/3 with your changes, 0/3 with src/price.mjs reverted: p = 0.016",
    );
  });

  it("has the documented defaults", () => {
    expect(defaultCompareOptions).toEqual({ confidence: 0.95, margin: 0.1, runs: 3, maxRuns: 20 });
    const t = thresholds(defaultCompareOptions);
    expect(t.regression).toBeCloseTo(0.995, 12);
    expect(t.regressionAtBudget).toBeCloseTo(0.95, 12);
    expect(t.worsening).toBeCloseTo(0.35, 12);
    expect(t.preExisting).toBeCloseTo(0.025, 12);
    expect(t.preExistingAtBudget).toBeCloseTo(0.15, 12);
  });
});

describe("decide: table of typical counts at the defaults", () => {
  const cases: [string, SideCounts, SideCounts | null, string][] = [
    ["first run", side(0, 0), null, "next current"],
    ["initial runs", side(1, 2), null, "next current"],
    ["passed every initial run", side(0, 3), null, "not-reproduced"],
    ["reproduced: now the baseline", side(2, 3), null, "next baseline"],
    ["initial baseline runs", side(2, 3), side(0, 1), "next baseline"],
    ["2/3 vs 0/3: not settled", side(2, 3), side(0, 3), "next current"],
    ["3/4 vs 0/3: balance the sides", side(3, 4), side(0, 3), "next baseline"],
    ["4/5 vs 0/4: a baseline pass likelier to settle", side(4, 5), side(0, 4), "next baseline"],
    ["4/5 vs 0/5", side(4, 5), side(0, 5), "regression"],
    ["5/20 vs 0/20: a new flake", side(5, 20), side(0, 20), "regression"],
    ["1/3 vs 1/3", side(1, 3), side(1, 3), "next current"],
    ["2/4 vs 2/3", side(2, 4), side(2, 3), "next baseline"],
    ["2/3 vs 3/3", side(2, 3), side(3, 3), "pre-existing"],
    ["8/20 vs 7/20", side(8, 20), side(7, 20), "pre-existing"],
    ["9/20 vs 6/20, budget spent", side(9, 20), side(6, 20), "pre-existing"],
    ["12/20 vs 3/20, budget spent", side(12, 20), side(3, 20), "regression"],
    ["10/20 vs 4/20, budget spent", side(10, 20), side(4, 20), "inconclusive"],
    ["2/20 vs 0/20, budget spent", side(2, 20), side(0, 20), "inconclusive"],
    ["current at its budget", side(5, 20), side(1, 12), "next baseline"],
    ["baseline at its budget", side(1, 4), side(0, 20), "next current"],
  ];
  it.each(cases)("%s", (_name, current, baseline, expected) => {
    expect(describeDecision(current, baseline)).toBe(expected);
  });

  it("says what more runs an inconclusive result would need", () => {
    const d = decide(side(10, 20), side(4, 20), defaultCompareOptions);
    expect(d.reason).toBe(
      "fails 10/20 with your changes, 4/20 without after the budget of 20 runs a side: p = 0.027, P(your changes made it fail more often by over 0.1) = 0.907; at these rates about 77 runs a side would settle it (--max-runs 77)",
    );
  });
});

describe("decide: runs that cannot run", () => {
  it("is unrunnable when the current tree never ran", () => {
    const d = decide(side(0, 0, 3), null, defaultCompareOptions);
    expect(d).toMatchObject({ kind: "verdict", verdict: "unrunnable" });
    expect(d.reason).toBe("the command could not run on your tree (3 of 3 attempts)");
  });

  // Attribution (yourTreeCannotRun: "baseline"): a command your changes stop before it runs (a
  // syntax error, an import gone, a pytest collection error) runs at the baseline: if it runs
  // there, that is the regression.
  const ask = { ...defaultCompareOptions, yourTreeCannotRun: "baseline" as const };
  it.each([
    [
      side(0, 0, 3),
      null,
      "next baseline",
      "the command could not run on your tree (3 of 3 attempts); now the baseline",
    ],
    [side(0, 0, 3), side(0, 0, 1), "next baseline", "run 1 of 3 at the baseline"],
    [side(0, 0, 3), side(0, 2), "next baseline", "run 3 of 3 at the baseline"],
    [
      side(0, 0, 3),
      side(0, 3),
      "verdict regression",
      "your changes stop the command before it runs: the command could not run on your tree (3 of 3 attempts), and it ran at the baseline (3 of 3 runs passed)",
    ],
    [
      side(0, 0, 3),
      side(3, 3),
      "verdict regression",
      "your changes stop the command before it runs: the command could not run on your tree (3 of 3 attempts), and it ran at the baseline (0 of 3 runs passed)",
    ],
    [
      side(0, 0, 3),
      side(0, 0, 3),
      "verdict unrunnable",
      "the command could not run on your tree (3 of 3 attempts), nor at the baseline (3 of 3 attempts)",
    ],
  ])(
    "cannot run on your tree, asking the baseline: %o / %o -> %s",
    (current, baseline, expected, reason) => {
      const d = decide(current, baseline, ask);
      expect(d.kind === "verdict" ? `verdict ${d.verdict}` : `next ${d.side}`).toBe(expected);
      expect(d.reason).toBe(reason);
    },
  );

  it("tries again while some current runs may still run", () => {
    expect(describeDecision(side(0, 0, 2), null)).toBe("next current");
    expect(describeDecision(side(1, 1, 2), null)).toBe("next current");
    expect(describeDecision(side(1, 3, 2), null)).toBe("next baseline");
  });

  it("is unrunnable when the baseline never ran", () => {
    const d = decide(side(3, 3), side(0, 0, 3), defaultCompareOptions);
    expect(d).toMatchObject({ kind: "verdict", verdict: "unrunnable" });
    expect(d.reason).toBe("the baseline could not run (3 of 3 attempts)");
  });

  it("counts cannot-run attempts against the budget", () => {
    const options = { ...defaultCompareOptions, maxRuns: 4 };
    expect(describeDecision(side(0, 1, 3), null, options)).toBe("not-reproduced");
    expect(describeDecision(side(1, 1, 3), side(0, 0, 4), options)).toBe("unrunnable");
  });
});

describe("decide: statistics", () => {
  it("has no comparison before the baseline runs", () => {
    expect(decide(side(2, 3), null, defaultCompareOptions).stats).toEqual({
      current: { failures: 2, runs: 3, rate: 2 / 3 },
      baseline: null,
      posterior: null,
      pValue: null,
      confidence: 0.95,
      margin: 0,
    });
    expect(decide(side(0, 0, 1), null, defaultCompareOptions).stats.current.rate).toBeNull();
  });

  it("reports numbers reproducible from the counts", () => {
    for (const [current, baseline] of [
      [side(3, 3), side(0, 3)],
      [side(5, 9), side(2, 8)],
      [side(9, 20), side(6, 20)],
    ] as const) {
      const { stats } = decide(current, baseline, defaultCompareOptions);
      expect(stats.margin).toBe(baseline.failures > 0 ? 0.1 : 0);
      expect(stats.baseline).toEqual({
        failures: baseline.failures,
        runs: baseline.runs,
        rate: baseline.failures / baseline.runs,
      });
      expect(stats.posterior).toBe(
        probGreater(current.failures, current.runs, baseline.failures, baseline.runs, stats.margin),
      );
      expect(stats.pValue).toBe(
        boschlooPValue(current.failures, current.runs, baseline.failures, baseline.runs),
      );
    }
  });
});

describe("decide: options", () => {
  it("asks for more evidence at a higher confidence", () => {
    const options = { ...defaultCompareOptions, confidence: 0.99 };
    expect(describeDecision(side(3, 3), side(0, 3), options)).toBe("next current");
  });

  it("starts with --runs runs a side", () => {
    const options = { ...defaultCompareOptions, runs: 5 };
    expect(describeDecision(side(3, 3), null, options)).toBe("next current");
    expect(describeDecision(side(3, 5), side(0, 3), options)).toBe("next baseline");
  });

  it("never asks for a run beyond --max-runs on either side", () => {
    for (const maxRuns of [1, 2, 3, 5, 8]) {
      const options: CompareOptions = { ...defaultCompareOptions, maxRuns };
      for (const schedule of [
        (s: string, i: number) => (s === "current" ? i % 2 === 0 : i % 3 === 0),
        (s: string) => s === "current",
        () => true,
        (_s: string, i: number) => i % 2 === 1,
      ]) {
        const run = simulate((s, i) => (schedule(s, i) ? "fail" : "pass"), options);
        expect(run.current.runs + run.current.cannotRun).toBeLessThanOrEqual(maxRuns);
        expect((run.baseline?.runs ?? 0) + (run.baseline?.cannotRun ?? 0)).toBeLessThanOrEqual(
          maxRuns,
        );
      }
    }
  });
});

describe("decide driven by simulated runs", () => {
  const play = (current: (i: number) => boolean, baseline: (i: number) => boolean) =>
    simulate(
      (s, i) => ((s === "current" ? current(i) : baseline(i)) ? "fail" : "pass"),
      defaultCompareOptions,
    );

  it("settles deterministic results in 3 + 3 runs at most", () => {
    expect(
      play(
        () => true,
        () => false,
      ),
    ).toMatchObject({ verdict: "regression", runs: 6 });
    expect(
      play(
        () => true,
        () => true,
      ),
    ).toMatchObject({ verdict: "pre-existing", runs: 6 });
    expect(
      play(
        () => false,
        () => true,
      ),
    ).toMatchObject({ verdict: "not-reproduced", runs: 3 });
    expect(
      play(
        () => false,
        () => false,
      ),
    ).toMatchObject({ verdict: "not-reproduced", runs: 3 });
  });

  it("calls a flake that fails half the time only with the changes a regression after more than 3 current runs", () => {
    const schedule = [true, false, true, true, false, true, false, false, true, true, false, true];
    const run = play(
      (i) => schedule[i % schedule.length]!,
      () => false,
    );
    expect(run.verdict).toBe("regression");
    expect(run.current.runs).toBeGreaterThan(3);
    expect(run.current.failures).toBeGreaterThan(0);
    expect(run.current.failures).toBeLessThan(run.current.runs);
  });

  it("runs cannot-run attempts like any other and stops at the budget", () => {
    const run = simulate((s) => (s === "baseline" ? "cannot-run" : "fail"), defaultCompareOptions);
    expect(run).toMatchObject({ verdict: "unrunnable", runs: 6 });
  });
});

describe("decide: exact error rates on the benchmark's grid", () => {
  const rates = [0, 0.05, 0.2, 0.5, 0.8, 1];
  type Cell = { current: number; baseline: number; exact: ReturnType<typeof exactOutcome> };
  let cells: Cell[] = [];
  beforeAll(() => {
    const decider = memoizedDecide();
    cells = rates.flatMap((current) =>
      rates.map((baseline) => ({
        current,
        baseline,
        exact: exactOutcome(current, baseline, defaultCompareOptions, decider),
      })),
    );
  });
  const truth = (c: number, b: number) =>
    c === 0
      ? ["not-reproduced"]
      : b === 0 || c - b > 0.4
        ? ["regression"]
        : c <= b
          ? ["pre-existing"]
          : ["regression", "pre-existing"];
  const wrong = (c: number, b: number, verdicts: Record<string, number>) =>
    (["regression", "pre-existing"] as const)
      .filter((v) => !truth(c, b).includes(v))
      .reduce((sum, v) => sum + verdicts[v]!, 0);

  it("is wrong at most 5% of the time in every cell but 1.00/0.50, where 3/3 vs 3/3 forces 12.5%", () => {
    for (const { current, baseline, exact } of cells) {
      const limit = current === 1 && baseline === 0.5 ? 0.14 : 0.05;
      expect(
        wrong(current, baseline, exact.verdicts),
        `${current}/${baseline}`,
      ).toBeLessThanOrEqual(limit);
    }
  });

  it("reaches a verdict in at least 90% of reproduced equal-flake cases", () => {
    for (const { current, baseline, exact } of cells) {
      if (current !== baseline || current === 0 || current === 1 || current === 0.05) continue;
      const reproduced = 1 - exact.verdicts["not-reproduced"];
      const decided = exact.verdicts.regression + exact.verdicts["pre-existing"];
      expect(decided / reproduced, `${current}/${baseline}`).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("spends at most 6 runs on deterministic cells", () => {
    for (const { current, baseline, exact } of cells) {
      if (![0, 1].includes(current) || ![0, 1].includes(baseline)) continue;
      expect(Math.max(...exact.runs.keys())).toBeLessThanOrEqual(6);
    }
  });
});
