/** What a run was doing in each state of its journal, for the user ("running the command at the baseline"). */
const stateWords: Record<string, string> = {
  preflight: "checking the repository",
  backup: "backing up your work",
  "probe-current": "running the command on your tree",
  "enter-baseline": "setting up the baseline",
  "probe-baseline": "running the command at the baseline",
  "leave-baseline": "putting your work back",
  verify: "verifying your work",
  "restore-from-backup": "restoring your work from the backup",
  "switch-strategy": "switching to another baseline",
  "enter-worktrees": "making its worktrees",
  "probe-parallel": "running the command in worktrees",
  "leave-worktrees": "removing its worktrees",
  report: "reporting",
  done: "done",
};

/** The journal's detail while the run asks "Run how many more times a side?". */
export const askingForMoreRuns = "asking for more runs";

/**
 * `stopped while running the command at the baseline ("probe-baseline")`: the state in words,
 * with its detail when given (`running the command on your tree, run 3`); at the question for
 * more runs, the question instead of the state's work.
 */
export function stoppedIn(state: string, detail?: string): string {
  if (detail === askingForMoreRuns)
    return `stopped while asking how many more runs to make ("${state}")`;
  const words = stateWords[state];
  if (words === undefined) return `stopped in "${state}"`;
  return `stopped while ${words}${detail ? `, ${detail}` : ""} ("${state}")`;
}

/** "1 run", "3 runs"; `many` when adding an s will not do ("1 entry", "2 entries"). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A list of paths for a sentence: "a", "a and b", "a, b and c", "a, b, c and 4 more". */
export function formatPaths(paths: readonly string[], max = 3): string {
  if (paths.length === 0) return "(nothing)";
  if (paths.length === 1) return paths[0]!;
  if (paths.length <= max) return `${paths.slice(0, -1).join(", ")} and ${paths.at(-1)}`;
  // Cut short, source files are named first: "src/index.ts, Readme.md and 2 more", not
  // "Readme.md, generated.txt, notes.txt and 1 more" with the code in the "1 more".
  const shown = [...paths]
    .map((path, i) => ({ path, i, code: sourceFile.test(path) ? 0 : 1 }))
    .sort((a, b) => a.code - b.code || a.i - b.i)
    .slice(0, max)
    .map((p) => p.path);
  return `${shown.join(", ")} and ${paths.length - max} more`;
}

/** A file of code, as its extension says (what a reader looks for first in a list cut short). */
const sourceFile =
  /\.(?:[cm]?[jt]sx?|py|rb|go|rs|java|kt|kts|scala|cs|fs|c|cc|cpp|cxx|h|hh|hpp|m|mm|swift|php|ex|exs|erl|clj|hs|ml|lua|pl|sh|vue|svelte|dart|zig|sql)$/i;

/** One baseline attempt, as the unrunnable reason lists it. */
export interface TriedAttempt {
  strategy: "baseline-reset" | "baseline-stash" | "selective-revert" | "base-revision" | "worktree";
  suspects: readonly string[];
  /** "unrunnable" (it ran and could not), "same-tree" or "not-prepared" (it was not run). */
  outcome?: string;
}

/** Runs of one side and how many failed. */
interface RunsAndFailures {
  runs: number;
  failures: number;
}

const notRun: Record<string, string> = {
  "same-tree": " (the same tree as before)",
  "not-prepared": " (could not be prepared)",
};

function describeAttempt(attempt: TriedAttempt): string {
  const what =
    attempt.strategy === "baseline-stash"
      ? "at HEAD (stash)"
      : attempt.strategy === "baseline-reset" || attempt.strategy === "worktree"
        ? "at HEAD"
        : attempt.strategy === "base-revision"
          ? "at the base revision"
          : `with ${formatPaths(attempt.suspects, 2)} reverted`;
  return `${what}${notRun[attempt.outcome ?? ""] ?? ""}`;
}

/** What `culprit status` says about the last run that ended (from .git/culprit/last-run.json). */
export interface LastRunSummary {
  runId: string;
  at: string;
  /** The last state its journal entered. */
  state: string;
  signal?: string;
  verdict?: string;
  exitCode?: number;
  restore?: { touched: boolean; via: string; verified: boolean };
  error?: string;
  recovered?: boolean;
}

function lastRunOutcome(last: LastRunSummary): string {
  const restore = last.restore;
  const work = !restore
    ? `its journal ends in "${last.state}"`
    : !restore.touched
      ? "your tree was not touched"
      : `your work was restored${restore.via !== "none" ? ` (${restore.via})` : ""}${restore.verified ? ", verified" : ", NOT verified"}`;
  if (last.recovered)
    return `it ${stoppedIn(last.state)}; \`culprit recover\` restored it: ${work}`;
  const exit = last.exitCode !== undefined ? ` (exit ${last.exitCode})` : "";
  if (last.error) return `ended with an error${exit}: ${last.error.split("\n")[0]}; ${work}`;
  if (last.signal) return `interrupted by ${last.signal}${exit}; ${work}`;
  return `${last.verdict ?? "no verdict"}${exit}; ${work}`;
}

/** "after 3 runs", "after 1 run", or "before the first run ended" (not "after 0 runs"). */
function runsSoFar(runs: number): string {
  return runs === 0 ? "before the first run ended" : `after ${runs} run${runs === 1 ? "" : "s"}`;
}

/** Every line culprit says to a user, in one place. */
export const messages = {
  notARepository: (cwd: string) => `culprit: ${cwd} is not inside a git repository.`,
  bareRepository: (cwd: string) =>
    `culprit: ${cwd} is a bare repository; run culprit inside a work tree.`,
  noCommits: () =>
    "culprit: this repository has no commits yet, so there is no baseline to compare with.",
  operationInProgress: (what: string) =>
    `culprit: ${what} is in progress; finish or abort it first (until then, what differs from HEAD is not only your changes, with --worktree too).`,
  indexLocked: (path: string) =>
    `culprit: ${path} exists: another git process is running. Wait for it, or remove the file if none is.`,
  unmerged: () => "culprit: the index has unresolved conflicts; resolve them first.",
  cwdGone: () =>
    'culprit: the current folder no longer exists (it was removed while your shell was in it): go into it again (cd "$PWD") and run culprit there.',
  stashIntentToAdd: (paths: readonly string[]) =>
    `culprit: git stash cannot stash intent-to-add files (git add -N: ${formatPaths(paths)}): leave out --strategy stash (the default baseline keeps them as they are), or git add them first.`,
  cleanTree: () =>
    "culprit: nothing to attribute: the working tree has no changes (use --base REV to compare with another revision).",
  noCommand: () => "culprit: no command given. Usage: culprit [options] -- <command> [args...]",
  commandNotFound: (program: string) =>
    `culprit: command not found or not executable on the current tree: ${program}`,
  unstableSelection: (
    runner: string,
    option: string,
    kind: "changes" | "last-run" | "watch",
    from?: string,
  ) => {
    // From the environment (PYTEST_ADDOPTS=--lf): the command looks innocent, say where it is.
    const named = from ? `${runner} ${option} (from ${from})` : `${runner} ${option}`;
    const without = from ? `without ${option} in ${from}` : `without ${option}`;
    return kind === "watch"
      ? `culprit: ${named} watches for changes and never ends: run it ${without}.`
      : kind === "changes"
        ? `culprit: ${named} picks its tests from git's changes, your uncommitted ones among them, which the baseline sets aside, so the two sides would not run the same tests: name the test files instead (culprit -- ${runner} path/to/the.test).`
        : `culprit: ${named} picks its tests from the run before, so each run would choose the next one's tests: run ${without}, naming the tests you want.`;
  },
  pendingRun: (runId: string, state: string) =>
    `culprit: an earlier run (${runId}) did not finish (it ${stoppedIn(state)}). Run \`culprit recover\` to restore your work first.`,
  lockHeld: (pid: number, since: string) =>
    `culprit: another culprit run (pid ${pid}, since ${since}) is working in this repository; wait for it to finish.`,
  notRestored: (diffs: string[], ref: string) =>
    `culprit: could not restore your work by itself (${diffs.join(", ")} still differ). It is safe in ${ref}.`,
  notRestoredAfterError: (error: string, left: string, ref: string) => {
    const [stopped, failed] = [error.split("\n")[0]!, left.split("\n")[0]!];
    const why = stopped === failed ? stopped : `${stopped}; then restoring: ${failed}`;
    return `culprit: could not restore your work by itself (${why}). It is safe in ${ref}.`;
  },
  stoppedByGit: (error: string, work: "restored" | "untouched") =>
    `culprit: stopped, no verdict: ${error.split("\n")[0]!.trim()}. ${
      work === "restored"
        ? "Your work was restored from the backup and verified."
        : "Your work was not touched."
    } Run culprit again once git can work here (CULPRIT_TRACE_GIT=1 shows every git call).`,
  cancelledReason: (runs: number) => `cancelled at a question ${runsSoFar(runs)}; no verdict`,
  interruptedReason: (signal: string, runs: number) =>
    `interrupted by ${signal} ${runsSoFar(runs)}; no verdict`,
  nothingToRecover: () => "culprit: nothing to recover: no run was interrupted in this work tree.",
  recoveredUntouched: (runId: string) =>
    `culprit: run ${runId} died before touching your tree; its partial backup is removed.`,
  recoveredIsolated: (runId: string) =>
    `culprit: run ${runId} ran in worktrees and never wrote your tree; its worktrees and backup are removed.`,
  recovered: (runId: string, state: string) =>
    `culprit: restored your work from the backup of run ${runId} (it ${stoppedIn(state)}), verified.`,
  // Added to the lines of `culprit recover` when it removed the lock a killed git of the run left.
  staleIndexLockRemoved: (path: string) =>
    `culprit: removed ${path}, which a git of that run left when it was killed (no git holds it now).`,
  // In worktrees (--worktree, --jobs) your tree was never written: there is nothing to restore.
  signalReceived: (signal: string, inWorktrees = false) =>
    inWorktrees
      ? `culprit: ${signal}: stopping the test and removing its worktrees (your tree was never written), please wait...`
      : `culprit: ${signal}: stopping the test and restoring your work, please wait...`,
  signalAgain: (inWorktrees = false) =>
    inWorktrees
      ? "culprit: removing the worktrees, please wait (your tree was never written)."
      : "culprit: restoring your work, please wait (it will not be left half done).",
  promptCancelled: () => "culprit: cancelled: restoring your work, please wait...",
  pickAtLeastOne: () => "Pick at least one change to revert.",
  outputNotShown: (bytes: number) =>
    `culprit: ${bytes} bytes of the test's output were not shown (the terminal was not reading); the run's logs have all of it.`,
  /**
   * A residue ref `culprit recover` lists: a settle's (what a test wrote on a side) or its own
   * (the working tree as the stopped run left it: a test's writes, or a baseline half entered).
   */
  residueKept: (ref: string) =>
    ref.endsWith("-head")
      ? messages.headMoved(ref)
      : ref.endsWith("/recover")
        ? `the working tree as the stopped run left it is kept in ${ref}`
        : `what the test wrote is kept in ${ref}`,
  /**
   * HEAD had moved when culprit restored your work (a commit made while it ran): HEAD and the
   * branch went back to where they were, the commit is kept (pallets/click trial: only the
   * reflog said so).
   */
  headMoved: (ref: string) =>
    `HEAD had moved during the run (a commit made meanwhile?): it is back where it was when culprit started, and the commit is kept in ${ref}; to make it your branch's again (your files stay as they are): git reset --soft ${ref}`,
  lastRun: (last: LastRunSummary) =>
    `culprit: last run ${last.runId} (${last.at}): ${lastRunOutcome(last)}.`,
  internalError: () =>
    "culprit: internal error (a bug in culprit). Check your tree with `culprit status`; if a run is pending, `culprit recover` restores it.",
  baselineNotPrepared: (why: string) =>
    `the baseline could not be prepared (${why.split("\n")[0]}); your work was restored from the backup`,
  suspectOutside: (path: string) => `culprit: --suspect ${path} is outside the repository.`,
  suspectUnchanged: (paths: readonly string[], changed: readonly string[]) =>
    `culprit: --suspect ${paths.join(", ")}: no change to revert there (changed: ${formatPaths(changed, 5)}).`,
  noSuspects: () =>
    "culprit: nothing to revert: every changed path is a test file the keep globs leave alone; name the files to revert with --suspect.",
  suspectsNeedRevert: () =>
    "culprit: --suspect and --keep choose what a selective revert reverts; they do not apply with --strategy reset or stash.",
  cancelled: () => "culprit: cancelled; nothing was touched.",
  pickSuspectsPrompt: () =>
    "The baseline needs a selective revert. Which changes should be reverted (the suspects)?",
  revertRegression: (suspects: readonly string[], reason: string) =>
    suspects.length === 1
      ? `caused by the changes in ${suspects[0]}: ${reason}`
      : `caused by changes among ${formatPaths(suspects)} (culprit isolate tells which): ${reason}`,
  revertFailsOtherwise: (suspects: readonly string[], reason: string) =>
    `the failure needs the changes in ${formatPaths(suspects)}, and its cause may lie in others too (${reason})`,
  revertPreExisting: (suspects: readonly string[], reason: string) =>
    `reverting ${formatPaths(suspects)} does not help: the failure lies elsewhere (${reason})`,
  revertNotTheCause: (exonerated: readonly string[], untested: readonly TriedAttempt[]) =>
    `reverting ${formatPaths(exonerated)} does not help, and the baseline could not run ${untested.map(describeAttempt).join(", nor ")}: whether your changes cause this failure is not known (name the files you suspect with --suspect)`,
  notCausedByPart: (
    reverted: readonly string[],
    counts: { current: RunsAndFailures; baseline: RunsAndFailures } | undefined,
  ) =>
    `${counts ? `fails ${counts.current.failures}/${counts.current.runs} with your changes, ${counts.baseline.failures}/${counts.baseline.runs} with ${formatPaths(reverted, 2)} reverted: ` : ""}not caused by ${formatPaths(reverted, 2)} alone; the other suspects could not be reverted with it still running`,
  revertUndecided: (suspects: readonly string[], reason: string) =>
    `with ${formatPaths(suspects)} reverted: ${reason}`,
  unrunnableAfter: (tried: readonly TriedAttempt[], capped: boolean, why: string | null) =>
    `the baseline could not run ${tried.map(describeAttempt).join(", nor ")}${capped ? " (and no more sets were tried)" : ""}${why && tried.some((t) => t.outcome === "not-prepared") ? `; ${why}` : ""}`,
  failsWithWhatItNeeds: (needed: readonly string[], sets: number) =>
    `${needed.length === 1 ? `the command cannot run without ${formatPaths(needed)}, and with it` : `no revert that took away ${formatPaths(needed)} could run, and with them it`} still fails ${sets === 1 ? "with every other change of yours reverted" : `in each of the ${sets} reverts that ran, which took away every other change of yours between them`}: the failure is in ${needed.length === 1 ? formatPaths(needed) : `one of ${formatPaths(needed)}`} or in the test itself`,
  notOnYourTreeEither: (baselines: string) =>
    `the command could not run on your tree, and ${baselines}`,
  nothingToRevert: (tried: readonly TriedAttempt[], why: string | null, renamed: boolean) =>
    `the baseline could not run ${tried.map(describeAttempt).join(", nor ")}${why ? `: ${why};` : ","} and every change is a test file the keep globs leave alone: ${renamed ? "run the whole suite (or a folder the baseline has), where a renamed file's tests are matched to their old names" : "name the files to revert with --suspect"}`,
  ignoredInTheWayOfRevert: (paths: readonly string[]) =>
    `ignored files are in the way of the reverted files (${formatPaths(paths)}); reverting would delete them`,
  ignoredInTheWayOfBase: (paths: readonly string[], rev: string) =>
    `ignored files are in the way of ${rev}'s files (${formatPaths(paths)}); checking it out would delete them`,
  baseEmpty: () =>
    "culprit: --base needs a revision, as in --base origin/main or --base merge-base:origin/main.",
  baseNotInClone: (rev: string) =>
    `culprit: --base ${rev}: no such commit in this clone; fetch it first (git fetch origin <branch>, or git fetch --deepen=N in a shallow clone; with actions/checkout, fetch-depth: 0).`,
  noMergeBase: (ref: string) =>
    `culprit: --base merge-base:${ref}: HEAD and ${ref} have no merge base in this clone (a shallow clone?). Fetch more history (git fetch --deepen=100 origin, or git fetch --unshallow).`,
  baseNeedsNoStash: () =>
    "culprit: --base makes the baseline the base revision; --strategy stash does not apply (use auto or revert).",
  confirmTouch: (count: number) =>
    `culprit: ${count} changed files: check out the baseline over them (they are backed up and restored)?`,
  declinedTouch: () => "culprit: not confirmed; nothing was touched.",
  runMorePrompt: (n: number) =>
    `culprit: inconclusive so far. Run how many more times a side? (${n} suggested, 0 to stop)`,
  pathsNotInBaseline: (paths: readonly string[], renamedFrom: ReadonlyMap<string, string>) => {
    const from = paths.flatMap((path) => {
      const old = renamedFrom.get(path);
      return old === undefined ? [] : [`${old} to ${path}`];
    });
    return `the command names ${formatPaths(paths)}, which the baseline does not have${from.length > 0 ? ` (your change renames ${formatPaths(from)})` : ""}`;
  },
  bisectNoSuchRev: (flag: string, rev: string) =>
    `culprit: ${flag} ${rev}: no such commit in this clone; fetch it first (git fetch origin <branch>, or git fetch --deepen=N in a shallow clone).`,
  bisectNoUpstream: () =>
    "culprit: the branch has no upstream to take the good end from; give it with --good REV (a commit where the test passes).",
  bisectEmpty: (good: string, bad: string) =>
    `culprit: no commit between --good ${good} and --bad ${bad}: the good end must be an older commit of the bad end's history.`,
  bisectNotFirstParent: (good: string, bad: string) =>
    `culprit: --good ${good} is not on the first-parent history of --bad ${bad} (a commit of a merged branch?); give a commit of ${bad}'s own history, e.g. the merge that brought it in.`,
  bisectNotReproduced: (bad: string, runs: number) =>
    `the command passed all ${runs} runs at the bad end (${bad}): nothing to search for`,
  /** After an unrunnable baseline or commit in worktrees: your build outputs they did not get. */
  unbuiltOutputs: (paths: readonly string[], whose: "the baseline's" | "the commits'") =>
    `${formatPaths(paths)} ${paths.length === 1 ? "is" : "are"} not in ${whose} worktrees (a build output of your tree, not of ${whose}): build in the command (--shell "npm run build && ...")`,
  buildsNotRebuilt: (paths: readonly string[]) =>
    `${formatPaths(paths)} (${paths.length === 1 ? "an ignored build output" : "ignored build outputs"} of yours) ${paths.length === 1 ? "was" : "were"} not rebuilt at the baseline: if the tests load ${paths.length === 1 ? "it" : "them"}, the baseline ran your build of your changes, and a regression reads pre-existing: build in the command (--shell "npm run build && ..."), or use --worktree`,
  buildsLeft: (paths: readonly string[]) => {
    const reports = paths.filter((p) => /(?:^|\/)(?:coverage|\.nyc_output)$/.test(p));
    const what =
      reports.length === paths.length
        ? "the baseline's report"
        : reports.length > 0
          ? "the baseline's build and report"
          : "the baseline's build";
    return `your ${formatPaths(paths)} ${paths.length === 1 ? "holds" : "hold"} ${what} now (the last runs were the baseline's; culprit does not restore ignored files): ${reports.length === paths.length ? "run" : "build"} again before you use ${paths.length === 1 ? "it" : "them"}, or use --worktree`;
  },
  bisectEndUnrunnable: (rev: string, unbuilt: readonly string[] = []) =>
    `the command could not run at ${rev} (a build failure, a missing file?): no search is possible${
      unbuilt.length > 0 ? `; ${messages.unbuiltOutputs(unbuilt, "the commits'")}` : ""
    }`,
  bisectTestsNotThere: (rev: string, tests: readonly string[]) =>
    `the command ran at ${rev}, and ${formatPaths(tests)}, followed, ${tests.length === 1 ? "is" : "are"} not there (added on the other side of the merge?)`,
  bisectGoodFails: (
    good: string,
    g: { runs: number; failures: number },
    b: { runs: number; failures: number },
  ) =>
    `it fails at the good end (${good}) as often as at the bad end (${g.failures}/${g.runs} against ${b.failures}/${b.runs}): pick an older --good where it passes, or name in the command only the test that broke`,
  bisectTestsNotAtGood: (good: string, tests: readonly string[]) =>
    `it fails at the good end (${good}) too, and what fails at the bad end only is not there: ${formatPaths(tests)} ${tests.length === 1 ? "is a test" : "are tests"} the good end does not have (added since): pick a newer --good where ${tests.length === 1 ? "it exists and passes" : "they exist and pass"}, or name in the command only the test that broke`,
  bisectSignal: (signal: string) =>
    `culprit: ${signal}: stopping the runs and removing the worktrees, please wait...`,
  bisectInterrupted: (signal: string) => `interrupted by ${signal}; no culprit named`,
  bisectFound: (sha: string, p: string) => `${sha.slice(0, 12)} made it fail (posterior ${p})`,
  bisectFoundInBranch: (found: string, merge: string) =>
    `${found}, on the branch merge ${merge} brought in`,
  bisectMergeItself: (found: string, merge: string, runs: number) =>
    `${found}: the merge itself, since its branch alone (${merge}^2) passed all ${runs} runs (the two sides fail together)`,
  bisectMergeKept: (found: string, branch: string) =>
    `${found}; the branch it merged, searched too: ${branch}`,
  bisectRange: (count: number, p: string) =>
    `the culprit is one of ${count} commits that could not all be run (posterior ${p})`,
  bisectNoCulprit: (p: string) =>
    `no single commit made it fail: it fails alike across the history (posterior ${p})`,
  bisectUndecided: (count: number, p: string) =>
    `the run budget was spent before one commit stood out; the culprit is likely among ${count} commits (posterior ${p})`,
  isolateNotRegression: (verdict: string, reason: string) =>
    `culprit isolate: the attribution's verdict is ${verdict} (${reason}), not regression: there is nothing to isolate.`,
  isolateCannotRunHere: (reason: string, log: string | null) =>
    `culprit isolate: ${reason}. isolate names the hunks that make a test fail; first make the command run on your tree (${log ? `what stops it: ${log}` : "its log says what stops it"}).`,
  isolateSignal: (signal: string) =>
    `culprit: ${signal}: stopping the runs and removing the worktrees, please wait...`,
  isolateInterrupted: (signal: string) => `interrupted by ${signal}; no hunk named`,
  isolateFound: (count: number, configurations: number) =>
    `${count} hunk${count === 1 ? "" : "s"} of your changes make${count === 1 ? "s" : ""} it fail (${configurations} configuration${configurations === 1 ? "" : "s"} tested)`,
  isolateFromCache: (reused: number) =>
    `${plural(reused, "run")} of it came from the cache: --no-cache runs them again.`,
  isolateNoDiff: () => "your tree does not differ from the baseline: there is nothing to isolate",
  isolateCalibration: (failures: number, runs: number) =>
    `your tree failed only ${failures} of ${runs} fresh runs, not more often than the baseline: the regression did not reproduce well enough to isolate`,
  isolateUnconfirmed: () =>
    "the judgements contradicted each other on every attempt (a very flaky test?): no hunk named",
  isolateOthersFail: (count: number) =>
    `and not the only cause: your changes without ${count === 1 ? "this hunk" : "these hunks"} still fail (other hunks make it fail too: fix ${count === 1 ? "it" : "them"}, then run culprit isolate again)`,
  isolateOthersFailOtherwise: (count: number, how: string) =>
    `your changes without ${count === 1 ? "this hunk" : "these hunks"} fail the test another way (${how}): another cause may be among them, or what leaving ${count === 1 ? "it" : "them"} out broke`,
  isolateNeededUsedBy: (count: number) =>
    `the guilty ${count === 1 ? "hunk uses" : "hunks use"} it: the failure may lie in it too`,
  /**
   * Runs that hung and were retried: `again` of them hung again; `limitMs` the longest hung
   * attempt (about --timeout).
   */
  hungRetried: (count: number, again: number, limitMs: number) => {
    const runs = count === 1 ? "1 run" : `${count} runs`;
    // The hung attempt ran --timeout and the moment its stop took: shown to the tenth below.
    const limit = `${Math.floor(limitMs / 100) / 10} s`;
    if (again === 0)
      return `${runs} hung (stopped at ${limit}) and ${count === 1 ? "was" : "were"} retried once.`;
    if (again < count)
      return `${runs} hung (stopped at ${limit}) and ${count === 1 ? "was" : "were"} retried once; ${again} hung again.`;
    return `${runs} hung (stopped at ${limit}) and ${count === 1 ? "was" : "were"} retried once, and hung again: each took twice the limit; if a test never ends, a lower --timeout decides sooner.`;
  },
  isolateHangLimit: (
    judge: { timeoutMs: number; timeoutChosen: boolean },
    rule: { factor: number; floorMs: number },
  ) => {
    const s = (ms: number) => Number((ms / 1000).toFixed(1));
    return judge.timeoutChosen
      ? `a configuration's run is a hang after ${s(judge.timeoutMs)} s (the timeout you set)`
      : `a configuration's run is a hang after ${s(judge.timeoutMs)} s (${rule.factor} times the slowest calibration run, at least ${s(rule.floorMs)} s; --timeout sets it)`;
  },
  isolateIntoLines: () =>
    "no hunk alone is to blame, each is needed to run: searching their lines for one that is",
  isolateNoneGuilty: () =>
    "no single hunk is to blame: every hunk of the failing set is only needed to run",
  isolatePatchWritten: (
    path: string,
    count: number,
    needed: number,
    reverted?: { paths: number; rev: string },
  ) =>
    `culprit: the guilty hunk${count === 1 ? "" : "s"}${needed > 0 ? ` and the ${needed} ${needed === 1 ? "hunk it needs" : "hunks they need"} to run` : ""} written to ${path}: git apply ${path} on the baseline reproduces the failure${
      // A selective revert is no commit to check out: the rest of your changes are in it (the
      // new test file the command names, its helpers), and not in the patch (humanize, thunk).
      reverted === undefined
        ? ""
        : ` (the baseline is your tree with ${plural(reverted.paths, "path")} reverted to ${reverted.rev}, not a commit: on a clean checkout, the changes it kept, such as new test files, are needed too)`
    }`,
  isolatePatchUnwritable: (path: string, why: string) =>
    `culprit: --patch ${path}: cannot write it: ${why}`,
  perTestOff: () => "--per-test off: judged by the command's exit code alone",
  failsAnotherWay: (
    way: {
      current: { runs: number; failures: number };
      baseline: { runs: number; failures: number };
    },
    failedThere: number,
    without: string,
    p: string,
  ) =>
    `your changes make it fail another way: ${way.current.failures}/${way.current.runs} runs with them failed as your tree does, ${way.baseline.failures}/${way.baseline.runs} ${without} (${failedThere} failed otherwise): ${p}`,
  failureWayNotSettled: (reason: string) =>
    `failing the way your tree does: ${reason.replace(/^fails /, "")}`,
  reportsMissing: (missing: number, runs: number, why: string) =>
    `${missing} of ${runs} runs had no readable test report (${why.split("\n")[0]}): judged at command level`,
  indexLockAppeared: (path: string) =>
    `${path} appeared during the run (another git process holds the index) and did not go away`,
};
