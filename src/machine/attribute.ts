import { existsSync, lstatSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { type SuiteDecision, suiteHeadline } from "../compare/suite.js";
import type { CompareOptions, Side } from "../compare/types.js";
import {
  CancelledError,
  GitCommandError,
  gitStoppedWithCulprit,
  NotRestoredError,
  promptCancelled,
  StoppedError,
  UsageError,
} from "../errors.js";
import {
  type Backup,
  captureBackup,
  dropBackup,
  pinBackup,
  restoreFromBackup,
  restoreIndexBytes,
  verifyAgainst,
} from "../git/backup.js";
import { buildOutputStamps, ignoredBuildOutputs, ignoredList } from "../git/ignored.js";
import { ensurePrivateRoot } from "../git/private-root.js";
import { holdsRenamed, oldFolders, renamedPaths, wordsAtOldNames } from "../git/renames.js";
import { askedOnce, type Repo, splitZ } from "../git/repo.js";
import { notIgnored, snapshotWorktree, useWorkIndex } from "../git/snapshot.js";
import { folderStashRemoves, intentToAddPaths } from "../git/stash.js";
import { baselineDiff, type KeptSubmodule } from "../git/submodules.js";
import { isBuildOutput, packageOutputs } from "../git/worktree.js";
import { askingForMoreRuns, formatPaths, messages, plural } from "../messages.js";
import { scriptNamed } from "../run/package-scripts.js";
import { type BaseRevision, baseRevision, resolveBase } from "../strategies/base-revision.js";
import { baselineReset } from "../strategies/baseline-reset.js";
import { baselineStash } from "../strategies/baseline-stash.js";
import { type Change, listChanges, pathsNamedIn } from "../strategies/suspects.js";
import { worktreeBaseline } from "../strategies/worktree.js";
import { type Attempt, BaselineAttempts } from "./baselines.js";
import { Evidence, withFinalCounts } from "./evidence.js";
import { faultPoint, faultSignalHandled } from "./fault.js";
import { clearJournal, type Journal, newRunId, writeJournal, writeYourIgnored } from "./journal.js";
import { acquireLock } from "./lock.js";
import { assertNoPendingRun, preflight } from "./preflight.js";
import { type Place, Runs } from "./runs.js";
import { type MachineEvent, nextState, type StateName } from "./states.js";
import { type Phase, PhaseClock } from "./timing.js";
import {
  type AttributeOptions,
  type AttributionResult,
  type RestoreReport,
  type RunRecord,
  regressedOnlyOtherwise,
  type TestResult,
  yourTreeRan,
} from "./types.js";
import { type Slot, WorktreeSlots } from "./worktrees.js";

export { maxRevertAttempts } from "./baselines.js";
export { countSide, isFlaky } from "./evidence.js";

/** Attributes the failure of a command: `culprit -- cmd`. Only src/cli catches what it throws. */
export async function attribute(options: AttributeOptions): Promise<AttributionResult> {
  // performance.now() counts from the start of the process: node, module loading, argv, config.
  const startedAt = Date.now() - performance.now();
  const clock = new PhaseClock();
  clock.add("startup", performance.now());
  // Worktrees go to culprit's folder under the temporary folder: one that is not the user's own
  // is refused before anything is touched.
  if (options.worktree || (options.jobs ?? 1) > 1) ensurePrivateRoot();
  const { repo, base } = await clock.time("preflight", async () => {
    const repo = await preflight(options.cwd, options.argv, options.shell, {
      allowClean: options.base !== undefined,
      ...(options.repo ? { repo: options.repo } : {}),
    });
    // A base the clone does not have is a usage error, before anything is touched.
    const base = options.base !== undefined ? await resolveBase(repo, options.base) : null;
    return { repo, base };
  });
  const release = acquireLock(repo.stateDir);
  try {
    // Checked again under the lock: a run that died may have left a journal meanwhile.
    assertNoPendingRun(repo);
    return await new Attribution(repo, options, startedAt, base, clock).run();
  } finally {
    release();
  }
}

/** The phase each state's own work is counted in (runs count theirs in `probe`). */
const phaseOf: Partial<Record<StateName, Phase>> = {
  preflight: "preflight",
  backup: "backup",
  "enter-baseline": "enter",
  "switch-strategy": "enter",
  "leave-baseline": "leave",
  "enter-worktrees": "enter",
  "leave-worktrees": "leave",
  verify: "verify",
  "restore-from-backup": "restore",
  report: "finish",
};

/**
 * The order of steps of one attribution: the states of src/machine/states.ts and their side
 * effects, each journaled first. The runs and what they say live in `Runs` and `Evidence`; the
 * ways of producing a baseline in `BaselineAttempts`; the worktrees of --worktree in
 * `WorktreeSlots`.
 */
class Attribution {
  private readonly runId = newRunId();
  private readonly journal: Journal;
  private readonly evidence = new Evidence();
  private readonly baselines: BaselineAttempts;
  private readonly runs: Runs;
  private readonly logDir: string;
  /** Both sides run in worktrees (--worktree, --jobs): the user's tree is never written. */
  private readonly isolated: boolean;
  private worktrees: WorktreeSlots | null = null;
  /** Runs a side allowed: `--max-runs`, raised when the user asks for more after an inconclusive. */
  private maxRuns: number;
  private backup: Backup | null = null;
  /** The backup's commits and ref being written (beside the first run on your tree). */
  private pinning: Promise<void> = Promise.resolve();
  private baselineTree: string | null = null;
  /** What `repo.excluded` was before a baseline in place exposed entries your tree ignores. */
  private excludedBefore: { excluded: string[] | undefined } | null = null;
  /** States entered and not yet written (a run's number, written with its test's group). */
  private unwritten: { state: StateName; detail: string | undefined }[] = [];
  /** HEAD's tree, by commit. */
  private readonly headTrees = new Map<string, Promise<string>>();
  /** `ls-tree` listings of the paths the command names, by tree and paths (trees never change). */
  private readonly listings = new Map<string, Promise<Set<string>>>();
  /** What differs between a baseline tree and your tree, by baseline tree (`cannotLoadChanged`). */
  private readonly changesFrom = new Map<string, Promise<Change[]>>();
  /** Submodules the baseline in place keeps at your commits (named in the report). */
  private keptSubmodules: KeptSubmodule[] = [];
  private decision: SuiteDecision | null = null;
  private pendingCurrent = false;
  /** The baseline of the attempt could not run and another one is planned. */
  private pendingAttempt = false;
  private interrupted: string | null = null;
  /** A question was answered with Escape or Ctrl-C (then `interrupted` is SIGINT). */
  private cancelled = false;
  /** Why the baseline could not be prepared (e.g. git refused to stash), if it could not. */
  private baselineFailure: string | null = null;
  /** Runs on the current tree were looked up in the cache. */
  private currentPreloaded = false;
  /** Your ignored build outputs as they were when the baseline was entered (in place). */
  private buildsBefore: Map<string, string> | null = null;
  /** Those the baseline's runs rewrote, with no run on your tree after them. */
  private buildsLeft: string[] = [];
  /** Your build outputs the last baseline's runs did not rewrite (`buildsNotRebuilt`). */
  private buildsNotRebuilt: string[] = [];
  /** The folder culprit runs in when git stash would remove it, and its inode before. */
  private stashFolder: { folder: string; inode: number | null } | null = null;
  private readonly restore: RestoreReport = {
    touched: false,
    via: "none",
    verified: false,
    residue: [],
  };

  constructor(
    private readonly repo: Repo,
    private readonly options: AttributeOptions,
    private readonly startedAt: number,
    private readonly base: BaseRevision | null,
    private readonly clock: PhaseClock,
  ) {
    this.maxRuns = options.maxRuns;
    this.evidence.judgeTheWayItFails = options.perTest !== false;
    this.isolated = Boolean(options.worktree) || (options.jobs ?? 1) > 1;
    this.logDir = join(repo.stateDir, "logs", this.runId);
    this.baselines = new BaselineAttempts(repo, options, base, (attempt) => {
      if (attempt.strategy.name === "selective-revert")
        this.evidence.keepsYourTests(attempt.number);
      if (this.baselines.revertsPart(attempt))
        this.evidence.revertsPart(attempt.number, attempt.suspects);
      this.options.onProgress?.({
        kind: "attempt",
        attempt: attempt.number,
        strategy: attempt.strategy.name,
        suspects: attempt.suspects,
      });
    });
    this.journal = {
      version: 1,
      runId: this.runId,
      pid: process.pid,
      startedAt: new Date(startedAt).toISOString(),
      state: "preflight",
      command: options.shell !== undefined ? ["sh", "-c", options.shell] : options.argv,
      residue: [],
      history: [],
      ...(this.isolated ? { isolated: true } : {}),
    };
    this.runs = new Runs(repo, options, this.runId, this.logDir, this.evidence, clock, {
      // In place, a run's number goes to disk with its test's process group, when it starts (one
      // write a run, not three: about 2 ms each here). Recovery is the same in every probe state.
      journal: (side, detail) => {
        const run = detail.startsWith("run ");
        // (In worktrees, runs start side by side: each state is written as it comes.)
        if (this.isolated) this.enter("probe-parallel", `${side} ${detail}`);
        else this.enter(side === "current" ? "probe-current" : "probe-baseline", detail, {}, !run);
      },
      groups: (groups) => {
        const added = groups.some((g) => !this.journal.testGroups?.includes(g));
        this.journal.testGroups = groups;
        // A group that ended leaves with the next write: recover signals a listed group only
        // if it is still this run's (endOrphanedTest checks CULPRIT_RUN_ID).
        if (!added) return;
        writeJournal(this.repo.stateDir, this.journal);
        // The fault of the run's state fires once that state is on disk (src/machine/fault.ts).
        const unwritten = this.unwritten.splice(0);
        for (const { state, detail } of unwritten) faultPoint(state, detail);
      },
      residue: (ref) => {
        if (!this.restore.residue.includes(ref)) this.restore.residue.push(ref);
      },
    });
  }

  /** Enters a state: the journal is written before the state's side effect. */
  private enter(
    state: StateName,
    detail?: string,
    extra: Partial<Journal> = {},
    write = true,
  ): void {
    Object.assign(this.journal, extra, { state, detail });
    this.journal.history.push({
      state,
      at: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
    if (write) {
      writeJournal(this.repo.stateDir, this.journal, extra);
      faultPoint(state, detail);
    } else this.unwritten.push({ state, detail });
    this.options.onProgress?.({ kind: "state", state, ...(detail ? { detail } : {}) });
  }

  private readonly journalStep = (
    state: "enter-baseline" | "leave-baseline",
    detail: string,
    extra?: object,
  ): void => this.enter(state, detail, extra as Partial<Journal>);

  private readonly handlers: Record<StateName, () => Promise<MachineEvent>> = {
    preflight: async () => {
      // `--suspect` is checked, and a revert's suspects chosen, before anything is touched.
      if (this.options.suspects?.length || this.baselines.mode === "revert") {
        const chosen = await this.baselines.chooseSuspects(null);
        if (!chosen) throw new CancelledError(messages.cancelled());
        if (this.baselines.mode === "revert" && this.baselines.chosenSuspects().length === 0)
          throw new UsageError(messages.noSuspects());
      }
      // git stash refuses intent-to-add entries: said before anything runs, not after your
      // tree's runs as a baseline that could not be prepared (iamkun/dayjs trial).
      if (this.options.strategy === "stash" && !this.isolated) {
        const added = await intentToAddPaths(this.repo);
        if (added.length > 0) throw new UsageError(messages.stashIntentToAdd(added));
        // A folder of yours that git stash removes and makes anew: said at the end.
        const folder = await folderStashRemoves(this.repo, this.options.cwd);
        if (folder) this.stashFolder = { folder, inode: inodeOf(join(this.repo.root, folder)) };
      }
      // A tree that is never written needs no confirmation.
      if (!this.isolated) await this.confirmTouch();
      return "ok";
    },
    backup: async () => {
      this.enter("backup");
      // What is read from your tree, recorded before the first run can write into it: from
      // here on, recover restores these trees (pinning them first if culprit died before).
      this.backup = await captureBackup(this.repo);
      this.enter("backup", "captured", { backup: this.backup });
      // The commits and the ref that pin them are written while the first run goes: nothing of
      // yours is written before they are (see `run`).
      const backup = this.backup;
      this.pinning = pinBackup(this.repo, this.runId, backup).then(() => {
        this.journal.history.push({
          state: "backup",
          at: new Date().toISOString(),
          detail: "pinned",
        });
        writeJournal(this.repo.stateDir, this.journal);
        faultPoint("backup", "pinned");
      });
      this.pinning.catch(() => {});
      this.prefetchBaseline();
      return this.isolated ? "isolated" : "ok";
    },
    "probe-current": async () => this.probe("current"),
    "enter-baseline": async () => {
      if (this.options.signal?.aborted) return this.markInterrupted();
      if (!this.baselines.current && !(await this.startFirstAttempt())) return "failed";
      const attempt = this.baselines.current!;
      const early = await this.beforeBaseline(attempt);
      if (early) return early;
      // The ignored entries as they are now (after your tree's runs), listed once: your build
      // outputs, stamped before the baseline's .gitignore is in, and those in the baseline's way.
      const ignored = ignoredList(this.repo);
      ignored.catch(() => {});
      this.buildsBefore = await ignoredBuildOutputs(this.repo, ignored)
        .then((paths) => buildOutputStamps(this.repo, paths))
        .catch(() => null);
      // Recorded before the baseline's rules replace yours: `culprit recover` leaves them alone.
      const yours = await ignored.catch(() => null);
      if (yours && yours.length > 0) writeYourIgnored(this.repo.stateDir, yours);
      this.restore.touched = true;
      try {
        this.baselineTree = await attempt.strategy.enter(this.repo, this.journalStep, ignored);
        attempt.tree = this.baselineTree;
        await this.keepYourIgnored(yours ?? []);
      } catch (error) {
        // A signal for culprit that killed git too (a CI runner or a tree-kill ending every
        // process of culprit's): the run was interrupted, not the baseline unpreparable. The tree
        // is half entered either way, and comes back from the backup.
        if (await this.stoppedBySignal(error)) this.markInterrupted();
        else this.baselineFailure = error instanceof Error ? error.message : String(error);
        attempt.outcome = "stopped";
        return "failed";
      }
      return "ok";
    },
    "probe-baseline": async () => this.probe("baseline"),
    "leave-baseline": async () => {
      const strategy = this.baselines.current!.strategy;
      // The same paths, after the baseline's last run (leaving never writes an ignored file).
      await this.noteBuildsLeft();
      let left = false;
      try {
        left = await strategy.leave(this.repo, this.journalStep);
      } catch {
        left = false;
      }
      this.baselineTree = null;
      if (!left) return "failed";
      this.yourIgnoredBack();
      this.restore.via = strategy.restoreVia;
      return "ok";
    },
    verify: async () => {
      this.enter("verify");
      const diffs = await verifyAgainst(this.repo, this.backup!);
      if (diffs.length > 0) {
        this.restore.differed = diffs;
        return "mismatch";
      }
      return this.afterRestore();
    },
    "restore-from-backup": async () => {
      this.enter("restore-from-backup");
      this.restore.touched = true;
      const diffs = await restoreFromBackup(this.repo, this.backup!, this.residueRef("restore"));
      this.yourIgnoredBack();
      await this.collectRestoreResidue();
      if (diffs.length > 0) {
        throw new NotRestoredError(
          messages.notRestored(diffs, this.backup!.ref),
          "culprit recover",
        );
      }
      await this.discardAll();
      this.restore.via = "backup";
      return this.afterRestore();
    },
    "switch-strategy": async () => this.switchStrategy(),
    "enter-worktrees": async () => this.enterWorktrees(),
    "probe-parallel": async () => this.probeParallel(),
    "leave-worktrees": async () => {
      await this.worktrees?.clear();
      return "ok";
    },
    report: async () => {
      this.enter("report", this.isolated ? "dropping the backup" : "verified: dropping the backup");
      // In worktrees nothing of the user's was written: there is nothing to verify.
      if (!this.isolated) {
        this.restore.verified = true;
        await restoreIndexBytes(this.repo, this.backup!);
      }
      await dropBackup(this.repo, this.backup!);
      clearJournal(this.repo.stateDir);
      // Done while the first run went; here only when every run came from the cache.
      this.runs.prune();
      return "ok";
    },
    done: async () => "ok",
  };

  async run(): Promise<AttributionResult> {
    let state: StateName = "preflight";
    const dropWorkIndex = useWorkIndex(this.repo);
    try {
      while (state !== "done") {
        // The backup is pinned before any state but your tree's runs: before the baseline is
        // entered, the tree restored or the backup dropped.
        if (state !== "probe-current") await this.pinning;
        const phase = phaseOf[state];
        const handler = this.handlers[state];
        const event = phase ? await this.clock.time(phase, handler) : await handler();
        state = nextState(state, event);
      }
    } catch (error) {
      const rescued = await this.rescue(state, error);
      if (rescued instanceof NotRestoredError) throw rescued;
      // A git that failed because a signal stops culprit (killed with it, or failing once it
      // came): the run was interrupted, and says so (with what became of your work), not that
      // git failed.
      // (Not once verified: an error while dropping the backup keeps the verdict.)
      if (
        state !== "report" &&
        rescued !== "left" &&
        (await gitStoppedWithCulprit(error, this.options.signal))
      ) {
        this.markInterrupted();
        if (rescued === "restored") {
          this.restore.touched = true;
          this.restore.via = "backup";
          this.restore.verified = true;
          // What the restore kept (the tree it found held other content) is reported.
          await this.collectRestoreResidue().catch(() => {});
        }
        return this.result();
      }
      // A git command that failed is the machine's condition (a lock, a full disk), not a bug of
      // culprit's, once the work is back or was never touched: one line, exit 2.
      if (error instanceof GitCommandError && rescued !== "left")
        throw new StoppedError(messages.stoppedByGit(error.message, rescued), { cause: error });
      throw error;
    } finally {
      dropWorkIndex();
    }
    await faultSignalHandled();
    return this.result();
  }

  /**
   * Something threw mid-run: bring the tree back from the backup before the error surfaces (in
   * worktrees: remove them; the user's tree was never written, and restoring it would undo what
   * the user saved meanwhile). When the tree could not be brought back (git keeps failing: a lock
   * held, a full disk), the error to surface is that one: the work is safe in the backup ref and
   * `culprit recover` restores it (exit 4), not an internal error.
   */
  private async rescue(
    state: StateName,
    error: unknown,
  ): Promise<NotRestoredError | "restored" | "untouched" | "left"> {
    if (error instanceof NotRestoredError) return "left";
    if (!this.backup) {
      clearJournal(this.repo.stateDir);
      return "untouched";
    }
    // The error came during the first run on your tree: its pin ends first (the ref must not be
    // written after it is dropped), and is tried again if it failed (the restore needs only the
    // trees; the ref is what a printed command would bring them back from).
    await this.pinning.catch(() => {});
    if (!this.backup.commit) await pinBackup(this.repo, this.runId, this.backup).catch(() => {});
    // Verified already: the error came while dropping the backup or closing the journal.
    if (state === "report") return this.isolated ? "untouched" : "restored";
    if (this.isolated) {
      try {
        await this.worktrees?.clear();
        await dropBackup(this.repo, this.backup);
        clearJournal(this.repo.stateDir);
        return "untouched";
      } catch {
        // The journal and the backup ref stay: `culprit recover` removes the worktrees.
        return "left";
      }
    }
    let left: string;
    try {
      this.enter("restore-from-backup", "after an error");
      const diffs = await restoreFromBackup(this.repo, this.backup, this.residueRef("restore"));
      if (diffs.length === 0) {
        await this.discardAll();
        await restoreIndexBytes(this.repo, this.backup);
        await dropBackup(this.repo, this.backup);
        clearJournal(this.repo.stateDir);
        return "restored";
      }
      left = `${diffs.join(", ")} still differ`;
    } catch (again) {
      left = again instanceof Error ? again.message : String(again);
    }
    // The journal and the backup ref stay: `culprit recover` takes it from here.
    const why = error instanceof Error ? error.message : String(error);
    return new NotRestoredError(
      messages.notRestoredAfterError(why, left, this.backup.ref),
      "culprit recover",
    );
  }

  /**
   * Which of your ignored build outputs (dist) the baseline's runs rewrote, now that the tree is
   * back: culprit leaves ignored files alone, so they hold the baseline's build (the report says
   * so) until a run on your tree builds again.
   */
  private async noteBuildsLeft(): Promise<void> {
    const before = this.buildsBefore;
    this.buildsBefore = null;
    if (before === null) return;
    // Those listed before, and those the baseline's build made (listed under the baseline's own
    // rules, the tree being the baseline's still), if they are there now.
    const made = await ignoredBuildOutputs(this.repo).catch(() => []);
    const paths = [...new Set([...before.keys(), ...made])].filter((path) =>
      existsSync(join(this.repo.root, path)),
    );
    const after = buildOutputStamps(this.repo, paths);
    const rewritten = paths.filter((path) => before.get(path) !== after.get(path));
    // Added to what an earlier baseline attempt rewrote: only a run on your tree clears them.
    this.buildsLeft = [...new Set([...this.buildsLeft, ...rewritten])];
    // Builds (not run reports) that were there and the baseline's runs left as they were.
    this.buildsNotRebuilt = [...before.keys()].filter(
      (path) =>
        isBuildOutput(path, packageOutputs(this.repo.root)) && before.get(path) === after.get(path),
    );
  }

  /** After a restore from the backup: what every strategy tried may have left behind. */
  private async discardAll(): Promise<void> {
    for (const attempt of this.baselines.list) await attempt.strategy.discard(this.repo);
  }

  private afterRestore(): MachineEvent {
    if (this.interrupted) return "ok";
    if (this.pendingCurrent) {
      this.pendingCurrent = false;
      return "next-current";
    }
    if (this.pendingAttempt) {
      this.pendingAttempt = false;
      return "next-attempt";
    }
    return "ok";
  }

  /** A step failed because a signal stops culprit: it came first, or it stopped the git too. */
  private async stoppedBySignal(error: unknown): Promise<boolean> {
    return (
      this.options.signal?.aborted === true ||
      (await gitStoppedWithCulprit(error, this.options.signal))
    );
  }

  /**
   * The signal the run was aborted for: its name, SIGINT for a cancelled question (which marks
   * the run cancelled) or an abort without a name.
   */
  private abortSignal(): string {
    const reason = this.options.signal?.reason;
    if (reason === promptCancelled) {
      this.cancelled = true;
      return "SIGINT";
    }
    return typeof reason === "string" ? reason : "SIGINT";
  }

  private markInterrupted(): MachineEvent {
    this.interrupted = this.abortSignal();
    const attempt = this.baselines.current;
    if (attempt?.outcome === "running") attempt.outcome = "stopped";
    return "interrupted";
  }

  private residueRef(what: string): string {
    return `${this.repo.refPrefix}/residue/${this.runId}/${what}`;
  }

  /** Residue of a side: `baseline` for the first attempt, `baseline-<n>` for later ones. */
  private sideResidueRef(side: Side, slot?: number): string {
    const n = this.baselines.current?.number ?? 1;
    const name = side === "baseline" && n > 1 ? `baseline-${n}` : side;
    return this.residueRef(slot && slot > 1 ? `${name}-${slot}` : name);
  }

  /**
   * Entries your tree ignores by rules of your own changes (a new .gitignore, `node_modules/`
   * added to one) that the baseline's rules do not ignore: each snapshot of the baseline took
   * them for files the test wrote, kept them as residue and removed them, node_modules and all,
   * and the verify could not tell (npm/node-semver trial). They are left out of every snapshot
   * until your tree is back, as ignored files are: never deleted, moved or rewritten.
   */
  private async keepYourIgnored(yours: readonly string[]): Promise<void> {
    // A git that fails to say: all of them, as ignored files are never touched in any case.
    const exposed = await notIgnored(this.repo, yours).catch(() => [...yours]);
    if (exposed.length === 0) return;
    this.excludedBefore ??= { excluded: this.repo.excluded };
    this.repo.excluded = [...(this.repo.excluded ?? []), ...exposed];
  }

  /** Your tree's own rules are back: snapshots exclude what they excluded before the baseline. */
  private yourIgnoredBack(): void {
    if (!this.excludedBefore) return;
    this.repo.excluded = this.excludedBefore.excluded;
    this.excludedBefore = null;
  }

  /** The HEAD commit and its tree (asked once a commit). */
  private async headTree(): Promise<{ commit: string; tree: string }> {
    const commit = this.backup!.fingerprint.head!;
    const tree = await askedOnce(this.headTrees, commit, async () =>
      (await this.repo.git.run(["rev-parse", `${commit}^{tree}`])).trim(),
    );
    return { commit, tree };
  }

  /** The tree of the first baseline in place: the `--base` revision's, else HEAD's. */
  private async baseTree(): Promise<string> {
    return this.base?.tree ?? (await this.headTree()).tree;
  }

  /**
   * What the first baseline in place needs from git objects alone (HEAD's tree, its diff with
   * yours, whether it has the paths the command names), asked while your tree's runs go rather
   * than between them and the baseline's. Nothing is written; a failure is met again, and
   * reported, where the baseline asks for the same.
   */
  private prefetchBaseline(): void {
    if (this.isolated || this.baselines.mode === "revert") return;
    const userTree = this.backup!.fingerprint.worktree;
    const asked = this.baseTree().then((baseTree) =>
      Promise.all([
        baselineDiff(this.repo, userTree, baseTree),
        this.pathsMissingIn(baseTree),
        renamedPaths(this.repo, baseTree, userTree),
      ]),
    );
    asked.catch(() => {});
  }

  /**
   * The first baseline: HEAD reset in place (the stash with --strategy stash, a worktree with
   * --worktree), the `--base` revision, or with --strategy revert the whole suspect set. False
   * when no suspect set can be built.
   */
  private async startFirstAttempt(): Promise<boolean> {
    const userTree = this.backup!.fingerprint.worktree;
    if (!this.isolated) {
      // Submodules stay at your commits in place (src/git/submodules.ts): the report names them.
      // The same diff the baseline reset in place reads, asked once.
      const baseTree = await this.baseTree();
      this.keptSubmodules = await baselineDiff(this.repo, userTree, baseTree).then(
        (diff) => diff.kept,
        () => [],
      );
    }
    if (this.baselines.mode === "revert") {
      this.baselines.startNarrowing();
      if (await this.nextRevertAttempt(this.isolated ? "enter-worktrees" : "enter-baseline"))
        return true;
      this.baselineFailure = this.baselines.preparationFailure ?? messages.noSuspects();
      return false;
    }
    if (this.base) this.baselines.start(baseRevision(this.base, userTree));
    else if (this.isolated) this.baselines.start(worktreeBaseline((await this.headTree()).tree));
    else if (this.baselines.mode === "stash")
      this.baselines.start(baselineStash(this.runId, (await this.headTree()).tree, userTree));
    else this.baselines.start(baselineReset((await this.headTree()).tree, userTree));
    return true;
  }

  /**
   * Before a baseline attempt is first entered: its tree must have every path the command names
   * (else it cannot run the command, whatever runs would say), and earlier runs of this very
   * baseline from the cache may settle it without touching anything. An event when either
   * decides, null when the baseline is to be run.
   */
  private async beforeBaseline(attempt: Attempt): Promise<MachineEvent | null> {
    if (attempt.preloaded) return null;
    attempt.preloaded = true;
    try {
      attempt.tree ??= await attempt.strategy.target(this.repo);
    } catch (error) {
      this.baselineFailure = error instanceof Error ? error.message : String(error);
      attempt.outcome = "not-prepared";
      return "failed";
    }
    const [missing, renames] = await Promise.all([
      this.pathsMissingIn(attempt.tree),
      // Best effort: without it a renamed test file reads as new, as before.
      renamedPaths(this.repo, attempt.tree, this.backup!.fingerprint.worktree).catch(
        () => new Map<string, string>(),
      ),
    ]);
    this.evidence.renamedAt(attempt.number, renames);
    // A file the command names that this baseline has under its old name is named so there
    // (its tests are read with your paths: `renamedAt`).
    const at =
      this.options.shell === undefined && missing.length > 0
        ? wordsAtOldNames(
            this.options.argv,
            renames,
            relative(this.repo.root, this.options.cwd).split(sep).join("/"),
            { missing: new Set(missing), gone: await this.foldersGone(renames) },
          )
        : null;
    const covered = new Set((at?.renamed ?? []).map((w) => w.path));
    const lacking = missing.filter((path) => !covered.has(path));
    // Run under the old names only when nothing else the command names is missing there.
    const ranAs = lacking.length === 0 ? (at?.renamed ?? []) : [];
    this.runs.setArgv("baseline", ranAs.length > 0 ? at!.argv : null);
    attempt.ranAs = ranAs.map(({ word, as }) => ({ word, as }));
    if (lacking.length > 0) {
      const renamedFrom = new Map([...renames].map(([from, to]) => [to, from]));
      attempt.why = messages.pathsNotInBaseline(lacking, renamedFrom);
      // The file itself, or a folder your change renamed or moved files into.
      attempt.lacksRenamed = lacking.some((path) => holdsRenamed(renames, path));
      this.decision = {
        kind: "verdict",
        verdict: "unrunnable",
        reason: attempt.why,
        stats: this.evidence.decide(attempt.number, this.compareOptions(attempt)).stats,
        tests: [],
      };
      return this.baselines.unrunnable() ? "next-attempt" : "decided";
    }
    const cached = await this.runs.preload(
      "baseline",
      attempt.tree,
      attempt.number,
      attempt.strategy.name,
      this.maxRuns,
    );
    if (cached === 0) return null;
    // A cached run that named a file this baseline lacks ends it as a live run would.
    for (const run of this.evidence.runs)
      if (run.attempt === attempt.number && !attempt.cannotLoad) await this.cannotLoadChanged(run);
    const event = await this.decideNext("baseline");
    return event === "next-baseline" ? null : event;
  }

  /**
   * The folders that held files your change renamed and that your tree no longer has: a folder
   * renamed whole (best effort: none when git cannot say).
   */
  private async foldersGone(renames: ReadonlyMap<string, string>): Promise<Set<string>> {
    const folders = oldFolders(renames);
    if (folders.length === 0 || folders.length > 1_000) return new Set();
    const found = await this.repo.git
      .run([
        "ls-tree",
        "-z",
        "--name-only",
        "--full-tree",
        this.backup!.fingerprint.worktree,
        "--",
        ...folders.map((f) => `:(literal)${f}`),
      ])
      .catch(() => null);
    if (found === null) return new Set();
    const kept = new Set(splitZ(found));
    return new Set(folders.filter((f) => !kept.has(f)));
  }

  /**
   * Paths the command names (its arguments, `--opt=value` values, a program given by path) that
   * are in the user's tree and not in `tree`: a baseline without them cannot run the command
   * (a new test file, a new fixture), whatever the runner (DESIGN.md, issue 9).
   */
  private async pathsMissingIn(tree: string): Promise<string[]> {
    const words =
      this.options.shell !== undefined
        ? this.options.shell.split(/\s+/).map((w) => w.replace(/^['"]|['"]$/g, ""))
        : this.options.argv;
    const candidates = new Set<string>();
    // `npm test`, `npm run check`: the verb and the script's name are no paths, whatever folder
    // of yours bears the name (a new test/ made `npm test` unrunnable at every baseline).
    const manager = this.options.shell === undefined ? basename(words[0] ?? "") : "";
    const script = packageManagers.has(manager) ? scriptNamed(manager, words) : null;
    const firstPath = script ? words.length - script.rest.length : 0;
    for (const [i, word] of words.entries()) {
      if (i > 0 && i < firstPath) continue;
      const value = word.startsWith("-") ? word.slice(word.indexOf("=") + 1) : word;
      if (value === "" || (word.startsWith("-") && !word.includes("="))) continue;
      // The program counts only when given by path (`./run-tests.sh`), not found on PATH.
      if (i === 0 && this.options.shell === undefined && !value.includes("/")) continue;
      const full = isAbsolute(value) ? value : resolve(this.options.cwd, value);
      const path = relative(this.repo.root, full);
      if (path === "" || path.startsWith("..") || isAbsolute(path)) continue;
      try {
        lstatSync(full);
      } catch {
        continue;
      }
      candidates.add(path.split("\\").join("/"));
    }
    if (candidates.size === 0) return [];
    const paths = [...candidates];
    const listed = (t: string) =>
      askedOnce(
        this.listings,
        [t, ...paths].join("\0"),
        async () =>
          new Set(
            splitZ(
              await this.repo.git.run([
                "ls-tree",
                "-z",
                "--name-only",
                "--full-tree",
                t,
                "--",
                ...paths,
              ]),
            ),
          ),
      );
    const [inUser, inBaseline] = await Promise.all([
      listed(this.backup!.fingerprint.worktree),
      listed(tree),
    ]);
    return paths.filter((p) => inUser.has(p) && !inBaseline.has(p));
  }

  /**
   * The baseline of the last attempt could not run and the user's tree is back and verified:
   * set up the next attempt, a selective revert of the suspects or of a part of them.
   */
  private async switchStrategy(): Promise<MachineEvent> {
    this.enter("switch-strategy");
    if (this.options.signal?.aborted) return this.markInterrupted();
    if (!this.baselines.narrowed) {
      if (!(await this.baselines.chooseSuspects(this.backup!.fingerprint.worktree))) {
        // Escape or Ctrl-C in the checkbox, or a signal that aborted it: the tree is already
        // verified.
        if (this.options.signal?.aborted) return this.markInterrupted();
        this.interrupted = "SIGINT";
        this.cancelled = true;
        return "interrupted";
      }
      if (!this.baselines.startNarrowing()) return "exhausted";
    }
    if (!(await this.nextRevertAttempt("switch-strategy"))) return "exhausted";
    return this.isolated ? "isolated" : "ok";
  }

  /** Starts the next suspect set that can be run, journaling it; false when none is left. */
  private async nextRevertAttempt(state: StateName): Promise<boolean> {
    const attempt = await this.baselines.nextRevert(this.backup!.fingerprint.worktree);
    if (!attempt) return false;
    this.enter(
      state,
      `selective revert of ${plural(attempt.suspects.length, "path")}, attempt ${attempt.number}`,
    );
    return true;
  }

  /**
   * What the comparator is told: the confidence asked for, the budget as it stands, and what the
   * baseline of `attempt` is when it is a selective revert (its reasons then say "0/3 with
   * src/a.ts reverted", not "0/3 without").
   */
  private compareOptions(attempt?: Attempt | null): CompareOptions {
    const reverted = attempt?.strategy.name === "selective-revert" ? attempt.suspects : [];
    return {
      confidence: this.options.confidence,
      margin: this.options.margin,
      runs: this.options.runs,
      maxRuns: this.maxRuns,
      yourTreeCannotRun: "baseline",
      ...(attempt?.cannotLoad ? { baselineUnrunnableAfter: 1 } : {}),
      ...(attempt?.testsCannotLoad ? { newAfter: 1 } : {}),
      ...(reverted.length > 0
        ? {
            baselineIs: `with ${reverted.length <= 2 ? formatPaths(reverted) : plural(reverted.length, "path")} reverted`,
          }
        : {}),
    };
  }

  /** Where runs of a side happen in place: the user's tree, settled back to the side's tree. */
  private placeInTree(side: Side): Place {
    return {
      repo: this.repo,
      cwd: this.options.cwd,
      tree: side === "current" ? this.backup!.fingerprint.worktree : this.baselineTree,
      residueRef: this.sideResidueRef(side),
    };
  }

  /** Runs on the current tree from the cache, once: how many. */
  private async preloadCurrent(): Promise<number> {
    if (this.currentPreloaded) return 0;
    this.currentPreloaded = true;
    return this.runs.preload(
      "current",
      this.backup!.fingerprint.worktree,
      undefined,
      null,
      this.maxRuns,
    );
  }

  /** One run on a side (or earlier runs from the cache), then the comparator says what comes next. */
  private async probe(side: Side): Promise<MachineEvent> {
    if (this.options.signal?.aborted) return this.markInterrupted();
    if (side === "current" && (await this.preloadCurrent()) > 0) {
      const event = await this.decideNext("current");
      if (event === "next-attempt") {
        this.pendingAttempt = true;
        return "decided";
      }
      if (event !== "next-current") return event;
    }
    const run = await this.runs.once(side, this.placeInTree(side), this.baselines.current?.number);
    if (!run) return this.markInterrupted();
    if (side === "baseline") await this.cannotLoadChanged(run);
    // A run on your tree after the baseline's: what it builds is yours again.
    if (side === "current") this.buildsLeft = [];
    const event = await this.decideNext(side);
    if (side === "baseline" && event === "next-current") this.pendingCurrent = true;
    if (event === "next-attempt") {
      // Another baseline after the tree is back and verified (from your tree: verify first).
      this.pendingAttempt = true;
      if (side === "current") return "decided";
    }
    return event;
  }

  /**
   * A baseline run that could not run and whose words name a file this baseline has otherwise
   * than your tree (`Cannot find module '../src/discount.js'` where the revert took your new
   * helper away, `No module named 'shop.discount'`, `The requested module '../src/format.mjs'
   * does not provide an export named 'fmt'` where it put HEAD's format.mjs back): no second run
   * finds that file otherwise, so the attempt is unrunnable after this one run (a selective
   * revert of a new test's helper ran three times, and the next attempt reverted the helper
   * alone, three more), and the next suspect set keeps the file. Only words that say a file
   * could not be loaded or found count (`pathsNamedIn`). The same for a run that ran, where the
   * test files of every test still to judge failed to load for such a file (node --test, jest,
   * vitest and unittest report one as a failing test): those tests are new here after that run
   * (`newAfter`). Asks git once a baseline tree, on such a run only.
   */
  private async cannotLoadChanged(run: RunRecord): Promise<void> {
    const attempt = this.baselines.current;
    if (!attempt?.tree || attempt.cannotLoad) return;
    // A run that ran: the test files that failed to load, when they hold every test still to
    // judge here (node --test, jest, vitest and unittest report such a file as a failing test).
    let words: string[] = [];
    let unobserved: Set<string> | null = null;
    if (run.outcome === "cannot-run") words = run.why ? [run.why] : [];
    else if (run.outcome === "fail" && run.tests) {
      const failed = run.tests.entries.filter(
        (e) => e.kind === "file" && e.status === "fail" && e.file && e.message,
      );
      if (failed.length > 0) unobserved = this.evidence.unobservedFiles(attempt.number);
      if (unobserved && [...unobserved].every((file) => failed.some((e) => e.file === file)))
        words = failed.filter((e) => unobserved!.has(e.file!)).map((e) => e.message!);
    }
    if (words.length === 0) return;
    let differ: string[];
    try {
      // Once a baseline tree: a later run that could not run asks the same question.
      const yours = this.backup!.fingerprint.worktree;
      differ = (
        await askedOnce(this.changesFrom, attempt.tree, () =>
          listChanges(this.repo, yours, attempt.tree!),
        )
      ).map((c) => c.path);
    } catch {
      // A hint only: without it, the attempt runs as many times as before.
      return;
    }
    // Each file that failed to load must name one: else one may fail for another reason.
    const named = words.map((w) => pathsNamedIn(w, differ));
    if (named.some((paths) => paths.length === 0)) return;
    attempt.cannotLoad = [...new Set(named.flat())];
    if (unobserved) attempt.testsCannotLoad = true;
  }

  /**
   * What the comparator says after the runs so far on a side: a verdict ("decided", or
   * "next-attempt" when the baseline could not run and another way is left) or the next side.
   */
  private async decideNext(side: Side): Promise<MachineEvent> {
    const decision = await this.decideNow();
    if (decision.kind === "verdict") return this.settleVerdict(decision);
    const next = this.options.interleave ? this.interleaved(side, decision.side) : decision.side;
    return next === "current" ? "next-current" : "next-baseline";
  }

  /** The comparator's decision now; at an inconclusive end, the user may allow more runs. */
  private async decideNow(): Promise<SuiteDecision> {
    const attempt = this.baselines.current;
    let decision = this.evidence.decide(attempt?.number, this.compareOptions(attempt));
    // The budget is spent without a verdict: the user may allow more runs (`--more N`, a prompt).
    while (
      decision.kind === "verdict" &&
      decision.verdict === "inconclusive" &&
      this.options.moreRuns &&
      !this.options.signal?.aborted
    ) {
      // `culprit status` after a kill at the question says so, not "running the command".
      this.journal.detail = askingForMoreRuns;
      writeJournal(this.repo.stateDir, this.journal);
      const more = await this.options.moreRuns();
      if (!(more > 0)) break;
      this.maxRuns += more;
      decision = this.evidence.decide(attempt?.number, this.compareOptions(attempt));
    }
    this.decision = decision;
    return decision;
  }

  /**
   * A verdict once the baseline attempt has runs rests on that attempt, unless it says the
   * baseline could not run: then the next attempt, if one is left.
   */
  private settleVerdict(decision: SuiteDecision & { kind: "verdict" }): MachineEvent {
    const attempt = this.baselines.current;
    if (decision.tests.some((t) => t.verdict === "new")) {
      // Tests this baseline does not have (new ones): another baseline, a selective revert that
      // keeps the test files, judges them; the tests judged here keep their verdicts.
      const another = this.baselines.unrunnable();
      if (decision.tests.some((t) => t.verdict !== null && t.verdict !== "new"))
        attempt!.outcome = "decided";
      return another ? "next-attempt" : "decided";
    }
    if (decision.verdict === "pre-existing" && attempt && this.baselines.revertsPart(attempt)) {
      // Still failing with part of the suspects reverted: not caused by those alone. The other
      // parts are tried; without one that runs, nothing is known (never "pre-existing").
      if (this.baselines.notTheCause()) return "next-attempt";
      this.decision = { ...decision, verdict: "inconclusive" };
      return "decided";
    }
    if (this.evidence.baselineCounts(attempt?.number) !== null) {
      if (decision.verdict !== "unrunnable") attempt!.outcome = "decided";
      else if (this.stoppedAlike(attempt!.number)) attempt!.outcome = "unrunnable";
      else if (this.baselines.unrunnable()) return "next-attempt";
    }
    return "decided";
  }

  /**
   * --worktree: the current side's worktrees hold the user's tree as backed up (files, index,
   * HEAD), once; the baseline's hold the attempt's tree, made anew for each attempt. Ignored
   * folders (node_modules, .venv) are linked in, or copied where the config says so.
   */
  private async enterWorktrees(): Promise<MachineEvent> {
    if (this.options.signal?.aborted) return this.markInterrupted();
    const backup = this.backup!;
    this.worktrees ??= new WorktreeSlots(
      this.repo,
      this.runId,
      this.options.jobs ?? 1,
      { copy: this.options.share?.copy ?? [] },
      (state, detail, paths) => this.enter(state, detail, { worktrees: paths }),
    );
    try {
      const head = await this.headTree();
      if (!this.worktrees.slots.some((s) => s.side === "current")) {
        await this.worktrees.fill(
          "current",
          { commit: head.commit, tree: backup.fingerprint.worktree, indexTree: backup.indexTree },
          this.options.cwd,
        );
      }
      if (!this.baselines.current && !(await this.startFirstAttempt())) return "failed";
      const attempt = this.baselines.current!;
      attempt.tree ??= await attempt.strategy.target(this.repo);
      await this.worktrees.fill(
        "baseline",
        { commit: this.base?.commit ?? head.commit, tree: attempt.tree },
        this.options.cwd,
      );
    } catch (error) {
      // The signal that stops culprit killed git too: interrupted, not unpreparable.
      if (await this.stoppedBySignal(error)) return this.markInterrupted();
      this.baselineFailure = error instanceof Error ? error.message : String(error);
      const attempt = this.baselines.current;
      if (attempt) attempt.outcome = "not-prepared";
      return "failed";
    }
    return "ok";
  }

  /** Where a run happens in a worktree slot. */
  private placeInSlot(slot: Slot): Place {
    return {
      repo: slot.worktree.repo,
      cwd: slot.cwd,
      tree: slot.tree,
      residueRef: this.sideResidueRef(slot.side, slot.number),
      ...(slot.worktree.env ? { env: slot.worktree.env } : {}),
    };
  }

  /** True while a side should get another run: during its first runs, then while undecided. */
  private wants(side: Side, inFlight: number): boolean {
    const attempt = this.baselines.current?.number;
    const used = this.evidence.used(side, attempt) + inFlight;
    return used < this.maxRuns;
  }

  /**
   * --worktree: runs on both sides, each in its own worktree, `--jobs` at a time in all (one
   * with --worktree alone), the comparator deciding as results arrive; runs still going when it
   * decides are let finish and left out. With two jobs or more the baseline runs from the start,
   * even before your tree has failed: with cores to spare, waiting costs more than a run that
   * may turn out unneeded.
   */
  private async probeParallel(): Promise<MachineEvent> {
    const attempt = this.baselines.current!;
    await this.preloadCurrent();
    const early = await this.beforeBaseline(attempt);
    // The baseline could not be built, lacks a path the command names, or the cache decided.
    if (early === "failed") return "decided";
    if (early === "decided" || early === "next-attempt") return early;
    const slots = this.worktrees!;
    const jobs = Math.max(1, this.options.jobs ?? 1);
    const running = new Map<Slot, { done: Promise<void>; stop: AbortController }>();
    const count = (side: Side) => [...running.keys()].filter((s) => s.side === side).length;
    const stopAll = async () => {
      for (const { stop } of running.values()) stop.abort();
      await Promise.all([...running.values()].map((r) => r.done));
    };
    try {
      for (;;) {
        if (this.options.signal?.aborted) {
          await stopAll();
          return this.markInterrupted();
        }
        // With runs going, an inconclusive end is not final yet: ask for more only when idle.
        const decision =
          running.size > 0
            ? this.evidence.decide(attempt.number, this.compareOptions(attempt))
            : await this.decideNow();
        this.decision = decision;
        if (decision.kind === "verdict") {
          // The runs still going are let finish, not stopped: a worktree's linked folders are
          // yours (dist/, node_modules), and a test killed while writing there (a build
          // truncating dist/calc.mjs) would leave your file half written. Their outcomes are not
          // needed; a signal still stops them (above, and in `finally`).
          await Promise.all([...running.values()].map((r) => r.done.catch(() => {})));
          return this.settleVerdict(decision);
        }
        // `--jobs` runs at a time in all (one with --worktree alone: a test that holds a port or
        // a lock runs alone, as in place), first on the side the comparator asks for.
        const order: Side[] =
          decision.side === "baseline" ? ["baseline", "current"] : ["current", "baseline"];
        for (const side of order) {
          for (
            let slot = slots.free(side);
            slot && running.size < jobs && this.wants(side, count(side));
          ) {
            const stop = new AbortController();
            const whole = this.options.signal;
            const signal = whole ? AbortSignal.any([whole, stop.signal]) : stop.signal;
            const taken = slot;
            taken.busy = true;
            const done = this.runs
              .once(
                side,
                this.placeInSlot(taken),
                side === "baseline" ? attempt.number : undefined,
                signal,
              )
              .then(async (run) => {
                if (run && side === "baseline") await this.cannotLoadChanged(run);
              })
              .finally(() => {
                taken.busy = false;
                running.delete(taken);
              });
            running.set(taken, { done, stop });
            slot = slots.free(side);
          }
        }
        if (running.size === 0) {
          // Nothing left to run and no verdict: the budget of both sides is spent.
          const final = await this.decideNow();
          return final.kind === "verdict" ? this.settleVerdict(final) : "decided";
        }
        await Promise.race([...running.values()].map((r) => r.done));
      }
    } finally {
      await stopAll().catch(() => {});
    }
  }

  /**
   * Your tree never reached the command, and baseline attempt `attempt` stopped for the very same
   * reason (`pnpm: not found` under `npm test`, exit 127): the cause is not in your changes, and
   * no selective revert is tried (one UI project's `npm test` tried 8 of them, 24 runs).
   */
  private stoppedAlike(attempt: number): boolean {
    // Every run of both sides could not run, and said one and the same thing.
    const runs = this.evidence.runs.filter((r) => r.side === "current" || r.attempt === attempt);
    const reasons = new Set(runs.map((r) => (r.outcome === "cannot-run" ? r.why : undefined)));
    const [why] = reasons;
    return reasons.size === 1 && why !== undefined && why !== "";
  }

  /**
   * --interleave: alternate the sides (so that drift of the machine hits both alike) while the
   * other side has budget left; otherwise the side the comparator asked for.
   */
  private interleaved(justRan: Side, wanted: Side): Side {
    const other: Side = justRan === "current" ? "baseline" : "current";
    const used = this.evidence.used(other, this.baselines.current?.number);
    return used < this.maxRuns ? other : wanted;
  }

  /**
   * Before anything is touched: a tree with more changed files than `confirmAbove` is checked
   * out over only once the user said yes (`--yes`, or the prompt); no means exit with nothing
   * touched.
   */
  private async confirmTouch(): Promise<void> {
    const ask = this.options.confirmTouch;
    const above = this.options.confirmAbove;
    if (!ask || above === undefined) return;
    const tree = await snapshotWorktree(this.repo);
    const changed = (await listChanges(this.repo, tree, this.base?.commit ?? "HEAD")).length;
    if (changed <= above) return;
    if (!(await ask(changed))) throw new CancelledError(messages.declinedTouch());
  }

  /**
   * Where the tests came from (the first report read), and what the user should know: why the
   * command was judged by its exit code, or how many runs had no readable report.
   */
  private perTestSummary(): AttributionResult["perTest"] {
    if (this.options.perTest === false) return { source: null, note: messages.perTestOff() };
    const runs = this.evidence.runs.filter((r) => r.outcome !== "cannot-run");
    const source = runs.find((r) => r.tests)?.tests?.source ?? null;
    // Only when a run that reached the command went without a report: a baseline that could not
    // run the npm script (missing there) made "npm runs a script" the note of a report whose
    // tests all came from that script's runner.
    if (this.runs.noReport && runs.some((r) => !r.tests && !r.testsMissing))
      return { source, note: this.runs.noReport };
    const missing = runs.filter((r) => r.testsMissing);
    if (missing.length > 0)
      return {
        source,
        note: messages.reportsMissing(missing.length, runs.length, missing[0]!.testsMissing!),
      };
    return { source, note: null };
  }

  /** What a restore from the backup kept: the tree it found, and HEAD when it had moved. */
  private async collectRestoreResidue(): Promise<void> {
    const ref = this.residueRef("restore");
    await this.collectResidue(ref);
    await this.collectResidue(`${ref}-head`);
  }

  private async collectResidue(ref: string): Promise<void> {
    const found = await this.repo.git.tryRun(["rev-parse", "--verify", "-q", ref]);
    if (found.exitCode === 0 && !this.restore.residue.includes(ref)) this.restore.residue.push(ref);
  }

  /**
   * The decision as reported, its reason brought up to the runs shown beside it:
   * - the headline ("1 test newly fails; 1 failure was already there") counted from the tests as
   *   reported: a test still failing at a revert of part of the suspects is reported
   *   inconclusive, where the comparator had counted it as already there;
   * - without per-test reports, the counts of the runs that ended after the verdict (--jobs lets
   *   the runs going finish): "fails 4/4" stood beside a row of 5, now "fails 5/5 ... (decided at
   *   4/4 ...)", as for a test.
   */
  private finalReason(
    decision: SuiteDecision,
    tests: readonly TestResult[],
    attempt: Attempt | null | undefined,
  ): SuiteDecision {
    if (decision.kind !== "verdict") return decision;
    if (decision.tests.length === 0) {
      const baseline = attempt ? this.evidence.baselineCounts(attempt.number) : null;
      if (!baseline) return decision;
      const final = { current: this.evidence.counts("current"), baseline };
      return { ...decision, reason: withFinalCounts(decision.reason, final, true) };
    }
    const options = this.compareOptions(attempt);
    const here = new Set(tests.filter((t) => t.current.failures > 0).map((t) => t.id));
    if (decision.reason !== suiteHeadline(decision.tests, here, options)) return decision;
    const reason = suiteHeadline(tests, here, options);
    return reason === "" ? decision : { ...decision, reason };
  }

  /** The restore as reported: with the folder git stash made anew, if it did. */
  private restoreReport(): RestoreReport {
    const kept = this.stashFolder;
    if (!kept || !this.restore.touched || kept.inode === null) return this.restore;
    const now = inodeOf(join(this.repo.root, kept.folder));
    return now !== null && now !== kept.inode
      ? { ...this.restore, folderRemade: kept.folder }
      : this.restore;
  }
  private result(): AttributionResult {
    const current = this.baselines.current;
    // Interrupted before any run was recorded: the counts so far still give the statistics.
    const decision =
      this.decision ?? this.evidence.decide(current?.number, this.compareOptions(current));
    const runsMs = this.evidence.runsMs();
    const totalMs = Date.now() - this.startedAt;
    // A signal after the last run (during the restore) keeps the verdict but is still reported,
    // so the exit code says the user asked to stop (130/143/129).
    const lateSignal = this.options.signal?.aborted ? this.abortSignal() : null;
    const interrupted = this.interrupted ?? lateSignal;
    const undecided = decision.kind !== "verdict";
    const verdict = this.interrupted
      ? "inconclusive"
      : !undecided
        ? decision.verdict
        : this.baselineFailure
          ? "unrunnable"
          : "inconclusive";
    // The attempt the verdict rests on: the last one that ran.
    const ran = this.baselines.lastRan(this.evidence);
    const tests = this.evidence.testResults();
    const shown = this.finalReason(decision, tests, ran ?? current);
    const reason = this.interrupted
      ? this.cancelled
        ? messages.cancelledReason(this.evidence.runs.length)
        : messages.interruptedReason(this.interrupted, this.evidence.runs.length)
      : undecided && this.baselineFailure
        ? messages.baselineNotPrepared(this.baselineFailure)
        : this.baselines.reasonFor(
            verdict,
            shown,
            yourTreeRan(this.evidence.runs),
            regressedOnlyOtherwise(tests),
            tests.filter((t) => t.verdict === "regression").map((t) => t.attempt),
          );
    return {
      runId: this.runId,
      verdict,
      reason,
      // Judged per test, by the tests the verdict rests on: an old flaky test beside a steady
      // regression made some baseline runs pass, and the regression read "(flaky)" (p-map trial).
      flaky: tests.some((t) => t.verdict === verdict)
        ? flakyTests(tests, verdict)
        : this.evidence.flaky(ran?.number),
      stats: decision.stats,
      strategy: ran ? ran.strategy.name : null,
      suspects: this.baselines.resultSuspects(ran),
      attempts: this.baselines.reports(this.evidence),
      runs: this.evidence.runs,
      command: {
        argv: this.options.argv,
        shell: this.options.shell ?? null,
        cwd: this.options.cwd,
      },
      restore: this.restoreReport(),
      submodules: ran ? this.keptSubmodules : [],
      buildsLeft: this.buildsLeft,
      buildsNotRebuilt: this.buildsNotRebuilt,
      worktrees: this.isolated
        ? {
            jobs: this.options.jobs ?? 1,
            ...(this.worktrees?.shared.get() ?? { shared: [], env: [] }),
          }
        : null,
      tests,
      failureWay: this.interrupted || undecided ? null : (decision.failureWay ?? null),
      perTest: this.perTestSummary(),
      cache: { enabled: Boolean(this.options.cache), reused: this.runs.reused },
      interrupted,
      ...(this.cancelled && interrupted ? { cancelled: true } : {}),
      base: this.base ? { rev: this.base.rev, commit: this.base.commit } : null,
      timing: {
        totalMs,
        runsMs,
        overheadMs: Math.max(0, totalMs - runsMs),
        phases: this.clock.rounded(),
      },
      decision,
    };
  }
}

/**
 * Judged per test, whether a test the verdict rests on both failed and passed: the command may
 * fail every run (an old failure beside it) while the test it blames fails one run in two.
 */
function flakyTests(tests: readonly TestResult[], verdict: string): boolean {
  const mixed = (side: { runs: number; failures: number }) =>
    side.failures > 0 && side.failures < side.runs;
  return tests.some(
    (t) =>
      t.verdict === verdict &&
      (mixed(t.current) || (verdict === "pre-existing" && mixed(t.baseline))),
  );
}

/** The inode of a folder, or null when it is not there. */
function inodeOf(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

/** The package managers whose `test` and `run <script>` name a script, not a path. */
const packageManagers = new Set(["npm", "pnpm", "yarn", "bun"]);
