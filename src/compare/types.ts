/** What one side (the current tree or the baseline) has shown so far. */
export interface SideCounts {
  /** Runs that reached the test: passes + failures (cannot-run excluded; hangs count as failures). */
  runs: number;
  /** Runs that failed, hangs included. */
  failures: number;
  /** Runs that could not run at all (excluded from `runs`). */
  cannotRun: number;
}

export type Verdict =
  | "regression"
  | "pre-existing"
  | "not-reproduced"
  | "inconclusive"
  | "unrunnable";

export type Side = "current" | "baseline";

export interface CompareOptions {
  /** Confidence asked for, e.g. 0.95. */
  confidence: number;
  /** Worsening of an existing flake's rate below which it is not called a regression, e.g. 0.1. */
  margin: number;
  /** Initial runs a side before any decision (default 3). */
  runs: number;
  /** Most runs a side (default 20). */
  maxRuns: number;
  /**
   * When the command cannot run on your tree at all: `unrunnable` at once (the default: bisect's
   * ends, isolate's configurations), or `baseline`: run the baseline, and if the command runs
   * there, your changes are what stops it (a syntax error, an import that no longer resolves, a
   * pytest collection error): a regression.
   */
  yourTreeCannotRun?: "unrunnable" | "baseline";
  /**
   * What the baseline is, said where it is not "without your changes": "with src/a.ts reverted"
   * at a selective revert. The reasons say it in place of "without" and "without your changes".
   */
  baselineIs?: string;
  /**
   * Runs of the baseline that could not run after which it is `unrunnable` (default: `runs`):
   * 1 once a run said it could not load a file the baseline has otherwise than your tree, which
   * no second run finds otherwise there.
   */
  baselineUnrunnableAfter?: number;
  /**
   * Runs of the baseline after which a test failing on your tree that it has not shown is new
   * there, when every test still to judge is such a test (default: `runs`): 1 once a run said
   * the files of those tests could not load a file the baseline has otherwise than your tree.
   */
  newAfter?: number;
}

/** The numbers behind a verdict, every one reproducible from the counts. */
export interface Statistics {
  current: { failures: number; runs: number; rate: number | null };
  baseline: { failures: number; runs: number; rate: number | null } | null;
  /** P(p_current > p_baseline + margin) under independent Beta(1/2, 1/2) priors; null without a baseline. */
  posterior: number | null;
  /** One-sided exact unconditional p-value (Boschloo) for "current fails more than baseline"; null without a baseline. */
  pValue: number | null;
  confidence: number;
  margin: number;
}

/** The comparator's answer: a verdict, or which side to run once more. */
export type Decision =
  | { kind: "verdict"; verdict: Verdict; reason: string; stats: Statistics }
  | { kind: "next"; side: Side; reason: string; stats: Statistics };
