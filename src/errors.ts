/** Exit codes of the user's contract (DESIGN.md). */
export const ExitCode = {
  ok: 0,
  regression: 1,
  /** `culprit status`: a run that died left work for `culprit recover`. */
  recoverPending: 1,
  undecided: 2,
  usage: 3,
  notRestored: 4,
  sigint: 130,
  sigterm: 143,
  sighup: 129,
} as const;

/** An error the user can cause and fix: one clear line, exit 3, nothing touched. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode: number = ExitCode.usage;
}

/**
 * The reason the CLI aborts a run with when a question is answered with Escape or Ctrl-C (a key
 * in the prompt's raw mode, not a signal): the run stops as for SIGINT and reports `cancelled`.
 */
export const promptCancelled = "cancelled";

/** The user cancelled a prompt (Ctrl-C) before anything was touched: exit 130. */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  readonly exitCode: number = ExitCode.sigint;
}

/** The tool could not restore the tree by itself; `recovery` is the exact command that does. */
export class NotRestoredError extends Error {
  override readonly name = "NotRestoredError";
  readonly exitCode: number = ExitCode.notRestored;
  constructor(
    message: string,
    readonly recovery: string,
  ) {
    super(message);
  }
}

/**
 * A run stopped by a git command that failed (a lock another git holds, a full disk), after which
 * culprit brought your work back and verified it (or never touched it): exit 2, no verdict, one
 * line saying what git said.
 */
export class StoppedError extends Error {
  override readonly name = "StoppedError";
  readonly exitCode: number = ExitCode.undecided;
}

/** A git command failed; carries what git said. */
export class GitCommandError extends Error {
  override readonly name = "GitCommandError";
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
    readonly stdout: string,
    /** The signal that killed git (something killed culprit's process tree), or null. */
    readonly signal: NodeJS.Signals | null = null,
  ) {
    super(
      signal
        ? `git ${args.join(" ")} was killed by ${signal}`
        : `git ${args.join(" ")} failed (exit ${exitCode}): ${stderr.trim() || stdout.trim()}`,
    );
  }
}

/**
 * True when `error` is a git command that failed because a signal is stopping culprit: one that
 * failed once culprit had the signal (a sibling killed with it, a lock it left), or one killed by
 * a signal itself while culprit gets one too. Either way the run was interrupted, not failed by
 * git. A tree-kill may reach git before culprit's own handler runs: for a git killed by a
 * signal, the abort is waited for a little (at most a second, on a loaded machine).
 */
export async function gitStoppedWithCulprit(
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (!(error instanceof GitCommandError) || !signal) return false;
  if (signal.aborted) return true;
  if (error.signal === null) return false;
  for (let waited = 0; !signal.aborted && waited < 1_000; waited += 20)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return signal.aborted;
}
