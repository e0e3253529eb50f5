import type { FailureWayCounts, TestVerdict } from "../compare/suite.js";
import type { Decision, Side, Statistics, Verdict } from "../compare/types.js";
import type { Repo } from "../git/repo.js";
import type { KeptSubmodule } from "../git/submodules.js";
import type { SharedPath } from "../git/worktree.js";
import type { TestCaseResult } from "../run/reports/types.js";
import type { RunClassifyOptions } from "../run/run-command.js";
import type { Outcome } from "../run/types.js";
import type { Change } from "../strategies/suspects.js";
import type { StrategyName } from "../strategies/types.js";
import type { Phase } from "./timing.js";

/**
 * `--strategy`: HEAD reset in place then selective revert (auto), only the reset, only the stash,
 * or only selective revert.
 */
export type StrategyMode = "auto" | "reset" | "stash" | "revert";

/**
 * What attribution, bisect and isolate take alike: the command, where it runs, the runs a side
 * and the confidence, and how a run is classified.
 */
export type CommandOptions = Pick<
  AttributeOptions,
  | "argv"
  | "shell"
  | "cwd"
  | "runs"
  | "maxRuns"
  | "confidence"
  | "timeoutMs"
  | "killAfterMs"
  | "cannotRunPattern"
  | "cannotRunExit"
  | "runner"
>;

/** The `CommandOptions` of `o`, each optional one only when it is set. */
export function commandOptions(o: CommandOptions): CommandOptions {
  return {
    argv: o.argv,
    ...(o.shell !== undefined ? { shell: o.shell } : {}),
    cwd: o.cwd,
    runs: o.runs,
    maxRuns: o.maxRuns,
    confidence: o.confidence,
    timeoutMs: o.timeoutMs,
    killAfterMs: o.killAfterMs,
    ...(o.cannotRunPattern ? { cannotRunPattern: o.cannotRunPattern } : {}),
    ...(o.cannotRunExit ? { cannotRunExit: o.cannotRunExit } : {}),
    ...(o.runner ? { runner: o.runner } : {}),
  };
}

/** How the user asked runs to be classified (`--cannot-run-pattern`, `--cannot-run-exit`, `--runner`), each only when set. */
export function classifyOptions(
  o: Pick<CommandOptions, "cannotRunPattern" | "cannotRunExit" | "runner">,
): RunClassifyOptions {
  return {
    ...(o.cannotRunPattern ? { cannotRunPattern: o.cannotRunPattern } : {}),
    ...(o.cannotRunExit ? { cannotRunExit: o.cannotRunExit } : {}),
    ...(o.runner ? { runner: o.runner } : {}),
  };
}

/** Everything the machine needs from the command line. */
export interface AttributeOptions {
  /** The command, as an argv (ignored when `shell` is set). */
  argv: string[];
  shell?: string;
  /** Where the command runs (the user's cwd, inside the repository). */
  cwd: string;
  /** The repository of `cwd`, when the caller has already opened it (saves a git call). */
  repo?: Repo;
  runs: number;
  maxRuns: number;
  confidence: number;
  margin: number;
  timeoutMs: number;
  killAfterMs: number;
  /** Output patterns and exit codes that mean "could not run". */
  cannotRunPattern?: RegExp;
  cannotRunExit?: number[];
  runner?: string;
  /** Alternate current and baseline runs instead of running each side in a block. */
  interleave?: boolean;
  /** How the baseline is produced (default "auto"). */
  strategy?: StrategyMode;
  /** `--suspect` paths as given (relative to `cwd`): files or folders to revert. */
  suspects?: string[];
  /** `--keep` globs, added to the test-file globs that automatic suspects leave alone. */
  keep?: string[];
  /**
   * `--base REV` (or `merge-base:REF`): the baseline is that revision's tree instead of HEAD, the
   * current side the working tree as it is (a clean tree is fine); selective revert reverts to it.
   */
  base?: string;
  /**
   * Asked once the changes are known, before anything is touched, when there are more than
   * `confirmAbove` of them (the CLI's prompt on a TTY); false stops with nothing touched.
   */
  confirmTouch?: (changedFiles: number) => Promise<boolean>;
  /** Changed files above which `confirmTouch` is asked (default: never). */
  confirmAbove?: number;
  /**
   * Asked when the run budget is spent without a verdict: how many more runs a side to allow
   * (0: stop, inconclusive). `--more N` answers it without a prompt.
   */
  moreRuns?: () => Promise<number>;
  /** Streams every run's output as it comes (`--verbose`). */
  onOutput?: (chunk: Buffer) => void;
  /**
   * Lets the user pick the suspects (the CLI's checkbox on a TTY); null when cancelled. Called
   * only when no `--suspect` is given and a selective revert is about to be needed.
   */
  pickSuspects?: (
    changes: readonly Change[],
    preselected: readonly string[],
  ) => Promise<string[] | null>;
  /**
   * The result cache (`.git/culprit/cache`): earlier runs of the same command on the same tree are
   * reused as samples. Absent: no cache (`--no-cache`).
   */
  cache?: {
    /** culprit's version, part of every key. */
    version: string;
    /** Environment variables whose values are part of every key (`--cache-env`). */
    env: readonly string[];
  };
  /**
   * `--worktree`: both sides run in linked worktrees (culprit's folder under the temporary folder), so the user's
   * tree, index, HEAD and stash are never written (implied by `jobs` > 1).
   */
  worktree?: boolean;
  /** `--jobs N`: runs at the same time, across both sides (each in its own worktree). */
  jobs?: number;
  /** Ignored paths (globs) copied into the worktrees instead of linked (config `worktree.copy`). */
  share?: { copy: readonly string[] };
  /** `--per-test off`: judge the command by its exit code only (default: per test, when a report can be read). */
  perTest?: boolean;
  /** `--junit PATH`: the user's own runner writes a JUnit XML report there. */
  junit?: string;
  /**
   * Aborting (SIGINT/SIGTERM/SIGHUP) stops the current run and restores the tree. The reason is
   * the signal's name, or `promptCancelled` when a question was answered with Escape or Ctrl-C
   * (reported as `cancelled`, with SIGINT's exit code).
   */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** What the machine tells a front end while it works. */
export type ProgressEvent =
  | { kind: "state"; state: string; detail?: string }
  | { kind: "run-start"; side: Side; index: number }
  | { kind: "run-end"; side: Side; index: number; run: RunRecord }
  | { kind: "attempt"; attempt: number; strategy: StrategyName; suspects: string[] };

/** One run of the user's command, as reported. */
export interface RunRecord {
  side: Side;
  /** 1-based, per side (baseline runs are numbered across attempts). */
  index: number;
  /** The baseline attempt the run belongs to (1-based); absent for runs on the current tree. */
  attempt?: number;
  outcome: Outcome;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** True when a first attempt hung and this is the retry. */
  hangRetried: boolean;
  /** With hangRetried: how long the hung first attempt ran (ms), in the runs' time too. */
  hungMs?: number;
  logPath: string | null;
  /** The last lines of output (kept for failing runs). */
  tail?: string;
  /**
   * How a failing run failed (failureLines), read from the whole output kept while it ran: the
   * last lines above may hold only a runner's totals.
   */
  failureLines?: string[];
  /** Set on a run reused from the cache: when it ran, and the attribution that ran it. */
  cached?: { at: number; runId: string };
  /** The tests of the run, from the runner's own report (absent: no readable report). */
  tests?: {
    source: string;
    entries: TestCaseResult[];
    /** A hung run's report as far as it went (TestReport.partial). */
    partial?: true;
  };
  /** Why a report was expected and not read (missing, cut, unparsable). */
  testsMissing?: string;
  /** For a run that could not run: why (the runner's words, an exit code). */
  why?: string;
}

/** One test of the family (every test that failed in some run), with its own verdict. */
export interface TestResult {
  /** Stable id: file, suite path and name (`(command)` for failures no test explains). */
  id: string;
  name: string;
  file: string | null;
  line: number | null;
  verdict: TestVerdict | "new";
  /** The sentence behind the verdict, with its counts. */
  reason: string;
  /**
   * The baseline's failure message differs from yours (after normalising): pre-existing, but
   * failing otherwise; or a regression that, at a selective revert, failed there another way.
   */
  failureChanged: boolean;
  /** Runs in which it was observed on your tree, and how many it failed. */
  current: { runs: number; failures: number };
  /**
   * The same at the baseline attempt its verdict rests on; `unreached`: its runs that hung before
   * the test got there.
   */
  baseline: { runs: number; failures: number; unreached?: number };
  /** The baseline attempt its verdict rests on (null before a baseline ran). */
  attempt: number | null;
  /** Its last failure message (yours, else the baseline's). */
  message: string | null;
  /** With `failureChanged`: the baseline's message. */
  baselineMessage: string | null;
}

/** How the tree came back. */
export interface RestoreReport {
  /** Whether the tree was ever changed by the tool (false when the baseline was not needed). */
  touched: boolean;
  /**
   * "stash-pop", "reset" (a selective revert: the working tree reset to the backed-up tree),
   * "backup" (fallback or after a test rewrote files), or "none".
   */
  via: "stash-pop" | "reset" | "backup" | "none";
  /** The fingerprint of HEAD, index and working tree matched the backup at the end. */
  verified: boolean;
  /** Refs under refs/culprit/residue/ holding what the test wrote. */
  residue: string[];
  /** What the check after the way back found different, when that is why the backup restored it. */
  differed?: string[];
  /**
   * The folder culprit ran in (relative, with a slash), when git stash removed it and `stash pop`
   * made it anew (your files are in the new one; a shell still in the old one sees none).
   */
  folderRemade?: string;
}

/** The outcome of `culprit -- cmd`. */
export interface AttributionResult {
  runId: string;
  verdict: Verdict;
  reason: string;
  flaky: boolean;
  stats: Statistics;
  /**
   * When the verdict rests on the way your tree fails rather than on its exit code (a command
   * without a test report that fails on both sides, not alike: Evidence.decide), the runs of
   * each side that failed that way; `stats` are of these. Null otherwise.
   */
  failureWay: FailureWayCounts | null;
  /** The strategy of the attempt the verdict rests on; null when the baseline was not needed. */
  strategy: StrategyName | null;
  /** The paths reverted by the selective revert the verdict rests on (all suspects when none ran). */
  suspects: string[];
  /** Every baseline attempt, in order (the stash, then each suspect set tried). */
  attempts: AttemptReport[];
  runs: RunRecord[];
  command: { argv: string[]; shell: string | null; cwd: string };
  restore: RestoreReport;
  /**
   * Submodules (and git repositories inside the tree) the baseline kept at your commits: culprit
   * leaves submodules alone, so what such a commit changes is on both sides (src/git/submodules.ts).
   */
  submodules: KeptSubmodule[];
  /**
   * In place: your ignored build outputs (dist, build, .next) that the runs at the baseline
   * rewrote, when no run on your tree came after them: they hold the baseline's build now.
   */
  buildsLeft: string[];
  /**
   * In place: your ignored build outputs (dist, build) that the runs at the baseline did not
   * rewrite: if the tests load them, the baseline ran your build of your changes, and the two
   * sides can only differ by what is not built (a regression can read pre-existing).
   */
  buildsNotRebuilt: string[];
  /** Set when a signal cut the run short (SIGINT too when a question was cancelled). */
  interrupted: string | null;
  /**
   * True when the run stopped because the user answered a question with Escape or Ctrl-C (the
   * suspects' checkbox, "run more?"), not because a signal came: `interrupted` then reads SIGINT.
   */
  cancelled?: boolean;
  /** The `--base` revision the baseline was taken from, or null (HEAD). */
  base: { rev: string; commit: string } | null;
  /** Wall time from the process start, time in the command, culprit's own, and its own per phase. */
  /** --worktree: the runs at a time, and the ignored paths linked or copied in; null in place. */
  worktrees: { jobs: number; shared: SharedPath[]; env: string[] } | null;
  /**
   * One verdict per failing test (empty without per-test reports), and how the tests were read:
   * the report's source, or why the command was judged by its exit code alone.
   */
  tests: TestResult[];
  perTest: { source: string | null; note: string | null };
  /** Runs reused from the cache (earlier samples of the same trees and command). */
  cache: { enabled: boolean; reused: number };
  timing: {
    totalMs: number;
    runsMs: number;
    overheadMs: number;
    phases: Partial<Record<Phase, number>>;
  };
  decision: Decision;
}

/** How a baseline attempt ended. */
export type AttemptOutcome =
  /** The verdict rests on it. */
  | "decided"
  /** Every run could not run (the comparator said `unrunnable`). */
  | "unrunnable"
  /** Not run: its tree is the same as an earlier attempt's that could not run. */
  | "same-tree"
  /** Not run: git could not build its tree. */
  | "not-prepared"
  /** A signal or an error stopped it. */
  | "stopped"
  /**
   * A selective revert of part of the suspects where the failure stayed: not caused by those
   * paths alone, which says nothing of the others (tried next, when they can be).
   */
  | "not-the-cause";

/** One way the baseline was produced, with the outcome counts of its runs. */
export interface AttemptReport {
  /** 1-based, in the order tried. */
  attempt: number;
  strategy: StrategyName;
  /** The paths reverted (empty for the stash). */
  suspects: string[];
  outcome: AttemptOutcome;
  counts: { runs: number; failures: number; passes: number; hangs: number; cannotRun: number };
  /** Why it could not run without running it (a path the command names is not there), or null. */
  why: string | null;
  /**
   * Words of the command that name a file your change renamed, as they ran there (the file's old
   * name): `node --test test/shop.test.mjs` ran as `node --test test/lib.test.mjs`.
   */
  ranAs?: { word: string; as: string }[];
}

/**
 * True when the command reached its tests on your tree at least once (a run that passed, failed
 * or hung); false when every run of your tree could not run (a syntax error, a collection error).
 */
export function yourTreeRan(runs: readonly Pick<RunRecord, "side" | "outcome">[]): boolean {
  return runs.some((r) => r.side === "current" && r.outcome !== "cannot-run");
}

/**
 * True when some test regressed and every regressed test failed another way at the baseline (at
 * a selective revert: the reverted changes are needed by the failure, not shown to cause it).
 */
export function regressedOnlyOtherwise(
  tests: readonly Pick<TestResult, "verdict" | "failureChanged">[],
): boolean {
  const regressed = tests.filter((t) => t.verdict === "regression");
  return regressed.length > 0 && regressed.every((t) => t.failureChanged);
}
