/** How one run ended: exit 0, a failure, never reached the test, or timed out. */
export type Outcome = "pass" | "fail" | "cannot-run" | "hang";

/** What to run and how long to let it. */
export interface RunSpec {
  /** The command as an argv, run without a shell. Ignored when `shell` is set. */
  argv: string[];
  /** A shell string, run with `/bin/sh -c` (the `--shell` opt-in). */
  shell?: string;
  /**
   * The command as the user gave it, when `argv` is a rewrite of it (reporter flags added, a
   * wrapper): the runner profile that tells "cannot run" from "fail" is picked from this.
   */
  classifyAs?: readonly string[];
  cwd: string;
  /** Extra environment for the command, on top of process.env. */
  env?: Record<string, string>;
  /** SIGTERM (or onTimeout's signal) to the process group after this long (ms). */
  timeoutMs: number;
  /** SIGKILL to the process group this long after that first signal (ms). */
  killAfterMs: number;
  /** Where the full (bounded) log goes; none when absent. */
  logPath?: string;
  /** Bytes of output tail kept in memory (default 64 KiB). */
  tailBytes?: number;
  /** Bytes of head kept in the log file before it switches to head + tail (default 32 MiB). */
  logLimitBytes?: number;
  /** Called with the process group id once the command is spawned (journaled for `culprit recover`). */
  onSpawn?: (pgid: number) => void;
  /** Called with every chunk of output as it comes (stdout and stderr), e.g. to stream it live. */
  onOutput?: (chunk: Buffer) => void;
  /** Aborting kills the process group (TERM, then KILL after killAfterMs) and ends the run as `interrupted`. */
  signal?: AbortSignal;
  /**
   * Called when --timeout fires, before the stop's first signal: what the run wrote until then
   * is the tests', what comes after may be the stop's (ReportPlan.atTimeout). It may name that
   * first signal, SIGTERM when it does not (pytest's SIGINT: its graceful stop).
   */
  onTimeout?: () => NodeJS.Signals | undefined;
}

/** One run of the user's command. */
export interface RunResult {
  outcome: Outcome;
  /** Exit code, or null when ended by a signal. */
  exitCode: number | null;
  /** Signal that ended it (e.g. "SIGKILL"), or null. */
  signal: string | null;
  durationMs: number;
  /** True when the run hit --timeout (the outcome is then "hang"). */
  timedOut: boolean;
  /**
   * With timedOut: the bytes of output when --timeout fired. What comes after may be the stop's
   * (a runner reporting, as it dies, the test it was in): a report read from the log ends there.
   */
  outputAtTimeout?: number;
  /** True when the run was aborted through RunSpec.signal. */
  interrupted: boolean;
  /** Set when the command could not be spawned at all ("ENOENT", "EACCES"). */
  spawnError: string | null;
  /** Total bytes the command wrote to stdout + stderr. */
  outputBytes: number;
  /** The last bytes of output (utf-8, possibly cut mid-line at the start). */
  tail: string;
  logPath: string | null;
  /** Why the run got its outcome, e.g. "exit 1" or "vitest: Error: Cannot find module './x' imported from ...". */
  reason?: string;
  /** Set when the log file could not be written; the run itself went on. */
  logError?: string;
  /** True when the first attempt hung and this is the result of the one retry. */
  hangRetried?: boolean;
  /** With hangRetried: how long the hung first attempt ran (ms) before it was stopped. */
  hungMs?: number;
  /** "cannot-run" rests on the runner's words in the output only (see Classification.byOutput). */
  cannotRunByOutput?: true;
}
