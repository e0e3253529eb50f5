import type { AttributionResult } from "../machine/types.js";

/** Version of the --json document; bumped on any incompatible change. */
export const schemaVersion = 2;

/** The --json document: one object, every number reproducible from the counts in it. */
export function toJson(result: AttributionResult, exitCode: number): Record<string, unknown> {
  // The baseline's statistics are those of the attempt the verdict rests on (the last that ran);
  // earlier attempts are in `attempts`.
  const lastAttempt = result.runs.reduce<number | undefined>(
    (last, r) => (r.side === "baseline" ? r.attempt : last),
    undefined,
  );
  const side = (name: "current" | "baseline") => {
    const runs = result.runs.filter(
      (r) => r.side === name && (name === "current" || r.attempt === lastAttempt),
    );
    if (runs.length === 0) return null;
    const reached = runs.filter((r) => r.outcome !== "cannot-run");
    const failures = reached.filter((r) => r.outcome !== "pass").length;
    return {
      runs: reached.length,
      failures,
      passes: reached.length - failures,
      hangs: runs.filter((r) => r.outcome === "hang").length,
      cannotRun: runs.length - reached.length,
      failureRate: reached.length > 0 ? failures / reached.length : null,
    };
  };
  return {
    schemaVersion,
    verdict: result.verdict,
    flaky: result.flaky,
    reason: result.reason,
    exitCode,
    command: result.command,
    strategy: result.strategy,
    base: result.base,
    suspects: result.suspects,
    attempts: result.attempts,
    statistics: {
      current: side("current"),
      baseline: side("baseline"),
      posterior: result.stats.posterior,
      pValue: result.stats.pValue,
      confidence: result.stats.confidence,
      margin: result.stats.margin,
      // The verdict rests on the way your tree fails, and posterior and pValue are of these.
      failureWay: result.failureWay,
    },
    runs: result.runs.map((r) => ({
      side: r.side,
      index: r.index,
      attempt: r.attempt ?? null,
      outcome: r.outcome,
      exitCode: r.exitCode,
      signal: r.signal,
      durationMs: Math.round(r.durationMs),
      hangRetried: r.hangRetried,
      log: r.logPath,
      cached: r.cached ? new Date(r.cached.at).toISOString() : null,
      ...(r.why !== undefined ? { why: r.why } : {}),
      // A hung run whose tests were read as far as they went (its report as the timer found it).
      ...(r.tests?.partial ? { partialReport: true } : {}),
    })),
    perTest: result.perTest,
    tests: result.tests.map((t) => ({
      id: t.id,
      file: t.file,
      line: t.line,
      name: t.name,
      verdict: t.verdict,
      failureChanged: t.failureChanged,
      current: t.current,
      baseline: t.baseline,
      attempt: t.attempt,
      reason: t.reason,
      message: t.message,
      baselineMessage: t.baselineMessage,
    })),
    restore: result.restore,
    submodules: result.submodules,
    buildsLeft: result.buildsLeft,
    buildsNotRebuilt: result.buildsNotRebuilt,
    worktrees: result.worktrees,
    cache: result.cache,
    interrupted: result.interrupted,
    cancelled: result.cancelled === true,
    timing: {
      totalMs: Math.round(result.timing.totalMs),
      runsMs: Math.round(result.timing.runsMs),
      overheadMs: Math.round(result.timing.overheadMs),
      phases: result.timing.phases,
    },
    runId: result.runId,
  };
}
