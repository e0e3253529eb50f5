/** Every line culprit says to a user, in one place. */
export const messages = {
  notARepository: (cwd: string) => `culprit: ${cwd} is not inside a git repository.`,
  bareRepository: (cwd: string) =>
    `culprit: ${cwd} is a bare repository; run culprit inside a work tree.`,
  noCommits: () =>
    "culprit: this repository has no commits yet, so there is no baseline to compare with.",
  operationInProgress: (what: string) =>
    `culprit: ${what} is in progress; finish or abort it first (culprit will not stash in the middle of it).`,
  indexLocked: (path: string) =>
    `culprit: ${path} exists: another git process is running. Wait for it, or remove the file if none is.`,
  unmerged: () => "culprit: the index has unresolved conflicts; resolve them first.",
  cleanTree: () =>
    "culprit: nothing to attribute: the working tree has no changes (use --base REV to compare with another revision).",
  noCommand: () => "culprit: no command given. Usage: culprit [options] -- <command> [args...]",
  commandNotFound: (program: string) =>
    `culprit: command not found or not executable on the current tree: ${program}`,
  pendingRun: (runId: string, state: string) =>
    `culprit: an earlier run (${runId}) did not finish (it stopped in "${state}"). Run \`culprit recover\` to restore your work first.`,
  lockHeld: (pid: number, since: string) =>
    `culprit: another culprit run (pid ${pid}, since ${since}) is working in this repository; wait for it to finish.`,
  notRestored: (diffs: string[], ref: string) =>
    `culprit: could not restore your work by itself (${diffs.join(", ")} still differ). It is safe in ${ref}.`,
  interruptedReason: (signal: string, runs: number) =>
    `interrupted by ${signal} after ${runs} run${runs === 1 ? "" : "s"}; no verdict`,
  nothingToRecover: () => "culprit: nothing to recover: no run was interrupted in this work tree.",
  recoveredUntouched: (runId: string) =>
    `culprit: run ${runId} died before touching your tree; its partial backup is removed.`,
  recovered: (runId: string, state: string) =>
    `culprit: restored your work from the backup of run ${runId} (it stopped in "${state}"), verified.`,
  signalReceived: (signal: string) =>
    `culprit: ${signal}: stopping the test and restoring your work, please wait...`,
  signalAgain: () => "culprit: restoring your work, please wait (it will not be left half done).",
  internalError: () =>
    "culprit: internal error (a bug in culprit). Check your tree with `culprit status`; if a run is pending, `culprit recover` restores it.",
  baselineNotPrepared: (why: string) =>
    `the baseline could not be prepared (${why.split("\n")[0]}); your work was restored from the backup`,
  indexLockAppeared: (path: string) =>
    `${path} appeared during the run (another git process holds the index) and did not go away`,
};
