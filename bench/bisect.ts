/**
 * Bisect benchmark (issue 13): the flake-aware search against `git bisect run`'s rule.
 *
 *   npx tsx bench/bisect.ts [--trials N] [--seed S] [--commits N] [--confidence C]
 *                           [--strategy information|median] [--cells 0.3/0.05,...]
 *                           [--max-runs N] [--oracle] [--prior JSON] [--no-sweep]
 *
 * Each cell is a simulated first-parent history c_0..c_N (N = 1024): the culprit is a uniformly
 * random commit k in 1..N, and a run at commit i fails with probability q1 if i >= k, else q0.
 * Every run at every commit reads its own seeded uniform (run r at commit i of trial t), so the
 * two searches see the same outcomes wherever they run the same commit (common random numbers).
 * - end checks, as the driver would make them: `decide()` at its defaults with the bad end as
 *   the current side and the good end as the baseline, except that `not-reproduced` is not
 *   final (the bad end is run until it fails once, at most --max-runs 20 times: the user saw it
 *   fail), and whatever the verdict, the counts go to the search, whose "no single culprit"
 *   hypothesis answers for a good end that is not good. A bad end that never fails in 20 runs
 *   is an undecided trial.
 * - culprit: `FlakyBisect` at --confidence (culprit bisect's default, 0.99), driven until it answers. Accuracy is the share
 *   of trials naming the right commit; wrong counts a wrong commit;
 *   none is "no single culprit" (also wrong: every history here has one); undecided is the
 *   budget spent (or the bad end never failing). Runs are counted after the end checks.
 * - one-run: `git bisect run`'s rule, from the same good and bad ends: run the middle commit
 *   once, fail means bad, pass means good, until one commit is left (always log2(N) runs).
 * bound: log2(N) / C, C the capacity of one run as a binary channel failing with q0 before the
 * culprit and q1 from it on (src/compare/channel.ts). PASS when accuracy >= 98% and the mean
 * runs <= 2x the bound. For every cell that fails, it then shows accuracy and runs at other
 * confidences (the trade-off; --no-sweep skips it). --oracle gives the search the true rates (a
 * prior concentrated on them): the difference is what learning the rates costs.
 */
import { bisectConfidence } from "../src/cli/parse-args.js";
import {
  type BisectOptions,
  type BisectResult,
  defaultMaxRuns,
  type EndCounts,
  FlakyBisect,
  type RatePrior,
} from "../src/compare/bisect.js";
import { channelCapacity, searchBound } from "../src/compare/channel.js";
import { decide, defaultCompareOptions } from "../src/compare/decide.js";
import type { SideCounts } from "../src/compare/types.js";

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}

const TRIALS = Number(argument("--trials", "1000"));
const SEED = Number(argument("--seed", "20240513"));
const COMMITS = Number(argument("--commits", "1024"));
// culprit bisect's own default (0.95 is attribution's): the bench measures what users get.
const CONFIDENCE = Number(argument("--confidence", String(bisectConfidence)));
const STRATEGY = argument("--strategy", "information") as "information" | "median";
const SWEEP = !process.argv.includes("--no-sweep");
const SWEEP_CONFIDENCES = [0.9, 0.95, 0.98, 0.99, 0.995];
const MAX_RUNS = process.argv.includes("--max-runs")
  ? Number(argument("--max-runs", "0"))
  : undefined;
const PRIOR: RatePrior | undefined = process.argv.includes("--prior")
  ? JSON.parse(argument("--prior", "{}"))
  : undefined;
const ORACLE = process.argv.includes("--oracle");
const CELLS: [number, number][] = (
  argument("--cells", "1/0,1/0.05,0.7/0,0.7/0.05,0.3/0,0.3/0.05")
    .split(",")
    .map((cell) => cell.split("/").map(Number)) as [number, number][]
).map(([q1, q0]) => [q1, q0]);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function mix(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

/** One simulated history: the culprit, the rates, and a run counter per commit. */
class History {
  private readonly runs = new Map<number, number>();
  constructor(
    readonly culprit: number,
    private readonly q0: number,
    private readonly q1: number,
    private readonly key: number[],
  ) {}

  /** Run the command once more at commit i: true when it fails. */
  fails(i: number): boolean {
    const r = this.runs.get(i) ?? 0;
    this.runs.set(i, r + 1);
    const u = mulberry32(mix(...this.key, i, r))();
    return u < (i >= this.culprit ? this.q1 : this.q0);
  }

  /** Forget the runs made so far, so that another search reads the same outcomes. */
  rewind(): void {
    this.runs.clear();
  }
}

interface EndCheck {
  ends: EndCounts;
  runs: number;
}

/** The driver's end checks (see the header). Null when the bad end never failed. */
function checkEnds(history: History): EndCheck | null {
  const options = defaultCompareOptions;
  const bad: SideCounts = { runs: 0, failures: 0, cannotRun: 0 };
  let good: SideCounts | null = null;
  const run = (side: SideCounts, commit: number) => {
    side.runs++;
    if (history.fails(commit)) side.failures++;
  };
  for (;;) {
    const d = decide(bad, good, options);
    if (d.kind === "verdict") {
      if (d.verdict === "not-reproduced" && bad.runs < options.maxRuns) {
        run(bad, COMMITS);
        continue;
      }
      break;
    }
    if (d.side === "current") run(bad, COMMITS);
    else {
      good ??= { runs: 0, failures: 0, cannotRun: 0 };
      run(good, 0);
    }
  }
  if (bad.failures === 0) return null;
  const g = good ?? { runs: 0, failures: 0 };
  return {
    ends: {
      good: { runs: g.runs, failures: g.failures },
      bad: { runs: bad.runs, failures: bad.failures },
    },
    runs: bad.runs + g.runs,
  };
}

function search(history: History, ends: EndCounts, options: BisectOptions) {
  const bisect = new FlakyBisect(COMMITS, ends, options);
  for (;;) {
    const step = bisect.next();
    if (step.kind === "done") return { result: step.result, runs: bisect.runs };
    bisect.record(step.index, history.fails(step.index) ? "fail" : "pass");
  }
}

/** `git bisect run`: one run a step, fail = bad, pass = good. */
function oneRun(history: History): { named: number; runs: number } {
  let good = 0;
  let bad = COMMITS;
  let runs = 0;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    runs++;
    if (history.fails(mid)) bad = mid;
    else good = mid;
  }
  return { named: bad, runs };
}

type Grade = "right" | "wrong" | "none" | "undecided";

function grade(result: BisectResult, culprit: number): Grade {
  switch (result.kind) {
    case "culprit":
      return result.index === culprit ? "right" : "wrong";
    case "range":
      return result.from <= culprit && culprit <= result.to ? "right" : "wrong";
    case "no-culprit":
      return "none";
    case "undecided":
      return "undecided";
  }
}

interface CellResult {
  q1: number;
  q0: number;
  confidence: number;
  counts: Record<Grade, number>;
  runs: number[];
  endRuns: number[];
  oneRunRight: number;
  oneRunRuns: number[];
}

/** A prior that knows the true rates (--oracle): what the search costs when nothing is learned. */
function oracle(q0: number, q1: number): RatePrior {
  const sure = 1e6;
  const shape = (q: number) => ({ a: q * sure, b: (1 - q) * sure });
  return {
    deterministic: q0 === 0 && q1 === 1 ? 1 : 0,
    newFlaky: q0 === 0 && q1 < 1 ? 1 : 0,
    oldFlaky: q0 > 0 && q1 === 1 ? 1 : 0,
    bothFlaky: q0 > 0 && q1 < 1 ? 1 : 0,
    old: shape(q0 > 0 ? q0 : 0.5),
    new: shape(q1 < 1 ? q1 : 0.5),
  };
}

function runCell(q1: number, q0: number, cell: number, confidence: number): CellResult {
  const counts: Record<Grade, number> = { right: 0, wrong: 0, none: 0, undecided: 0 };
  const runs: number[] = [];
  const endRuns: number[] = [];
  const oneRunRuns: number[] = [];
  let oneRunRight = 0;
  const options: BisectOptions = {
    confidence,
    strategy: STRATEGY,
    ratePrior: ORACLE ? oracle(q0, q1) : PRIOR,
    maxRuns: MAX_RUNS,
  };
  for (let trial = 0; trial < TRIALS; trial++) {
    const culprit = 1 + Math.floor(mulberry32(mix(SEED, cell, trial))() * COMMITS);
    const history = new History(culprit, q0, q1, [SEED, cell, trial]);
    const checked = checkEnds(history);
    if (checked === null) {
      counts.undecided++;
    } else {
      endRuns.push(checked.runs);
      const { result, runs: spent } = search(history, checked.ends, options);
      counts[grade(result, culprit)]++;
      runs.push(spent);
    }
    history.rewind();
    const plain = oneRun(history);
    if (plain.named === culprit) oneRunRight++;
    oneRunRuns.push(plain.runs);
  }
  return { q1, q0, confidence, counts, runs, endRuns, oneRunRight, oneRunRuns };
}

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
}

const pct = (count: number) => ((100 * count) / TRIALS).toFixed(1).padStart(5);
const label = (r: { q1: number; q0: number }) => `${r.q1}/${r.q0}`.padEnd(9);

interface Check {
  pass: boolean;
  accuracyOk: boolean;
  runsOk: boolean;
  ratio: number;
}

function check(r: CellResult): Check {
  const ratio = mean(r.runs) / searchBound(COMMITS, r.q0, r.q1);
  const accuracyOk = r.counts.right >= 0.98 * TRIALS;
  const runsOk = ratio <= 2;
  return { pass: accuracyOk && runsOk, accuracyOk, runsOk, ratio };
}

function status(c: Check): string {
  if (c.pass) return "PASS";
  return `FAIL (${[!c.accuracyOk && "accuracy", !c.runsOk && "runs"].filter(Boolean).join(", ")})`;
}

const started = performance.now();
console.log(
  `bisect: ${COMMITS} commits, ${TRIALS} trials a cell, seed ${SEED}, confidence ${CONFIDENCE}, strategy ${STRATEGY}, budget ${MAX_RUNS ?? `default (${defaultMaxRuns(COMMITS)})`}${ORACLE ? ", rates known (oracle)" : ""}${PRIOR ? `, prior ${JSON.stringify(PRIOR)}` : ""}`,
);
console.log(
  "q1/q0     | end runs | culprit: right% wrong%  none% undec%  mean  p95 | bound C bits | ratio | one-run: right% runs | accuracy >= 98%, runs <= 2x bound",
);
const results: CellResult[] = [];
CELLS.forEach(([q1, q0], cell) => {
  const r = runCell(q1, q0, cell, CONFIDENCE);
  results.push(r);
  const bound = searchBound(COMMITS, q0, q1);
  const c = check(r);
  const culprit = [r.counts.right, r.counts.wrong, r.counts.none, r.counts.undecided]
    .map(pct)
    .join("  ");
  console.log(
    `${label(r)} | ${mean(r.endRuns).toFixed(1).padStart(8)} |          ${culprit} ${mean(r.runs).toFixed(1).padStart(5)} ${String(p95(r.runs)).padStart(4)} | ${bound.toFixed(1).padStart(5)} ${channelCapacity(q0, q1).bits.toFixed(3)} | ${c.ratio.toFixed(2).padStart(5)} |          ${pct(r.oneRunRight)} ${mean(r.oneRunRuns).toFixed(0).padStart(4)} | ${status(c)}`,
  );
});

const failing = results.filter((r) => !check(r).pass);
if (SWEEP && failing.length > 0) {
  console.log(
    "trade-off for the cells that fail: right% / mean runs (ratio to the bound) at each confidence",
  );
  for (const r of failing) {
    const cell = results.indexOf(r);
    const rows = SWEEP_CONFIDENCES.map((confidence) => {
      const s = confidence === CONFIDENCE ? r : runCell(r.q1, r.q0, cell, confidence);
      const c = check(s);
      const mark = c.pass ? "PASS" : c.accuracyOk ? "runs" : c.runsOk ? "acc." : "both";
      return `${confidence}: ${pct(s.counts.right).trim()}% / ${mean(s.runs).toFixed(0)} (${c.ratio.toFixed(2)}) ${mark}`;
    });
    console.log(`${label(r)} | ${rows.join(" | ")}`);
  }
}
console.log(
  `Done when (accuracy >= 98% and mean runs <= 2x bound in every cell, confidence ${CONFIDENCE}): ${
    failing.length === 0
      ? "PASS"
      : `FAIL (${failing.map((r) => `${label(r).trim()} ${status(check(r))}`).join(", ")})`
  }`,
);
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
