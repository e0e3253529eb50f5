import { type RunClassifyOptions, runCommand } from "./run-command.js";
import type { RunResult, RunSpec } from "./types.js";

/**
 * Runs `attempt` once; a hang is retried once (a hang is a signal, not a verdict) and the retry's
 * result returned, marked hangRetried, with how long the hung run took. Not retried when the run
 * was interrupted, when `aborted()`, or when `judged(first)` says its report already tells what
 * the caller needs (a test followed or regressed passed or failed before an old hang: the retry
 * would hang there too). `beforeRetry` readies the retry as the first run was readied (the tree
 * put back, its report file removed): what the retry reports is then the retry's. `again` tells
 * the attempt it is the retry (its own log: the hung run's shows where it stopped).
 */
export async function retryingHang<T extends { result: RunResult }>(
  attempt: (again: boolean) => Promise<T>,
  options: {
    aborted?: () => boolean;
    judged?: (first: T) => boolean | Promise<boolean>;
    beforeRetry?: () => Promise<void>;
  } = {},
): Promise<T> {
  const first = await attempt(false);
  const hung = first.result;
  if (hung.outcome !== "hang" || hung.interrupted || options.aborted?.()) return first;
  if (await options.judged?.(first)) return first;
  await options.beforeRetry?.();
  const second = await attempt(true);
  return { ...second, result: { ...second.result, hangRetried: true, hungMs: hung.durationMs } };
}

/** runCommand, a hang retried once (retryingHang). */
export async function runWithHangRetry(
  spec: RunSpec,
  classifyOptions: RunClassifyOptions = {},
  beforeRetry?: () => Promise<void>,
): Promise<RunResult> {
  const run = async () => ({ result: await runCommand(spec, classifyOptions) });
  const { result } = await retryingHang(run, {
    aborted: () => spec.signal?.aborted === true,
    ...(beforeRetry ? { beforeRetry } : {}),
  });
  return result;
}

/** A run's time, its hung first attempt's included when it was a hang's retry. */
export function ranMs(run: { durationMs: number; hungMs?: number }): number {
  return run.durationMs + (run.hungMs ?? 0);
}
