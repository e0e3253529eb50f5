import { type RunClassifyOptions, runCommand } from "./run-command.js";
import type { RunResult, RunSpec } from "./types.js";

/**
 * Runs once; a hang is retried once (a hang is a signal, not a verdict) and the retry's result
 * returned, marked hangRetried. `beforeRetry` readies the retry as the first run was readied (its
 * report file removed): what the retry reports is then the retry's, never the hung run's.
 */
export async function runWithHangRetry(
  spec: RunSpec,
  classifyOptions: RunClassifyOptions = {},
  beforeRetry?: () => Promise<void>,
): Promise<RunResult> {
  const first = await runCommand(spec, classifyOptions);
  if (first.outcome !== "hang" || first.interrupted || spec.signal?.aborted) return first;
  await beforeRetry?.();
  const second = await runCommand(spec, classifyOptions);
  return { ...second, hangRetried: true, hungMs: first.durationMs };
}

/** A run's time, its hung first attempt's included when it was a hang's retry. */
export function ranMs(run: { durationMs: number; hungMs?: number }): number {
  return run.durationMs + (run.hungMs ?? 0);
}
