import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CompareOptions, Decision, Side } from "../compare/types.js";
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
import { listChanges } from "../strategies/suspects.js";
import { BaselineAttempts } from "./baselines.js";
import { Evidence } from "./evidence.js";
import { faultPoint } from "./fault.js";
import { clearJournal, type Journal, writeJournal } from "./journal.js";
import { acquireLock } from "./lock.js";
import { assertNoPendingRun, preflight } from "./preflight.js";
import { type MachineEvent, nextState, type StateName } from "./states.js";
import type { AttributeOptions, AttributionResult, RestoreReport, RunRecord } from "./types.js";

export { maxRevertAttempts } from "./baselines.js";
export { countSide, isFlaky } from "./evidence.js";

const keptLogRuns = 5;

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

/**
 * The order of steps of one attribution: the states of src/machine/states.ts and their side
 * effects, each journaled first. The runs and what they say live in `Evidence`; the ways of
 * producing a baseline in `BaselineAttempts`.
 */
class Attribution {
  private readonly runId = newRunId();
  private readonly journal: Journal;
  private readonly evidence = new Evidence();
  private readonly baselines: BaselineAttempts;
  private readonly logDir: string;
  /** Runs a side allowed: `--max-runs`, raised when the user asks for more after an inconclusive. */
  private maxRuns: number;
  private backup: Backup | null = null;
  private baselineTree: string | null = null;
  private decision: Decision | null = null;
  private pendingCurrent = false;
  /** The baseline of the attempt could not run and another one is planned. */
  private pendingAttempt = false;
  private interrupted: string | null = null;
  /** Why the baseline could not be prepared (e.g. git refused to stash), if it could not. */
  private baselineFailure: string | null = null;
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
    this.maxRuns = options.maxRuns;
    this.logDir = join(repo.stateDir, "logs", this.runId);
    this.baselines = new BaselineAttempts(repo, options, base, (attempt) =>
      this.options.onProgress?.({
        kind: "attempt",
        attempt: attempt.number,
        strategy: attempt.strategy.name,
        suspects: attempt.suspects,
      }),
    );
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
      if (this.options.suspects?.length || this.baselines.mode === "revert") {
        const chosen = await this.baselines.chooseSuspects(null);
        if (!chosen) throw new CancelledError(messages.cancelled());
        if (this.baselines.mode === "revert" && this.baselines.chosenSuspects().length === 0)
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
      if (!this.baselines.current) {
        if (this.baselines.mode === "revert") {
          this.baselines.startNarrowing();
          if (!(await this.nextRevertAttempt("enter-baseline"))) {
            this.baselineFailure = this.baselines.preparationFailure ?? messages.noSuspects();
            return "failed";
          }
        } else if (this.base)
          this.baselines.start(baseRevision(this.base, this.backup!.fingerprint.worktree));
        else this.baselines.start(baselineStash(this.runId));
      }
      const attempt = this.baselines.current!;
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
      const strategy = this.baselines.current!.strategy;
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

  private markInterrupted(): MachineEvent {
    const reason = this.options.signal?.reason;
    this.interrupted = typeof reason === "string" ? reason : "SIGINT";
    const attempt = this.baselines.current;
    if (attempt?.outcome === "running") attempt.outcome = "stopped";
    return "interrupted";
  }

  private residueRef(what: string): string {
    return `${this.repo.refPrefix}/residue/${this.runId}/${what}`;
  }

  /** Residue of a side: `baseline` for the first attempt, `baseline-<n>` for later ones. */
  private sideResidueRef(side: Side): string {
    const n = this.baselines.current?.number ?? 1;
    return this.residueRef(side === "baseline" && n > 1 ? `baseline-${n}` : side);
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
        // Ctrl-C in the checkbox, or a signal that aborted it: the tree is already verified.
        if (this.options.signal?.aborted) return this.markInterrupted();
        this.interrupted = "SIGINT";
        return "interrupted";
      }
      if (!this.baselines.startNarrowing()) return "exhausted";
    }
    return (await this.nextRevertAttempt("switch-strategy")) ? "ok" : "exhausted";
  }

  /** Starts the next suspect set that can be run, journaling it; false when none is left. */
  private async nextRevertAttempt(state: StateName): Promise<boolean> {
    const attempt = await this.baselines.nextRevert(this.backup!.fingerprint.worktree);
    if (!attempt) return false;
    this.enter(
      state,
      `selective revert of ${attempt.suspects.length} path(s), attempt ${attempt.number}`,
    );
    return true;
  }

  /** What the comparator is told: the confidence asked for and the budget as it stands. */
  private compareOptions(): CompareOptions {
    return {
      confidence: this.options.confidence,
      margin: this.options.margin,
      runs: this.options.runs,
      maxRuns: this.maxRuns,
    };
  }

  /** One run on a side, then the comparator says what comes next. */
  private async probe(side: Side): Promise<MachineEvent> {
    if (this.options.signal?.aborted) return this.markInterrupted();
    const index = this.evidence.nextIndex(side);
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
    const attempt = this.baselines.current;
    const run: RunRecord = {
      side,
      index,
      ...(side === "baseline" ? { attempt: attempt!.number } : {}),
      outcome: result.outcome,
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: result.durationMs,
      hangRetried: result.hangRetried ?? false,
      logPath: result.logPath,
      ...(result.outcome !== "pass" ? { tail: lastLines(result.tail, 20) } : {}),
    };
    this.evidence.add(run);
    this.options.onProgress?.({ kind: "run-end", side, index, run });
    let decision = this.evidence.decide(attempt?.number, this.compareOptions());
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
      decision = this.evidence.decide(attempt?.number, this.compareOptions());
    }
    this.decision = decision;
    if (decision.kind === "verdict") {
      // A verdict once the baseline attempt has runs rests on that attempt, unless it says the
      // baseline could not run: then the next attempt, if one is left.
      if (this.evidence.baselineCounts(attempt?.number) !== null) {
        if (decision.verdict !== "unrunnable") attempt!.outcome = "decided";
        else if (this.baselines.unrunnable()) {
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

  private result(): AttributionResult {
    const current = this.baselines.current;
    // Interrupted before any run was recorded: the counts so far still give the statistics.
    const decision = this.decision ?? this.evidence.decide(current?.number, this.compareOptions());
    const runsMs = this.evidence.runsMs();
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
      ? messages.interruptedReason(this.interrupted, this.evidence.runs.length)
      : undecided && this.baselineFailure
        ? messages.baselineNotPrepared(this.baselineFailure)
        : this.baselines.reasonFor(verdict, decision);
    // The attempt the verdict rests on: the last one that ran.
    const ran = this.baselines.lastRan(this.evidence);
    return {
      runId: this.runId,
      verdict,
      reason,
      flaky: this.evidence.flaky(ran?.number),
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
