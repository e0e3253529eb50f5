import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { decide } from "../compare/decide.js";
import type { Decision, Side, SideCounts } from "../compare/types.js";
import { NotRestoredError } from "../errors.js";
import {
  type Backup,
  createBackup,
  dropBackup,
  keepResidue,
  restoreFromBackup,
  verifyAgainst,
} from "../git/backup.js";
import type { Repo } from "../git/repo.js";
import { resetWorktree } from "../git/snapshot.js";
import { messages } from "../messages.js";
import { runWithHangRetry } from "../run/index.js";
import { baselineStash } from "../strategies/baseline-stash.js";
import type { Strategy } from "../strategies/types.js";
import { faultPoint } from "./fault.js";
import { clearJournal, type Journal, writeJournal } from "./journal.js";
import { acquireLock } from "./lock.js";
import { assertNoPendingRun, preflight } from "./preflight.js";
import { type MachineEvent, nextState, type StateName } from "./states.js";
import type { AttributeOptions, AttributionResult, RestoreReport, RunRecord } from "./types.js";

const keptLogRuns = 5;

/** Counts of one side, as the comparator wants them. */
export function countSide(runs: readonly RunRecord[], side: Side): SideCounts {
  let reached = 0;
  let failures = 0;
  let cannotRun = 0;
  for (const run of runs) {
    if (run.side !== side) continue;
    if (run.outcome === "cannot-run") cannotRun += 1;
    else {
      reached += 1;
      if (run.outcome !== "pass") failures += 1;
    }
  }
  return { runs: reached, failures, cannotRun };
}

/** True when some side both passed and failed. */
export function isFlaky(runs: readonly RunRecord[]): boolean {
  return (["current", "baseline"] as const).some((side) => {
    const outcomes = runs.filter((r) => r.side === side).map((r) => r.outcome);
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
  const repo = await preflight(options.cwd, options.argv, options.shell);
  const release = acquireLock(repo.stateDir);
  try {
    // Checked again under the lock: a run that died may have left a journal meanwhile.
    assertNoPendingRun(repo);
    return await new Attribution(repo, options, startedAt).run();
  } finally {
    release();
  }
}

class Attribution {
  private readonly runId = newRunId();
  private readonly journal: Journal;
  private readonly runs: RunRecord[] = [];
  private readonly strategy: Strategy;
  private readonly logDir: string;
  private backup: Backup | null = null;
  private baselineTree: string | null = null;
  private decision: Decision | null = null;
  private pendingCurrent = false;
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
  ) {
    this.strategy = baselineStash(this.runId);
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

  private readonly handlers: Record<StateName, () => Promise<MachineEvent>> = {
    preflight: async () => "ok",
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
      try {
        this.baselineTree = await this.strategy.enter(this.repo, (state, detail, extra) =>
          this.enter(state, detail, extra as Partial<Journal>),
        );
      } catch (error) {
        this.baselineFailure = error instanceof Error ? error.message : String(error);
        return "failed";
      }
      return "ok";
    },
    "probe-baseline": async () => this.probe("baseline"),
    "leave-baseline": async () => {
      await this.settle("baseline");
      let left = false;
      try {
        left = await this.strategy.leave(this.repo, (state, detail, extra) =>
          this.enter(state, detail, extra as Partial<Journal>),
        );
      } catch {
        left = false;
      }
      this.baselineTree = null;
      if (!left) return "failed";
      this.restore.via = "stash-pop";
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
      await this.strategy.discard(this.repo);
      this.restore.via = "backup";
      return this.afterRestore();
    },
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
        await this.strategy.discard(this.repo);
        await dropBackup(this.repo, this.backup);
        clearJournal(this.repo.stateDir);
      }
    } catch {
      // The journal and the backup ref stay: `culprit recover` takes it from here.
    }
  }

  private afterRestore(): MachineEvent {
    if (this.pendingCurrent && !this.interrupted) {
      this.pendingCurrent = false;
      return "next-current";
    }
    return "ok";
  }

  private markInterrupted(): MachineEvent {
    const reason = this.options.signal?.reason;
    this.interrupted = typeof reason === "string" ? reason : "SIGINT";
    return "interrupted";
  }

  private residueRef(what: string): string {
    return `${this.repo.refPrefix}/residue/${this.runId}/${what}`;
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
    const decision = decide(countSide(this.runs, "current"), this.baselineCountsOrNull(), {
      confidence: this.options.confidence,
      margin: this.options.margin,
      runs: this.options.runs,
      maxRuns: this.options.maxRuns,
    });
    this.decision = decision;
    if (decision.kind === "verdict") return "decided";
    if (decision.side === side) return side === "current" ? "next-current" : "next-baseline";
    if (decision.side === "current") this.pendingCurrent = true;
    return decision.side === "current" ? "next-current" : "next-baseline";
  }

  private baselineCountsOrNull(): SideCounts | null {
    return this.runs.some((r) => r.side === "baseline") ? countSide(this.runs, "baseline") : null;
  }

  /**
   * Every run starts from the same tree: what a run wrote is kept under a residue ref and the
   * working tree is put back (only the paths that differ; ignored files are left alone).
   */
  private async settle(side: Side): Promise<void> {
    const expected = side === "current" ? this.backup!.fingerprint.worktree : this.baselineTree;
    if (!expected) return;
    const ref = this.residueRef(side);
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
    const decision = this.decision!;
    const runsMs = this.runs.reduce((sum, r) => sum + r.durationMs, 0);
    const totalMs = Date.now() - this.startedAt;
    const interrupted = this.interrupted;
    const undecided = decision.kind !== "verdict";
    const verdict = interrupted
      ? "inconclusive"
      : !undecided
        ? decision.verdict
        : this.baselineFailure
          ? "unrunnable"
          : "inconclusive";
    const reason = interrupted
      ? messages.interruptedReason(interrupted, this.runs.length)
      : undecided && this.baselineFailure
        ? messages.baselineNotPrepared(this.baselineFailure)
        : decision.reason;
    return {
      runId: this.runId,
      verdict,
      reason,
      flaky: isFlaky(this.runs),
      stats: decision.stats,
      strategy: this.runs.some((r) => r.side === "baseline") ? this.strategy.name : null,
      runs: this.runs,
      command: {
        argv: this.options.argv,
        shell: this.options.shell ?? null,
        cwd: this.options.cwd,
      },
      restore: this.restore,
      interrupted,
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
