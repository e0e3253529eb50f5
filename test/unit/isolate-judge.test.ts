import { describe, expect, it } from "vitest";
import { regIncBeta } from "../../src/compare/beta.js";
import {
  betaQuantile,
  calibrationRuns,
  configurationTimeout,
  defaultCalibration,
  defaultJudgeOptions,
  type JudgeModel,
  judgeBehaviour,
  judgeConfiguration,
  judgeModel,
  perJudgementError,
  sprtPlan,
} from "../../src/isolate/judge.js";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const flaky = (current: [number, number], baseline: [number, number]): JudgeModel =>
  judgeModel({
    current: { failures: current[0], runs: current[1] },
    baseline: { failures: baseline[0], runs: baseline[1] },
  });

describe("betaQuantile", () => {
  // Closed forms: Beta(1, 1) is uniform; Beta(a, 1) has CDF x^a, so its q-quantile is q^(1/a);
  // Beta(1, b) has CDF 1 - (1 - x)^b; Beta(a, a) is symmetric about 1/2.
  it.each([
    [0.25, 1, 1, 0.25],
    [0.9, 1, 1, 0.9],
    [0.25, 3, 1, 0.25 ** (1 / 3)],
    [0.05, 0.5, 1, 0.05 ** 2],
    [0.25, 1, 4, 1 - 0.75 ** (1 / 4)],
    [0.5, 6.5, 6.5, 0.5],
  ])("quantile %f of Beta(%f, %f) is %f", (q, a, b, expected) => {
    expect(betaQuantile(q, a, b)).toBeCloseTo(expected, 10);
  });

  it("inverts the regularized incomplete beta function", () => {
    for (const [a, b] of [
      [6.5, 14.5],
      [0.5, 20.5],
      [13.5, 7.5],
    ] as const) {
      for (const q of [0.01, 0.25, 0.5, 0.99]) {
        expect(regIncBeta(betaQuantile(q, a, b), a, b)).toBeCloseTo(q, 10);
      }
    }
  });
});

describe("calibration", () => {
  it.each([
    // [fresh failures, fresh runs, baseline failures, baseline runs] -> more runs asked
    [0, 0, 0, 3, { current: 10, baseline: 0 }],
    [4, 4, 0, 3, { current: 6, baseline: 0 }],
    [10, 10, 0, 3, { current: 0, baseline: 0 }],
    // One fresh run passed: the regression is flaky; 20 runs a side.
    [9, 10, 0, 6, { current: 10, baseline: 14 }],
    [6, 20, 0, 20, { current: 0, baseline: 0 }],
    // The baseline failed too (a flake made worse): both rates must be measured.
    [10, 10, 1, 12, { current: 10, baseline: 8 }],
  ])("fresh %i/%i, baseline %i/%i: %o", (fc, nc, fb, nb, expected) => {
    const c = { current: { failures: fc, runs: nc }, baseline: { failures: fb, runs: nb } };
    expect(calibrationRuns(c)).toEqual(expected);
  });

  // The attribution's runs of your tree count toward the ten when every one of them failed
  // (vercel/ms trial: 6/6 in the attribution, and ten fresh runs took 60 of isolate's 106 s).
  it.each([
    // [attribution failures, runs, fresh failures, runs] -> more fresh runs asked
    [6, 6, 0, 0, 4],
    [6, 6, 4, 4, 0],
    [3, 3, 0, 0, 7],
    // Three fresh runs at least: the failure must reproduce in culprit's worktree.
    [12, 12, 0, 0, 3],
    [12, 12, 3, 3, 0],
    // One run of the attribution passed: not counted; ten fresh, as before.
    [5, 6, 0, 0, 10],
    // A fresh run passed: flaky, 20 fresh runs whatever the attribution saw.
    [6, 6, 3, 4, 16],
  ])("attribution %i/%i, fresh %i/%i: %i more", (fa, na, fc, nc, expected) => {
    const c = { current: { failures: fc, runs: nc }, baseline: { failures: 0, runs: 20 } };
    expect(calibrationRuns(c, defaultCalibration, { failures: fa, runs: na }).current).toEqual(
      expected,
    );
  });

  it("is deterministic when every fresh run failed and the baseline never did", () => {
    expect(flaky([10, 10], [0, 3])).toEqual({ regression: 1, baseline: 0, deterministic: true });
  });

  it("tests at the lower quartile of the regression's rate and the baseline's mean", () => {
    const model = flaky([6, 20], [0, 20]);
    expect(model.deterministic).toBe(false);
    expect(regIncBeta(model.regression, 6.5, 14.5)).toBeCloseTo(0.25, 10);
    expect(model.baseline).toBeCloseTo(0.5 / 21, 12);
  });

  it("refuses counts where your tree does not fail more than the baseline", () => {
    expect(() => flaky([0, 20], [0, 20])).toThrow(RangeError);
    expect(() => flaky([2, 20], [6, 20])).toThrow(RangeError);
  });
});

describe("a configuration's timeout", () => {
  it.each([
    // [calibration runs (ms), timeout (ms), chosen by the user] -> a configuration's timeout
    // express's suite, 5 s a run: 5 times its slowest run.
    [[4_800, 5_100, 4_950], 300_000, false, 25_500],
    // A quick suite: the floor of 10 s.
    [[300, 280], 300_000, false, 10_000],
    [[2_100], 300_000, false, 10_500],
    // Never later than the timeout, nor than a shorter one (a 90 s suite, a 5 m timeout).
    [[90_000], 300_000, false, 300_000],
    [[300], 5_000, false, 5_000],
    // The user's --timeout (or the config's) is the timeout, longer or shorter.
    [[5_000], 600_000, true, 600_000],
    [[5_000], 3_000, true, 3_000],
    // No calibration run: the timeout.
    [[], 300_000, false, 300_000],
  ])("calibration %j, timeout %i, chosen %s: %i", (runs, timeout, chosen, expected) => {
    expect(configurationTimeout(runs, timeout, chosen)).toBe(expected);
  });
});

describe("the sequential test", () => {
  it("uses Wald's thresholds log((1-beta)/alpha) and log(beta/(1-alpha))", () => {
    const plan = sprtPlan(flaky([6, 20], [0, 20]), {
      falseFail: 0.01,
      falsePass: 0.05,
      maxRuns: 40,
    });
    expect(plan.upper).toBeCloseTo(Math.log(0.95 / 0.01), 12);
    expect(plan.lower).toBeCloseTo(Math.log(0.05 / 0.99), 12);
    expect(plan.onFail).toBeCloseTo(Math.log(plan.model.regression / plan.model.baseline), 12);
    expect(plan.onPass).toBeCloseTo(
      Math.log((1 - plan.model.regression) / (1 - plan.model.baseline)),
      12,
    );
  });

  it("settles a deterministic failure in one run", () => {
    const plan = sprtPlan(flaky([10, 10], [0, 3]), defaultJudgeOptions);
    expect(judgeConfiguration(plan, { failures: 1, passes: 0, cannotRun: 0 }).judgement).toBe(
      "fail",
    );
    expect(judgeConfiguration(plan, { failures: 0, passes: 1, cannotRun: 0 }).judgement).toBe(
      "pass",
    );
    expect(judgeBehaviour(plan.model, 1, defaultJudgeOptions)).toEqual({
      fail: 1,
      pass: 0,
      expectedRuns: 1,
    });
  });

  it("says cannot-run when at least half of the runs could not run", () => {
    const plan = sprtPlan(flaky([6, 20], [0, 20]), defaultJudgeOptions);
    const judge = (failures: number, passes: number, cannotRun: number) =>
      judgeConfiguration(plan, { failures, passes, cannotRun }).judgement;
    expect(judge(0, 0, 1)).toBe("cannot-run");
    expect(judge(1, 0, 1)).toBe("cannot-run");
    expect(judge(1, 1, 1)).toBe("run-again");
    expect(judge(0, 0, 0)).toBe("run-again");
  });

  it("matches the worked example of its documentation", () => {
    const model = flaky([6, 20], [0, 20]);
    const plan = sprtPlan(model, defaultJudgeOptions);
    expect(model.regression).toBeCloseTo(0.238, 3);
    expect(plan.onFail).toBeCloseTo(2.3, 2);
    expect(plan.onPass).toBeCloseTo(-0.248, 3);
    expect(plan.upper).toBeCloseTo(6.91, 2);
    expect(judgeBehaviour(model, 0, defaultJudgeOptions).expectedRuns).toBe(28);
    const atThirty = judgeBehaviour(model, 0.3, defaultJudgeOptions);
    expect(atThirty.expectedRuns).toBeCloseTo(15.1, 1);
    expect(atThirty.pass).toBeCloseTo(0.0006, 4);
  });

  // Wald (1945): without truncation, P(fail | p0) <= alpha / (1 - beta) and
  // P(pass | p1) <= beta / (1 - alpha).
  it.each([
    [[6, 20], [0, 20], 0.001, 0.001],
    [[6, 20], [0, 20], 0.05, 0.01],
    [[15, 20], [2, 20], 0.01, 0.01],
    [[3, 20], [0, 20], 0.01, 0.05],
  ] as const)(
    "keeps Wald's bounds without a cap (%o vs %o, alpha %f, beta %f)",
    (c, b, alpha, beta) => {
      const model = flaky([c[0], c[1]], [b[0], b[1]]);
      const options = { falseFail: alpha, falsePass: beta, maxRuns: 2000 };
      const atBaseline = judgeBehaviour(model, model.baseline, options);
      const atRegression = judgeBehaviour(model, model.regression, options);
      expect(atBaseline.fail + atBaseline.pass).toBeCloseTo(1, 9);
      expect(atBaseline.fail).toBeLessThanOrEqual(alpha / (1 - beta));
      expect(atRegression.pass).toBeLessThanOrEqual(beta / (1 - alpha));
    },
  );

  it("errs on simulated runs as often as its exact behaviour says", () => {
    const model = flaky([6, 20], [0, 20]);
    const options = { falseFail: 0.05, falsePass: 0.05, maxRuns: 40 };
    const plan = sprtPlan(model, options);
    const random = mulberry32(1945);
    for (const rate of [model.baseline, 0.15, model.regression, 0.3]) {
      const trials = 5000;
      let fails = 0;
      let runs = 0;
      for (let t = 0; t < trials; t++) {
        const seen = { failures: 0, passes: 0, cannotRun: 0 };
        for (;;) {
          runs += 1;
          if (random() < rate) seen.failures += 1;
          else seen.passes += 1;
          const j = judgeConfiguration(plan, seen).judgement;
          if (j === "run-again") continue;
          if (j === "fail") fails += 1;
          break;
        }
      }
      const exact = judgeBehaviour(model, rate, options);
      // Four standard errors of a proportion estimated from 5000 trials.
      const tolerance = 4 * Math.sqrt((exact.fail * (1 - exact.fail)) / trials) + 1e-4;
      expect(Math.abs(fails / trials - exact.fail)).toBeLessThanOrEqual(tolerance);
      expect(runs / trials).toBeCloseTo(exact.expectedRuns, 0);
    }
  });

  it("divides an error budget over the judgements (Bonferroni)", () => {
    expect(perJudgementError(0.95, 50)).toBeCloseTo(0.001, 12);
    expect(perJudgementError(0.99, 0)).toBeCloseTo(0.01, 12);
  });
});
