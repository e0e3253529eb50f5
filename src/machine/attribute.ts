import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
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
import { ignoredStamp } from "../git/ignored.js";
import type { Repo } from "../git/repo.js";
import { resetWorktree, snapshotWorktree, useWorkIndex, workTreeTouched } from "../git/snapshot.js";
import { messages } from "../messages.js";
import { runWithHangRetry } from "../run/index.js";
import { type BaseRevision, baseRevision, resolveBase } from "../strategies/base-revision.js";
import { baselineReset } from "../strategies/baseline-reset.js";
import { baselineStash } from "../strategies/baseline-stash.js";
import { listChanges } from "../strategies/suspects.js";
import { BaselineAttempts } from "./baselines.js";
import { cacheKey, RunCache } from "./cache.js";
import { Evidence } from "./evidence.js";
import { faultPoint } from "./fault.js";
import { clearJournal, type Journal, writeJournal } from "./journal.js";
import { acquireLock } from "./lock.js";
import { assertNoPendingRun, preflight } from "./preflight.js";
import { type MachineEvent, nextState, type StateName } from "./states.js";
import { type Phase, PhaseClock } from "./timing.js";
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
  // performance.now() counts from the start of the process: node, module loading, argv, config.
  const startedAt = Date.now() - performance.now();
  const clock = new PhaseClock();
  clock.add("startup", performance.now());
  const { repo, base } = await clock.time("preflight", async () => {
    const repo = await preflight(options.cwd, options.argv, options.shell, {
      allowClean: options.base !== undefined,
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
  verify: "verify",
  "restore-from-backup": "restore",
  report: "finish",
};

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
  /** Runs on the current tree were looked up in the cache. */
  private currentPreloaded = false;
  /** Runs reused from the cache. */
  private reused = 0;
  private ignoredStamp: string | null = null;
  /** The cache key runs of each side are stored under (the baseline's: of the current attempt). */
  private readonly cacheKeys: Record<Side, string | null> = { current: null, baseline: null };
  private readonly runCache: RunCache;
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
    this.runCache = new RunCache(join(repo.commonDir, "culprit", "cache"));
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
        else if (this.baselines.mode === "stash") this.baselines.start(baselineStash(this.runId));
        else {
          const head = this.backup!.fingerprint.head!;
          const headTree = (await this.repo.git.run(["rev-parse", `${head}^{tree}`])).trim();
          this.baselines.start(baselineReset(headTree, this.backup!.fingerprint.worktree));
        }
      }
      const attempt = this.baselines.current!;
      if (!attempt.preloaded && this.options.cache) {
        // Earlier runs of this very baseline may settle it without touching the tree.
        attempt.preloaded = true;
        try {
          attempt.tree ??= await attempt.strategy.target(this.repo);
        } catch (error) {
          this.baselineFailure = error instanceof Error ? error.message : String(error);
          attempt.outcome = "not-prepared";
          return "failed";
        }
        this.cacheKeys.baseline = null;
        if ((await this.preload("baseline", attempt.tree)) > 0) {
          const event = await this.decideNext("baseline");
          if (event !== "next-baseline") return event;
        }
      }
      this.restore.touched = true;
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
    const dropWorkIndex = useWorkIndex(this.repo);
    try {
      while (state !== "done") {
        const phase = phaseOf[state];
        const handler = this.handlers[state];
        const event = phase ? await this.clock.time(phase, handler) : await handler();
        state = nextState(state, event);
      }
    } catch (error) {
      await this.rescue(state, error);
      throw error;
    } finally {
      dropWorkIndex();
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

  /** One run on a side (or earlier runs from the cache), then the comparator says what comes next. */
  private async probe(side: Side): Promise<MachineEvent> {
    if (this.options.signal?.aborted) return this.markInterrupted();
    if (side === "current" && !this.currentPreloaded) {
      this.currentPreloaded = true;
      if ((await this.preload("current", this.backup!.fingerprint.worktree)) > 0) {
        const event = await this.decideNext("current");
        if (event !== "next-current") return event;
      }
    }
    const run = await this.runOnce(side);
    if (!run) return this.markInterrupted();
    const event = await this.decideNext(side);
    if (side === "baseline" && event === "next-current") this.pendingCurrent = true;
    if (side === "baseline" && event === "next-attempt") this.pendingAttempt = true;
    return event;
  }

  /** Runs the command once on a side and records it; null when a signal cut the run short. */
  private async runOnce(side: Side): Promise<RunRecord | null> {
    const index = this.evidence.nextIndex(side);
    this.enter(side === "current" ? "probe-current" : "probe-baseline", `run ${index}`);
    this.options.onProgress?.({ kind: "run-start", side, index });
    const spawnStarted = performance.now();
    mkdirSync(this.logDir, { recursive: true });
    // The test may write anywhere in the tree: the next snapshot looks at everything again.
    workTreeTouched(this.repo);
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
    this.clock.add("spawn", performance.now() - spawnStarted - result.durationMs);
    await this.settle(side);
    if (result.interrupted) return null;
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
    this.remember(run);
    this.options.onProgress?.({ kind: "run-end", side, index, run });
    return run;
  }

  /**
   * What the comparator says after the runs so far on a side: a verdict ("decided", or
   * "next-attempt" when the baseline could not run and another way is left) or the next side.
   */
  private async decideNext(side: Side): Promise<MachineEvent> {
    const attempt = this.baselines.current;
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
        else if (this.baselines.unrunnable()) return "next-attempt";
      }
      return "decided";
    }
    const next = this.options.interleave ? this.interleaved(side, decision.side) : decision.side;
    return next === "current" ? "next-current" : "next-baseline";
  }

  /** The cache key of runs of a side on `tree`; null when the cache is off. */
  private async cacheKeyOf(side: Side, tree: string): Promise<string | null> {
    const cache = this.options.cache;
    if (!cache) return null;
    this.ignoredStamp ??= await ignoredStamp(this.repo);
    const env: Record<string, string | null> = {};
    for (const name of cache.env) env[name] = process.env[name] ?? null;
    const attempt = this.baselines.current;
    return cacheKey({
      version: cache.version,
      side,
      tree,
      command:
        this.options.shell !== undefined ? ["sh", "-c", this.options.shell] : this.options.argv,
      cwd: relative(this.repo.root, this.options.cwd),
      env,
      ignored: this.ignoredStamp,
      settings: {
        // The stash also sets the index to HEAD's: a test that reads the index may tell.
        strategy: side === "baseline" ? (attempt?.strategy.name ?? null) : null,
        timeoutMs: this.options.timeoutMs,
        cannotRunPattern: this.options.cannotRunPattern?.source ?? null,
        cannotRunExit: this.options.cannotRunExit ?? null,
        runner: this.options.runner ?? null,
      },
    });
  }

  /** Adds the cached runs of a side on `tree` (the current attempt's, at the baseline); how many. */
  private async preload(side: Side, tree: string): Promise<number> {
    const key = await this.cacheKeyOf(side, tree);
    if (!key) return 0;
    this.cacheKeys[side] = key;
    const cached = this.runCache.load(key, this.maxRuns);
    const attempt = this.baselines.current;
    for (const stored of cached) {
      const { at, runId, ...rest } = stored;
      const index = this.evidence.nextIndex(side);
      const run: RunRecord = {
        ...rest,
        side,
        index,
        ...(side === "baseline" ? { attempt: attempt!.number } : {}),
        logPath: rest.logPath && existsSync(rest.logPath) ? rest.logPath : null,
        cached: { at, runId },
      };
      this.evidence.add(run);
      this.reused += 1;
      this.options.onProgress?.({ kind: "run-end", side, index, run });
    }
    return cached.length;
  }

  /** Stores a run just made in the cache, under its side's key. */
  private remember(run: RunRecord): void {
    const key = this.cacheKeys[run.side];
    if (!key) return;
    const { side: _side, index: _index, attempt: _attempt, cached: _cached, ...rest } = run;
    this.runCache.store(key, { ...rest, at: Date.now(), runId: this.runId });
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
  private settle(side: Side): Promise<void> {
    return this.clock.time("settle", () => this.settleNow(side));
  }

  private async settleNow(side: Side): Promise<void> {
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
      cache: { enabled: Boolean(this.options.cache), reused: this.reused },
      interrupted,
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
