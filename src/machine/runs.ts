import { existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { Side } from "../compare/types.js";
import { keepResidue } from "../git/backup.js";
import { ignoredStamp } from "../git/ignored.js";
import type { Repo } from "../git/repo.js";
import { resetWorktree, workTreeTouched } from "../git/snapshot.js";
import {
  buildStopped,
  outcomeWithReport,
  packageScriptWords,
  planRunReport,
  readRunReport,
  runWithHangRetry,
} from "../run/index.js";
import { failureLines, keptOutput } from "../run/reports/signature.js";
import { cacheKey, RunCache } from "./cache.js";
import type { Evidence } from "./evidence.js";
import { pruneLogs } from "./logs.js";
import type { PhaseClock } from "./timing.js";
import { type AttributeOptions, classifyOptions, type RunRecord } from "./types.js";

/** Where a run happens: the tree it starts from, and where what it writes is kept. */
export interface Place {
  /** Git on the working tree the run happens in (yours, or a worktree's). */
  repo: Repo;
  /** The folder the command runs in. */
  cwd: string;
  /** The tree the working tree is put back to after the run (null: not settled). */
  tree: string | null;
  /** The ref what a run wrote is kept under. */
  residueRef: string;
  /** Variables for runs there (a worktree's: src/git/worktree-env.ts). */
  env?: Record<string, string>;
}

/** What the runs tell the rest of the machine. */
export interface RunHooks {
  /** Journals a transition of the state a run on `side` belongs to ("run 3", "settle"). */
  journal: (side: Side, detail: string) => void;
  /** The process groups of runs in progress changed (journaled: recover ends them). */
  groups: (groups: number[]) => void;
  /** A residue ref was written. */
  residue: (ref: string) => void;
}

/**
 * Variables in every cache key, named or not: what a runner reads as its own command line or
 * import path (`PYTEST_ADDOPTS="-k cart"` runs other tests; humanize trial: a run under
 * `PYTEST_ADDOPTS=--sw` was replayed from the cache without it), and the time zone and locale,
 * which date and formatting tests depend on (moment/luxon trial: runs made under
 * TZ=America/New_York were replayed in UTC, "NOT REPRODUCED" for 25 failing tests). pytest's
 * plugins too: which load decides what runs (pytest-randomly reorders, pytest-xdist splits).
 */
const keyedVariables = [
  "PYTEST_ADDOPTS",
  "PYTEST_PLUGINS",
  "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
  "NODE_OPTIONS",
  "PYTHONPATH",
  "TZ",
  "LANG",
  "LC_ALL",
];

/**
 * Making runs of the user's command and recording them: spawning with the run's environment,
 * journaling its process group, settling the tree afterwards (what the test wrote is kept under a
 * residue ref and the tree put back), and the result cache (earlier runs of the same tree and
 * command reused as samples; every run made stored).
 */
export class Runs {
  /** Runs reused from the cache. */
  reused = 0;
  /** Why the command is judged by its exit code alone (no report can be added to it), if so. */
  noReport: string | null = null;
  private readonly numbers: Record<Side, number> = { current: 0, baseline: 0 };
  private readonly groups = new Set<number>();
  private readonly cache: RunCache;
  private ignored: string | null = null;
  /** The cache key runs of each side are stored under (the baseline's: of the current attempt). */
  private readonly keys: Record<Side, string | null> = { current: null, baseline: null };
  /** Words of the command other than the user's, by side (`setArgv`). */
  private readonly argvOf: Partial<Record<Side, string[]>> = {};
  /** Whether `prune` ran. */
  private pruned = false;

  constructor(
    private readonly repo: Repo,
    private readonly options: AttributeOptions,
    private readonly runId: string,
    private readonly logDir: string,
    private readonly evidence: Evidence,
    private readonly clock: PhaseClock,
    private readonly hooks: RunHooks,
  ) {
    this.cache = new RunCache(join(repo.commonDir, "culprit", "cache"));
  }

  /** The number the next run on a side gets (baseline runs are numbered across attempts). */
  private next(side: Side): number {
    this.numbers[side] += 1;
    return this.numbers[side];
  }

  /**
   * Runs the command once on a side at `place` and records it (attempt: the baseline's); null
   * when a signal (`signal`, or the whole run's) cut it short: such a run is not evidence.
   */
  async once(
    side: Side,
    place: Place,
    attempt: number | undefined,
    signal: AbortSignal | undefined = this.options.signal,
  ): Promise<RunRecord | null> {
    const index = this.next(side);
    this.hooks.journal(side, `run ${index}`);
    this.options.onProgress?.({ kind: "run-start", side, index });
    const spawnStarted = performance.now();
    mkdirSync(this.logDir, { recursive: true });
    // The folder the command runs in, where the baseline has none (an untracked folder of yours:
    // removed by `git stash -u`, absent from a worktree at HEAD) is made, empty, as the default
    // baseline keeps it (pallets/click trial: "could not start (ENOENT)" at every baseline run).
    if (side === "baseline" && !existsSync(place.cwd)) {
      try {
        mkdirSync(place.cwd, { recursive: true });
      } catch {}
    }
    // The runner's own report of the tests it ran: flags added to the argv, a file to read after.
    const options = this.optionsOf(side);
    const report = this.planReport(place, join(this.logDir, `${side}-${index}.report`), options);
    if (report) await report.prepare();
    const startedAt = Date.now();
    // The test may write anywhere in the tree: the next snapshot walks it, or asks git.
    workTreeTouched(place.repo, "test");
    let group: number | null = null;
    let retryReadied = 0;
    const ran = await runWithHangRetry(
      {
        argv: report?.argv ?? options.argv,
        // Through npm, by the script's runner even without a report (--per-test off).
        classifyAs:
          report?.classifyAs ??
          packageScriptWords(options.argv, place.cwd, place.repo.root) ??
          options.argv,
        ...(this.options.shell !== undefined ? { shell: report?.shell ?? this.options.shell } : {}),
        cwd: place.cwd,
        env: {
          ...place.env,
          ...report?.env,
          CULPRIT_SIDE: side,
          CULPRIT_RUN: String(index),
          CULPRIT_RUN_ID: this.runId,
        },
        onSpawn: (pgid) => {
          if (group !== null) this.groups.delete(group);
          group = pgid;
          this.groups.add(pgid);
          this.hooks.groups([...this.groups]);
          // Earlier runs' logs and cached runs are pruned while this run goes, not before it.
          if (!this.pruned) setImmediate(() => this.prune());
        },
        timeoutMs: this.options.timeoutMs,
        // The report as the tests left it when the timer fires (the stop may write it).
        onTimeout: () => report?.atTimeout?.(),
        killAfterMs: this.options.killAfterMs,
        logPath: join(this.logDir, `${side}-${index}.log`),
        ...(this.options.onOutput ? { onOutput: this.options.onOutput } : {}),
        ...(signal ? { signal } : {}),
      },
      classifyOptions(this.options),
      // The retry starts as the hung run did: from the side's tree (what the hung run wrote is
      // kept aside under a ref of its own first, as src/machine/isolate.ts does), its report
      // file removed.
      async () => {
        const settling = performance.now();
        await this.clock.time("settle", () => this.settle(side, place, true));
        if (report) await report.prepare();
        retryReadied = performance.now() - settling;
      },
    );
    if (group !== null) this.groups.delete(group);
    this.hooks.groups([...this.groups]);
    // Around the run: not the hung run's own time (its retry's is ran.durationMs), nor the settle
    // before the retry (timed as one).
    this.clock.add(
      "spawn",
      performance.now() - spawnStarted - ran.durationMs - (ran.hungMs ?? 0) - retryReadied,
    );
    // Read before the tree is put back: a report file the command itself writes into the tree
    // (`jest --json --outputFile=results.json`) is what the settle keeps aside as the run's
    // residue, and was read as "not written by this run" (iamkun/dayjs trial).
    const { result, reading } = await readRunReport(report, startedAt, ran);
    await this.clock.time("settle", () => this.settle(side, place));
    if (result.interrupted) return null;
    const stopped = buildStopped(report, result, reading);
    const run: RunRecord = {
      side,
      index,
      ...(side === "baseline" ? { attempt } : {}),
      outcome: stopped
        ? "cannot-run"
        : outcomeWithReport(result, reading?.ok ? reading.report.tests : null),
      exitCode: result.exitCode,
      signal: result.signal,
      durationMs: result.durationMs,
      hangRetried: result.hangRetried ?? false,
      ...(result.hungMs !== undefined ? { hungMs: result.hungMs } : {}),
      logPath: result.logPath,
      ...(result.outcome !== "pass" ? { tail: keptOutput(result.tail) } : {}),
      // How it failed, for a run without a report (Evidence.decide reads it of those only).
      ...(result.outcome !== "pass" && !reading?.ok
        ? { failureLines: [...failureLines(result)] }
        : {}),
      ...(reading?.ok
        ? {
            tests: {
              source: reading.report.source,
              entries: reading.report.tests,
              ...(reading.report.partial ? { partial: true as const } : {}),
            },
          }
        : {}),
      // A run that could not run has no report to miss.
      ...(reading && !reading.ok && result.outcome !== "cannot-run" && !stopped
        ? { testsMissing: reading.why }
        : {}),
    };
    if (stopped) run.why = stopped;
    else if (run.outcome === "cannot-run" && result.reason) run.why = result.reason;
    this.evidence.add(run);
    this.store(run);
    this.options.onProgress?.({ kind: "run-end", side, index, run });
    return run;
  }

  /**
   * The command's words on a side where they are not the user's: at a baseline where a file they
   * name has its old name (src/git/renames.ts), null elsewhere. Set before the side's runs are
   * keyed or made.
   */
  setArgv(side: Side, argv: string[] | null): void {
    if (argv) this.argvOf[side] = argv;
    else delete this.argvOf[side];
  }

  /** The options a side's runs are made with: the user's, with that side's words. */
  private optionsOf(side: Side): AttributeOptions {
    const argv = this.argvOf[side];
    return argv ? { ...this.options, argv } : this.options;
  }

  /** The report plan of a run at `place` (null with --per-test off, or when none can be had). */
  private planReport(place: Place, reportDir: string, options: AttributeOptions) {
    const plan = planRunReport(options, { cwd: place.cwd, root: place.repo.root }, reportDir);
    if (plan?.kind !== "none") return plan;
    this.noReport = plan.why;
    return null;
  }

  /**
   * Every run starts from the same tree: what a run wrote is kept under a residue ref and the
   * working tree is put back (only the paths that differ; ignored files are left alone).
   */
  private async settle(side: Side, place: Place, hung = false): Promise<void> {
    if (!place.tree) return;
    // A hung run's writes under a ref of their own: its retry's would replace them (what a run
    // leaves as it hangs is what tells why).
    const ref = hung ? `${place.residueRef}-hung` : place.residueRef;
    const what = `what the ${hung ? "hung run" : "test"} wrote on the ${side} side`;
    if (await keepResidue(place.repo, place.tree, ref, what)) {
      this.hooks.journal(side, "settle");
      this.hooks.residue(ref);
      await resetWorktree(place.repo, place.tree);
    }
  }

  /**
   * The stamp of the ignored files for the cache key, once an attribution. A command that builds
   * before its tests leaves its build outputs out: they come from the tree, which is keyed.
   */
  private stampIgnored(): Promise<string> {
    const plan = planRunReport(
      this.options,
      { cwd: this.options.cwd, root: this.repo.root },
      this.logDir,
    );
    return ignoredStamp(this.repo, {
      withoutBuilds: plan?.kind === "report" && plan.afterBuild === true,
    });
  }

  /** The cache key of runs of a side on `tree`; null when the cache is off. */
  private async keyOf(side: Side, tree: string, strategy: string | null): Promise<string | null> {
    const cache = this.options.cache;
    if (!cache) return null;
    this.ignored ??= await this.stampIgnored();
    const env: Record<string, string | null> = {};
    for (const name of [...keyedVariables, ...cache.env]) env[name] = process.env[name] ?? null;
    return cacheKey({
      version: cache.version,
      side,
      tree,
      command:
        this.options.shell !== undefined
          ? ["sh", "-c", this.options.shell]
          : (this.argvOf[side] ?? this.options.argv),
      cwd: relative(this.repo.root, this.options.cwd),
      env,
      ignored: this.ignored,
      settings: {
        // Runs of before the worktrees stopped leading to your tree (your workspace packages,
        // editable installs, build folders) may have tested your files on both sides.
        worktreeLayout: 2,
        // The stash also sets the index to HEAD's: a test that reads the index may tell.
        strategy,
        timeoutMs: this.options.timeoutMs,
        // A hung run's report may be written in the grace before SIGKILL (pytest on SIGINT).
        killAfterMs: this.options.killAfterMs,
        cannotRunPattern: this.options.cannotRunPattern?.source ?? null,
        cannotRunExit: this.options.cannotRunExit ?? null,
        runner: this.options.runner ?? null,
        perTest: this.options.perTest !== false,
        junit: this.options.junit ?? null,
      },
    });
  }

  /**
   * Adds the cached runs of a side on `tree` (of baseline attempt `attempt`, made by `strategy`)
   * to the evidence, and keys the side's next runs; how many were added.
   */
  async preload(
    side: Side,
    tree: string,
    attempt: number | undefined,
    strategy: string | null,
    limit: number,
  ): Promise<number> {
    const key = await this.keyOf(side, tree, side === "baseline" ? strategy : null);
    this.keys[side] = key;
    if (!key) return 0;
    const cached = this.cache.load(key, limit);
    for (const stored of cached) {
      const { at, runId, ...rest } = stored;
      const index = this.next(side);
      const run: RunRecord = {
        ...rest,
        side,
        index,
        ...(side === "baseline" ? { attempt } : {}),
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
  private store(run: RunRecord): void {
    const key = this.keys[run.side];
    if (!key) return;
    const { side: _side, index: _index, attempt: _attempt, cached: _cached, ...rest } = run;
    this.cache.store(key, { ...rest, at: Date.now(), runId: this.runId });
  }

  /**
   * Once: removes earlier runs' logs beyond those kept (this run's folder aside), and cached
   * runs too old or beyond the cache's size. Called while the first run goes (about 4 ms of
   * lstat and rename on a repository with five earlier runs' logs, that the first run no longer
   * waits for), and by the machine before its report, for an attribution that ran nothing.
   */
  prune(): void {
    if (this.pruned) return;
    this.pruned = true;
    pruneLogs(dirname(this.logDir), undefined, undefined, basename(this.logDir));
    if (this.options.cache) this.cache.prune();
  }
}

/**
 * Promise.all for runs going at the same time, except that the first failure is thrown only
 * once every run has ended: none is left running in a worktree that is about to be removed.
 */
export async function allRuns<T>(runs: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
