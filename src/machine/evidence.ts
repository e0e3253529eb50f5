import { counts as countsText, decide, formatP, withoutYourChanges } from "../compare/decide.js";
import {
  commandTestId,
  decideSuite,
  type SettledTest,
  type SuiteDecision,
  type TestEvidence,
  type TestJudgement,
} from "../compare/suite.js";
import type { CompareOptions, Side, SideCounts } from "../compare/types.js";
import { messages } from "../messages.js";
import { failureKind, failureSignature, sameFailureKind } from "../run/index.js";
import { failsTheWay, failureLines } from "../run/reports/signature.js";
import { ranMs } from "../run/retry-hang.js";
import type { AttemptReport, RunRecord, TestResult } from "./types.js";

export { commandTestId };

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

type ReportEntry = NonNullable<RunRecord["tests"]>["entries"][number];

/** Each run's report entries by test id, made once a run (a suite of 60 000 tests, all failing:
 * looking each failing test up in each run's list took minutes). */
const entriesByRun = new WeakMap<RunRecord, Map<string, ReportEntry[]>>();

const filesByRun = new WeakMap<RunRecord, Set<string>>();

/** The files a run's report has some entry of. */
function filesOf(run: RunRecord): ReadonlySet<string> {
  let files = filesByRun.get(run);
  if (!files) {
    files = new Set();
    for (const entry of run.tests?.entries ?? []) if (entry.file) files.add(entry.file);
    filesByRun.set(run, files);
  }
  return files;
}

/**
 * A baseline run's entries as your tree names their files: an entry of a file you renamed gets
 * the new path, in its file, and where its id and name begin with the file (`file::test`, or
 * pytest's and unittest's dotted module `tests.test_lib.`), there too. Ids that do not name the
 * file (a Go package, a Rust crate) stay.
 */
export function withRenamedFiles(
  entries: readonly ReportEntry[],
  renames: ReadonlyMap<string, string>,
): ReportEntry[] {
  const dotted = (path: string) => path.replace(/\.py$/, "").replaceAll("/", ".");
  const renamed = (text: string, from: string, to: string) => {
    if (text === from) return to;
    const rest = afterFile(text, from);
    if (rest !== null) return `${to}::${rest}`;
    if (!from.endsWith(".py") || !to.endsWith(".py")) return text;
    // unittest names the module from where it started (`-s tests`: test_lib.T.test_x): from
    // the top, then from each folder of the old path that the new path is in too.
    for (let top = 0; top >= 0 && to.startsWith(from.slice(0, top)); ) {
      const module = dotted(from.slice(top));
      if (text.startsWith(`${module}.`))
        return `${dotted(to.slice(top))}${text.slice(module.length)}`;
      const slash = from.indexOf("/", top);
      top = slash < 0 ? -1 : slash + 1;
    }
    return text;
  };
  return entries.map((entry) => {
    if (entry.file === null) return entry;
    const to = renames.get(entry.file);
    if (to === undefined) return entry;
    return {
      ...entry,
      id: renamed(entry.id, entry.file, to),
      name: renamed(entry.name, entry.file, to),
      file: to,
    };
  });
}

/** What follows `file::` in a test's id or name (`file::suite > test`), or null. */
function afterFile(text: string, file: string): string | null {
  return text.startsWith(`${file}::`) ? text.slice(file.length + 2) : null;
}

/**
 * For a test new to the baseline: a test of the same name in another file there (a file moved
 * and rewritten beyond git's rename detection, or two files that swapped names), as its reason
 * says it: " (a test of this name ran there, in tests/test_misc.py)"; else "".
 */
function namesakeElsewhere(
  test: ReportEntry,
  seenThere: number,
  baseline: readonly RunRecord[],
): string {
  if (seenThere > 0 || test.file === null) return "";
  const name = bareName(test);
  for (const run of baseline) {
    const files = namesOf(run).get(name);
    const other = files && [...files].find((file) => file !== test.file);
    if (other !== undefined) return ` (a test of this name ran there, in ${other})`;
  }
  return "";
}

/** A test's name without its file (pytest's name is its id, `file::Class::test`). */
function bareName(entry: ReportEntry): string {
  return (entry.file === null ? null : afterFile(entry.name, entry.file)) ?? entry.name;
}

const namesByRun = new WeakMap<RunRecord, Map<string, Set<string>>>();

/** The files of a run's tests by bare name, made once a run. */
function namesOf(run: RunRecord): ReadonlyMap<string, ReadonlySet<string>> {
  let names = namesByRun.get(run);
  if (!names) {
    names = new Map();
    for (const entry of run.tests?.entries ?? []) {
      if (entry.file === null) continue;
      const name = bareName(entry);
      const files = names.get(name);
      if (files) files.add(entry.file);
      else names.set(name, new Set([entry.file]));
    }
    namesByRun.set(run, names);
  }
  return names;
}

/** The report entries of test `id` in `run`, in report order (none without a report). */
function entriesOf(run: RunRecord, id: string): readonly ReportEntry[] {
  if (!run.tests) return [];
  let byId = entriesByRun.get(run);
  if (!byId) {
    byId = new Map();
    for (const entry of run.tests.entries) {
      const list = byId.get(entry.id);
      if (list) list.push(entry);
      else byId.set(entry.id, [entry]);
    }
    entriesByRun.set(run, byId);
  }
  return byId.get(id) ?? [];
}

/** True when some side both passed and failed (the baseline: within one attempt). */
export function isFlaky(runs: readonly RunRecord[]): boolean {
  const attempts = new Set(runs.map((r) => r.attempt));
  return [...attempts].some((attempt) => {
    const outcomes = runs.filter((r) => r.attempt === attempt).map((r) => r.outcome);
    return outcomes.includes("pass") && (outcomes.includes("fail") || outcomes.includes("hang"));
  });
}

type RunsAndFailures = Pick<SideCounts, "runs" | "failures">;

/**
 * A settled test's reason, its counts brought up to date: it was decided after 3 runs a side, the
 * other tests took 5, and the row said "5/5" where the test's line said "fails 3/3". The counts
 * it was decided at stay, in brackets, with the statistic, which is theirs ("fails 10/10 with
 * your changes, 0/9 without (decided at 4/4 with your changes, 0/3 without: p = 0.0084)"; beside
 * the final counts, the p of other counts read as theirs: moment/luxon trial).
 */
export function withFinalCounts(
  reason: string,
  final: { current: RunsAndFailures; baseline: RunsAndFailures } | undefined,
  settled: boolean,
): string {
  const colon = reason.indexOf(": ");
  if (!settled || !final || colon < 0 || !reason.startsWith("fails ")) return reason;
  const then = reason.slice(0, colon);
  // What the baseline was, as the reason said it ("without", "with src/a.ts reverted").
  const baselineIs = /^fails \d+\/\d+ with your changes, \d+\/\d+ (.+)$/.exec(then)?.[1];
  const now = countsText(final.current, final.baseline, baselineIs);
  if (then === now) return reason;
  return `${now} (decided at ${then.replace(/^fails /, "")}: ${reason.slice(colon + 2)})`;
}

/**
 * The ids of a run's tests in the order its report gave them, without the entries of a file or
 * a suite: those say nothing of the order (node adds a partial report's at its end).
 */
function orderedTests(run: RunRecord): string[] {
  return (run.tests?.entries ?? []).filter((t) => t.kind === undefined).map((t) => t.id);
}

/**
 * Every run of yours hung, each with its report as far as it went, and so did the baseline's
 * (or they ended, whole reports: every test of them ended), all in one order (each run's tests a
 * beginning of the longest run's, leaving out the tests no baseline run ended, ones your change
 * adds: a runner that runs one test at a time, in one order): the first test every baseline run
 * ended and no run of yours did. Your changes make it hang earlier, or in another test: "the
 * same hang on both sides" read PRE-EXISTING, exit 0 (found in review: a test your change makes
 * hang, before an old hang). Undefined when it cannot be told (a parallel or shuffled order, a
 * run without a report).
 */
export function hungBefore(current: RunRecord[], baseline: RunRecord[]): string | undefined {
  const ended = (run: RunRecord) =>
    run.outcome === "hang" && run.tests?.partial ? orderedTests(run) : null;
  // A baseline run that ended with its whole report ended every test of it.
  const theirs = baseline.map((run) =>
    run.outcome !== "hang" && run.tests && !run.tests.partial ? orderedTests(run) : ended(run),
  );
  // Tests no baseline run ended (ones your change adds) are left out of yours.
  const known = new Set(theirs.flatMap((ids) => ids ?? []));
  const yours = current.map((run) => ended(run)?.filter((id) => known.has(id)) ?? null);
  if (yours.length === 0 || theirs.length === 0) return undefined;
  const all = [...yours, ...theirs];
  if (all.some((ids) => ids === null)) return undefined;
  const runs = all as string[][];
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a));
  if (!runs.every((ids) => ids.every((id, i) => longest[i] === id))) return undefined;
  const reached = Math.max(...(yours as string[][]).map((ids) => ids.length));
  const everyBaseline = Math.min(...(theirs as string[][]).map((ids) => ids.length));
  return reached < everyBaseline ? longest[reached] : undefined;
}

/**
 * The way most of your tree's failing runs failed (failureLines; the first of those seen most),
 * or null when none said anything. `lines`: the runs' lines, when already read.
 */
export function yourFailureWay(
  runs: readonly RunRecord[],
  lines?: ReadonlyMap<RunRecord, ReadonlySet<string>>,
): ReadonlySet<string> | null {
  return mostSeenWay(
    runs
      .filter((r) => r.side === "current" && r.outcome !== "pass" && r.outcome !== "cannot-run")
      .map((run) => lines?.get(run) ?? failureLines(run)),
  );
}

/** The way of failing (failureLines) seen most among `ways` (the first of those), null for none. */
export function mostSeenWay(ways: readonly ReadonlySet<string>[]): ReadonlySet<string> | null {
  const seen = new Map<string, { lines: ReadonlySet<string>; count: number }>();
  for (const way of ways) {
    if (way.size === 0) continue;
    const key = [...way].sort().join("\n");
    const entry = seen.get(key) ?? { lines: way, count: 0 };
    entry.count += 1;
    seen.set(key, entry);
  }
  let best: { lines: ReadonlySet<string>; count: number } | null = null;
  for (const entry of seen.values()) if (best === null || entry.count > best.count) best = entry;
  return best?.lines ?? null;
}

/**
 * The evidence of an attribution: every run, on your tree and at each baseline attempt, and what
 * the comparator makes of it. Knows nothing of git or of how a baseline is produced.
 */
export class Evidence {
  readonly runs: RunRecord[] = [];
  /** Baseline attempts that keep your tests (a selective revert of the code they test). */
  private readonly withYourTests = new Set<number>();

  /**
   * Attempt `attempt` is your tree with the suspects reverted: your tests, the old code. There, a
   * test that fails another way than on your tree (a TypeError, `isValid is not a function`,
   * where yours fails an assertion) fails because a reverted change is what it tests: it does
   * not have your failure without the suspects, and that run counts as not failing it.
   */
  keepsYourTests(attempt: number): void {
    this.withYourTests.add(attempt);
  }

  /** Selective reverts of part of the suspects, by attempt: the paths each reverts. */
  private readonly partReverts = new Map<number, readonly string[]>();

  /**
   * Attempt `attempt` reverts only `reverted`, part of the suspects, and keeps the others: a
   * test still failing there is not failing because of those paths alone, which says nothing of
   * the other suspects. It is not "pre-existing": its verdict waits for another revert, and
   * without one it is inconclusive.
   */
  revertsPart(attempt: number, reverted: readonly string[]): void {
    this.partReverts.set(attempt, reverted);
  }

  /** Paths your tree has renamed from each baseline attempt's tree: old path to new. */
  private readonly renames = new Map<number, ReadonlyMap<string, string>>();

  /**
   * Attempt `attempt`'s tree has `renames` under their old paths (src/git/renames.ts): its runs'
   * tests are read as your tree names their files. Set before the attempt's first run.
   */
  renamedAt(attempt: number, renames: ReadonlyMap<string, string>): void {
    if (renames.size > 0) this.renames.set(attempt, renames);
  }

  /** Records a run (a baseline's with your tree's paths for the files you renamed). */
  add(run: RunRecord): void {
    const renames = run.attempt === undefined ? undefined : this.renames.get(run.attempt);
    if (run.side === "baseline" && run.tests && renames)
      this.runs.push({
        ...run,
        tests: { ...run.tests, entries: withRenamedFiles(run.tests.entries, renames) },
      });
    else this.runs.push(run);
  }

  /** The 1-based number of the next run on a side (baseline runs are numbered across attempts). */
  nextIndex(side: Side): number {
    return this.runs.filter((r) => r.side === side).length + 1;
  }

  /** Counts of your tree, or of one baseline attempt. */
  counts(side: Side, attempt?: number): SideCounts {
    return countSide(this.runs, side, attempt);
  }

  /** Counts of a baseline attempt; null before its first run. */
  baselineCounts(attempt: number | undefined): SideCounts | null {
    return this.runs.some((r) => r.side === "baseline" && r.attempt === attempt)
      ? countSide(this.runs, "baseline", attempt)
      : null;
  }

  /** Runs used on a side (cannot-run included), for the budget. */
  used(side: Side, attempt?: number): number {
    const counts = side === "current" ? this.counts("current") : this.baselineCounts(attempt);
    return counts ? counts.runs + counts.cannotRun : 0;
  }

  /** Per-test verdicts reached so far (they stay), with the baseline attempt each rests on. */
  private readonly settled = new Map<string, SettledTest & { attempt: number }>();
  /** The latest judgement of each test of the family. */
  private readonly judged = new Map<string, TestJudgement & { attempt: number | undefined }>();

  /**
   * What the comparator says of your tree against baseline attempt `attempt`: with per-test
   * reports, one verdict a failing test (decideSuite), else the command's (the same rule).
   */
  decide(attempt: number | undefined, options: CompareOptions): SuiteDecision {
    const decision = decideSuite(
      { current: this.counts("current"), baseline: this.baselineCounts(attempt) },
      this.testEvidence(attempt),
      this.settled,
      options,
    );
    for (const j of decision.tests) {
      this.judged.set(j.id, { ...j, attempt });
      const verdict = j.verdict;
      if (verdict === null || verdict === "new" || verdict === "inconclusive") continue;
      if (verdict === "pre-existing" && attempt !== undefined && this.partReverts.has(attempt))
        continue;
      if (!this.settled.has(j.id) && attempt !== undefined)
        this.settled.set(j.id, { verdict, level: j.level, reason: j.reason, attempt });
    }
    return this.byTheWayItFails(decision, attempt, options);
  }

  /** False with --per-test off: the command's exit code alone judges, however the runs failed. */
  judgeTheWayItFails = true;

  /**
   * Without a report of the tests, the command's exit code is all the comparator has: a command
   * that fails on both sides reads "pre-existing", exit 0, even when your tree fails otherwise
   * (chalk's `xo && c8 ava`: yours stopped at a lint error your change made, the baseline got
   * through to an old test failure; node-semver's tests broken beside a lint that failed at
   * HEAD). So the way your tree fails (failureLines: the lines of its output that say what went
   * wrong) is an event of its own, judged by the same comparator: the runs of each side that
   * failed that way (every such line among theirs). Fails that way on your tree and never, or
   * significantly less often, at the baseline: `regression`. While it is not settled and the
   * baseline never failed that way, one more run, as for the command. Otherwise the command's
   * verdict stands. (A failure that only changed its numbers, a count of passing tests or a
   * value, fails the same way: see failureLines.)
   */
  private byTheWayItFails(
    decision: SuiteDecision,
    attempt: number | undefined,
    options: CompareOptions,
  ): SuiteDecision {
    if (!this.judgeTheWayItFails || decision.tests.length > 0) return decision;
    if (decision.kind === "verdict" && !["pre-existing", "inconclusive"].includes(decision.verdict))
      return decision;
    const reached = (side: Side) =>
      this.runs.filter(
        (r) =>
          r.side === side &&
          (side === "current" || r.attempt === attempt) &&
          r.outcome !== "cannot-run",
      );
    const current = reached("current");
    const baseline = reached("baseline");
    if (baseline.length === 0 || [...current, ...baseline].some((r) => r.tests)) return decision;
    const lines = new Map(
      [...current, ...baseline]
        .filter((r) => r.outcome !== "pass")
        .map((r) => [r, failureLines(r)] as const),
    );
    const yours = yourFailureWay(current, lines);
    if (yours === null) return decision;
    const thatWay = (runs: RunRecord[]) =>
      runs.filter((r) => lines.has(r) && failsTheWay(yours, lines.get(r)!)).length;
    const fc = thatWay(current);
    const fb = thatWay(baseline);
    const failedThere = baseline.filter((r) => r.outcome !== "pass").length;
    if (fb === failedThere) return decision;
    const judged = decide(
      { ...this.counts("current"), failures: fc },
      { ...this.baselineCounts(attempt)!, failures: fb },
      options,
    );
    const there = new Set(baseline.flatMap((r) => [...(lines.get(r) ?? [])]));
    const failureWay = {
      current: { runs: current.length, failures: fc },
      baseline: { runs: baseline.length, failures: fb },
      lines: [...yours].filter((line) => !there.has(line)),
    };
    if (judged.kind === "verdict" && judged.verdict === "regression")
      return {
        ...judged,
        reason: messages.failsAnotherWay(
          failureWay,
          failedThere,
          withoutYourChanges(options),
          formatP(judged.stats.pValue ?? 1),
        ),
        tests: [],
        failureWay,
      };
    if (judged.kind === "next" && decision.kind === "verdict" && fb === 0 && fc >= 2)
      return {
        ...judged,
        reason: messages.failureWayNotSettled(judged.reason),
        tests: [],
        failureWay,
      };
    return decision;
  }

  /**
   * The files of the tests baseline attempt `attempt` still has to judge (failing on your tree,
   * no verdict from an earlier attempt), when none of them has been observed there yet; null
   * when one has (or when there is none, or one has no file).
   */
  unobservedFiles(attempt: number): Set<string> | null {
    const files = new Set<string>();
    const { current } = this.reached(attempt);
    for (const test of this.testEvidence(attempt)) {
      if (test.current.failures === 0 || this.settled.has(test.id)) continue;
      if (test.baseline.runs > 0 || test.id === commandTestId) return null;
      const file = current.flatMap((r) => entriesOf(r, test.id)).find((e) => e.file)?.file;
      if (!file) return null;
      files.add(file);
    }
    return files.size > 0 ? files : null;
  }

  /** Runs of your tree and of baseline attempt `attempt` that reached the test. */
  private reached(attempt: number | undefined): { current: RunRecord[]; baseline: RunRecord[] } {
    const reached = (r: RunRecord) => r.outcome !== "cannot-run";
    return {
      current: this.runs.filter((r) => r.side === "current" && reached(r)),
      baseline: this.runs.filter(
        (r) => r.side === "baseline" && r.attempt === attempt && reached(r),
      ),
    };
  }

  /**
   * Per test, the runs in which it was observed and how many it failed, on each side: every test
   * that failed in some run, and a pseudo-test (`commandTestId`) for failed runs that no failing
   * test explains (no readable report, or none failing in it). Empty when no run has a report.
   */
  testEvidence(attempt: number | undefined): TestEvidence[] {
    const sides = this.reached(attempt);
    const all = [...sides.current, ...sides.baseline];
    if (!all.some((r) => r.tests)) return [];
    const failing = new Set<string>();
    // Entries for a file or a hook are listed only when they fail: absent, they passed.
    const listedWhenFailing = new Set<string>();
    // ...except a file's own entry in a run that reported nothing of that file: the file did not
    // run there (a test file your changes add, run by a folder or a whole suite, is in no
    // baseline), and it is a new test, not one that passed without your changes.
    const fileOf = new Map<string, string>();
    // A test of a runner that names only its failing tests (uvu) is the same: absent from a run
    // that ran its file, it passed there; from one that did not, it was not there.
    // A subtest (unittest's) the same, by the test it is in: absent from a run that has that
    // test, it passed there; from one that does not, it was not there.
    const within = new Map<string, string>();
    for (const run of all) {
      for (const t of run.tests?.entries ?? []) {
        if (t.status === "fail") failing.add(t.id);
        if (t.kind || t.onlyWhenFailing) listedWhenFailing.add(t.id);
        if ((t.kind === "file" || t.onlyWhenFailing) && t.file) fileOf.set(t.id, t.file);
        if (t.within !== undefined) within.set(t.id, t.within);
      }
    }
    // Its title as your tree's source gives it (a file entry's `titles`): a run whose file does
    // not give it did not have the test (one your change adds to a file that was there).
    const literalTitle = new Map<string, string>();
    for (const run of sides.current) {
      const entries = run.tests?.entries ?? [];
      for (const t of entries) {
        if (!t.onlyWhenFailing || !t.file || literalTitle.has(t.id)) continue;
        const titles = entries.find((e) => e.kind === "file" && e.id === t.file)?.titles ?? [];
        const title = titles.find((x) => t.name === x || t.name.endsWith(` > ${x}`));
        if (title !== undefined) literalTitle.set(t.id, title);
      }
    }
    const ranFile = (run: RunRecord, id: string) => {
      const parent = within.get(id);
      if (parent !== undefined) return positionsIn(run).has(parent);
      const file = fileOf.get(id);
      if (file === undefined) return true;
      if (!filesOf(run).has(file)) return false;
      const title = literalTitle.get(id);
      if (title === undefined) return true;
      const at = positionsIn(run).get(file);
      const entry = at === undefined ? undefined : run.tests?.entries[at];
      return entry?.kind !== "file" || entry.titles === undefined || entry.titles.includes(title);
    };
    // Where each run of yours reported each test, made once a call.
    const positions = new Map<RunRecord, Map<string, number>>();
    const positionsIn = (run: RunRecord) => {
      let at = positions.get(run);
      if (!at) {
        at = new Map();
        for (const [i, t] of (run.tests?.entries ?? []).entries()) at.set(t.id, i);
        positions.set(run, at);
      }
      return at;
    };
    // The farthest place in run `yours` of a test run `theirs` ended (-1: none), by pair.
    const farthest = new Map<RunRecord, Map<RunRecord, number>>();
    const reach = (theirs: RunRecord, yours: RunRecord) => {
      let byYours = farthest.get(theirs);
      if (!byYours) {
        byYours = new Map();
        farthest.set(theirs, byYours);
      }
      let far = byYours.get(yours);
      if (far === undefined) {
        const at = positionsIn(yours);
        far = -1;
        for (const id of orderedTests(theirs)) far = Math.max(far, at.get(id) ?? -1);
        byYours.set(yours, far);
      }
      return far;
    };
    // A run went past `id` when it ended a test that the first run of yours with `id` reported after it.
    const wentPast = (run: RunRecord, id: string) => {
      for (const yours of sides.current) {
        const at = positionsIn(yours).get(id);
        if (at !== undefined) return reach(run, yours) > at;
      }
      return false;
    };
    const count = (runs: RunRecord[], id: string, yours?: ReadonlySet<string>) => {
      let observed = 0;
      let failures = 0;
      // Runs whose partial report ends before the test, and runs whose report lacks it: a whole
      // one, or a partial one with tests that come after it in yours.
      let unreached = 0;
      let lacked = 0;
      for (const run of runs) {
        if (!run.tests) continue;
        const entry = entriesOf(run, id)[0];
        if (entry) {
          if (entry.status === "fail" && sameFailureKind(yours, entry.message)) failures += 1;
          if (entry.status !== "skip") observed += 1;
          continue;
        }
        // A hung run's report as far as it went: what it lacks was not reached, not passed,
        // unless the run went past it.
        const reached = !run.tests.partial || wentPast(run, id);
        if (listedWhenFailing.has(id) && ranFile(run, id) && reached) observed += 1;
        else if (reached) lacked += 1;
        else unreached += 1;
      }
      return { runs: observed, failures, unreached: lacked === 0 ? unreached : 0 };
    };
    // Never reached at the baseline: in none of its runs, every one of them hung before it
    // (a run that ended without it says it is not there: a test new on your tree).
    const atBaseline = (id: string, yours?: ReadonlySet<string>) => {
      const { unreached, ...counted } = count(sides.baseline, id, yours);
      return unreached > 0 && counted.runs === 0 ? { ...counted, unreached } : counted;
    };
    const kindsOnYourTree = (id: string): Set<string> | undefined => {
      if (attempt === undefined || !this.withYourTests.has(attempt)) return undefined;
      const kinds = new Set<string>();
      for (const run of sides.current)
        for (const t of entriesOf(run, id)) {
          const kind = t.status === "fail" ? failureKind(t.message) : undefined;
          if (kind !== undefined) kinds.add(kind);
        }
      return kinds.size > 0 ? kinds : undefined;
    };
    const evidence: TestEvidence[] = [...failing].map((id) => {
      const { unreached: _, ...current } = count(sides.current, id);
      return { id, current, baseline: atBaseline(id, kindsOnYourTree(id)) };
    });
    // Observed only in the runs where no test failed: in one where a test failed, the exit code
    // cannot tell whether something else failed too (jest's coverage threshold fails every run
    // of both sides, and a side whose tests also fail would read "fixed").
    const unexplained = (runs: RunRecord[]) => {
      const clear = runs.filter((r) => !r.tests?.entries.some((t) => t.status === "fail"));
      return { runs: clear.length, failures: clear.filter((r) => r.outcome !== "pass").length };
    };
    // Unless every such failure on your tree stopped before its tests reported: no report at all
    // (a pretest lint step your change breaks) or a hang. Then the command is observed in every
    // run, and fails where it stopped so: a run that ended with its report did not, whatever its
    // tests did (an old failure at the baseline read "never ran at this baseline", and the
    // selective reverts that followed ended UNRUNNABLE: body-parser and more-itertools trials).
    const stopped = (r: RunRecord) => r.outcome === "hang" || (r.outcome !== "pass" && !r.tests);
    // (A hang is one even beside failing tests: the test that hung never reported.)
    const yoursUnexplained = sides.current.filter(
      (r) =>
        r.outcome === "hang" ||
        (r.outcome !== "pass" && !r.tests?.entries.some((t) => t.status === "fail")),
    );
    const stoppedOnly = yoursUnexplained.length > 0 && yoursUnexplained.every(stopped);
    const stops = (runs: RunRecord[]) => ({
      runs: runs.length,
      failures: runs.filter(stopped).length,
    });
    const command = stoppedOnly
      ? { current: stops(sides.current), baseline: stops(sides.baseline) }
      : { current: unexplained(sides.current), baseline: unexplained(sides.baseline) };
    // Never seen on your tree (a test failed in every run): nothing to say of it.
    if (command.current.runs > 0 && command.current.failures + command.baseline.failures > 0) {
      const before = stoppedOnly ? hungBefore(sides.current, sides.baseline) : undefined;
      evidence.push({
        id: commandTestId,
        ...command,
        ...(stoppedOnly ? { stopped: true } : {}),
        ...(before !== undefined ? { hungBefore: before } : {}),
      });
    }
    return evidence;
  }

  /**
   * Every test of the family with its last judgement (its settled verdict where one was reached),
   * counts, name, place and failure messages, regressions first.
   */
  testResults(): TestResult[] {
    const order = { regression: 0, new: 1, inconclusive: 2, "pre-existing": 3, fixed: 4 };
    const results: TestResult[] = [];
    // Each attempt's evidence once, by test id (not once a test: cubic in the failing tests).
    const evidenceOf = new Map<number | undefined, Map<string, TestEvidence>>();
    const countsOf = (attempt: number | undefined, id: string) => {
      let byId = evidenceOf.get(attempt);
      if (!byId) {
        byId = new Map(this.testEvidence(attempt).map((t) => [t.id, t]));
        evidenceOf.set(attempt, byId);
      }
      return byId.get(id);
    };
    for (const [id, j] of this.judged) {
      const settled = this.settled.get(id);
      const attempt = settled?.attempt ?? j.attempt;
      const sides = this.reached(attempt);
      const counts = countsOf(attempt, id);
      // A test that never failed on your tree and failed only at a later, selectively reverted
      // baseline says something of the revert (a helper taken away), nothing of your changes.
      if ((counts?.current.failures ?? 0) === 0 && (attempt ?? 1) > 1) continue;
      // Never seen on your tree (it never reached the command: a compile error): nothing to say.
      if ((counts?.current.runs ?? 0) === 0) continue;
      const entries = (runs: RunRecord[]) => runs.flatMap((r) => entriesOf(r, id));
      const here = entries(sides.current);
      const there = entries(sides.baseline);
      const any = here[0] ?? there[0];
      const failureMessages = (list: typeof here) =>
        list.filter((t) => t.status === "fail" && t.message).map((t) => t.message!);
      const current = failureMessages(here);
      const baseline = failureMessages(there);
      // Still failing with part of the suspects reverted, and no other revert settled it.
      const partly =
        !settled && j.verdict === "pre-existing" && attempt !== undefined
          ? this.partReverts.get(attempt)
          : undefined;
      const verdict = partly ? "inconclusive" : (settled?.verdict ?? j.verdict ?? "inconclusive");
      // Only a failure that reads the same in every run of your tree says it changed: a test
      // whose message varies from run to run (a random value in the assertion) tells nothing.
      const yours = new Set(current.map(failureSignature));
      const changed =
        (verdict === "pre-existing" || verdict === "regression") &&
        yours.size === 1 &&
        baseline.length > 0 &&
        !baseline.some((m) => yours.has(failureSignature(m)));
      results.push({
        id,
        name:
          id !== commandTestId
            ? (any?.name ?? id)
            : counts?.stopped
              ? "the command (it stopped before its tests reported: no report, or a hang)"
              : "the command (no failing test in its report)",
        file: any?.file ?? null,
        line: any?.line ?? null,
        verdict,
        reason: partly
          ? messages.notCausedByPart(partly, counts)
          : withFinalCounts(settled?.reason ?? j.reason, counts, settled !== undefined) +
            (verdict === "new" && any ? namesakeElsewhere(any, there.length, sides.baseline) : ""),
        failureChanged: changed,
        current: counts?.current ?? { runs: 0, failures: 0 },
        baseline: counts?.baseline ?? { runs: 0, failures: 0 },
        attempt: attempt ?? null,
        message: current.at(-1) ?? baseline.at(-1) ?? null,
        baselineMessage: changed ? (baseline.at(-1) ?? null) : null,
      });
    }
    return results.sort((a, b) => order[a.verdict] - order[b.verdict]);
  }

  /** True when some side both passed and failed, your tree against baseline attempt `attempt`. */
  flaky(attempt: number | undefined): boolean {
    return isFlaky(this.runs.filter((r) => r.side === "current" || r.attempt === attempt));
  }

  /** The outcome counts of one baseline attempt's runs, as the report lists them. */
  attemptCounts(attempt: number): AttemptReport["counts"] {
    const runs = this.runs.filter((r) => r.side === "baseline" && r.attempt === attempt);
    const reached = runs.filter((r) => r.outcome !== "cannot-run");
    const failures = reached.filter((r) => r.outcome !== "pass").length;
    return {
      runs: reached.length,
      failures,
      passes: reached.length - failures,
      hangs: runs.filter((r) => r.outcome === "hang").length,
      cannotRun: runs.length - reached.length,
    };
  }

  /** The last baseline attempt that has runs (the one a verdict rests on), if any. */
  lastAttemptRun(): number | undefined {
    return [...this.runs].reverse().find((r) => r.side === "baseline")?.attempt;
  }

  /** Total time spent in the command by this run (runs reused from the cache took none). */
  runsMs(): number {
    return this.runs.reduce((sum, r) => sum + (r.cached ? 0 : ranMs(r)), 0);
  }
}
