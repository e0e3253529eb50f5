import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { decide } from "../compare/decide.js";
import type { Decision, Side, SideCounts } from "../compare/types.js";
import { CancelledError, NotRestoredError, UsageError } from "../errors.js";
import {
  type Backup,
  createBackup,
  dropBackup,
  keepResidue,
  restoreFromBackup,
  verifyAgainst,
} from "../git/backup.js";
import type { Repo } from "../git/repo.js";
import { resetWorktree, snapshotWorktree } from "../git/snapshot.js";
import { messages } from "../messages.js";
import { runWithHangRetry } from "../run/index.js";
import { type BaseRevision, baseRevision, resolveBase } from "../strategies/base-revision.js";
import { baselineStash } from "../strategies/baseline-stash.js";
import { type SelectiveRevert, selectiveRevert } from "../strategies/selective-revert.js";
import {
  automaticSuspects,
  type Change,
  defaultKeepGlobs,
  expandSuspects,
  listChanges,
  SuspectNarrowing,
  toRepoPath,
} from "../strategies/suspects.js";
import type { Strategy } from "../strategies/types.js";
import { faultPoint } from "./fault.js";
import { clearJournal, type Journal, writeJournal } from "./journal.js";
import { acquireLock } from "./lock.js";
import { assertNoPendingRun, preflight } from "./preflight.js";
import { type MachineEvent, nextState, type StateName } from "./states.js";
import type {
  AttemptOutcome,
  AttemptReport,
  AttributeOptions,
  AttributionResult,
  RestoreReport,
  RunRecord,
} from "./types.js";

const keptLogRuns = 5;

/** Most suspect sets a selective revert tries (the whole set, then parts) before giving up. */
export const maxRevertAttempts = 8;

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

/** A run id that sorts by time: 20261128T054312-3f9a. */
function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** Attributes the failure of a command: `culprit -- cmd`. Only src/cli catches what it throws. */
export async function attribute(options: AttributeOptions): Promise<AttributionResult> {
  const startedAt = Date.now();
  const repo = await preflight(options.cwd, options.argv, options.shell, {
    allowClean: options.base !== undefined,
  });
  // A base the clone does not have is a usage error, before anything is touched.
  const base = options.base !== undefined ? await resolveBase(repo, options.base) : null;
  const release = acquireLock(repo.stateDir);
  try {
    // Checked again under the lock: a run that died may have left a journal meanwhile.
    assertNoPendingRun(repo);
    return await new Attribution(repo, options, startedAt, base).run();
  } finally {
    release();
  }
}

/** One way of producing the baseline, and what became of it. */
interface Attempt {
  number: number;
  strategy: Strategy;
  suspects: string[];
  outcome: AttemptOutcome | "running";
  /** The baseline tree it produced (known once entered). */
  tree: string | null;
}

class Attribution {
  private readonly runId = newRunId();
  private readonly journal: Journal;
  private readonly runs: RunRecord[] = [];
  private readonly logDir: string;
  private readonly mode: NonNullable<AttributeOptions["strategy"]>;
  /** Runs a side allowed: `--max-runs`, raised when the user asks for more after an inconclusive. */
  private maxRuns: number;
  private readonly keep: string[];
  private backup: Backup | null = null;
  private baselineTree: string | null = null;
  private decision: Decision | null = null;
  private pendingCurrent = false;
  /** The baseline of the attempt could not run and another one is planned. */
  private pendingAttempt = false;
  private interrupted: string | null = null;
  /** Why the baseline could not be prepared (e.g. git refused to stash), if it could not. */
  private baselineFailure: string | null = null;
  /** Every baseline attempt; the last one is the current one. */
  private readonly attempts: Attempt[] = [];
  /** What differs between HEAD and the user's tree (known once suspects were needed). */
  private changes: Change[] | null = null;
  /** The suspects of the selective revert (null until chosen). */
  private suspects: string[] | null = null;
  private narrowing: SuspectNarrowing | null = null;
  /** Baseline trees that could not run: a suspect set producing one of them is not run again. */
  private readonly unrunnableTrees = new Set<string>();
  /** Why the last suspect set could not be prepared (e.g. ignored files in the way). */
  private preparationFailure: string | null = null;
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
    private readonly base: BaseRevision | null = null,
  ) {
    this.mode = options.strategy ?? "auto";
    this.maxRuns = options.maxRuns;
    this.keep = [...defaultKeepGlobs, ...(options.keep ?? [])];
    this.logDir = join(repo.stateDir, "logs", this.runId);
    this.journal = {
      version: 1,
      runId: this.runId,
      pid: process.pid,
      startedAt: new Date(startedAt).toISOString(),
      state: "preflight",
      command: options.shell !== undefined ? ["sh", "-c", options.shell] : options.argv,
      residue: [],
      history: [],
    };
  }

  /** The attempt in progress (or the last one). */
  private get attempt(): Attempt | null {
    return this.attempts.at(-1) ?? null;
  }

  /** Enters a state: the journal is written before the state's side effect. */
  private enter(state: StateName, detail?: string, extra: Partial<Journal> = {}): void {
    Object.assign(this.journal, extra, { state, detail });
    this.journal.history.push({
      state,
      at: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
    writeJournal(this.repo.stateDir, this.journal);
    faultPoint(state, detail);
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
      if (this.options.suspects?.length || this.mode === "revert") {
        const chosen = await this.chooseSuspects();
        if (!chosen) throw new CancelledError(messages.cancelled());
        if (this.mode === "revert" && this.suspects!.length === 0)
          throw new UsageError(messages.noSuspects());
      }
      await this.confirmTouch();
      return "ok";
    },
    backup: async () => {
      this.enter("backup");
      this.backup = await createBackup(this.repo, this.runId);
      this.enter("backup", "pinned", { backup: this.backup });
      pruneLogs(join(this.repo.stateDir, "logs"));
      return "ok";
    },
    "probe-current": async () => this.probe("current"),
    "enter-baseline": async () => {
      if (this.options.signal?.aborted) return this.markInterrupted();
      this.restore.touched = true;
      // The first baseline: the stash, or with --strategy revert the whole suspect set.
      if (!this.attempt) {
        if (this.mode === "revert") {
          this.narrowing = new SuspectNarrowing(this.suspects!, maxRevertAttempts);
          if (!(await this.nextRevertAttempt("enter-baseline"))) {
            this.baselineFailure = this.preparationFailure ?? messages.noSuspects();
            return "failed";
          }
        } else if (this.base)
          this.startAttempt(baseRevision(this.base, this.backup!.fingerprint.worktree));
        else this.startAttempt(baselineStash(this.runId));
      }
      const attempt = this.attempt!;
      try {
        this.baselineTree = await attempt.strategy.enter(this.repo, this.journalStep);
        attempt.tree = this.baselineTree;
      } catch (error) {
        this.baselineFailure = error instanceof Error ? error.message : String(error);
        attempt.outcome = "stopped";
        return "failed";
      }
      return "ok";
    },
    "probe-baseline": async () => this.probe("baseline"),
    "leave-baseline": async () => {
      await this.settle("baseline");
      const strategy = this.attempt!.strategy;
      let left = false;
      try {
        left = await strategy.leave(this.repo, this.journalStep);
      } catch {
        left = false;
      }
      this.baselineTree = null;
      if (!left) return "failed";
      this.restore.via = strategy.restoreVia;
      return "ok";
    },
    verify: async () => {
      this.enter("verify");
      const diffs = await verifyAgainst(this.repo, this.backup!);
      if (diffs.length > 0) return "mismatch";
      return this.afterRestore();
    },
    "restore-from-backup": async () => {
      this.enter("restore-from-backup");
      this.restore.touched = true;
      const diffs = await restoreFromBackup(this.repo, this.backup!, this.residueRef("restore"));
      await this.collectResidue(this.residueRef("restore"));
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
    report: async () => {
      this.enter("report", "verified: dropping the backup");
      this.restore.verified = true;
      await dropBackup(this.repo, this.backup!);
      clearJournal(this.repo.stateDir);
      return "ok";
    },
    done: async () => "ok",
  };

  async run(): Promise<AttributionResult> {
    let state: StateName = "preflight";
    try {
      while (state !== "done") {
        state = nextState(state, await this.handlers[state]());
      }
    } catch (error) {
      await this.rescue(state, error);
      throw error;
    }
    return this.result();
  }

  /** Something threw mid-run: bring the tree back from the backup before the error surfaces. */
  private async rescue(state: StateName, error: unknown): Promise<void> {
    if (error instanceof NotRestoredError || !this.backup) {
      if (!this.backup) clearJournal(this.repo.stateDir);
      return;
    }
    if (state === "report") return;
    try {
      this.enter("restore-from-backup", "after an error");
      const diffs = await restoreFromBackup(this.repo, this.backup, this.residueRef("restore"));
      if (diffs.length === 0) {
        await this.discardAll();
        await dropBackup(this.repo, this.backup);
        clearJournal(this.repo.stateDir);
      }
    } catch {
      // The journal and the backup ref stay: `culprit recover` takes it from here.
    }
  }

  /** After a restore from the backup: what every strategy tried may have left behind. */
  private async discardAll(): Promise<void> {
    for (const attempt of this.attempts) await attempt.strategy.discard(this.repo);
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

  private markInterrupted(): MachineEvent {
    const reason = this.options.signal?.reason;
    this.interrupted = typeof reason === "string" ? reason : "SIGINT";
    if (this.attempt?.outcome === "running") this.attempt.outcome = "stopped";
    return "interrupted";
  }

  private residueRef(what: string): string {
    return `${this.repo.refPrefix}/residue/${this.runId}/${what}`;
  }

  /** Residue of a side: `baseline` for the first attempt, `baseline-<n>` for later ones. */
  private sideResidueRef(side: Side): string {
    const n = this.attempt?.number ?? 1;
    return this.residueRef(side === "baseline" && n > 1 ? `baseline-${n}` : side);
  }

  private startAttempt(strategy: Strategy): void {
    const suspects =
      strategy.name === "selective-revert" ? [...(strategy as SelectiveRevert).suspects] : [];
    const attempt: Attempt = {
      number: this.attempts.length + 1,
      strategy,
      suspects,
      outcome: "running",
      tree: null,
    };
    this.attempts.push(attempt);
    this.options.onProgress?.({
      kind: "attempt",
      attempt: attempt.number,
      strategy: strategy.name,
      suspects,
    });
  }

  private revertStrategy(suspects: string[]): SelectiveRevert {
    // With --base the changes are taken against the base, so a revert puts its entries back.
    return selectiveRevert({
      userTree: this.backup!.fingerprint.worktree,
      changes: this.changes!,
      suspects,
    });
  }

  /**
   * Settles the suspects: `--suspect` expanded against what changed (exit 3 if one names no
   * change), else the user's pick on a TTY, else every change but test files. False when the
   * user cancelled the pick.
   */
  private async chooseSuspects(): Promise<boolean> {
    if (this.suspects) return true;
    const userTree = this.backup?.fingerprint.worktree ?? (await snapshotWorktree(this.repo));
    const changes = await listChanges(this.repo, userTree, this.base?.commit ?? "HEAD");
    this.changes = changes;
    const given = this.options.suspects ?? [];
    if (given.length > 0) {
      const paths = given.map((p) => {
        const path = toRepoPath(this.repo.root, this.options.cwd, p);
        if (path === null) throw new UsageError(messages.suspectOutside(p));
        return path;
      });
      const { suspects, unmatched } = expandSuspects(changes, paths, this.keep);
      if (unmatched.length > 0) {
        throw new UsageError(
          messages.suspectUnchanged(
            unmatched,
            changes.map((c) => c.path),
          ),
        );
      }
      this.suspects = suspects;
      return true;
    }
    const automatic = automaticSuspects(changes, this.keep);
    if (this.options.pickSuspects && changes.length > 0) {
      const picked = await this.options.pickSuspects(changes, automatic);
      if (picked === null) return false;
      this.suspects = [...picked].sort();
      return true;
    }
    this.suspects = automatic;
    return true;
  }

  /**
   * The baseline of the last attempt could not run and the user's tree is back and verified:
   * set up the next attempt, a selective revert of the suspects or of a part of them.
   */
  private async switchStrategy(): Promise<MachineEvent> {
    this.enter("switch-strategy");
    if (this.options.signal?.aborted) return this.markInterrupted();
    if (!this.narrowing) {
      if (!(await this.chooseSuspects())) {
        // Ctrl-C in the checkbox, or a signal that aborted it: the tree is already verified.
        if (this.options.signal?.aborted) return this.markInterrupted();
        this.interrupted = "SIGINT";
        return "interrupted";
      }
      if (this.suspects!.length === 0) return "exhausted";
      this.narrowing = new SuspectNarrowing(this.suspects!, maxRevertAttempts);
    }
    return (await this.nextRevertAttempt("switch-strategy")) ? "ok" : "exhausted";
  }

  /**
   * Starts the next suspect set whose reverted tree can be built and is not one that already
   * could not run; the others are recorded (not run) and split further. False when none is left.
   */
  private async nextRevertAttempt(state: StateName): Promise<boolean> {
    const narrowing = this.narrowing!;
    for (let set = narrowing.next(); set !== null; set = narrowing.next()) {
      const strategy = this.revertStrategy(set);
      this.startAttempt(strategy);
      const attempt = this.attempt!;
      try {
        attempt.tree = await strategy.target(this.repo);
      } catch (error) {
        this.preparationFailure = error instanceof Error ? error.message : String(error);
        attempt.outcome = "not-prepared";
        narrowing.unrunnable(set);
        continue;
      }
      if (this.unrunnableTrees.has(attempt.tree)) {
        attempt.outcome = "same-tree";
        narrowing.unrunnable(set);
        continue;
      }
      this.enter(state, `selective revert of ${set.length} path(s), attempt ${attempt.number}`);
      return true;
    }
    return false;
  }

  /** The baseline of the current attempt could not run: plans the next one if there is one. */
  private attemptUnrunnable(): boolean {
    const attempt = this.attempt!;
    attempt.outcome = "unrunnable";
    if (attempt.tree) this.unrunnableTrees.add(attempt.tree);
    if (attempt.strategy.name !== "selective-revert") return this.mode === "auto";
    this.narrowing!.unrunnable(attempt.suspects);
    return this.narrowing!.hasNext();
  }

  /** One run on a side, then the comparator says what comes next. */
  private async probe(side: Side): Promise<MachineEvent> {
    if (this.options.signal?.aborted) return this.markInterrupted();
    const index = this.runs.filter((r) => r.side === side).length + 1;
    this.enter(side === "current" ? "probe-current" : "probe-baseline", `run ${index}`);
    this.options.onProgress?.({ kind: "run-start", side, index });
    mkdirSync(this.logDir, { recursive: true });
    const result = await runWithHangRetry(
      {
        argv: this.options.argv,
        ...(this.options.shell !== undefined ? { shell: this.options.shell } : {}),
        cwd: this.options.cwd,
        env: { CULPRIT_SIDE: side, CULPRIT_RUN: String(index), CULPRIT_RUN_ID: this.runId },
        onSpawn: (pgid) => {
          this.journal.testGroup = pgid;
          writeJournal(this.repo.stateDir, this.journal);
        },
        timeoutMs: this.options.timeoutMs,
        killAfterMs: this.options.killAfterMs,
        logPath: join(this.logDir, `${side}-${index}.log`),
        ...(this.options.onOutput ? { onOutput: this.options.onOutput } : {}),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      },
      {
        ...(this.options.cannotRunPattern
          ? { cannotRunPattern: this.options.cannotRunPattern }
          : {}),
        ...(this.options.cannotRunExit ? { cannotRunExit: this.options.cannotRunExit } : {}),
        ...(this.options.runner ? { runner: this.options.runner } : {}),
      },
    );
    this.journal.testGroup = undefined;
    await this.settle(side);
    if (result.interrupted) return this.markInterrupted();
    const run: RunRecord = {
      side,
      index,
      ...(side === "baseline" ? { attempt: this.attempt!.number } : {}),
      outcome: result.outcome,
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: result.durationMs,
      hangRetried: result.hangRetried ?? false,
      logPath: result.logPath,
      ...(result.outcome !== "pass" ? { tail: lastLines(result.tail, 20) } : {}),
    };
    this.runs.push(run);
    this.options.onProgress?.({ kind: "run-end", side, index, run });
    const decideNow = () =>
      decide(countSide(this.runs, "current"), this.baselineCountsOrNull(), {
        confidence: this.options.confidence,
        margin: this.options.margin,
        runs: this.options.runs,
        maxRuns: this.maxRuns,
      });
    let decision = decideNow();
    // The budget is spent without a verdict: the user may allow more runs (`--more N`, a prompt).
    while (
      decision.kind === "verdict" &&
      decision.verdict === "inconclusive" &&
      this.options.moreRuns &&
      !this.options.signal?.aborted
    ) {
      const more = await this.options.moreRuns();
      if (!(more > 0)) break;
      this.maxRuns += more;
      decision = decideNow();
    }
    this.decision = decision;
    if (decision.kind === "verdict") {
      // A verdict once the baseline attempt has runs rests on that attempt, unless it says the
      // baseline could not run: then the next attempt, if one is left.
      if (this.baselineCountsOrNull() !== null) {
        if (decision.verdict !== "unrunnable") this.attempt!.outcome = "decided";
        else if (this.attemptUnrunnable()) {
          this.pendingAttempt = true;
          return "next-attempt";
        }
      }
      return "decided";
    }
    const next = this.options.interleave ? this.interleaved(side, decision.side) : decision.side;
    if (next === "current" && side === "baseline") this.pendingCurrent = true;
    return next === "current" ? "next-current" : "next-baseline";
  }

  /**
   * --interleave: alternate the sides (so that drift of the machine hits both alike) while the
   * other side has budget left; otherwise the side the comparator asked for.
   */
  private interleaved(justRan: Side, wanted: Side): Side {
    const other: Side = justRan === "current" ? "baseline" : "current";
    const counts =
      other === "current" ? countSide(this.runs, "current") : this.baselineCountsOrNull();
    const used = counts ? counts.runs + counts.cannotRun : 0;
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

  /** Counts of the current baseline attempt; null before its first run. */
  private baselineCountsOrNull(): SideCounts | null {
    const attempt = this.attempt?.number;
    return this.runs.some((r) => r.side === "baseline" && r.attempt === attempt)
      ? countSide(this.runs, "baseline", attempt)
      : null;
  }

  /**
   * Every run starts from the same tree: what a run wrote is kept under a residue ref and the
   * working tree is put back (only the paths that differ; ignored files are left alone).
   */
  private async settle(side: Side): Promise<void> {
    const expected = side === "current" ? this.backup!.fingerprint.worktree : this.baselineTree;
    if (!expected) return;
    const ref = this.sideResidueRef(side);
    if (await keepResidue(this.repo, expected, ref, `what the test wrote on the ${side} side`)) {
      this.enter(side === "current" ? "probe-current" : "probe-baseline", "settle");
      if (!this.restore.residue.includes(ref)) this.restore.residue.push(ref);
      await resetWorktree(this.repo, expected);
    }
  }

  private async collectResidue(ref: string): Promise<void> {
    const found = await this.repo.git.tryRun(["rev-parse", "--verify", "-q", ref]);
    if (found.exitCode === 0 && !this.restore.residue.includes(ref)) this.restore.residue.push(ref);
  }

  private attemptReports(): AttemptReport[] {
    return this.attempts.map((a) => {
      const runs = this.runs.filter((r) => r.side === "baseline" && r.attempt === a.number);
      const reached = runs.filter((r) => r.outcome !== "cannot-run");
      const failures = reached.filter((r) => r.outcome !== "pass").length;
      return {
        attempt: a.number,
        strategy: a.strategy.name,
        suspects: a.suspects,
        outcome: a.outcome === "running" ? "stopped" : a.outcome,
        counts: {
          runs: reached.length,
          failures,
          passes: reached.length - failures,
          hangs: runs.filter((r) => r.outcome === "hang").length,
          cannotRun: runs.length - reached.length,
        },
      };
    });
  }

  /** The reason of the verdict, in the words of the strategy it rests on. */
  private reasonFor(verdict: AttributionResult["verdict"], decision: Decision): string {
    const attempt = this.attempt;
    const tried = this.attempts.filter(
      (a) =>
        a.outcome === "unrunnable" || a.outcome === "same-tree" || a.outcome === "not-prepared",
    );
    if (verdict === "unrunnable" && attempt && tried.length > 0) {
      const list = tried.map((a) => ({
        strategy: a.strategy.name,
        suspects: a.suspects,
        outcome: a.outcome,
      }));
      if (this.suspects !== null && this.suspects.length === 0 && this.mode !== "stash")
        return messages.nothingToRevert(list);
      if (tried.length > 1 || attempt.strategy.name === "selective-revert") {
        const capped = this.narrowing !== null && this.narrowing.left > 0;
        return messages.unrunnableAfter(list, capped, this.preparationFailure);
      }
      return decision.reason;
    }
    if (attempt?.strategy.name !== "selective-revert" || attempt.outcome !== "decided")
      return decision.reason;
    if (verdict === "regression")
      return messages.revertRegression(attempt.suspects, decision.reason);
    if (verdict === "pre-existing")
      return messages.revertPreExisting(attempt.suspects, decision.reason);
    return messages.revertUndecided(attempt.suspects, decision.reason);
  }

  private result(): AttributionResult {
    // Interrupted before any run was recorded: the counts so far still give the statistics.
    const decision =
      this.decision ??
      decide(countSide(this.runs, "current"), this.baselineCountsOrNull(), {
        confidence: this.options.confidence,
        margin: this.options.margin,
        runs: this.options.runs,
        maxRuns: this.maxRuns,
      });
    const runsMs = this.runs.reduce((sum, r) => sum + r.durationMs, 0);
    const totalMs = Date.now() - this.startedAt;
    // A signal after the last run (during the restore) keeps the verdict but is still reported,
    // so the exit code says the user asked to stop (130/143/129).
    const abortReason = this.options.signal?.reason;
    const lateSignal = this.options.signal?.aborted
      ? typeof abortReason === "string"
        ? abortReason
        : "SIGINT"
      : null;
    const interrupted = this.interrupted ?? lateSignal;
    const undecided = decision.kind !== "verdict";
    const verdict = this.interrupted
      ? "inconclusive"
      : !undecided
        ? decision.verdict
        : this.baselineFailure
          ? "unrunnable"
          : "inconclusive";
    const reason = this.interrupted
      ? messages.interruptedReason(this.interrupted, this.runs.length)
      : undecided && this.baselineFailure
        ? messages.baselineNotPrepared(this.baselineFailure)
        : this.reasonFor(verdict, decision);
    // The attempt the verdict rests on: the last one that ran.
    const ran = [...this.attempts]
      .reverse()
      .find((a) => this.runs.some((r) => r.side === "baseline" && r.attempt === a.number));
    const suspects =
      ran?.strategy.name === "selective-revert" && ran.outcome === "decided"
        ? ran.suspects
        : ((this.narrowing ? this.suspects : null) ?? []);
    return {
      runId: this.runId,
      verdict,
      reason,
      flaky: isFlaky(this.runs.filter((r) => r.side === "current" || r.attempt === ran?.number)),
      stats: decision.stats,
      strategy: ran ? ran.strategy.name : null,
      suspects: [...suspects],
      attempts: this.attemptReports(),
      runs: this.runs,
      command: {
        argv: this.options.argv,
        shell: this.options.shell ?? null,
        cwd: this.options.cwd,
      },
      restore: this.restore,
      interrupted,
      base: this.base ? { rev: this.base.rev, commit: this.base.commit } : null,
      timing: { totalMs, runsMs, overheadMs: Math.max(0, totalMs - runsMs) },
      decision,
    };
  }
}

/** The last `n` lines of a text. */
function lastLines(text: string, n: number): string {
  const lines = text.replace(/\n$/, "").split("\n");
  return lines.slice(-n).join("\n");
}

/** Keeps the logs of the last few runs only. */
function pruneLogs(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const old of entries.slice(0, Math.max(0, entries.length - keptLogRuns))) {
    rmSync(join(dir, old), { recursive: true, force: true });
  }
}
