import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gitStoppedWithCulprit } from "../errors.js";
import { keepResidue } from "../git/backup.js";
import { switchTree } from "../git/mtime.js";
import { openRepo, type Repo } from "../git/repo.js";
import {
  resetWorktree,
  snapshotWorktree,
  tmpIndexPath,
  useWorkIndex,
  workTreeTouched,
} from "../git/snapshot.js";
import {
  addWorktree,
  ignoredEntries,
  removeWorktrees,
  type SharedPath,
  unbuiltOutputs,
  worktreesDir,
} from "../git/worktree.js";
import { diagnose, missingFromOutput, moduleKey, type Named } from "../isolate/diagnose.js";
import { guessDependencies, movedDefinitions } from "../isolate/hints.js";
import { type Diff, diffTreeArgs, locateUnit, parseDiff, patchFor } from "../isolate/hunks.js";
import {
  calibrationRuns,
  configurationTimeout,
  countedAttribution,
  defaultCalibration,
  defaultJudgeOptions,
  type JudgeModel,
  judgeConfiguration,
  judgeModel,
  perJudgementError,
  type SprtPlan,
  sprtPlan,
} from "../isolate/judge.js";
import {
  guiltyTogether,
  isolate,
  type Oracle,
  type IsolateOptions as SearchOptions,
  type Outcome as SearchOutcome,
  type IsolateResult as SearchResult,
  searchUnits,
  withoutUnits,
} from "../isolate/search.js";
import { messages, plural } from "../messages.js";
import {
  buildStopped,
  failureKind,
  packageScriptWords,
  planRunReport,
  readRunReport,
  sameFailureKind,
  type TestCaseResult,
} from "../run/index.js";
import { failsTheWay, failureLines } from "../run/reports/signature.js";
import { ranMs, retryingHang } from "../run/retry-hang.js";
import type { Outcome } from "../run/types.js";
import { revertedTree } from "../strategies/selective-revert.js";
import { listChanges } from "../strategies/suspects.js";
import { attribute } from "./attribute.js";
import { commandTestId, yourFailureWay } from "./evidence.js";
import { faultPoint } from "./fault.js";
import { clearJournal, type Journal, newRunId, writeJournal } from "./journal.js";
import { runJournaled } from "./journaled-run.js";
import { acquireLock } from "./lock.js";
import { pruneLogs } from "./logs.js";
import { assertNoPendingRun } from "./preflight.js";
import { allRuns } from "./runs.js";
import type { StateName } from "./states.js";
import {
  type AttributionResult,
  classifyOptions,
  commandOptions,
  type RunRecord,
  yourTreeRan,
} from "./types.js";
import { SharedRecord, shareInto } from "./worktrees.js";

/** Everything `culprit isolate` needs from the command line. */
export interface IsolateOptions {
  argv: string[];
  shell?: string;
  cwd: string;
  /** `--base REV`: the baseline (default HEAD), for the attribution and the configurations. */
  base?: string;
  runs: number;
  /** The attribution's budget a side; a configuration gets twice as many runs at most. */
  maxRuns: number;
  /** Confidence of the attribution, and of the whole search (split over its judgements). */
  confidence: number;
  margin: number;
  timeoutMs: number;
  /**
   * True when `timeoutMs` is the user's choice (`--timeout`, the config's `timeout`): it is then
   * every configuration's timeout; otherwise a configuration's runs get `configurationTimeout`.
   */
  timeoutChosen?: boolean;
  killAfterMs: number;
  cannotRunPattern?: RegExp;
  cannotRunExit?: number[];
  runner?: string;
  /** Runs at the same time, each in its own worktree. */
  jobs: number;
  share?: { copy: readonly string[] };
  /** `--lines`: split the guilty hunks into lines. */
  lines?: boolean;
  perTest?: boolean;
  junit?: string;
  cache?: { version: string; env: readonly string[] };
  signal?: AbortSignal;
  onProgress?: (event: IsolateProgress) => void;
}

/** What `culprit isolate` tells a front end while it works. */
export type IsolateProgress =
  | { kind: "phase"; text: string }
  | { kind: "configuration"; index: number; units: number; judgement: SearchOutcome };

/** How a run ended for the target: the regressed test(s), else the command. */
export type Judged = "pass" | "fail" | "cannot-run";

/** One run of a configuration. */
export interface IsolateRun {
  outcome: Outcome;
  /** The outcome for the target (a run whose regressed tests pass is "pass" even if another test failed). */
  judged: Judged;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** A hang's retry: how long the hung first attempt ran (counted in the report's runsMs). */
  hungMs?: number;
  log: string | null;
  /**
   * With judged "cannot-run" when the command did run: the regressed test failed, but not the
   * way it fails on your tree (its error's kind, e.g. "ReferenceError", where yours is an
   * "AssertionError"; or the same kind at another line of the same test file, "assertion at
   * another line: test/a.test.js:12"): another failure, which this configuration does not
   * reproduce.
   */
  otherFailure?: string;
  /** The run hung and was run again: this is the second run. */
  hangRetried?: boolean;
  /**
   * What its output's tail says is missing (src/isolate/diagnose.ts), read as it ended: for a
   * run that could not run, and for your tree's calibration runs. Not in the JSON.
   */
  named?: Named;
}

/** How a run's `otherFailure` says that the regressed test failed at another of its lines. */
const anotherLine = " at another line: ";

/** One judgement of a configuration (the baseline plus these units). */
export interface IsolateConfiguration {
  /** 1-based, in the order judged. */
  index: number;
  units: string[];
  judgement: SearchOutcome;
  /** A re-judgement of a configuration already judged (the search's confirmation). */
  again: boolean;
  runs: IsolateRun[];
  /**
   * Cannot-run only: the names and modules its runs said were missing (src/isolate/diagnose.ts).
   * Where your changes bring them in, the search added those units to the configurations it
   * built next.
   */
  missed?: string[];
}

/** A unit of the user's changes, located. */
export interface IsolateHunk {
  id: string;
  kind: string;
  file: string;
  startLine: number;
  endLine: number;
  /** A patch that applies this unit alone to the baseline. */
  patch: string;
  /**
   * For a unit needed to run: the guilty units that import or use it (by the diff's hints,
   * src/isolate/hints.ts). Its outcomes cannot tell whether the failure lies in it or in their
   * use of it; absent when none does.
   */
  usedBy?: string[];
}

/** How `culprit isolate` ended. */
export type IsolateVerdict =
  | "isolated"
  | "not-regression"
  | "no-diff"
  | "not-reproduced"
  | "needed-only"
  | "unconfirmed"
  | "interrupted";

/** The outcome of `culprit isolate`. */
export interface IsolateReport {
  runId: string;
  verdict: IsolateVerdict;
  reason: string;
  confidence: number;
  /** The attribution it started from. */
  attribution: { runId: string; verdict: string; reason: string; reused: number };
  /** The baseline: HEAD, the --base revision, or (when that could not run) a selective revert of it. */
  baseline: { rev: string; commit: string; revert: string[] | null };
  /** What a configuration's runs are judged by. */
  target: { kind: "tests"; tests: string[] } | { kind: "command" } | { kind: "failure-way" };
  judge: {
    deterministic: boolean;
    regressionRate: number;
    baselineRate: number;
    /**
     * The runs behind the judge: fresh ones of your tree, the baseline's (the attribution's and
     * fresh ones), and, for a deterministic failure, the attribution's runs of your tree that were
     * counted with the fresh ones (all of them failed).
     */
    calibration: { current: CountedRuns; baseline: CountedRuns; attribution?: CountedRuns };
    maxRuns: number;
    /** A configuration's timeout (ms): `configurationTimeout` of the calibration, or --timeout. */
    timeoutMs: number;
    /** Whether it is the user's --timeout (else 5 times the slowest calibration run, at least 10 s, at most --timeout). */
    timeoutChosen: boolean;
  } | null;
  /** Units of the diff, and files. */
  units: number;
  files: number;
  hunks: IsolateHunk[];
  needed: IsolateHunk[];
  /**
   * Your changes without the guilty hunks, judged once more (a deterministic failure): true when
   * they still fail, so that other hunks make it fail too (fix these, then isolate again); null
   * when not judged (a flaky failure: a full judgement costs up to 2 x --max-runs runs).
   */
  othersFail: boolean | null;
  /**
   * With othersFail null: how your changes without the guilty hunks failed the test another way,
   * at another line of it ("Error at another line: test/a.test.js:12"). Another cause may be
   * among them, or what leaving the guilty hunks out broke: outcomes cannot tell which.
   */
  othersFailure?: string;
  /** The guilty units as one patch for the baseline (null when none). */
  patch: string | null;
  /** The same, as bytes (what `--patch FILE` writes: a patch of a Latin-1 file is not UTF-8). */
  patchBytes: Buffer | null;
  configurations: IsolateConfiguration[];
  /** Distinct configurations judged (a re-judgement not counted). */
  distinct: number;
  runs: { calibration: number; search: number };
  calibrationRuns: (IsolateRun & { side: "current" | "baseline" })[];
  interrupted: string | null;
  command: { argv: string[]; shell: string | null; cwd: string };
  timing: { totalMs: number; runsMs: number };
  /** Your ignored paths as the worktrees got them, and the variables their runs got. */
  worktrees: { shared: SharedPath[]; env: string[] };
}

interface CountedRuns {
  runs: number;
  failures: number;
}

/** A signal stopped a run: the search ends, no judgement is made. */
class Stopped extends Error {}

/** A worktree the configurations are built in, one at a time. */
interface Slot {
  path: string;
  repo: Repo;
  /** Variables for runs there (src/git/worktree-env.ts). */
  env?: Record<string, string>;
  cwd: string;
  tree: string;
  busy: boolean;
  dropWorkIndex: () => void;
}

/** A run id that sorts by time: 20261128T054312-3f9a. */

/**
 * `culprit isolate`: after an attribution that says "regression", finds a minimal set of the
 * user's hunks that makes the command fail on the baseline (src/isolate/search.ts), judging each
 * configuration like attribution does (src/isolate/judge.ts). Every configuration is built in a
 * linked worktree (src/git/worktree.ts, `worktreesDir`) from git objects: the user's tree, index, HEAD
 * and stash are never written. Journaled as `isolated` (`culprit recover` removes the worktrees).
 */
export async function isolateChanges(options: IsolateOptions): Promise<IsolateReport> {
  const startedAt = Date.now();
  options.onProgress?.({ kind: "phase", text: "attributing the failure" });
  const attribution = await attribute({
    ...commandOptions(options),
    margin: options.margin,
    ...(options.base !== undefined ? { base: options.base } : {}),
    strategy: "auto",
    // In worktrees: the user's tree is not written for the attribution either.
    worktree: true,
    jobs: Math.max(1, options.jobs),
    ...(options.share ? { share: options.share } : {}),
    ...(options.perTest !== undefined ? { perTest: options.perTest } : {}),
    ...(options.junit !== undefined ? { junit: options.junit } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const repo = await openRepo(options.cwd);
  const release = acquireLock(repo.stateDir);
  try {
    assertNoPendingRun(repo);
    return await new Isolation(repo, options, startedAt, attribution).run();
  } finally {
    release();
  }
}

/** The tests a configuration's runs are judged by: the regressed ones (null: the exit code). */
function targetTests(attribution: AttributionResult): string[] | null {
  if (attribution.perTest.source === null) return null;
  const ids = attribution.tests.filter((t) => t.verdict === "regression").map((t) => t.id);
  if (ids.length === 0 || ids.includes(commandTestId)) return null;
  return ids;
}

class Isolation {
  private readonly runId = newRunId();
  private readonly journal: Journal;
  private readonly logDir: string;
  private readonly slots: Slot[] = [];
  private readonly groups = new Set<number>();
  private readonly trees = new Map<string, string>();
  /** Judgements by tree, for a deterministic failure (one judgement of a tree is enough). */
  private readonly judgedTrees = new Map<string, IsolateConfiguration>();
  private readonly configurations: IsolateConfiguration[] = [];
  private readonly calibrationRuns: (IsolateRun & { side: "current" | "baseline" })[] = [];
  private readonly target: string[] | null;
  /** Kinds of the regressed tests' failures on your tree (failureKind), by test id. */
  private readonly kinds = new Map<string, Set<string>>();
  /**
   * Where each regressed test fails on your tree (failedAt), by test id: null once a failing run
   * of your tree named no place, or another one (then places are not compared).
   */
  private readonly places = new Map<string, { line: number; file: string } | null>();
  /**
   * Judged by the exit code: the errors of a broken program ("ReferenceError") that the output
   * of your tree's failing runs names; null before one of them was seen.
   */
  private tailErrors: Set<string> | null = null;
  /**
   * Judged by the exit code where the attribution judged by the way your tree fails (both sides
   * fail, not alike: Evidence.decide): the lines of that way (failureLines), and the ways the
   * baseline failed. A configuration that fails as the baseline does has not your failure: it
   * passes, as far as your failure goes (chalk's `xo && c8 ava`: without the hunk that breaks
   * the lint, it gets through to the old test failure). Null otherwise.
   */
  private readonly yourWay: ReadonlySet<string> | null;
  private readonly baselineWays: ReadonlySet<string>[] = [];
  /** A configuration's timeout, once the calibration has timed your tree's runs (ms). */
  private configTimeoutMs: number | null = null;
  /** Whether a calibration run of your tree hung: then a hang is how your failure looks. */
  private treeHung = false;
  /**
   * Regressed entries that a report lists only when they fail (a coverage threshold, a test file
   * that could not load): absent from a readable report, they passed.
   */
  private readonly listedWhenFailing = new Set<string>();
  private interrupted: string | null = null;
  /** What the worktrees got of your ignored paths (for the report). */
  private readonly shared = new SharedRecord();
  private runCount = 0;
  private baseCommit = "";
  private baseTree = "";
  private userTree = "";
  private revert: string[] | null = null;
  private diff: Diff | null = null;
  private othersFail: boolean | null = null;
  private othersFailure: string | null = null;
  /** The raw diff between the baseline and your tree (parsed again into lines when needed). */
  private diffBytes: Buffer = Buffer.alloc(0);

  constructor(
    private readonly repo: Repo,
    private readonly options: IsolateOptions,
    private readonly startedAt: number,
    private readonly attribution: AttributionResult,
  ) {
    this.logDir = join(repo.stateDir, "logs", this.runId);
    this.target = targetTests(attribution);
    this.yourWay =
      this.target === null && attribution.failureWay !== null
        ? yourFailureWay(attribution.runs)
        : null;
    if (this.yourWay !== null) {
      const decided = attribution.attempts.find((t) => t.outcome === "decided")?.attempt;
      for (const r of attribution.runs) {
        if (r.side !== "baseline" || r.outcome !== "fail") continue;
        if (decided !== undefined && r.attempt !== decided) continue;
        const way = failureLines(r);
        if (way.size > 0 && !failsTheWay(this.yourWay, way)) this.baselineWays.push(way);
      }
    }
    for (const r of attribution.runs) {
      if (r.side === "current") this.learnFailures(r.tests?.entries ?? null);
      for (const t of r.tests?.entries ?? [])
        if (t.kind || t.onlyWhenFailing) this.listedWhenFailing.add(t.id);
    }
    this.journal = {
      version: 1,
      runId: this.runId,
      pid: process.pid,
      startedAt: new Date(startedAt).toISOString(),
      state: "preflight",
      command: options.shell !== undefined ? ["sh", "-c", options.shell] : options.argv,
      residue: [],
      history: [],
      isolated: true,
    };
  }

  private enter(state: StateName, detail?: string, extra: Partial<Journal> = {}): void {
    Object.assign(this.journal, extra, { state, detail });
    this.journal.history.push({
      state,
      at: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
    writeJournal(this.repo.stateDir, this.journal, extra);
    faultPoint(state, detail);
  }

  private aborted(): boolean {
    if (!this.options.signal?.aborted) return false;
    const reason = this.options.signal.reason;
    this.interrupted ??= typeof reason === "string" ? reason : "SIGINT";
    return true;
  }

  private paths(): string[] {
    return this.slots.map((s) => s.path);
  }

  async run(): Promise<IsolateReport> {
    const a = this.attribution;
    if (a.interrupted) {
      this.interrupted = a.interrupted;
      return this.report("interrupted", messages.isolateInterrupted(a.interrupted));
    }
    if (a.verdict !== "regression") {
      const unbuilt =
        a.verdict === "unrunnable" ? unbuiltOutputs(a.worktrees?.shared ?? [], true) : [];
      const hint =
        unbuilt.length > 0 ? ` ${messages.unbuiltOutputs(unbuilt, "the baseline's")}.` : "";
      // Runs from the cache: say so, as the attribution's report does (a lucky 8/8 came back).
      const cached = a.cache.reused > 0 ? ` ${messages.isolateFromCache(a.cache.reused)}` : "";
      return this.report(
        "not-regression",
        messages.isolateNotRegression(a.verdict, a.reason) + cached + hint,
      );
    }
    // The regression is that the command cannot run on your tree at all (a syntax error, an
    // import gone): there is no failing test to take hunks away from.
    if (!yourTreeRan(a.runs)) {
      const log = a.runs.filter((r) => r.side === "current" && r.logPath).at(-1)?.logPath ?? null;
      return this.report("not-regression", messages.isolateCannotRunHere(a.reason, log));
    }
    pruneLogs(join(this.repo.stateDir, "logs"));
    let finished = false;
    const finish = async () => {
      if (finished) return;
      this.enter("leave-worktrees", "remove all", { worktrees: this.paths() });
      for (const slot of this.slots) slot.dropWorkIndex();
      // Those made and any half made (journaled, never a slot); a failure keeps the journal.
      await removeWorktrees(this.repo, this.paths());
      this.slots.splice(0);
      this.enter("report", "removed", { worktrees: [] });
      clearJournal(this.repo.stateDir);
      finished = true;
    };
    let outcome: { verdict: IsolateVerdict; reason: string; guilty: string[]; needed: string[] };
    try {
      this.enter("preflight", "isolate");
      outcome = await this.search();
    } catch (error) {
      try {
        await finish();
      } catch {
        // The journal stays: `culprit recover` removes what is left.
      }
      // Stopped, or the signal that stops culprit killed the git it was running (a tree-kill).
      const killed = await gitStoppedWithCulprit(error, this.options.signal);
      if (!(error instanceof Stopped) && !killed) throw error;
      this.aborted();
      outcome = {
        verdict: "interrupted",
        reason: messages.isolateInterrupted(this.interrupted ?? "SIGINT"),
        guilty: [],
        needed: [],
      };
    }
    await finish();
    return this.report(outcome.verdict, outcome.reason, outcome.guilty, outcome.needed);
  }

  /** The user's tree and the baseline as trees, and the diff between them (nothing written). */
  private async prepare(): Promise<void> {
    const a = this.attribution;
    const git = this.repo.git;
    this.userTree = await snapshotWorktree(this.repo);
    this.baseCommit =
      a.base?.commit ?? (await git.run(["rev-parse", "--verify", "HEAD^{commit}"])).trim();
    this.baseTree = (await git.run(["rev-parse", `${this.baseCommit}^{tree}`])).trim();
    if (a.strategy === "selective-revert") {
      // The baseline could not run as it was: the verdict rests on your tree with the suspects
      // reverted, so the configurations start from that tree.
      const changes = await listChanges(this.repo, this.userTree, this.baseCommit);
      this.baseTree = await revertedTree(this.repo, this.userTree, changes, a.suspects);
      this.revert = [...a.suspects];
    }
    this.diffBytes = await git.runBytes(diffTreeArgs(this.baseTree, this.userTree));
    this.diff = parseDiff(this.diffBytes, { lines: Boolean(this.options.lines) });
  }

  /** `jobs` worktrees at the baseline, with the ignored paths of the user's tree shared in. */
  private async makeSlots(): Promise<void> {
    const ignored = await ignoredEntries(this.repo);
    const copy = this.options.share?.copy ?? [];
    for (let number = 1; number <= Math.max(1, this.options.jobs); number++) {
      const name = `${this.runId}-isolate-${number}`;
      this.enter("enter-worktrees", `add ${number}`, {
        worktrees: [...this.paths(), join(worktreesDir(this.repo), name)],
      });
      const worktree = await addWorktree(this.repo, name, {
        commit: this.baseCommit,
        tree: this.baseTree,
      });
      const slot: Slot = {
        path: worktree.path,
        repo: worktree.repo,
        cwd: join(worktree.path, relative(this.repo.root, this.options.cwd)),
        tree: this.baseTree,
        busy: false,
        dropWorkIndex: useWorkIndex(worktree.repo),
      };
      this.slots.push(slot);
      this.shared.add(worktree, await shareInto(this.repo, worktree, ignored, copy));
      if (worktree.env) slot.env = worktree.env;
    }
    this.enter("enter-worktrees", "ready", { worktrees: this.paths() });
  }

  /** The tree of the baseline with exactly `units` applied (built in a private index). */
  private async treeFor(units: ReadonlySet<string>): Promise<string> {
    const key = [...units].sort().join("\0");
    const known = this.trees.get(key);
    if (known) return known;
    let tree = this.baseTree;
    if (units.size > 0) {
      const index = tmpIndexPath(this.repo);
      const patchFile = `${index}.patch`;
      try {
        writeFileSync(patchFile, patchFor(this.diff!, units));
        const git = this.repo.git;
        await git.run(["read-tree", this.baseTree], { indexFile: index });
        await git.run(["apply", "--cached", "--whitespace=nowarn", patchFile], {
          indexFile: index,
        });
        tree = (await git.run(["write-tree"], { indexFile: index })).trim();
      } finally {
        rmSync(index, { force: true });
        rmSync(patchFile, { force: true });
      }
    }
    this.trees.set(key, tree);
    return tree;
  }

  /** Records how and where the regressed tests fail on your tree (a run of it). */
  private learnFailures(tests: readonly TestCaseResult[] | null): void {
    if (this.target === null || tests === null) return;
    for (const t of tests) {
      if (t.status !== "fail" || !this.target.includes(t.id)) continue;
      const at =
        t.failedAt?.file !== undefined ? { line: t.failedAt.line, file: t.failedAt.file } : null;
      const known = this.places.get(t.id);
      const agree =
        known === undefined || (at !== null && known?.line === at.line && known.file === at.file);
      this.places.set(t.id, agree ? at : null);
      const kind = failureKind(t.message);
      if (kind === undefined) continue;
      const set = this.kinds.get(t.id) ?? new Set<string>();
      set.add(kind);
      this.kinds.set(t.id, set);
    }
  }

  /**
   * Whether a failing regressed test failed where it fails on your tree, as far as can be told:
   * at the one line of its file where every failing run of your tree failed. Compared only for a
   * deterministic failure (a flaky one may fail anywhere), and only in the same version of the
   * test file (a configuration without your edit of the test has its assertions at other lines).
   * Elsewhere, another assertion failed: the configuration broke the code another way (a call
   * whose moved definition is left out makes the server answer 500, and the test fails at the
   * status, not at the body: expressjs/express trial, where the error's kind was the same).
   */
  private samePlace(test: TestCaseResult): boolean {
    const yours = this.places.get(test.id);
    const at = test.failedAt;
    if (!this.model?.deterministic || !yours || at?.file !== yours.file) return true;
    return at.line === yours.line;
  }

  /**
   * How a run ended for the target: the regressed tests when there are some, else the command.
   * A regressed test failing otherwise than on your tree (another kind of error) is "cannot-run"
   * with the kind seen: the configuration broke the test some other way (a caller of a name that
   * a left-out hunk renames), which neither reproduces your failure nor passes.
   */
  private judged(
    outcome: Outcome,
    tests: readonly TestCaseResult[] | null,
    tail: string,
    partial = false,
    /** How the run failed, when it was read from its whole output (an attribution's run). */
    lines?: readonly string[],
  ): { judged: Judged; otherFailure?: string } {
    // Not attribution's `outcomeWithReport`: a configuration whose test file cannot load for a
    // missing hunk is how a hunk shows that the test needs it to run, whatever else ran.
    if (outcome === "cannot-run") return { judged: "cannot-run" };
    if (this.target === null) {
      if (outcome === "pass") return { judged: "pass" };
      if (outcome === "hang") return this.hung();
      if (this.yourWay !== null) {
        const way = failureLines({ outcome, tail, ...(lines ? { failureLines: lines } : {}) });
        if (failsTheWay(this.yourWay, way)) return { judged: "fail" };
        if (this.baselineWays.some((b) => failsTheWay(b, way))) return { judged: "pass" };
        return { judged: "cannot-run", otherFailure: "failed otherwise" };
      }
      // A configuration that breaks the program another way than your tree fails (the call of
      // a function whose definition is left out: a ReferenceError where yours fails an
      // assertion) does not reproduce your failure: the exit code alone read it as one, and a
      // call site was blamed without the definition it needs (ljharb/qs, under tape).
      const other = [...brokenProgramErrors(tail)].find((e) => !this.tailErrors?.has(e));
      if (other !== undefined && this.tailErrors !== null && outcome === "fail")
        return { judged: "cannot-run", otherFailure: other };
      return { judged: "fail" };
    }
    // None of the regressed tests ran: this configuration cannot tell (a test file left out).
    if (!this.reportJudges(tests, partial))
      return outcome === "hang" ? this.hung() : { judged: "cannot-run" };
    const seen = tests!.filter((t) => this.target!.includes(t.id));
    const failing = seen.filter((t) => t.status === "fail");
    if (failing.length === 0) return { judged: "pass" };
    const sameKind = (t: TestCaseResult) => sameFailureKind(this.kinds.get(t.id), t.message);
    if (failing.some((t) => sameKind(t) && this.samePlace(t))) return { judged: "fail" };
    // Named by a test of your failure's kind when there is one: it failed at another line.
    const elsewhere = failing.find(sameKind);
    if (elsewhere?.failedAt !== undefined)
      return {
        judged: "cannot-run",
        otherFailure: `${failureKind(elsewhere.message) || "assertion"}${anotherLine}${elsewhere.file}:${elsewhere.failedAt.line}`,
      };
    return {
      judged: "cannot-run",
      otherFailure: failureKind(failing[0]!.message) || "another error",
    };
  }

  /**
   * A hang that no report explains: your failure when your tree hung in the calibration (or
   * before it: the attribution's runs), else a failure of another kind, which does not reproduce
   * yours ("?" to the search) rather than a failure that blames what the configuration holds.
   */
  private hung(): { judged: Judged; otherFailure?: string } {
    if (this.treeHung || this.configTimeoutMs === null) return { judged: "fail" };
    return { judged: "cannot-run", otherFailure: "a hang" };
  }

  /**
   * Whether a run's report tells how the regressed tests went: it names one of them, or leaves
   * out one that a report lists only when it fails (then it passed). A hang's report then
   * judges it. A hung run's report as far as it went (`partial`) judges it when one of them
   * failed in it, or all of them ended in it: a test after the hang, or a file's failure that
   * comes at its end, was not reached, not passed.
   */
  private reportJudges(tests: readonly TestCaseResult[] | null, partial = false): boolean {
    if (this.target === null || tests === null) return false;
    const target = this.target;
    if (partial)
      return (
        target.some((id) => tests.some((t) => t.id === id && t.status === "fail")) ||
        target.every((id) => tests.some((t) => t.id === id))
      );
    return target.some((id) =>
      tests.some((t) => t.id === id) ? true : this.listedWhenFailing.has(id),
    );
  }

  /** Puts a slot back to `tree` after a run, keeping what the test wrote under a residue ref. */
  private async settleRun(
    slot: Slot,
    tree: string,
    label: string,
    name: string,
    what: string,
  ): Promise<void> {
    const ref = `${this.repo.refPrefix}/residue/${this.runId}/${name}`;
    if (await keepResidue(slot.repo, tree, ref, `what the test wrote in ${what}`)) {
      this.enter("probe-parallel", `${label} settle`, {
        residue: [...this.journal.residue, ref],
      });
      await resetWorktree(slot.repo, tree);
    }
  }

  /** Runs the command once on `tree` in a free slot; null when a signal stopped it. */
  private async runOn(tree: string, label: string): Promise<IsolateRun | null> {
    const slot = this.slots.find((s) => !s.busy)!;
    slot.busy = true;
    try {
      if (slot.tree !== tree) {
        this.enter("probe-parallel", `${label} check out`);
        await switchTree(slot.repo, slot.tree, tree);
        // Its index follows, for a test that asks git what changed.
        await slot.repo.git.run(["read-tree", tree]);
        slot.tree = tree;
      }
      this.runCount += 1;
      const number = this.runCount;
      this.enter("probe-parallel", `${label} run`);
      mkdirSync(this.logDir, { recursive: true });
      const planned = planRunReport(
        this.options,
        { cwd: slot.cwd, root: slot.path },
        join(this.logDir, `${number}.report`),
      );
      const plan = planned?.kind === "report" ? planned : null;
      const calibrating = label === "calibration" || label === "baseline";
      const timeoutMs = calibrating
        ? this.options.timeoutMs
        : (this.configTimeoutMs ?? this.options.timeoutMs);
      const runOnce = async (timeoutMs: number, log: string) => {
        if (plan) await plan.prepare();
        workTreeTouched(slot.repo, "test");
        const startedAt = Date.now();
        const result = await runJournaled(
          { groups: this.groups, journal: this.journal, stateDir: this.repo.stateDir },
          {
            argv: plan?.argv ?? this.options.argv,
            classifyAs:
              plan?.classifyAs ??
              packageScriptWords(this.options.argv, slot.cwd, slot.path) ??
              this.options.argv,
            ...(this.options.shell !== undefined
              ? { shell: plan?.shell ?? this.options.shell }
              : {}),
            cwd: slot.cwd,
            env: {
              ...slot.env,
              ...plan?.env,
              CULPRIT_SIDE: "isolate",
              CULPRIT_RUN: String(number),
              CULPRIT_RUN_ID: this.runId,
            },
            timeoutMs,
            // The report as the tests left it when the timer fires (the stop may write it).
            onTimeout: () => plan?.atTimeout?.(),
            killAfterMs: this.options.killAfterMs,
            logPath: join(this.logDir, log),
            ...(this.options.signal ? { signal: this.options.signal } : {}),
          },
          classifyOptions(this.options),
        );
        // Read before the tree is put back: a report the command writes into the tree is the
        // run's residue (src/machine/runs.ts).
        return readRunReport(plan, startedAt, result);
      };
      // A hang is retried once (src/run/retry-hang.ts), unless the report already tells how the
      // regressed tests went: a runner that wrote its report and then waits for what a test left
      // open (mocha without --exit, a server the missing hunk would have closed) has said all
      // this configuration can say. The retry gets the whole --timeout: a configuration only
      // slower than the limit is not taken for a hang. It starts from the configuration's tree
      // again, what the hung run wrote kept aside first.
      const { result, reading } = await retryingHang(
        (again) =>
          again
            ? runOnce(this.options.timeoutMs, `${number}-again.log`)
            : runOnce(timeoutMs, `${number}.log`),
        {
          aborted: () => this.aborted(),
          judged: ({ reading: r }) =>
            this.reportJudges(
              r?.ok ? r.report.tests : null,
              r?.ok === true && r.report.partial === true,
            ),
          beforeRetry: () =>
            this.settleRun(slot, tree, label, `run-${number}-hung`, `the hung run ${number}`),
        },
      );
      // Every run starts from the configuration's tree: what the test wrote is kept under a ref.
      await this.settleRun(slot, tree, label, `run-${number}`, `run ${number}`);
      if (result.interrupted) return null;
      const tests = reading?.ok ? reading.report.tests : null;
      // Your tree's own runs say how its failure looks; every other tree is judged against it.
      if (label === "calibration") this.learnFailures(tests);
      if (label === "calibration" && tree === this.userTree && result.outcome === "hang")
        this.treeHung = true;
      // A build step before the runner that failed: this configuration does not build.
      const outcome = buildStopped(plan, result, reading) ? "cannot-run" : result.outcome;
      if (label === "calibration" && tree === this.userTree && outcome === "fail") {
        this.tailErrors ??= new Set();
        for (const e of brokenProgramErrors(result.tail)) this.tailErrors.add(e);
      }
      const judged = this.judged(
        outcome,
        tests,
        result.tail,
        reading?.ok === true && reading.report.partial === true,
      );
      // What a "?" says it missed, and what your tree's failure names (left out of that).
      const named =
        judged.judged === "cannot-run" || (label === "calibration" && tree === this.userTree)
          ? missingFromOutput(result.tail)
          : null;
      return {
        outcome,
        ...judged,
        exitCode: result.exitCode,
        signal: result.signal,
        durationMs: result.durationMs,
        ...(result.hungMs !== undefined ? { hungMs: result.hungMs } : {}),
        log: result.logPath,
        ...(result.hangRetried ? { hangRetried: true } : {}),
        ...(named ? { named } : {}),
      };
    } finally {
      slot.busy = false;
    }
  }

  /** `count` runs on `tree`, as many at once as there are slots; throws Stopped on a signal. */
  private async runMany(tree: string, count: number, label: string): Promise<IsolateRun[]> {
    const out: IsolateRun[] = [];
    while (out.length < count) {
      if (this.aborted()) throw new Stopped();
      const batch = Math.min(this.slots.length, count - out.length);
      const runs = await allRuns(Array.from({ length: batch }, () => this.runOn(tree, label)));
      if (runs.some((r) => r === null) || this.aborted()) throw new Stopped();
      out.push(...(runs as IsolateRun[]));
    }
    return out;
  }

  /** Runs (reached) and failures for the target. */
  private count(runs: readonly { judged: Judged }[]): CountedRuns {
    const reached = runs.filter((r) => r.judged !== "cannot-run");
    return { runs: reached.length, failures: reached.filter((r) => r.judged === "fail").length };
  }

  /**
   * The attribution's runs judged for the target: of your tree, or at the baseline its verdict
   * rests on.
   */
  private attributionRuns(side: "current" | "baseline"): { judged: Judged }[] {
    const a = this.attribution;
    const decided = a.attempts.find((t) => t.outcome === "decided")?.attempt;
    return a.runs
      .filter(
        (r: RunRecord) =>
          r.side === side && (side === "current" || decided === undefined || r.attempt === decided),
      )
      .map((r) =>
        this.judged(
          r.outcome,
          r.tests?.entries ?? null,
          r.tail ?? "",
          r.tests?.partial === true,
          r.failureLines,
        ),
      );
  }

  private calibration: { current: CountedRuns; baseline: CountedRuns; attribution?: CountedRuns } =
    {
      current: { runs: 0, failures: 0 },
      baseline: { runs: 0, failures: 0 },
    };
  private model: JudgeModel | null = null;
  private plan: SprtPlan | null = null;

  /** Fresh runs of the user's tree (and of the baseline when the failure is flaky), then the judge's model. */
  private async calibrate(): Promise<boolean> {
    const baselineRuns = this.attributionRuns("baseline");
    const yours = this.count(this.attributionRuns("current"));
    this.options.onProgress?.({ kind: "phase", text: "calibrating: fresh runs of your tree" });
    for (;;) {
      const current = this.count(this.calibrationRuns.filter((r) => r.side === "current"));
      const baseline = this.count([
        ...baselineRuns,
        ...this.calibrationRuns.filter((r) => r.side === "baseline"),
      ]);
      this.calibration = { current, baseline };
      const more = calibrationRuns(this.calibration, defaultCalibration, yours);
      if (more.current === 0 && more.baseline === 0) break;
      if (more.current > 0) {
        const tree = await this.treeFor(new Set(this.diff!.units.map((u) => u.id)));
        for (const run of await this.runMany(tree, more.current, "calibration"))
          this.calibrationRuns.push({ ...run, side: "current" });
      }
      if (more.baseline > 0) {
        for (const run of await this.runMany(this.baseTree, more.baseline, "baseline"))
          this.calibrationRuns.push({ ...run, side: "baseline" });
      }
      // A tree that cannot run at all gives no more evidence.
      const reached = this.count(this.calibrationRuns.filter((r) => r.side === "current"));
      if (reached.runs === 0) return false;
    }
    this.configTimeoutMs = configurationTimeout(
      this.calibrationRuns.map((r) => r.durationMs),
      this.options.timeoutMs,
      this.options.timeoutChosen === true,
    );
    try {
      this.model = judgeModel(this.calibration);
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
    const counted = this.model.deterministic ? countedAttribution(yours) : undefined;
    if (counted) this.calibration = { ...this.calibration, attribution: counted };
    const error = perJudgementError(this.options.confidence, 50);
    this.plan = sprtPlan(this.model, {
      falseFail: error,
      falsePass: error,
      maxRuns: Math.max(defaultJudgeOptions.maxRuns, 2 * this.options.maxRuns),
    });
    return true;
  }

  /** The configuration the oracle judged last (or found judged already). */
  private lastJudged: IsolateConfiguration | null = null;
  /** Names and modules your tree's own failing runs say are missing: no diagnosis of a "?". */
  private treeMissing: Set<string> | null = null;

  /**
   * The search's oracle: a configuration that cannot run says what it missed, when its runs'
   * output names a name or a module that your tree's own runs do not name; the units of your
   * changes that bring it in are what the search adds (src/isolate/diagnose.ts).
   */
  private readonly searchOracle: Oracle = async (config) => {
    const outcome = await this.oracle(config);
    const record = this.lastJudged;
    if (outcome !== "cannot-run" || record === null) return outcome;
    if (this.treeMissing === null) {
      this.treeMissing = new Set();
      for (const run of this.calibrationRuns) {
        if (run.side !== "current" || !run.named) continue;
        for (const name of run.named.names) this.treeMissing.add(name);
        for (const base of run.named.modules) this.treeMissing.add(moduleKey(base));
      }
    }
    const named: Named = { names: [], modules: [] };
    for (const run of record.runs) {
      if (run.judged !== "cannot-run" || !run.named) continue;
      named.names.push(...run.named.names);
      named.modules.push(...run.named.modules);
    }
    const missing = diagnose(this.diff!, config, named, this.treeMissing);
    if (missing.length === 0) return outcome;
    record.missed = missing.map((m) => m.what);
    return { outcome, missing };
  };

  /** Judges one configuration: runs until the judge settles. */
  private readonly oracle = async (config: ReadonlySet<string>): Promise<SearchOutcome> => {
    if (this.aborted()) throw new Stopped();
    const tree = await this.treeFor(config);
    const plan = this.plan!;
    // The same tree under other ids (the lines of a whole hunk, the hunk itself) was judged
    // already: a deterministic failure needs no second judgement of the same files.
    const judged = plan.model.deterministic ? this.judgedTrees.get(tree) : undefined;
    if (judged !== undefined) {
      this.lastJudged = judged;
      return judged.judgement;
    }
    const units = this.diff!.units.map((u) => u.id).filter((id) => config.has(id));
    const again = this.configurations.some((c) => c.units.join("\0") === units.join("\0"));
    const record: IsolateConfiguration = {
      index: this.configurations.length + 1,
      units,
      judgement: "pass",
      again,
      runs: [],
    };
    for (;;) {
      const counts = {
        failures: record.runs.filter((r) => r.judged === "fail").length,
        passes: record.runs.filter((r) => r.judged === "pass").length,
        cannotRun: record.runs.filter((r) => r.judged === "cannot-run").length,
      };
      const decision = judgeConfiguration(plan, counts);
      if (decision.judgement !== "run-again") {
        record.judgement = decision.judgement;
        break;
      }
      // (A signal in these runs throws: a configuration cut short is not reported as judged.)
      const left = plan.maxRuns - counts.failures - counts.passes;
      const batch = plan.model.deterministic ? 1 : Math.max(1, Math.min(this.slots.length, left));
      record.runs.push(...(await this.runMany(tree, batch, `config ${record.index}`)));
    }
    this.configurations.push(record);
    this.lastJudged = record;
    if (plan.model.deterministic) this.judgedTrees.set(tree, record);
    this.options.onProgress?.({
      kind: "configuration",
      index: record.index,
      units: units.length,
      judgement: record.judgement,
    });
    return record.judgement;
  };

  private async search(): Promise<{
    verdict: IsolateVerdict;
    reason: string;
    guilty: string[];
    needed: string[];
  }> {
    await this.prepare();
    const diff = this.diff!;
    if (diff.units.length === 0)
      return { verdict: "no-diff", reason: messages.isolateNoDiff(), guilty: [], needed: [] };
    // One unit: the attribution judged the baseline with it (your tree) against the baseline
    // without it, so it is the answer. No configuration to test, and no calibration of how to
    // judge one (it took 10 runs of a deterministic failure, 40 of a flaky one: trial).
    if (diff.units.length === 1)
      return {
        verdict: "isolated",
        reason: messages.isolateFound(1, 0),
        guilty: [diff.units[0]!.id],
        needed: [],
      };
    await this.makeSlots();
    if (!(await this.calibrate())) {
      const c = this.calibration.current;
      return {
        verdict: "not-reproduced",
        reason: messages.isolateCalibration(c.failures, c.runs),
        guilty: [],
        needed: [],
      };
    }
    this.options.onProgress?.({
      kind: "phase",
      text: `searching ${plural(diff.units.length, "unit")} in ${plural(diff.files.length, "file")}`,
    });
    // Units guilty only together are looked for last, after the lines of needed hunks.
    const options = { confirm: !this.model!.deterministic, together: false };
    let result = await isolate(searchUnits(diff), this.searchOracle, {
      ...options,
      hints: guessDependencies(diff),
    });
    if (result.confirmed && result.guilty.length === 0 && result.needed.length > 0)
      result = this.options.lines
        ? await this.linesOrHunks(result)
        : await this.intoLines(result, options);
    result = await guiltyTogether(result, this.oracle, movedDefinitions(this.diff!));
    if (!result.confirmed)
      return {
        verdict: "unconfirmed",
        reason: messages.isolateUnconfirmed(),
        guilty: [],
        needed: [],
      };
    if (result.guilty.length === 0)
      return {
        verdict: "needed-only",
        reason: messages.isolateNoneGuilty(),
        guilty: [],
        needed: result.needed,
      };
    // One cause among others? Your changes without the guilty units (and what structurally
    // needs them), judged once: a prettier run over three files names the first one it meets.
    if (this.model!.deterministic) {
      const units = searchUnits(this.diff!);
      const requires = new Map(units.map((u) => [u.id, u.requires ?? []]));
      const all = new Set(units.map((u) => u.id));
      const rest = withoutUnits(requires, all, result.guilty);
      // (A tree the search judged already is not run again: see the oracle.)
      // "cannot-run" (a hang, another failure) cannot tell: not judged.
      if (rest.size > 0) {
        const others = await this.oracle(rest);
        this.othersFail = others === "cannot-run" ? null : others === "fail";
        // Failing at another line of the test: another cause, or what leaving them out broke.
        if (others === "cannot-run") {
          const judged = this.judgedTrees.get(await this.treeFor(rest));
          this.othersFailure =
            judged?.runs.find((r) => r.otherFailure?.includes(anotherLine))?.otherFailure ?? null;
        }
      }
    }
    return {
      verdict: "isolated",
      reason: messages.isolateFound(
        result.guilty.length,
        new Set(this.configurations.map((c) => c.units.join("\0"))).size,
      ),
      guilty: result.guilty,
      needed: result.needed,
    };
  }

  /**
   * Every hunk left is needed to run: what breaks the test shares a hunk with what the test
   * needs (a renamed function's callers and a bug, a few lines apart). Lines tell them apart,
   * when one of them is guilty alone; otherwise the hunks stay the answer (guilty together, and
   * read as the hunks they are, not as the five lines of a removed function, each "guilty":
   * tj/commander.js trial). `this.diff` is the diff of the answer.
   */
  private async intoLines(result: SearchResult, options: SearchOptions): Promise<SearchResult> {
    const diff = this.diff!;
    const lined = parseDiff(this.diffBytes, { lines: true });
    const needed = new Set(result.needed);
    const split = searchUnits(lined).filter((u) => needed.has(u.levels?.[1] ?? "")).length;
    // Only when a needed hunk has more than one line (a new file stays one unit).
    if (split <= needed.size) return result;
    this.options.onProgress?.({ kind: "phase", text: messages.isolateIntoLines() });
    this.diff = lined;
    const byLines = await isolate(searchUnits(lined), this.searchOracle, {
      ...options,
      hints: guessDependencies(lined),
    });
    if (byLines.confirmed && byLines.guilty.length > 0) return byLines;
    this.diff = diff;
    return result;
  }

  /**
   * --lines, and no line alone is to blame: every line left is needed to run. Guilty together,
   * line by line (a line replaced by two, each a syntax error alone: both guilty). But when that
   * splits the lines of one hunk into guilty and needed, the split is noise: a function moved
   * out, each of its removed lines a syntax error when kept alone and not when removed alone, or
   * the other way round (pytoolz/toolz trial: eight removed lines called guilty one by one, seven
   * needed). Then the hunks that hold them are the answer, when they fail as a whole (one more
   * configuration). `this.diff` is the diff of the answer.
   */
  private async linesOrHunks(result: SearchResult): Promise<SearchResult> {
    const diff = this.diff!;
    const byLines = await guiltyTogether(result, this.oracle, movedDefinitions(diff));
    const hunkOf = new Map(diff.units.map((u) => [u.id, u.hunk ?? u.id]));
    const guiltyHunks = new Set(byLines.guilty.map((id) => hunkOf.get(id)));
    if (!byLines.needed.some((id) => id !== hunkOf.get(id) && guiltyHunks.has(hunkOf.get(id))))
      return byLines;
    const byHunks = parseDiff(this.diffBytes, { lines: false });
    const wanted = new Set([...byLines.guilty, ...byLines.needed].map((id) => hunkOf.get(id)!));
    const hunks = byHunks.units.map((u) => u.id).filter((id) => wanted.has(id));
    this.diff = byHunks;
    if (hunks.length === wanted.size && (await this.oracle(new Set(hunks))) === "fail")
      return { ...byLines, guilty: [], needed: hunks };
    this.diff = diff;
    return byLines;
  }

  private hunk(id: string): IsolateHunk {
    const diff = this.diff!;
    const unit = diff.units.find((u) => u.id === id)!;
    const where = locateUnit(diff, id);
    return {
      id,
      kind: unit.kind,
      file: where.path,
      startLine: where.startLine,
      endLine: where.endLine,
      patch: patchFor(diff, new Set([id])).toString("utf8"),
    };
  }

  private report(
    verdict: IsolateVerdict,
    reason: string,
    guilty: string[] = [],
    needed: string[] = [],
  ): IsolateReport {
    const a = this.attribution;
    const search = this.configurations.reduce((n, c) => n + c.runs.length, 0);
    const runsMs = [...this.configurations.flatMap((c) => c.runs), ...this.calibrationRuns].reduce(
      (sum, r) => sum + ranMs(r),
      0,
    );
    const model = this.model;
    // What reproduces the failure on the baseline: the guilty hunks and those they need to run.
    const patchBytes =
      guilty.length > 0 ? patchFor(this.diff!, new Set([...guilty, ...needed])) : null;
    // Which guilty units use a needed one (`usedBy`), as the diff of the answer reads.
    const hints = needed.length > 0 ? guessDependencies(this.diff!) : null;
    // A guilty unit uses a needed one directly, or through other needed ones (the call, the
    // import binding it uses, the definition the binding imports).
    const uses = (from: string, id: string): boolean => {
      const seen = new Set<string>();
      const next = [from];
      while (next.length > 0) {
        for (const to of hints?.get(next.pop()!) ?? []) {
          if (to === id) return true;
          if (!seen.has(to) && needed.includes(to)) next.push(to);
          seen.add(to);
        }
      }
      return false;
    };
    return {
      runId: this.runId,
      verdict,
      reason,
      confidence: this.options.confidence,
      attribution: { runId: a.runId, verdict: a.verdict, reason: a.reason, reused: a.cache.reused },
      baseline: {
        rev: a.base?.rev ?? "HEAD",
        commit: this.baseCommit || a.base?.commit || "",
        revert: this.revert,
      },
      target: this.target
        ? { kind: "tests", tests: this.target }
        : { kind: this.yourWay !== null ? "failure-way" : "command" },
      judge:
        model && this.plan
          ? {
              deterministic: model.deterministic,
              regressionRate: model.regression,
              baselineRate: model.baseline,
              calibration: this.calibration,
              maxRuns: this.plan.maxRuns,
              timeoutMs: this.configTimeoutMs ?? this.options.timeoutMs,
              timeoutChosen: this.options.timeoutChosen === true,
            }
          : null,
      units: this.diff?.units.length ?? 0,
      files: this.diff?.files.length ?? 0,
      hunks: guilty.map((id) => this.hunk(id)),
      othersFail: this.othersFail,
      ...(this.othersFailure !== null ? { othersFailure: this.othersFailure } : {}),
      needed: needed.map((id) => {
        const usedBy = guilty.filter((g) => uses(g, id));
        return { ...this.hunk(id), ...(usedBy.length > 0 ? { usedBy } : {}) };
      }),
      patch: patchBytes?.toString("utf8") ?? null,
      patchBytes,
      configurations: this.configurations,
      distinct: new Set(this.configurations.map((c) => c.units.join("\0"))).size,
      runs: { calibration: this.calibrationRuns.length, search },
      calibrationRuns: this.calibrationRuns,
      interrupted: this.interrupted,
      worktrees: this.shared.get(),
      command: {
        argv: this.options.argv,
        shell: this.options.shell ?? null,
        cwd: this.options.cwd,
      },
      timing: { totalMs: Date.now() - this.startedAt, runsMs },
    };
  }
}

/**
 * The errors of a program that does not hold together (a name not defined, not a function, not
 * parsing, not importing) that `output` names, in the words of JavaScript and Python. Python's
 * own subclasses of SyntaxError and NameError have their own names (a function's `def` line
 * left out leaves its body indented at the top level: `IndentationError: unexpected indent`,
 * read as a failure like yours, and that line was blamed alone).
 */
export function brokenProgramErrors(output: string): Set<string> {
  const names = new Set<string>();
  const pattern =
    /\b(ReferenceError|TypeError|SyntaxError|IndentationError|TabError|NameError|UnboundLocalError|ImportError|ModuleNotFoundError|AttributeError)\b/g;
  for (const m of output.matchAll(pattern)) names.add(m[1]!);
  return names;
}
