/*
 * How culprit decides
 * ===================
 *
 * culprit counts, for each side, the runs that reached the test and how many of them failed
 * (the current tree is your working tree with your changes; the baseline is the same commit
 * without them). Each side's failure rate gets a Beta posterior from a Jeffreys prior:
 * f failures in n runs give Beta(f + 1/2, n - f + 1/2). From the two posteriors it computes
 * the probability that your changes made the test fail more often.
 *
 * 1. It runs the command 3 times on your tree (--runs). If it passes every time, the verdict
 *    is `not-reproduced` and the baseline is never run. If it could not run at all, the
 *    verdict is `unrunnable`.
 * 2. It runs the command 3 times at the baseline. If the baseline could not run at all, the
 *    verdict is `unrunnable`.
 * 3. After every run from then on, it looks at the counts:
 *    - `regression` when P(current rate > baseline rate + margin) >= 1 - (1 - confidence) / 10,
 *      which is 0.995 at the default confidence 0.95. The margin (--margin, 0.1) applies only
 *      once the baseline has failed: a brand-new failure is a regression at any rate, but a
 *      flake that was already there must get materially worse. The bar is 0.995 rather than
 *      0.95 because culprit looks again after every run, and every look is one more chance to
 *      be fooled by luck; 0.995 keeps the overall chance of a wrong verdict under 5%.
 *    - `pre-existing` when both sides failed every run (the test was simply broken already),
 *      or when the baseline failed at least once and P(current rate > baseline rate +
 *      margin + 0.25) <= (1 - confidence) / 2, 0.025 by default: the failure happens without
 *      your changes too, and they almost surely did not make it fail 0.35 more often.
 *    - otherwise one more run: on the side whose next result is likelier to settle the
 *      verdict (a baseline failure can settle `pre-existing`, a current failure
 *      `regression`), and when that is a tie, on the side with fewer runs, your tree first.
 * 4. When both sides have had --max-runs runs (20), it settles for the confidence asked for:
 *    `regression` when P(current rate > baseline rate + margin) >= confidence (0.95),
 *    `pre-existing` when the baseline failed and P(current rate > baseline rate + margin +
 *    0.25) <= 3 * (1 - confidence) (0.15), and otherwise `inconclusive`, with the rates and
 *    about how many runs a side would settle them.
 *
 * Beside the posterior, every verdict reports Boschloo's exact unconditional one-sided
 * p-value for "your tree fails more often". Every number can be recomputed from the counts.
 *
 * The thresholds were calibrated by exact computation over every path of runs
 * (`npx tsx bench/verdicts.ts --exact`): at the defaults, on the benchmark's grid of true
 * failure rates, the chance of a wrong verdict is at most 3.3% in every cell but one. In that
 * cell your changes make a test that failed half the time fail every time, and 3 baseline
 * failures out of 3, one time in eight, read `pre-existing`: 3/3 against 3/3 must, so that a
 * test broken on both sides costs no more than 3 + 3 runs.
 *
 * Worked example: a test fails half the time with your changes and never without them.
 *   - Your tree: fail, pass, fail (2/3). Baseline: pass, pass, pass (0/3).
 *     P(your tree fails more often) = 0.961 (no margin: the baseline never failed), below
 *     0.995; Boschloo p = 0.11. Not settled.
 *   - No single run can settle it yet, so culprit balances the sides, your tree first:
 *     your tree fails (3/4, 0.981), the baseline passes (0/4, 0.989), your tree fails
 *     (4/5, 0.9947: just short). Now one more baseline pass would settle it (likely, at
 *     0/4), more surely than one more current failure: the baseline passes (0/5, 0.997).
 *   - Verdict after 10 runs: `regression`, flaky, "fails 4/5 with your changes, 0/5 without:
 *     p = 0.011".
 * Had the baseline failed instead (2/3 with your changes, 3/3 without), P(your changes made it
 * fail 0.35 more often) would be 0.015, below 0.025: `pre-existing` after 3 + 3 runs.
 */

import { probGreater } from "./beta.js";
import { boschlooPValue } from "./boschloo.js";
import type { CompareOptions, Decision, Side, SideCounts, Statistics, Verdict } from "./types.js";

/** The options `culprit` uses unless told otherwise. */
export const defaultCompareOptions: CompareOptions = {
  confidence: 0.95,
  margin: 0.1,
  runs: 3,
  maxRuns: 20,
};

/** Added to the margin: a worsening at least this much larger rules out `pre-existing`. */
const WORSENING_BEYOND_MARGIN = 0.25;
/** Longest projection, in runs a side, of what an inconclusive result would need. */
export const PROJECTION_LIMIT = 1000;

/** The posterior thresholds the rule applies for the given options. */
export interface Thresholds {
  /** `regression` when P(current > baseline + margin) is at least this. */
  regression: number;
  /** The same, once both sides have spent their budget: the confidence asked for. */
  regressionAtBudget: number;
  /** Worsening that `pre-existing` must rule out. */
  worsening: number;
  /** `pre-existing` when P(current > baseline + worsening) is at most this. */
  preExisting: number;
  /** The same, once both sides have spent their budget. */
  preExistingAtBudget: number;
}

/** Thresholds derived from the confidence and margin asked for. */
export function thresholds(options: CompareOptions): Thresholds {
  const alpha = 1 - options.confidence;
  return {
    regression: 1 - alpha / 10,
    regressionAtBudget: options.confidence,
    worsening: options.margin + WORSENING_BEYOND_MARGIN,
    preExisting: alpha / 2,
    preExistingAtBudget: 3 * alpha,
  };
}

/** One comparison's counts: failures and runs, current (c) and baseline (b). */
export interface Counts {
  fc: number;
  nc: number;
  fb: number;
  nb: number;
}

/** The margin applies only once the baseline has failed: a brand-new failure counts at any rate. */
export function effectiveMargin(fb: number, margin: number): number {
  return fb > 0 ? margin : 0;
}

function settle(c: Counts, t: Thresholds, margin: number): Verdict | null {
  if (probGreater(c.fc, c.nc, c.fb, c.nb, effectiveMargin(c.fb, margin)) >= t.regression) {
    return "regression";
  }
  if (c.fb >= 1 && c.fc === c.nc && c.fb === c.nb) return "pre-existing";
  if (c.fb >= 1 && probGreater(c.fc, c.nc, c.fb, c.nb, t.worsening) <= t.preExisting) {
    return "pre-existing";
  }
  return null;
}

/** Chance, under the posterior predictive, that one more run on `side` settles the verdict. */
function settleChance(c: Counts, side: Side, t: Thresholds, margin: number): number {
  const [f, n] = side === "current" ? [c.fc, c.nc] : [c.fb, c.nb];
  const pFail = (f + 0.5) / (n + 1);
  const after = (failed: boolean): Counts =>
    side === "current"
      ? { ...c, fc: c.fc + (failed ? 1 : 0), nc: c.nc + 1 }
      : { ...c, fb: c.fb + (failed ? 1 : 0), nb: c.nb + 1 };
  const onFail = settle(after(true), t, margin) ? pFail : 0;
  const onPass = settle(after(false), t, margin) ? 1 - pFail : 0;
  return onFail + onPass;
}

function attempts(side: SideCounts): number {
  return side.runs + side.cannotRun;
}

function rate(side: SideCounts): number | null {
  return side.runs > 0 ? side.failures / side.runs : null;
}

/** The numbers reported beside a verdict, for the given counts. */
export function statistics(
  current: SideCounts,
  baseline: SideCounts | null,
  options: CompareOptions,
): Statistics {
  const comparable = baseline !== null && baseline.runs > 0 && current.runs > 0;
  const margin = baseline !== null ? effectiveMargin(baseline.failures, options.margin) : 0;
  return {
    current: { failures: current.failures, runs: current.runs, rate: rate(current) },
    baseline:
      baseline === null
        ? null
        : { failures: baseline.failures, runs: baseline.runs, rate: rate(baseline) },
    posterior: comparable
      ? probGreater(current.failures, current.runs, baseline.failures, baseline.runs, margin)
      : null,
    pValue: comparable
      ? boschlooPValue(current.failures, current.runs, baseline.failures, baseline.runs)
      : null,
    confidence: options.confidence,
    margin,
  };
}

/** A p-value as the reasons print it. */
export function formatP(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${Number(p.toPrecision(2))}`;
}

/** A posterior probability as the reasons print it. */
export function formatPosterior(p: number): string {
  if (p > 0.999) return "> 0.999";
  if (p < 0.001) return "< 0.001";
  return p.toFixed(3);
}

/** "= 0.961", or "> 0.999" / "< 0.001" at the ends: a posterior after its name. */
export function posteriorRelation(p: number): string {
  const text = formatPosterior(p);
  return text.startsWith(">") || text.startsWith("<") ? text : `= ${text}`;
}

/**
 * "fails 3/3 with your changes, 0/3 without"; at a selective revert (`baselineIs`), "fails 3/3
 * with your changes, 0/3 with src/a.ts reverted".
 */
export function counts(
  current: Pick<SideCounts, "failures" | "runs">,
  baseline: Pick<SideCounts, "failures" | "runs">,
  baselineIs?: string,
): string {
  return `fails ${current.failures}/${current.runs} with your changes, ${baseline.failures}/${baseline.runs} ${baselineIs ?? "without"}`;
}

/** "without your changes", or what the baseline is (`CompareOptions.baselineIs`). */
export function withoutYourChanges(options: Pick<CompareOptions, "baselineIs">): string {
  return options.baselineIs ?? "without your changes";
}

/** "more often by over 0.1", or "more often" without a margin. */
export function worseBy(margin: number): string {
  return margin > 0 ? `more often by over ${margin}` : "more often";
}

/** Smallest number of runs a side at which the observed rates would settle the verdict. */
export function projectRuns(
  c: Counts,
  t: Thresholds,
  options: CompareOptions,
  settles: (projected: Counts) => boolean = (projected) =>
    settle(projected, t, options.margin) !== null,
): number | null {
  const rc = c.fc / c.nc;
  const rb = c.fb / c.nb;
  for (let n = options.maxRuns + 1; n <= PROJECTION_LIMIT; n = Math.ceil(n * 1.1)) {
    const projected = { fc: Math.round(rc * n), nc: n, fb: Math.round(rb * n), nb: n };
    if (settles(projected)) return n;
  }
  return null;
}

/**
 * Steps 1 and 2 (the initial runs, `unrunnable`, `not-reproduced`, "now the baseline"), or null once
 * both sides have had their initial runs and the counts are to be compared.
 */
export function decideOpening(
  current: SideCounts,
  baseline: SideCounts | null,
  options: CompareOptions,
  stats: Statistics,
): Decision | null {
  const verdict = (v: Verdict, reason: string): Decision => ({
    kind: "verdict",
    verdict: v,
    reason,
    stats,
  });
  const next = (side: Side, reason: string): Decision => ({ kind: "next", side, reason, stats });
  const initial = Math.max(1, Math.min(options.runs, options.maxRuns));
  const canRun = (side: SideCounts) => attempts(side) < options.maxRuns;

  if (current.runs === 0 && (current.cannotRun >= initial || !canRun(current))) {
    const here = `the command could not run on your tree (${current.cannotRun} of ${attempts(current)} attempts)`;
    if (options.yourTreeCannotRun !== "baseline") return verdict("unrunnable", here);
    if (baseline === null) return next("baseline", `${here}; now the baseline`);
    if (baseline.runs === 0 && (baseline.cannotRun >= initial || !canRun(baseline))) {
      return verdict(
        "unrunnable",
        `${here}, nor at the baseline (${baseline.cannotRun} of ${attempts(baseline)} attempts)`,
      );
    }
    if (baseline.runs < initial && canRun(baseline)) {
      return next("baseline", `run ${baseline.runs + 1} of ${initial} at the baseline`);
    }
    return verdict(
      "regression",
      `your changes stop the command before it runs: ${here}, and it ran at the baseline (${baseline.runs - baseline.failures} of ${baseline.runs} runs passed)`,
    );
  }
  if (current.runs < initial && canRun(current)) {
    return next("current", `run ${current.runs + 1} of ${initial} on your tree`);
  }
  if (current.failures === 0) {
    return verdict(
      "not-reproduced",
      `passed ${current.runs}/${current.runs} runs with your changes: nothing to attribute`,
    );
  }
  if (baseline === null) {
    return next(
      "baseline",
      `fails ${current.failures}/${current.runs} with your changes; now the baseline`,
    );
  }
  const unrunnableAfter = options.baselineUnrunnableAfter ?? initial;
  if (baseline.runs === 0 && (baseline.cannotRun >= unrunnableAfter || !canRun(baseline))) {
    return verdict(
      "unrunnable",
      `the baseline could not run (${baseline.cannotRun} of ${attempts(baseline)} attempts)`,
    );
  }
  if (baseline.runs < initial && canRun(baseline)) {
    return next("baseline", `run ${baseline.runs + 1} of ${initial} at the baseline`);
  }
  return null;
}

/** The verdict for the counts so far, or the side to run once more (`baseline` null: not run yet). */
export function decide(
  current: SideCounts,
  baseline: SideCounts | null,
  options: CompareOptions,
): Decision {
  const stats = statistics(current, baseline, options);
  const opening = decideOpening(current, baseline, options, stats);
  if (opening !== null) return opening;
  // The opening asks for the baseline until it has run, so it is known from here on.
  if (baseline === null) throw new Error("decide: the opening let a missing baseline through");
  const verdict = (v: Verdict, reason: string): Decision => ({
    kind: "verdict",
    verdict: v,
    reason,
    stats,
  });
  const next = (side: Side, reason: string): Decision => ({ kind: "next", side, reason, stats });
  const canRun = (side: SideCounts) => attempts(side) < options.maxRuns;

  const t = thresholds(options);
  const c: Counts = {
    fc: current.failures,
    nc: current.runs,
    fb: baseline.failures,
    nb: baseline.runs,
  };
  const posterior = stats.posterior ?? 0;
  const p = formatP(stats.pValue ?? 1);
  const settled = settle(c, t, options.margin);
  if (settled === "regression") {
    return verdict("regression", `${counts(current, baseline, options.baselineIs)}: ${p}`);
  }
  if (settled === "pre-existing") {
    const why =
      c.fc === c.nc && c.fb === c.nb
        ? `it failed every run ${withoutYourChanges(options)} too`
        : `comparable rates (${p}; P(your changes made it fail ${worseBy(t.worsening)}) ${posteriorRelation(probGreater(c.fc, c.nc, c.fb, c.nb, t.worsening))})`;
    return verdict("pre-existing", `${counts(current, baseline, options.baselineIs)}: ${why}`);
  }

  const currentOpen = canRun(current);
  const baselineOpen = canRun(baseline);
  if (!currentOpen && !baselineOpen) {
    if (posterior >= t.regressionAtBudget) {
      return verdict(
        "regression",
        `${counts(current, baseline, options.baselineIs)}: ${p}, P(your changes made it fail ${worseBy(stats.margin)}) ${posteriorRelation(posterior)} once the budget of ${options.maxRuns} runs a side was spent`,
      );
    }
    const worsening = probGreater(c.fc, c.nc, c.fb, c.nb, t.worsening);
    if (c.fb >= 1 && worsening <= t.preExistingAtBudget) {
      return verdict(
        "pre-existing",
        `${counts(current, baseline, options.baselineIs)}: comparable rates once the budget of ${options.maxRuns} runs a side was spent (${p}; P(your changes made it fail ${worseBy(t.worsening)}) ${posteriorRelation(worsening)})`,
      );
    }
    const needed = projectRuns(c, t, options);
    const more =
      needed === null
        ? `even ${PROJECTION_LIMIT} runs a side would not tell these rates apart`
        : `at these rates about ${needed} runs a side would settle it (--max-runs ${needed})`;
    return verdict(
      "inconclusive",
      `${counts(current, baseline, options.baselineIs)} after the budget of ${options.maxRuns} runs a side: ${p}, P(your changes made it fail ${worseBy(stats.margin)}) ${posteriorRelation(posterior)}; ${more}`,
    );
  }

  let side: Side;
  if (!currentOpen) side = "baseline";
  else if (!baselineOpen) side = "current";
  else {
    const onCurrent = settleChance(c, "current", t, options.margin);
    const onBaseline = settleChance(c, "baseline", t, options.margin);
    if (onCurrent !== onBaseline) side = onCurrent > onBaseline ? "current" : "baseline";
    else side = current.runs <= baseline.runs ? "current" : "baseline";
  }
  return next(
    side,
    `${counts(current, baseline, options.baselineIs)}: not settled yet (${p}, P(your changes made it fail ${worseBy(stats.margin)}) ${posteriorRelation(posterior)}); one more run ${side === "current" ? "on your tree" : "at the baseline"}`,
  );
}
