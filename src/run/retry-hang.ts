import { type RunClassifyOptions, runCommand } from "./run-command.js";
import type { RunResult, RunSpec } from "./types.js";

/** Runs once; a hang is retried once (a hang is a signal, not a verdict) and the retry's result returned, marked hangRetried. */
export async function runWithHangRetry(
  spec: RunSpec,
  classifyOptions: RunClassifyOptions = {},
): Promise<RunResult> {
  const first = await runCommand(spec, classifyOptions);
  if (first.outcome !== "hang" || first.interrupted || spec.signal?.aborted) return first;
  const second = await runCommand(spec, classifyOptions);
  return { ...second, hangRetried: true };
}
