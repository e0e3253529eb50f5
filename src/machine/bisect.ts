import { mkdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { type BisectResult, FlakyBisect } from "../compare/bisect.js";
import { decide } from "../compare/decide.js";
import type { SideCounts } from "../compare/types.js";
import { gitStoppedWithCulprit, UsageError } from "../errors.js";
import { keepResidue } from "../git/backup.js";
import { switchTree } from "../git/mtime.js";
import { ensurePrivateRoot } from "../git/private-root.js";
import { type RenamedWord, renamedPaths, wordsAtOldNames } from "../git/renames.js";
import { headCommit, openRepo, type Repo, splitZ } from "../git/repo.js";
import { resetWorktree, useWorkIndex, workTreeTouched } from "../git/snapshot.js";
import { fillSubmodules } from "../git/submodules.js";
import {
  addWorktree,
  ignoredEntries,
  removeWorktrees,
  type SharedPath,
  unbuiltOutputs,
  type Worktree,
  worktreesDir,
} from "../git/worktree.js";
import { messages, plural } from "../messages.js";
import {
  outcomeWithReport,
  packageScriptWords,
  planRunReport,
  type ReportReading,
  readRunReport,
} from "../run/index.js";
import { failsTheWay, failureLines } from "../run/reports/signature.js";
import type { TestCaseResult } from "../run/reports/types.js";
import { ranMs, retryingHang } from "../run/retry-hang.js";
import type { Outcome } from "../run/types.js";
import { mostSeenWay, withRenamedFiles } from "./evidence.js";
import { faultPoint } from "./fault.js";
import { clearJournal, type Journal, newRunId, writeJournal } from "./journal.js";
import { runJournaled } from "./journaled-run.js";
import { acquireLock, assertLockFree } from "./lock.js";
import { pruneLogs } from "./logs.js";
import { assertNoPendingRun, assertRunnable, assertSameTests } from "./preflight.js";
import { allRuns } from "./runs.js";
import type { StateName } from "./states.js";
import { classifyOptions } from "./types.js";
import { SharedRecord, shareInto } from "./worktrees.js";

/** Everything `culprit bisect` needs from the command line. */
export interface BisectOptions {
  argv: string[];
  shell?: string;
  cwd: string;
  /** The revision where the test passes (default: the merge base with the upstream branch). */
  good?: string;
  /** The revision where it fails (default HEAD). */
  bad?: string;
  /** Posterior a commit must hold to be named. */
  confidence: number;
  /** Runs at each end before the first decision, and most runs at each end. */
  runs: number;
  maxRuns: number;
  timeoutMs: number;
  killAfterMs: number;
  cannotRunPattern?: RegExp;
  cannotRunExit?: number[];
  runner?: string;
  /** false: judge each run by the command's exit code alone (--per-test off). */
  perTest?: boolean;
  /** --junit PATH: the JUnit XML the user's own runner writes. */
  junit?: string;
  /** Commits (or runs) tested at the same time, each in its own worktree. */
  jobs: number;
  /** Ignored paths (globs) copied into the worktrees instead of linked. */
  share?: { copy: readonly string[] };
  signal?: AbortSignal;
  onProgress?: (event: BisectProgress) => void;
}

/** What the search tells a front end while it works. */
export type BisectProgress =
  | { kind: "phase"; text: string }
  | { kind: "run-end"; commit: string; outcome: Outcome; label: string };

/** One run at a commit. */
export interface BisectRun {
  /** As the search takes it: the tests it follows, when it follows tests (see `targets`). */
  outcome: Outcome;
  /** As the command ended (a failing test the search does not follow makes it `fail`). */
  command: Outcome;
  /** The tests of the run (id and status), while the ends are checked; null without a report. */
  tests?: ReadonlyMap<string, TestCaseResult["status"]> | null;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** A hang's retry: how long the hung first attempt ran (counted in the report's runsMs). */
  hungMs?: number;
  log: string | null;
  /** How a failing run failed (failureLines), without a report, while the way may be followed. */
  way?: ReadonlySet<string>;
}

/** A commit of the searched history, with its runs. */
export interface BisectCommit {
  /** 0: the good end, n: the bad end. */
  index: number;
  sha: string;
  subject: string;
  author: string;
  date: string;
  runs: BisectRun[];
}

/** How `culprit bisect` ended. */
export type BisectVerdict =
  | "culprit"
  | "range"
  | "no-culprit"
  | "undecided"
  | "not-reproduced"
  | "good-fails"
  | "unrunnable"
  | "interrupted";

/** The outcome of `culprit bisect`. */
export interface BisectReport {
  runId: string;
  verdict: BisectVerdict;
  reason: string;
  confidence: number;
  good: { rev: string; sha: string };
  bad: { rev: string; sha: string };
  /** Commits after the good end up to the bad end, in first-parent order. */
  commits: number;
  culprit: (Omit<BisectCommit, "runs" | "index"> & { probability: number }) | null;
  /** The culprit is one of these (skipped commits that could not run, and the first that could). */
  range: { commits: Omit<BisectCommit, "runs" | "index">[]; probability: number } | null;
  /** Every commit run, ends included, in history order. */
  tested: BisectCommit[];
  /** Runs at the ends, and runs of the search after them. */
  runs: { ends: number; search: number };
  /**
   * The tests the search follows: those that fail at the bad end and pass at the good end, when
   * the command also fails at the good end (a test that was already failing); empty when the
   * command's own outcome is followed.
   */
  tests: string[];
  /**
   * Without a report, where the command fails at the good end too, otherwise: the search
   * followed the way it fails at the bad end (a run failing as the good end does passes).
   */
  followedWay: boolean;
  interrupted: string | null;
  command: {
    argv: string[];
    shell: string | null;
    cwd: string;
    /**
     * Words of the command that name a file the history renames, as they ran at the commits
     * where the file has its old name (how many commits).
     */
    renamed?: { word: string; as: string; commits: number }[];
  };
  timing: { totalMs: number; runsMs: number };
  /** Your ignored paths as the worktrees got them, and the variables their runs got. */
  worktrees: { shared: SharedPath[]; env: string[] };
  /**
   * When the first-parent search named a merge: the merge, and the search of the commits its
   * second parent brought in (`culprit` is then the commit found there, when one was).
   */
  branch?: MergedBranch;
}

/** The commits a merge brought in, searched after the merge was named (see `intoMergedBranch`). */
export interface MergedBranch {
  /** The merge the first-parent search named, with its posterior there. */
  merge: Omit<BisectCommit, "runs" | "index"> & { probability: number };
  /** The search from the parent of the branch's first commit up to the merge's second parent. */
  search: BisectReport;
}

const mergeBasePrefix = "merge-base:";

/** A run id that sorts by time: 20261128T054312-3f9a. */

/** Resolves a revision to a commit in this clone; a UsageError that says what to fetch. */
async function commitOf(repo: Repo, rev: string, flag: string): Promise<string> {
  const found = await repo.git.tryRun(["rev-parse", "--verify", "-q", `${rev}^{commit}`]);
  if (found.exitCode !== 0) throw new UsageError(messages.bisectNoSuchRev(flag, rev));
  return found.stdout.trim();
}

/** `--good`: given, `merge-base:REF`, or the merge base of HEAD and its upstream branch. */
async function resolveGood(
  repo: Repo,
  good: string | undefined,
): Promise<{ rev: string; sha: string }> {
  if (good !== undefined && !good.startsWith(mergeBasePrefix))
    return { rev: good, sha: await commitOf(repo, good, "--good") };
  const ref = good?.slice(mergeBasePrefix.length) ?? "@{upstream}";
  const other = await repo.git.tryRun(["rev-parse", "--verify", "-q", `${ref}^{commit}`]);
  if (other.exitCode !== 0) {
    throw new UsageError(
      good === undefined ? messages.bisectNoUpstream() : messages.bisectNoSuchRev("--good", ref),
    );
  }
  const base = await repo.git.tryRun(["merge-base", "HEAD", other.stdout.trim()]);
  if (base.exitCode !== 0 || base.stdout.trim() === "")
    throw new UsageError(messages.noMergeBase(ref));
  return { rev: good ?? `merge-base:${ref}`, sha: base.stdout.trim().split("\n")[0]! };
}

/** Subject, author and date of commits, by sha. */
async function describe(
  repo: Repo,
  shas: readonly string[],
): Promise<Map<string, Omit<BisectCommit, "runs" | "index">>> {
  const out = await repo.git.run([
    "show",
    "-s",
    "--format=%H%x00%s%x00%an%x00%aI%x00",
    ...new Set(shas),
  ]);
  const found = new Map<string, Omit<BisectCommit, "runs" | "index">>();
  const fields = out.split("\0");
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const sha = fields[i]!.trim();
    found.set(sha, { sha, subject: fields[i + 1]!, author: fields[i + 2]!, date: fields[i + 3]! });
  }
  return found;
}

/** A worktree that moves from commit to commit. */
interface Slot {
  worktree: Worktree;
  cwd: string;
  /** The tree it holds now. */
  tree: string | null;
  busy: boolean;
  dropWorkIndex: () => void;
}

/**
 * `culprit bisect`: finds the commit that made the command fail, even when it fails only some of
 * the time (src/compare/bisect.ts). Each tested commit is checked out in a linked worktree under
 * culprit's worktrees folder (src/git/worktree.ts): the user's tree, index, HEAD and stash are never written, and may be
 * dirty. Journaled like an attribution (`culprit recover` removes the worktrees of a killed run).
 */
export async function bisect(options: BisectOptions): Promise<BisectReport> {
  const startedAt = Date.now();
  const repo = await openRepo(options.cwd);
  assertLockFree(repo.stateDir);
  if (!(await headCommit(repo.git))) throw new UsageError(messages.noCommits());
  assertNoPendingRun(repo);
  ensurePrivateRoot();
  if (options.shell === undefined) {
    assertRunnable(options.argv, options.cwd);
    assertSameTests(options.argv, options.cwd, repo.root);
  }
  const bad = {
    rev: options.bad ?? "HEAD",
    sha: await commitOf(repo, options.bad ?? "HEAD", "--bad"),
  };
  const good = await resolveGood(repo, options.good);
  const listed = splitZ(
    (
      await repo.git.run([
        "rev-list",
        "--first-parent",
        "--reverse",
        "-z",
        `${good.sha}..${bad.sha}`,
      ])
    ).replace(/\n/g, "\0"),
  );
  if (listed.length === 0) throw new UsageError(messages.bisectEmpty(good.rev, bad.rev));
  const parent = (
    await repo.git.tryRun(["rev-parse", "--verify", "-q", `${listed[0]}^1`])
  ).stdout.trim();
  if (parent !== good.sha) throw new UsageError(messages.bisectNotFirstParent(good.rev, bad.rev));
  const release = acquireLock(repo.stateDir);
  try {
    assertNoPendingRun(repo);
    const first = new Bisection(repo, options, startedAt, good, bad, [good.sha, ...listed]);
    return await intoMergedBranch(repo, options, await first.run(), first.followed());
  } finally {
    release();
  }
}

/**
 * When the first-parent search named a merge, the commit that broke it is most often one its
 * branch brought in (where `git bisect` without --first-parent ends). Those commits are searched
 * the same way, in worktrees: the first-parent history of the merge's second parent, back to
 * where it leaves the history the merge's first parent has, the parent of its first commit the
 * good end. What the first search followed (tests, or a way of failing) is followed there too.
 * The merge stays named when the branch's tip does not fail so (the two sides fail together),
 * when its ends say nothing can be found, or for a merge of more than two parents.
 */
async function intoMergedBranch(
  repo: Repo,
  options: BisectOptions,
  report: BisectReport,
  followed: Followed,
): Promise<BisectReport> {
  const merge = report.culprit;
  if (report.verdict !== "culprit" || merge === null || options.signal?.aborted) return report;
  const parents = (await repo.git.run(["rev-list", "--parents", "-n", "1", merge.sha]))
    .trim()
    .split(" ")
    .slice(1);
  if (parents.length !== 2) return report;
  const [mainline, tip] = parents as [string, string];
  const listed = splitZ(
    (
      await repo.git.run(["rev-list", "--first-parent", "--reverse", "-z", `${mainline}..${tip}`])
    ).replace(/\n/g, "\0"),
  );
  if (listed.length === 0) return report;
  const before = await repo.git.tryRun(["rev-parse", "--verify", "-q", `${listed[0]}^1`]);
  if (before.exitCode !== 0) return report;
  const startedAt = Date.now();
  const label = merge.sha.slice(0, 12);
  options.onProgress?.({
    kind: "phase",
    text: `${label} is a merge: searching the ${plural(listed.length, "commit")} it brought in`,
  });
  const search = await new Bisection(
    repo,
    options,
    startedAt,
    { rev: `${listed[0]!.slice(0, 12)}^`, sha: before.stdout.trim() },
    { rev: `${label}^2`, sha: tip },
    [before.stdout.trim(), ...listed],
    followed,
  ).run();
  const tipRuns = (search.tested.find((c) => c.index === search.commits)?.runs ?? []).filter(
    (r) => r.outcome !== "cannot-run",
  ).length;
  return {
    ...report,
    reason: search.culprit
      ? messages.bisectFoundInBranch(search.reason, label)
      : search.verdict === "not-reproduced"
        ? messages.bisectMergeItself(report.reason, label, tipRuns)
        : messages.bisectMergeKept(report.reason, search.reason),
    culprit: search.culprit ?? merge,
    interrupted: search.interrupted,
    timing: {
      totalMs: report.timing.totalMs + search.timing.totalMs,
      runsMs: report.timing.runsMs + search.timing.runsMs,
    },
    branch: { merge, search },
  };
}

/** What a search followed, once its ends were checked (see Bisection's `targets` and `way`). */
interface Followed {
  targets: ReadonlySet<string> | null;
  way: { bad: ReadonlySet<string>; good: ReadonlySet<string>[] } | null;
  /** Its runs, by commit, judged so. */
  runs: ReadonlyMap<string, readonly BisectRun[]>;
  /** The subtests it saw, by their tests. */
  within: ReadonlyMap<string, string>;
}

/** A run as the search's model counts it. */
function searchOutcome(run: BisectRun): "pass" | "fail" | "cannot-run" {
  return run.outcome === "pass" ? "pass" : run.outcome === "cannot-run" ? "cannot-run" : "fail";
}

class Bisection {
  private readonly runId = newRunId();
  private readonly journal: Journal;
  private readonly logDir: string;
  private readonly slots: Slot[] = [];
  private readonly groups = new Set<number>();
  /** Words of the command run under a file's old name, and the commits they ran at. */
  private readonly renamedWords = new Map<string, RenamedWord & { commits: Set<string> }>();
  /** Runs by commit index. */
  private readonly runs = new Map<number, BisectRun[]>();
  private readonly records: { index: number; outcome: "pass" | "fail" | "cannot-run" }[] = [];
  /** Runs an earlier search made (of a merge's branch): reported, not counted as this one's. */
  private readonly reused = new Set<BisectRun>();
  /** The tests the search follows (null: the command's outcome). */
  private targets: Set<string> | null = null;
  /**
   * A subtest's test (unittest's subTest, named only when it fails): absent from a run that has
   * its test, the subtest passed there (src/machine/evidence.ts reads them so too).
   */
  private readonly within = new Map<string, string>();
  /**
   * Without a test report, where the command fails at the good end too, otherwise: the way it
   * fails at the bad end (failureLines), which the search follows, and the ways it failed at the
   * good end (a run failing one of those passes, as far as the bad end's failure goes; a third
   * way is skipped). Null: not followed.
   */
  private way: { bad: ReadonlySet<string>; good: ReadonlySet<string>[] } | null = null;
  private wayTried = false;
  /** Whether runs read their tests: while the ends are checked, then only when following tests. */
  private readTests = true;
  /**
   * Set once the ends are checked, when the search goes by the command's outcome: every run of
   * the bad end that reached the command had the runner's report. A failure without one then
   * did not reach the tests (a build step before the runner failed): skipped, not a failure.
   */
  private reportsAtBad = false;
  private readonly trees = new Map<string, string>();
  private ignored: string[] | null = null;
  /** What the worktrees got of your ignored paths (for the report). */
  private readonly shared = new SharedRecord();
  private interrupted: string | null = null;
  /** Runs at the ends, once they are checked (null: stopped or ended before the search). */
  private endRuns: number | null = null;

  constructor(
    private readonly repo: Repo,
    private readonly options: BisectOptions,
    private readonly startedAt: number,
    private readonly good: { rev: string; sha: string },
    private readonly bad: { rev: string; sha: string },
    /** Index 0 the good end, the last the bad end. */
    private readonly history: string[],
    /** What an earlier search followed, followed here from the start (a merge's branch). */
    followed?: Followed,
  ) {
    if (followed) {
      this.targets = followed.targets && new Set(followed.targets);
      this.way = followed.way;
      this.wayTried = true;
      for (const [id, parent] of followed.within) this.within.set(id, parent);
      // A commit the earlier search ran (the branch's good end is often one) is not run again.
      history.forEach((sha, index) => {
        const earlier = followed.runs.get(sha);
        if (!earlier) return;
        // Copies: judging them again here (judgeAgain) must not change the earlier report's rows.
        const runs = earlier.map((run) => ({ ...run }));
        this.runs.set(index, runs);
        for (const run of runs) this.reused.add(run);
        if (index === 0 || index === this.n) return;
        for (const run of runs) this.records.push({ index, outcome: searchOutcome(run) });
      });
    }
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
      isolated: true,
    };
  }

  /** What the search followed (the tests, or the way the bad end fails), once its ends were checked. */
  followed(): Followed {
    const runs = new Map<string, BisectRun[]>();
    for (const [index, ran] of this.runs) runs.set(this.history[index]!, ran);
    return { targets: this.targets, way: this.way, runs, within: this.within };
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

  private get n(): number {
    return this.history.length - 1;
  }

  private aborted(): boolean {
    if (!this.options.signal?.aborted) return false;
    const reason = this.options.signal.reason;
    this.interrupted ??= typeof reason === "string" ? reason : "SIGINT";
    return true;
  }

  async run(): Promise<BisectReport> {
    const finish = async () => {
      this.enter("leave-worktrees", "remove all", { worktrees: this.paths() });
      for (const slot of this.slots) slot.dropWorkIndex();
      // Those made and any half made (journaled, never a slot); a failure keeps the journal.
      await removeWorktrees(this.repo, this.paths());
      this.slots.splice(0);
      this.enter("report", "removed", { worktrees: [] });
      clearJournal(this.repo.stateDir);
    };
    pruneLogs(join(this.repo.stateDir, "logs"));
    let outcome: { verdict: BisectVerdict; reason: string; result: BisectResult | null };
    try {
      await this.makeSlots();
      outcome = await this.search();
    } catch (error) {
      try {
        await finish();
      } catch {
        // The journal stays: `culprit recover` removes what is left.
        throw error;
      }
      // The signal that stops culprit killed the git it was running too (a tree-kill).
      if (!(await gitStoppedWithCulprit(error, this.options.signal))) throw error;
      return this.report(this.stopped());
    }
    await finish();
    return this.report(outcome);
  }

  private paths(): string[] {
    return this.slots.map((s) => s.worktree.path);
  }

  /** `jobs` worktrees at the bad end, with the ignored folders of the user's tree shared in. */
  private async makeSlots(): Promise<void> {
    this.ignored ??= await ignoredEntries(this.repo);
    const tree = await this.treeOf(this.bad.sha);
    for (let number = 1; number <= Math.max(1, this.options.jobs); number++) {
      const name = `${this.runId}-bisect-${number}`;
      this.enter("enter-worktrees", `add ${number}`, {
        worktrees: [...this.paths(), join(worktreesDir(this.repo), name)],
      });
      const worktree = await addWorktree(this.repo, name, { commit: this.bad.sha, tree });
      this.slots.push({
        worktree,
        cwd: join(worktree.path, relative(this.repo.root, this.options.cwd)),
        tree,
        busy: false,
        dropWorkIndex: useWorkIndex(worktree.repo),
      });
      const shared = await shareInto(
        this.repo,
        worktree,
        this.ignored,
        this.options.share?.copy ?? [],
      );
      this.shared.add(worktree, shared);
    }
    this.enter("enter-worktrees", "ready", { worktrees: this.paths() });
  }

  /**
   * Whether a hung run's report (as the timer found it) already holds one of the tests the search
   * follows: it passed or failed before the run hung, and a retry would tell no more.
   */
  private async reportJudges(reading: ReportReading | null, tree: string): Promise<boolean> {
    const targets = this.targets;
    if (targets === null || !reading?.ok) return false;
    const tests = await this.withBadEndPaths(reading.report.tests, tree);
    return tests.some((t) => targets.has(t.id));
  }

  /** A run's tests at the commit of `tree`, its files as the bad end names them (best effort). */
  private async withBadEndPaths(
    tests: readonly TestCaseResult[],
    tree: string,
  ): Promise<readonly TestCaseResult[]> {
    const renames = await this.renamesToBadEnd(tree);
    return renames.size === 0 ? tests : withRenamedFiles(tests, renames);
  }

  /** The paths of `tree` that the bad end has renamed: old to new (best effort: none). */
  private async renamesToBadEnd(tree: string): Promise<ReadonlyMap<string, string>> {
    const badTree = await this.treeOf(this.bad.sha);
    if (tree === badTree) return new Map();
    return renamedPaths(this.repo, tree, badTree).catch(() => new Map<string, string>());
  }

  /**
   * The command's words at commit `sha` (tree `tree`) where a file they name has another name
   * there than at the bad end (src/git/renames.ts); null when none does, or with --shell.
   */
  private async wordsAt(sha: string, tree: string, slot: Slot): Promise<string[] | null> {
    if (this.options.shell !== undefined) return null;
    const renames = await this.renamesToBadEnd(tree);
    const cwd = relative(slot.worktree.path, slot.cwd).split(sep).join("/");
    const at = wordsAtOldNames(this.options.argv, renames, cwd);
    if (at.renamed.length === 0) return null;
    for (const word of at.renamed) {
      const key = `${word.word}\0${word.as}`;
      const known = this.renamedWords.get(key) ?? { ...word, commits: new Set<string>() };
      known.commits.add(sha);
      this.renamedWords.set(key, known);
    }
    return at.argv;
  }

  private async treeOf(sha: string): Promise<string> {
    let tree = this.trees.get(sha);
    if (!tree) {
      tree = (await this.repo.git.run(["rev-parse", `${sha}^{tree}`])).trim();
      this.trees.set(sha, tree);
    }
    return tree;
  }

  /** Puts a slot back to the commit's tree: what a run wrote is kept under a residue ref first. */
  private async settleAt(slot: Slot, tree: string, sha: string, hung = false): Promise<void> {
    // A hung run's writes under a ref of their own: its retry's would replace them.
    const ref = `${this.repo.refPrefix}/residue/${this.runId}/${sha.slice(0, 12)}${hung ? "-hung" : ""}`;
    const what = `what the ${hung ? "hung run" : "test"} wrote at ${sha}`;
    if (await keepResidue(slot.worktree.repo, tree, ref, what)) {
      this.enter("probe-parallel", "settle");
      await resetWorktree(slot.worktree.repo, tree);
    }
  }

  /** Runs the command once at commit `index` in a free slot. */
  private async runAt(index: number, label: string): Promise<BisectRun | null> {
    const slot = this.slots.find((s) => !s.busy)!;
    slot.busy = true;
    try {
      const sha = this.history[index]!;
      const tree = await this.treeOf(sha);
      if (slot.tree !== tree) {
        this.enter("probe-parallel", `check out ${sha.slice(0, 12)}`);
        await switchTree(slot.worktree.repo, slot.tree, tree);
        // Its index and HEAD follow, for a test that asks git where it is.
        await slot.worktree.repo.git.run(["read-tree", tree]);
        await slot.worktree.repo.git.run(["update-ref", "--no-deref", "HEAD", sha]);
        // The submodules follow too: the commits this one records.
        await fillSubmodules(this.repo, slot.worktree.repo, tree);
        slot.tree = tree;
      }
      const number = (this.runs.get(index)?.length ?? 0) + 1;
      this.enter("probe-parallel", `${label} run`);
      mkdirSync(this.logDir, { recursive: true });
      // The runner's report of the tests it ran, as attribution asks for it: when the command
      // also fails at the good end, the search follows the tests that fail at the bad end only.
      // Once the search runs on the command's outcome, the tests are not read (no reporter added).
      // A file the command names that this commit has under its old name is named so.
      const argv = (await this.wordsAt(sha, tree, slot)) ?? this.options.argv;
      const options = argv === this.options.argv ? this.options : { ...this.options, argv };
      const planned = this.readTests
        ? planRunReport(
            options,
            { cwd: slot.cwd, root: slot.worktree.path },
            join(this.logDir, `${sha.slice(0, 12)}-${number}.report`),
          )
        : null;
      const report = planned?.kind === "report" ? planned : null;
      const runOnce = async (log: string) => {
        if (report) await report.prepare();
        const startedAt = Date.now();
        workTreeTouched(slot.worktree.repo, "test");
        const ran = await runJournaled(
          { groups: this.groups, journal: this.journal, stateDir: this.repo.stateDir },
          {
            argv: report?.argv ?? argv,
            ...(this.options.shell !== undefined
              ? { shell: report?.shell ?? this.options.shell }
              : {}),
            // Through npm, by the script's runner at this commit (mocha's "No test files found").
            classifyAs:
              report?.classifyAs ?? packageScriptWords(argv, slot.cwd, slot.worktree.path) ?? argv,
            cwd: slot.cwd,
            env: {
              ...slot.worktree.env,
              ...report?.env,
              CULPRIT_SIDE: "bisect",
              CULPRIT_RUN: String(number),
              CULPRIT_RUN_ID: this.runId,
              CULPRIT_COMMIT: sha,
            },
            timeoutMs: this.options.timeoutMs,
            // The report as the tests left it when the timer fires (the stop may write it).
            onTimeout: () => report?.atTimeout?.(),
            killAfterMs: this.options.killAfterMs,
            logPath: join(this.logDir, log),
            ...(this.options.signal ? { signal: this.options.signal } : {}),
          },
          classifyOptions(this.options),
        );
        // Read before the tree is put back: a report the command writes into the tree is the
        // run's residue (src/machine/runs.ts).
        return readRunReport(report, startedAt, ran);
      };
      const log = `${sha.slice(0, 12)}-${number}`;
      // A hang is retried once, from the commit's tree again, unless what its report holds
      // already judges the tests the search follows (an old hang after them).
      const { result, reading } = await retryingHang(
        (again) => runOnce(`${log}${again ? "-again" : ""}.log`),
        {
          aborted: () => this.aborted(),
          judged: (first) => this.reportJudges(first.reading, tree),
          beforeRetry: () => this.settleAt(slot, tree, sha, true),
        },
      );
      // Every run starts from the commit's tree: what the test wrote is kept under a residue ref.
      await this.settleAt(slot, tree, sha);
      if (result.interrupted) return null;
      const read = reading?.ok ? reading.report.tests : null;
      // A test file renamed since this commit is read as the bad end names it (src/git/renames.ts).
      const tests = read && (await this.withBadEndPaths(read, tree));
      for (const t of tests ?? []) if (t.within !== undefined) this.within.set(t.id, t.within);
      const judged: Pick<BisectRun, "command" | "tests"> = {
        command: outcomeWithReport(result, tests),
        tests: tests && new Map(tests.map((t) => [t.id, t.status])),
      };
      // How it failed, while the way may still be followed (until the ends are checked).
      const wayWanted = this.way !== null || (this.targets === null && !this.wayTried);
      const way =
        wayWanted && !tests && judged.command === "fail"
          ? failureLines({ outcome: "fail", tail: result.tail })
          : undefined;
      const run: BisectRun = {
        outcome: this.judge({ ...judged, ...(way ? { way } : {}) }),
        command: judged.command,
        // Kept while the ends are checked (they choose the tests to follow), not after.
        ...(this.targets === null ? { tests: judged.tests } : {}),
        ...(way ? { way } : {}),
        exitCode: result.exitCode,
        signal: result.signal,
        durationMs: result.durationMs,
        ...(result.hungMs !== undefined ? { hungMs: result.hungMs } : {}),
        log: result.logPath,
      };
      this.runs.set(index, [...(this.runs.get(index) ?? []), run]);
      this.options.onProgress?.({ kind: "run-end", commit: sha, outcome: run.outcome, label });
      return run;
    } finally {
      slot.busy = false;
    }
  }

  /** Runs at several commits at once (one a slot); null when interrupted. */
  private async runMany(
    indices: readonly number[],
    label: (i: number) => string,
  ): Promise<(BisectRun | null)[] | null> {
    const results = await allRuns(indices.map((i) => this.runAt(i, label(i))));
    return results.some((r) => r === null) || this.aborted() ? null : results;
  }

  /**
   * A run as the search takes it. By the command: its outcome, except a failure without the
   * runner's report where the bad end's runs all had one (`reportsAtBad`). Following tests:
   * could not run when the command could not or
   * none of them is in its report (not there at that commit: skipped, as `git bisect skip`
   * does), a failure when one of them failed, else a pass; a run without a report counts as the
   * command ended. A run that hung is read as far as its tests went (its report as the timer
   * found it): beside an old hang at both ends, the test followed passed or failed before it
   * (every run was a hang, and the good end "failed as often": the search never started). One
   * that hung before any of them is a hang.
   */
  private judge(run: Pick<BisectRun, "command" | "tests" | "way">): Outcome {
    const targets = this.targets;
    if (this.way !== null && run.command === "fail" && run.way) {
      if (failsTheWay(this.way.bad, run.way)) return "fail";
      return this.way.good.some((g) => failsTheWay(g, run.way!)) ? "pass" : "cannot-run";
    }
    // The runner reported at the bad end and not here: `BUILD && RUNNER` stopped at the build.
    if (targets === null && this.reportsAtBad && run.command === "fail" && !run.tests)
      return "cannot-run";
    if (targets === null || run.command === "cannot-run") return run.command;
    if (!run.tests) return run.command;
    let present = false;
    for (const id of targets) {
      const status = run.tests.get(id) ?? this.passedWithin(run.tests, id);
      if (status === undefined) continue;
      present = true;
      if (status === "fail") return "fail";
    }
    if (present) return "pass";
    return run.command === "hang" ? "hang" : "cannot-run";
  }

  /**
   * When the command fails at the good end too: the tests that failed at the bad end and passed
   * in every run of the good end that had them (and were in one at least). Null when some end
   * run has no report, or no test is left.
   */
  private testsToFollow(): Set<string> | null {
    const ends = [...(this.runs.get(this.n) ?? []), ...(this.runs.get(0) ?? [])];
    if (ends.some((r) => r.command !== "cannot-run" && !r.tests)) return null;
    const failedAtBad = new Set<string>();
    for (const run of this.runs.get(this.n) ?? [])
      for (const [id, status] of run.tests ?? []) if (status === "fail") failedAtBad.add(id);
    const passedAtGood = new Set<string>();
    const failedAtGood = new Set<string>();
    for (const run of this.runs.get(0) ?? []) {
      for (const [id, status] of run.tests ?? []) {
        if (status === "fail") failedAtGood.add(id);
        else if (status === "pass") passedAtGood.add(id);
      }
      for (const id of failedAtBad)
        if (run.tests && this.passedWithin(run.tests, id) === "pass") passedAtGood.add(id);
    }
    const follow = [...failedAtBad].filter((id) => passedAtGood.has(id) && !failedAtGood.has(id));
    return follow.length > 0 ? new Set(follow) : null;
  }

  /** "pass" for a subtest absent from a run's tests where its test is there (see `within`). */
  private passedWithin(
    tests: ReadonlyMap<string, TestCaseResult["status"]>,
    id: string,
  ): "pass" | undefined {
    const parent = this.within.get(id);
    return parent !== undefined && !tests.has(id) && tests.has(parent) ? "pass" : undefined;
  }

  /** Every run so far judged again, by what the search now follows (`what`: the phase shown). */
  private judgeAgain(what: string): void {
    for (const runs of this.runs.values()) for (const run of runs) run.outcome = this.judge(run);
    this.options.onProgress?.({ kind: "phase", text: what });
  }

  /**
   * When the command fails at the good end too and no run of either end has a report: the way it
   * fails at the bad end most (failureLines), when no run of the good end failed so, with the
   * ways the good end failed. Null otherwise (see Evidence.decide: attribution's same judgement).
   */
  private wayToFollow(): { bad: ReadonlySet<string>; good: ReadonlySet<string>[] } | null {
    const bad = (this.runs.get(this.n) ?? []).filter((r) => r.command !== "cannot-run");
    const good = (this.runs.get(0) ?? []).filter((r) => r.command !== "cannot-run");
    if ([...bad, ...good].some((r) => r.tests)) return null;
    const yours = mostSeenWay(bad.flatMap((r) => (r.way ? [r.way] : [])));
    if (yours === null) return null;
    const goodWays = good.flatMap((r) => (r.way ? [r.way] : []));
    if (goodWays.some((g) => failsTheWay(yours, g))) return null;
    return { bad: yours, good: goodWays };
  }

  /**
   * The tests that failed at the bad end only and that no run of the good end has at all: tests
   * added since (nothing to follow from the good end; an older --good has them even less). Empty
   * when an end run has no report, or one of the good end hung (its report may end before them).
   */
  private missingAtGood(): string[] {
    const bad = this.runs.get(this.n) ?? [];
    const good = this.runs.get(0) ?? [];
    if ([...bad, ...good].some((r) => r.command !== "cannot-run" && !r.tests)) return [];
    if (good.some((r) => r.command === "hang")) return [];
    const atGood = new Set(good.flatMap((r) => [...(r.tests?.keys() ?? [])]));
    const missing = new Set<string>();
    for (const run of bad)
      for (const [id, status] of run.tests ?? [])
        if (status === "fail" && !atGood.has(id)) missing.add(id);
    return [...missing].sort();
  }

  private counts(index: number): SideCounts {
    const runs = this.runs.get(index) ?? [];
    const reached = runs.filter((r) => r.outcome !== "cannot-run");
    return {
      runs: reached.length,
      failures: reached.filter((r) => r.outcome !== "pass").length,
      cannotRun: runs.length - reached.length,
    };
  }

  /** The end checks, then the flake-aware search. */
  private async search(): Promise<{
    verdict: BisectVerdict;
    reason: string;
    result: BisectResult | null;
  }> {
    const n = this.n;
    // The ends only gate the search (their counts go into it): attribution's confidence will do.
    const compare = {
      confidence: Math.min(this.options.confidence, 0.95),
      margin: 0.1,
      runs: this.options.runs,
      maxRuns: this.options.maxRuns,
    };
    // The ends, as attribution judges a tree against its baseline: the bad end as "current".
    this.options.onProgress?.({ kind: "phase", text: "checking both ends" });
    for (;;) {
      if (this.aborted()) return this.stopped();
      const decision = decide(this.counts(n), this.runs.has(0) ? this.counts(0) : null, compare);
      const badCounts = this.counts(n);
      let wanted: number[];
      if (decision.kind === "next") {
        // With slots to spare, both ends at once.
        wanted = [decision.side === "current" ? n : 0];
        if (this.slots.length > 1) {
          const other = wanted[0] === n ? 0 : n;
          const used =
            other === n
              ? badCounts.runs + badCounts.cannotRun
              : this.counts(0).runs + this.counts(0).cannotRun;
          if (used < this.options.runs) wanted.push(other);
        }
      } else if (
        decision.verdict === "not-reproduced" &&
        badCounts.runs + badCounts.cannotRun < this.options.maxRuns
      ) {
        // A flaky failure may pass its first runs: look for one failure at the bad end first.
        wanted = [n];
      } else if (decision.verdict === "not-reproduced") {
        return {
          verdict: "not-reproduced",
          reason: messages.bisectNotReproduced(this.bad.rev, badCounts.runs),
          result: null,
        };
      } else if (decision.verdict === "unrunnable") {
        const end = this.counts(n).runs === 0 ? n : 0;
        const where = end === n ? this.bad.rev : this.good.rev;
        // Following tests an earlier search chose (a merge's branch): the command ran there, and
        // none of them is in its report (a test the other side of the merge added).
        const ran = (this.runs.get(end) ?? []).some((r) => r.command !== "cannot-run");
        return {
          verdict: "unrunnable",
          reason:
            this.targets !== null && ran
              ? messages.bisectTestsNotThere(where, [...this.targets].sort())
              : messages.bisectEndUnrunnable(
                  where,
                  unbuiltOutputs(this.shared.get().shared, false),
                ),
          result: null,
        };
      } else {
        const goodCounts = this.counts(0);
        // A good end that fails as often as the bad one has nothing to find between them.
        if (
          goodCounts.failures > 0 &&
          goodCounts.failures / goodCounts.runs >= badCounts.failures / badCounts.runs
        ) {
          // A suite with a test that was already failing: follow the tests that were not.
          const follow = this.targets === null ? this.testsToFollow() : null;
          if (follow !== null) {
            this.targets = follow;
            this.judgeAgain(
              `following ${plural(follow.size, "test")} that ${follow.size === 1 ? "fails" : "fail"} at the bad end only`,
            );
            continue;
          }
          // Without a report: the way the bad end fails, when the good end never fails so.
          const way = this.targets === null && !this.wayTried ? this.wayToFollow() : null;
          this.wayTried = true;
          if (way !== null) {
            this.way = way;
            this.judgeAgain(
              "following the way the command fails at the bad end (at the good end it fails otherwise)",
            );
            continue;
          }
          const missing = this.targets === null ? this.missingAtGood() : [];
          return {
            verdict: "good-fails",
            reason:
              missing.length > 0
                ? messages.bisectTestsNotAtGood(this.good.rev, missing)
                : messages.bisectGoodFails(this.good.rev, goodCounts, badCounts),
            result: null,
          };
        }
        break;
      }
      if (
        (await this.runMany(wanted.slice(0, this.slots.length), (i) =>
          i === n ? "bad end" : "good end",
        )) === null
      )
        return this.stopped();
    }
    this.endRuns = this.runCount();
    // The ends are checked: the way to follow, if any, is chosen.
    this.wayTried = true;
    const badRuns = (this.runs.get(n) ?? []).filter(
      (r) => r.command !== "cannot-run" && r.command !== "hang",
    );
    this.reportsAtBad =
      this.targets === null && badRuns.length > 0 && badRuns.every((r) => r.tests);
    this.readTests = this.targets !== null || this.reportsAtBad;
    const ends = {
      good: { runs: this.counts(0).runs, failures: this.counts(0).failures },
      bad: { runs: this.counts(n).runs, failures: this.counts(n).failures },
    };
    const make = () => {
      const search = new FlakyBisect(n, ends, { confidence: this.options.confidence });
      for (const r of this.records) search.record(r.index, r.outcome);
      return search;
    };
    let search = make();
    this.options.onProgress?.({ kind: "phase", text: `searching ${n} commits` });
    for (;;) {
      if (this.aborted()) return this.stopped();
      const step = search.next();
      if (step.kind === "done") return this.conclude(step.result);
      // With more slots: the commits the search would ask for next, were the runs chosen so far
      // to end as the posterior expects (a commit fails when the culprit is likelier at or before it).
      const indices = [step.index];
      const culprit = search.posterior().culprit;
      const likelyFails = (i: number) => culprit.slice(1, i + 1).reduce((a, b) => a + b, 0) >= 0.5;
      while (indices.length < this.slots.length) {
        const guess = make();
        for (const i of indices) guess.record(i, likelyFails(i) ? "fail" : "pass");
        const after = guess.next();
        if (after.kind === "done" || indices.includes(after.index)) break;
        indices.push(after.index);
      }
      const results = await this.runMany(indices, (i) => `commit ${i}/${n}`);
      if (results === null) return this.stopped();
      results.forEach((run, j) => {
        this.records.push({ index: indices[j]!, outcome: searchOutcome(run!) });
      });
      search = make();
    }
  }

  /** The runs this search made (not those an earlier one made). */
  private runCount(): number {
    return [...this.runs.values()].flat().filter((r) => !this.reused.has(r)).length;
  }

  private stopped(): { verdict: BisectVerdict; reason: string; result: null } {
    this.aborted(); // the signal's own name (SIGTERM, SIGHUP), when a run saw it first
    const signal = this.interrupted ?? "SIGINT";
    this.interrupted = signal;
    return { verdict: "interrupted", reason: messages.bisectInterrupted(signal), result: null };
  }

  private conclude(result: BisectResult): {
    verdict: BisectVerdict;
    reason: string;
    result: BisectResult;
  } {
    const p = (x: number) => x.toFixed(3);
    switch (result.kind) {
      case "culprit":
        return {
          verdict: "culprit",
          reason: messages.bisectFound(this.history[result.index]!, p(result.probability)),
          result,
        };
      case "range":
        return {
          verdict: "range",
          reason: messages.bisectRange(result.to - result.from + 1, p(result.probability)),
          result,
        };
      case "no-culprit":
        return {
          verdict: "no-culprit",
          reason: messages.bisectNoCulprit(p(result.probability)),
          result,
        };
      case "undecided":
        return {
          verdict: "undecided",
          reason: messages.bisectUndecided(
            result.best.to - result.best.from + 1,
            p(result.best.probability),
          ),
          result,
        };
    }
  }

  private async report(outcome: {
    verdict: BisectVerdict;
    reason: string;
    result: BisectResult | null;
  }): Promise<BisectReport> {
    const tested = [...this.runs.keys()].sort((a, b) => a - b);
    const result = outcome.result;
    const rangeOf = (from: number, to: number) => this.history.slice(from, to + 1);
    const rangeShas =
      result?.kind === "range"
        ? rangeOf(result.from, result.to)
        : result?.kind === "undecided"
          ? rangeOf(result.best.from, result.best.to)
          : [];
    const info = await describe(this.repo, [
      ...tested.map((i) => this.history[i]!),
      ...rangeShas,
      ...(result?.kind === "culprit" ? [this.history[result.index]!] : []),
    ]);
    const allRuns = this.runCount();
    // Stopped or ended during the end checks: every run was an end's. Stopped in the search
    // (no result either): the ends' runs are those counted when the search began.
    const endRuns = this.endRuns ?? allRuns;
    const runsMs = [...this.runs.values()]
      .flat()
      .filter((r) => !this.reused.has(r))
      .reduce((sum, r) => sum + ranMs(r), 0);
    return {
      runId: this.runId,
      verdict: outcome.verdict,
      reason: outcome.reason,
      confidence: this.options.confidence,
      good: this.good,
      bad: this.bad,
      commits: this.n,
      culprit:
        result?.kind === "culprit"
          ? { ...info.get(this.history[result.index]!)!, probability: result.probability }
          : null,
      range:
        result?.kind === "range" || result?.kind === "undecided"
          ? {
              commits: rangeShas.map((sha) => info.get(sha)!),
              probability: result.kind === "range" ? result.probability : result.best.probability,
            }
          : null,
      tested: tested.map((index) => ({
        index,
        ...info.get(this.history[index]!)!,
        // The tests of a run stay here: the report says which the search followed.
        runs: this.runs.get(index)!.map(({ tests: _, way: __, ...run }) => run),
      })),
      runs: { ends: endRuns, search: allRuns - endRuns },
      tests: this.targets ? [...this.targets].sort() : [],
      followedWay: this.way !== null,
      interrupted: this.interrupted,
      worktrees: this.shared.get(),
      command: {
        argv: this.options.argv,
        shell: this.options.shell ?? null,
        cwd: this.options.cwd,
        ...(this.renamedWords.size > 0
          ? {
              renamed: [...this.renamedWords.values()].map(({ word, as, commits }) => ({
                word,
                as,
                commits: commits.size,
              })),
            }
          : {}),
      },
      timing: { totalMs: Date.now() - this.startedAt, runsMs },
    };
  }
}
