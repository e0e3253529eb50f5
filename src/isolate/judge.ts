import { regIncBeta } from "../compare/beta.js";

/*
 * How `culprit isolate` judges one configuration
 * ==============================================
 *
 * A configuration (the baseline plus some of your hunks) either carries the regression or does
 * not. Before the search, the judge calibrates: fresh runs of your tree (10, fewer by the
 * attribution's runs of your tree when they all failed, 3 at least; 20 when one of them passed,
 * with the baseline brought to 20 runs too), because the attribution stopped as soon as it was
 * sure, which biases its count of your tree's failures upwards (a rate estimated from it).
 *
 * - Deterministic: every fresh run of your tree failed and no baseline run did. One run judges
 *   a configuration (its error rate is then not controlled: a regression that fails 70% of the
 *   time fails 10 runs in a row with probability 0.7^10 = 2.8%, the attribution's counted).
 * - Flaky: Wald's sequential probability ratio test (Wald 1945, "Sequential Tests of
 *   Statistical Hypotheses") between
 *     H0: it fails at the baseline's rate p0 ("pass"), the Jeffreys posterior mean
 *         (f_b + 1/2) / (n_b + 1) of the baseline's runs, and
 *     H1: it fails at the regression's rate p1 ("fail"), the lower quartile of the Jeffreys
 *         posterior Beta(f + 1/2, n - f + 1/2) of the fresh runs of your tree (see judgeModel).
 *   Each failure adds log(p1/p0) to the log likelihood ratio, each pass log((1-p1)/(1-p0)); the
 *   test says "fail" at log((1-beta)/alpha), "pass" at log(beta/(1-alpha)), and otherwise "run
 *   again": alpha is the chance of calling a configuration that fails at p0 "fail", beta that of
 *   calling one that fails at p1 "pass". Wald's bound: without a cap they are at most
 *   alpha/(1-beta) and beta/(1-alpha); by the monotone likelihood ratio, a configuration that
 *   fails less often than p0 (more often than p1) is called "fail" ("pass") less often still.
 *   At `maxRuns` the test stops and the sign of the ratio decides; `judgeBehaviour` gives the
 *   exact error rates with the cap.
 * - "cannot-run" as soon as at least half of a configuration's runs could not run.
 *
 * With m judgements in a search, the chance that any one is wrong is at most m times the larger
 * error rate (Bonferroni); `perJudgementError` divides an error budget that way, and the search
 * re-judges its result before concluding (src/isolate/search.ts).
 *
 * Worked example: 6 of 20 fresh runs of your tree failed, 0 of 20 at the baseline: p1 = 0.238,
 * p0 = 0.024. At alpha = beta = 0.001 a failure adds 2.30, a pass subtracts 0.248, and the ratio
 * must reach +6.91 or -6.91: a configuration that never fails is "pass" after 28 runs, one that
 * fails 30% of the time "fail" after 15 on average and "pass" with probability 0.0006; with the
 * cap of 40 runs, the error rates at exactly p0 and p1 are 0.015 and 0.0075 (0.0005 and 0.0009
 * without it).
 */

/** Error rates and budget of one judgement. */
export interface JudgeOptions {
  /** Chance of calling a configuration that fails at the baseline's rate "fail" (alpha). */
  falseFail: number;
  /** Chance of calling a configuration that fails at the regression's rate "pass" (beta). */
  falsePass: number;
  /** Most runs of one configuration; at the cap the sign of the evidence decides. */
  maxRuns: number;
}

/** Per-judgement error rates that keep a search of about 50 judgements under 5% (`perJudgementError(0.95, 50)`), and a cap of 40 runs. */
export const defaultJudgeOptions: JudgeOptions = {
  falseFail: 0.001,
  falsePass: 0.001,
  maxRuns: 40,
};

/** The judge's answer after the runs so far. */
export type Judgement = "fail" | "pass" | "cannot-run" | "run-again";

/** Runs (that reached the test) and failures of one side. */
export interface SideRuns {
  failures: number;
  runs: number;
}

/**
 * The runs the judge estimates the two rates from: fresh runs of your tree (the full
 * configuration) made for the judge, and the baseline's runs (the attribution's, plus fresh
 * ones when more are needed).
 */
export interface Calibration {
  current: SideRuns;
  baseline: SideRuns;
}

/** How many calibration runs the judge asks for. */
export interface CalibrationOptions {
  /**
   * Runs of your tree that must all fail before a failure is called deterministic (default 10):
   * fresh ones, and the attribution's when every one of those failed too.
   */
  minRuns: number;
  /** Fresh runs of your tree at least, in culprit's worktree, whatever the attribution ran (default 3). */
  minFresh: number;
  /** Runs a side when some fresh run of your tree passed: the regression is flaky and both rates must be measured (default 20). */
  flakyRuns: number;
}

/** The defaults of `CalibrationOptions`. */
export const defaultCalibration: CalibrationOptions = { minRuns: 10, minFresh: 3, flakyRuns: 20 };

/** The two failure rates the test tells apart; 1 and 0 when the failure is deterministic. */
export interface JudgeModel {
  /** p1: the regression's rate (your tree's). */
  regression: number;
  /** p0: the baseline's rate. */
  baseline: number;
  /** Every fresh run of your tree failed and no baseline run did: one run judges a configuration. */
  deterministic: boolean;
}

/**
 * The attribution's runs of your tree (judged for the target) when they count toward a
 * deterministic failure: every one of them failed. The chance that a failure of rate p fails all
 * of n runs is p^n, wherever the attribution stopped (it stops on what it saw, which biases its
 * estimate of a rate: a flaky failure's rates come from fresh runs only).
 */
export function countedAttribution(attribution: SideRuns | undefined): SideRuns | undefined {
  return attribution !== undefined &&
    attribution.runs > 0 &&
    attribution.failures === attribution.runs
    ? attribution
    : undefined;
}

/** More runs of each side the judge needs before the search starts (both 0: ready). */
export function calibrationRuns(
  calibration: Calibration,
  options: CalibrationOptions = defaultCalibration,
  /** Your tree's runs in the attribution its verdict rests on, judged for the target. */
  attribution?: SideRuns,
): { current: number; baseline: number } {
  const { current, baseline } = calibration;
  const deterministic = current.failures === current.runs && baseline.failures === 0;
  // The attribution's runs count toward a deterministic failure (countedAttribution). A few
  // fresh runs are made all the same: they show that the failure reproduces in culprit's
  // worktree, and time a run there.
  const counted = countedAttribution(attribution)?.runs ?? 0;
  const wanted = deterministic
    ? Math.max(options.minFresh, options.minRuns - counted)
    : options.flakyRuns;
  return {
    current: Math.max(0, wanted - current.runs),
    // A deterministic failure needs no more of the baseline than the attribution ran.
    baseline: deterministic ? 0 : Math.max(0, options.flakyRuns - baseline.runs),
  };
}

/** How long a configuration's run may take before it is a hang: see `configurationTimeout`. */
export const hangFactor = 5;
export const hangFloorMs = 10_000;

/**
 * The timeout of a configuration's runs (pure). A configuration is your tree with some of your
 * hunks left out, and such a tree may hang where neither end does: a server a test opens and
 * the missing hunk would have closed, which mocha then waits for (expressjs/express trial: 10
 * minutes a configuration, a hang retried at the 300 s default). Past `hangFactor` times the
 * slowest calibration run (the ten runs of your tree, and of the baseline when they were run),
 * and at least `hangFloorMs`, a run is a hang; never later than `timeoutMs`, and exactly
 * `timeoutMs` when the user chose it (`--timeout`, or `timeout` in the config file).
 */
export function configurationTimeout(
  calibrationMs: readonly number[],
  timeoutMs: number,
  chosen: boolean,
): number {
  if (chosen || calibrationMs.length === 0) return timeoutMs;
  const slowest = Math.max(...calibrationMs);
  return Math.min(timeoutMs, Math.max(hangFloorMs, Math.ceil(hangFactor * slowest)));
}

/** Quantile `q` of Beta(a, b), by bisection on the regularized incomplete beta function (pure). */
export function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (regIncBeta(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The quantile of the regression's rate the judge tests at (see `judgeModel`). */
export const REGRESSION_QUANTILE = 0.25;

/**
 * The rates the judge tests between (pure). The baseline's: the Jeffreys posterior mean,
 * (f + 1/2) / (n + 1), of its runs. The regression's: the lower quartile of the Jeffreys
 * posterior Beta(f + 1/2, n - f + 1/2) of the fresh runs of your tree. A lower quartile rather
 * than the mean because the test's indifference point (the rate at which it is as likely to say
 * "fail" as "pass") must stay below the regression's true rate: with the mean, 20 runs that
 * happened to fail more often than the true rate would make a regression-like configuration
 * look like neither. The attribution's own runs of your tree are left out: it stopped as soon
 * as it was sure, which biases their failure rate upwards. Throws a RangeError when your tree
 * does not fail more often than the baseline in the calibration runs.
 */
export function judgeModel(calibration: Calibration): JudgeModel {
  const { current, baseline } = calibration;
  if (current.runs > 0 && current.failures === current.runs && baseline.failures === 0) {
    return { regression: 1, baseline: 0, deterministic: true };
  }
  const model = {
    regression: betaQuantile(
      REGRESSION_QUANTILE,
      current.failures + 0.5,
      current.runs - current.failures + 0.5,
    ),
    baseline: (baseline.failures + 0.5) / (baseline.runs + 1),
    deterministic: false,
  };
  if (model.regression <= model.baseline) {
    throw new RangeError(
      "your tree did not fail more often than the baseline in the calibration runs",
    );
  }
  return model;
}

/** The sequential test's constants for given counts and options. */
export interface SprtPlan {
  model: JudgeModel;
  /** Log likelihood ratio added by a failure (> 0) and by a pass (< 0); infinite when deterministic. */
  onFail: number;
  onPass: number;
  /** "fail" at or above this, "pass" at or below `lower`. */
  upper: number;
  lower: number;
  maxRuns: number;
}

/** The test's step sizes and thresholds (pure). */
export function sprtPlan(model: JudgeModel, options: JudgeOptions): SprtPlan {
  const p1 = model.regression;
  const p0 = model.baseline;
  return {
    model,
    onFail: Math.log(p1 / p0),
    onPass: Math.log((1 - p1) / (1 - p0)),
    upper: Math.log((1 - options.falsePass) / options.falseFail),
    lower: Math.log(options.falsePass / (1 - options.falseFail)),
    maxRuns: options.maxRuns,
  };
}

/** What the judge says, and the evidence behind it. */
export interface JudgeDecision {
  judgement: Judgement;
  /** Log likelihood ratio of "fails like your tree" against "fails like the baseline". */
  logRatio: number;
  failures: number;
  /** Runs that reached the test. */
  runs: number;
  cannotRun: number;
}

function logRatioOf(plan: SprtPlan, failures: number, passes: number): number {
  // 0 * Infinity is NaN: a deterministic model counts only the outcomes seen.
  return (failures > 0 ? failures * plan.onFail : 0) + (passes > 0 ? passes * plan.onPass : 0);
}

function decideFrom(plan: SprtPlan, failures: number, passes: number): "fail" | "pass" | null {
  const logRatio = logRatioOf(plan, failures, passes);
  if (Number.isNaN(logRatio)) return failures >= passes ? "fail" : "pass";
  if (logRatio >= plan.upper) return "fail";
  if (logRatio <= plan.lower) return "pass";
  if (failures + passes >= plan.maxRuns) return logRatio > 0 ? "fail" : "pass";
  return null;
}

/** The runs of one configuration so far. */
export interface ConfigurationRuns {
  failures: number;
  passes: number;
  cannotRun: number;
}

/**
 * Judges one configuration from its runs so far (pure; build `plan` once with `sprtPlan`):
 * "cannot-run" as soon as at least half of them could not run, "fail" / "pass" when the
 * sequential test settles, else "run-again".
 */
export function judgeConfiguration(plan: SprtPlan, runs: ConfigurationRuns): JudgeDecision {
  const { failures, passes, cannotRun } = runs;
  const base = {
    logRatio: logRatioOf(plan, failures, passes),
    failures,
    runs: failures + passes,
    cannotRun,
  };
  if (cannotRun > 0 && cannotRun * 2 >= failures + passes + cannotRun) {
    return { ...base, judgement: "cannot-run" };
  }
  return { ...base, judgement: decideFrom(plan, failures, passes) ?? "run-again" };
}

/** Exact behaviour of the judge on a configuration failing at a fixed rate. */
export interface JudgeBehaviour {
  /** P("fail") and P("pass"); they sum to 1. */
  fail: number;
  pass: number;
  /** Expected number of runs. */
  expectedRuns: number;
}

/** Sums over every path of runs (each failing with probability `rate`) what the judge says (pure). */
export function judgeBehaviour(
  model: JudgeModel,
  rate: number,
  options: JudgeOptions,
): JudgeBehaviour {
  const plan = sprtPlan(model, options);
  let fail = 0;
  let pass = 0;
  let expectedRuns = 0;
  // frontier[f] = probability of f failures in n runs with no decision yet.
  let frontier = [1];
  for (let n = 0; n < plan.maxRuns && frontier.some((p) => p > 0); n++) {
    const next = Array<number>(n + 2).fill(0);
    frontier.forEach((p, f) => {
      if (p === 0) return;
      for (const [failed, q] of [
        [true, rate],
        [false, 1 - rate],
      ] as const) {
        const mass = p * q;
        if (mass === 0) continue;
        const nf = f + (failed ? 1 : 0);
        const decided = decideFrom(plan, nf, n + 1 - nf);
        if (decided === "fail") fail += mass;
        else if (decided === "pass") pass += mass;
        else next[nf]! += mass;
        if (decided !== null) expectedRuns += mass * (n + 1);
      }
    });
    frontier = next;
  }
  return { fail, pass, expectedRuns };
}

/** The error rate each of `judgements` judgements may have for the search to err with at most `1 - confidence` (Bonferroni). */
export function perJudgementError(confidence: number, judgements: number): number {
  return (1 - confidence) / Math.max(1, judgements);
}
