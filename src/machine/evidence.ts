import { decide } from "../compare/decide.js";
import type { CompareOptions, Decision, Side, SideCounts } from "../compare/types.js";
import type { AttemptReport, RunRecord } from "./types.js";

/** Counts of one side, as the comparator wants them (of one baseline attempt, if given). */
export function countSide(runs: readonly RunRecord[], side: Side, attempt?: number): SideCounts {
  let reached = 0;
  let failures = 0;
  let cannotRun = 0;
  for (const run of runs) {
    if (run.side !== side) continue;
    if (attempt !== undefined && run.attempt !== attempt) continue;
    if (run.outcome === "cannot-run") cannotRun += 1;
    else {
      reached += 1;
      if (run.outcome !== "pass") failures += 1;
    }
  }
  return { runs: reached, failures, cannotRun };
}

/** True when some side both passed and failed (the baseline: within one attempt). */
export function isFlaky(runs: readonly RunRecord[]): boolean {
  const attempts = new Set(runs.map((r) => r.attempt));
  return [...attempts].some((attempt) => {
    const outcomes = runs.filter((r) => r.attempt === attempt).map((r) => r.outcome);
    return outcomes.includes("pass") && (outcomes.includes("fail") || outcomes.includes("hang"));
  });
}

/**
 * The evidence of an attribution: every run, on your tree and at each baseline attempt, and what
 * the comparator makes of it. Knows nothing of git or of how a baseline is produced.
 */
export class Evidence {
  readonly runs: RunRecord[] = [];

  /** Records a run. */
  add(run: RunRecord): void {
    this.runs.push(run);
  }

  /** The 1-based number of the next run on a side (baseline runs are numbered across attempts). */
  nextIndex(side: Side): number {
    return this.runs.filter((r) => r.side === side).length + 1;
  }

  /** Counts of your tree, or of one baseline attempt. */
  counts(side: Side, attempt?: number): SideCounts {
    return countSide(this.runs, side, attempt);
  }

  /** Counts of a baseline attempt; null before its first run. */
  baselineCounts(attempt: number | undefined): SideCounts | null {
    return this.runs.some((r) => r.side === "baseline" && r.attempt === attempt)
      ? countSide(this.runs, "baseline", attempt)
      : null;
  }

  /** Runs used on a side (cannot-run included), for the budget. */
  used(side: Side, attempt?: number): number {
    const counts = side === "current" ? this.counts("current") : this.baselineCounts(attempt);
    return counts ? counts.runs + counts.cannotRun : 0;
  }

  /** What the comparator says of your tree against baseline attempt `attempt`. */
  decide(attempt: number | undefined, options: CompareOptions): Decision {
    return decide(this.counts("current"), this.baselineCounts(attempt), options);
  }

  /** True when some side both passed and failed, your tree against baseline attempt `attempt`. */
  flaky(attempt: number | undefined): boolean {
    return isFlaky(this.runs.filter((r) => r.side === "current" || r.attempt === attempt));
  }

  /** The outcome counts of one baseline attempt's runs, as the report lists them. */
  attemptCounts(attempt: number): AttemptReport["counts"] {
    const runs = this.runs.filter((r) => r.side === "baseline" && r.attempt === attempt);
    const reached = runs.filter((r) => r.outcome !== "cannot-run");
    const failures = reached.filter((r) => r.outcome !== "pass").length;
    return {
      runs: reached.length,
      failures,
      passes: reached.length - failures,
      hangs: runs.filter((r) => r.outcome === "hang").length,
      cannotRun: runs.length - reached.length,
    };
  }

  /** The last baseline attempt that has runs (the one a verdict rests on), if any. */
  lastAttemptRun(): number | undefined {
    return [...this.runs].reverse().find((r) => r.side === "baseline")?.attempt;
  }

  /** Total time spent in the command. */
  runsMs(): number {
    return this.runs.reduce((sum, r) => sum + r.durationMs, 0);
  }
}
