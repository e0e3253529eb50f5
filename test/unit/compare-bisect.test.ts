import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BisectResult,
  type BisectStep,
  type CommitOutcome,
  DEFAULT_PRIOR_NO_CULPRIT,
  DEFAULT_RATE_PRIOR,
  defaultMaxRuns,
  type EndCounts,
  FlakyBisect,
  type RatePrior,
} from "../../src/compare/bisect.js";
import { decide, defaultCompareOptions } from "../../src/compare/decide.js";
import type { SideCounts } from "../../src/compare/types.js";

const CLEAN: EndCounts = { good: { runs: 3, failures: 0 }, bad: { runs: 3, failures: 3 } };
const DETERMINISTIC: RatePrior = {
  ...DEFAULT_RATE_PRIOR,
  deterministic: 1,
  newFlaky: 0,
  oldFlaky: 0,
  bothFlaky: 0,
};

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

/** Drives a search to its answer; `outcome` plays the command at a commit. */
function drive(bisect: FlakyBisect, outcome: (index: number) => CommitOutcome, limit = 100_000) {
  const steps: Extract<BisectStep, { kind: "run" }>[] = [];
  for (let i = 0; i < limit; i++) {
    const step = bisect.next();
    if (step.kind === "done") return { result: step.result, steps };
    steps.push(step);
    bisect.record(step.index, outcome(step.index));
  }
  throw new Error(`no answer after ${limit} runs`);
}

const deterministic = (culprit: number) => (i: number) => (i >= culprit ? "fail" : "pass");

/**
 * Reference model, written out independently of the module: every hypothesis enumerated, and
 * each rate integrated numerically (midpoint rule in t with q = sin^2 t, which turns the Beta
 * density q^(a-1) (1-q)^(b-1) dq into 2 sin^(2a-1) t cos^(2b-1) t dt, smooth for a, b >= 1/2),
 * rather than through the Beta-function closed form the module uses.
 */
function reference(
  n: number,
  counts: Map<number, [failures: number, passes: number]>,
  prior: RatePrior = DEFAULT_RATE_PRIOR,
  priorNone = DEFAULT_PRIOR_NO_CULPRIT,
) {
  const NODES = 20_000;
  const integrate = (a: number, b: number, f: number, p: number) => {
    let sum = 0;
    const dt = Math.PI / 2 / NODES;
    for (let i = 0; i < NODES; i++) {
      const t = (i + 0.5) * dt;
      sum += 2 * Math.sin(t) ** (2 * a - 1 + 2 * f) * Math.cos(t) ** (2 * b - 1 + 2 * p) * dt;
    }
    return sum;
  };
  const single = (shape: { a: number; b: number }, f: number, p: number) =>
    integrate(shape.a, shape.b, f, p) / integrate(shape.a, shape.b, 0, 0);
  // A mixture of Betas: the weighted sum of each one's marginal.
  const beta = (shape: RatePrior["old"], f: number, p: number) => {
    if (!Array.isArray(shape)) return single(shape, f, p);
    const weights = shape.reduce((sum, s) => sum + s.weight, 0);
    return shape.reduce((sum, s) => sum + (s.weight / weights) * single(s, f, p), 0);
  };
  const total = prior.deterministic + prior.newFlaky + prior.oldFlaky + prior.bothFlaky;
  const sides = (k: number, data: Map<number, [number, number]>) => {
    let oldF = 0;
    let oldP = 0;
    let newF = 0;
    let newP = 0;
    for (const [c, [f, p]] of data) {
      if (c < k) {
        oldF += f;
        oldP += p;
      } else {
        newF += f;
        newP += p;
      }
    }
    return { oldF, oldP, newF, newP };
  };
  const likelihood = (k: number, data: Map<number, [number, number]>) => {
    const { oldF, oldP, newF, newP } = sides(k, data);
    const zero = oldF === 0 ? 1 : 0;
    const one = newP === 0 ? 1 : 0;
    const flakyOld = beta(prior.old, oldF, oldP);
    const flakyNew = beta(prior.new, newF, newP);
    return (
      (prior.deterministic * zero * one +
        prior.newFlaky * zero * flakyNew +
        prior.oldFlaky * flakyOld * one +
        prior.bothFlaky * flakyOld * flakyNew) /
      total
    );
  };
  const joint = (data: Map<number, [number, number]>) => {
    const culprit = [0];
    for (let k = 1; k <= n; k++) culprit.push(((1 - priorNone) / n) * likelihood(k, data));
    let f = 0;
    let p = 0;
    for (const [x, y] of data.values()) {
      f += x;
      p += y;
    }
    const none = priorNone * beta({ a: 0.5, b: 0.5 }, f, p);
    const evidence = culprit.reduce((a, b) => a + b, 0) + none;
    return { culprit: culprit.map((x) => x / evidence), none: none / evidence, evidence };
  };
  const with_ = (c: number, failed: boolean) => {
    const next = new Map(counts);
    const [f, p] = next.get(c) ?? [0, 0];
    next.set(c, failed ? [f + 1, p] : [f, p + 1]);
    return next;
  };
  const entropy = (post: { culprit: number[]; none: number }) =>
    [...post.culprit, post.none].reduce((h, x) => (x > 0 ? h - x * Math.log2(x) : h), 0);
  const here = joint(counts);
  /** Mutual information of one run at c with the culprit: H(K) - E_y H(K | y). */
  const gain = (c: number) => {
    const fail = joint(with_(c, true));
    const pass = joint(with_(c, false));
    const pFail = fail.evidence / here.evidence;
    return entropy(here) - pFail * entropy(fail) - (1 - pFail) * entropy(pass);
  };
  return { ...here, gain };
}

function recordAll(bisect: FlakyBisect, counts: Map<number, [number, number]>) {
  for (const [c, [f, p]] of counts) {
    for (let i = 0; i < f; i++) bisect.record(c, "fail");
    for (let i = 0; i < p; i++) bisect.record(c, "pass");
  }
}

describe("FlakyBisect: the posterior", () => {
  it("matches hand arithmetic when the test is deterministic", () => {
    // n = 4, ends 0/3 and 3/3, commit 2 fails once. A deterministic test allows k = 1 or 2 only,
    // each with likelihood 1 and prior 0.98 / 4. "No single culprit": 4 failures, 3 passes under
    // one Jeffreys rate, B(4.5, 3.5) / B(1/2, 1/2) = Gamma(4.5) Gamma(3.5) / (Gamma(8) pi)
    // = (105/16)(15/8) / 5040 = 0.00244140625, with prior 0.02.
    const b = new FlakyBisect(4, CLEAN, { confidence: 0.95, ratePrior: DETERMINISTIC });
    b.record(2, "fail");
    const culprit = 0.98 / 4;
    const none = 0.02 * 0.00244140625;
    const z = 2 * culprit + none;
    const post = b.posterior();
    expect(post.culprit[1]).toBeCloseTo(culprit / z, 12);
    expect(post.culprit[2]).toBeCloseTo(culprit / z, 12);
    expect(post.culprit[3]).toBe(0);
    expect(post.culprit[4]).toBe(0);
    expect(post.none).toBeCloseTo(none / z, 12);
  });

  it("matches hand arithmetic for n = 1", () => {
    // Ends 0/3 and 3/3. "No single culprit": B(3.5, 3.5) / B(1/2, 1/2) = (15/8)^2 pi / (720 pi)
    // = 225/46080. Commit 1: 0.25 (deterministic) + 0.05 * flakyNew (q0 = 0, q1 flaky) + 0.7 *
    // flakyOld * flakyNew (both flaky). q0's prior is 0.85 Beta(1, 14) + 0.15 Beta(2, 5), so
    // flakyOld = 0.85 B(1, 17)/B(1, 14) + 0.15 B(2, 8)/B(2, 5), with B(1, b) = 1/b and the
    // recurrences B(a, b + 1) = B(a, b) b / (a + b) and B(a + 1, b) = B(a, b) a / (a + b), which
    // also give flakyNew = B(3.5, 0.5)/B(0.5, 0.5).
    const ratio = 0.85 * (14 / 17) + 0.15 * ((5 / 7) * (6 / 8) * (7 / 9));
    const flakyNew = (0.5 / 1) * (1.5 / 2) * (2.5 / 3); // B(3.5, 0.5) / B(0.5, 0.5)
    const culprit = 0.98 * (0.25 + 0.05 * flakyNew + 0.7 * ratio * flakyNew);
    const none = 0.02 * (225 / 46080);
    const post = new FlakyBisect(1, CLEAN, { confidence: 0.95 }).posterior();
    expect(post.culprit[1]).toBeCloseTo(culprit / (culprit + none), 12);
    expect(post.none).toBeCloseTo(none / (culprit + none), 12);
  });

  it("matches exact enumeration with numerically integrated rates on flaky data", () => {
    const counts = new Map<number, [number, number]>([
      [0, [1, 6]],
      [2, [1, 2]],
      [3, [0, 1]],
      [4, [2, 1]],
      [6, [1, 1]],
      [8, [4, 3]],
    ]);
    const b = new FlakyBisect(
      8,
      { good: { runs: 7, failures: 1 }, bad: { runs: 7, failures: 4 } },
      { confidence: 0.95 },
    );
    recordAll(b, new Map([...counts].filter(([c]) => c !== 0 && c !== 8)));
    const want = reference(8, counts);
    const got = b.posterior();
    for (let k = 1; k <= 8; k++) expect(got.culprit[k]).toBeCloseTo(want.culprit[k]!, 9);
    expect(got.none).toBeCloseTo(want.none, 9);
  });

  it("matches exact enumeration when q0's prior is a mixture of Betas", () => {
    const prior: RatePrior = {
      ...DEFAULT_RATE_PRIOR,
      old: [
        { weight: 3, a: 1, b: 14 },
        { weight: 1, a: 1, b: 2 },
      ],
    };
    const counts = new Map<number, [number, number]>([
      [0, [2, 5]],
      [3, [1, 2]],
      [5, [3, 1]],
      [8, [4, 3]],
    ]);
    const b = new FlakyBisect(
      8,
      { good: { runs: 7, failures: 2 }, bad: { runs: 7, failures: 4 } },
      { confidence: 0.95, ratePrior: prior },
    );
    recordAll(b, new Map([...counts].filter(([c]) => c !== 0 && c !== 8)));
    const want = reference(8, counts, prior);
    const got = b.posterior();
    for (let k = 1; k <= 8; k++) expect(got.culprit[k]).toBeCloseTo(want.culprit[k]!, 9);
    expect(got.none).toBeCloseTo(want.none, 9);
  });

  it("ignores cannot-run: a skipped commit is no evidence", () => {
    const b = new FlakyBisect(8, CLEAN, { confidence: 0.95 });
    b.record(4, "fail");
    const before = b.posterior();
    b.record(2, "cannot-run");
    b.record(4, "cannot-run");
    expect(b.posterior()).toEqual(before);
    expect(b.runs).toBe(3);
  });

  it("sums to 1, and does not depend on the order of the runs (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), {
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        (n, runs, goodFailures, badFailures) => {
          const ends = {
            good: { runs: 5, failures: goodFailures },
            bad: { runs: 8, failures: badFailures },
          };
          const forward = new FlakyBisect(n, ends, { confidence: 0.95 });
          const backward = new FlakyBisect(n, ends, { confidence: 0.95 });
          const at = runs.map(([where, failed]) => [Math.round(where * n), failed] as const);
          for (const [c, failed] of at) forward.record(c, failed ? "fail" : "pass");
          for (const [c, failed] of [...at].reverse()) backward.record(c, failed ? "fail" : "pass");
          const post = forward.posterior();
          const sum = post.culprit.reduce((a, x) => a + x, 0) + post.none;
          expect(sum).toBeCloseTo(1, 9);
          for (const x of post.culprit) expect(x).toBeGreaterThanOrEqual(0);
          const other = backward.posterior();
          for (const [k, x] of post.culprit.entries()) {
            expect(other.culprit[k]).toBeCloseTo(x, 12);
          }
          expect(other.none).toBeCloseTo(post.none, 12);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("FlakyBisect: where it runs next", () => {
  it("picks the commit with the most expected information (exact enumeration)", () => {
    const counts = new Map<number, [number, number]>([
      [0, [0, 5]],
      [3, [1, 1]],
      [5, [0, 2]],
      [7, [1, 0]],
      [10, [3, 2]],
    ]);
    const b = new FlakyBisect(
      10,
      { good: { runs: 5, failures: 0 }, bad: { runs: 5, failures: 3 } },
      { confidence: 0.95 },
    );
    recordAll(b, new Map([...counts].filter(([c]) => c !== 0 && c !== 10)));
    const want = reference(10, counts);
    const gains = Array.from({ length: 11 }, (_, c) => want.gain(c));
    const step = b.next();
    expect(step.kind).toBe("run");
    const index = (step as { index: number }).index;
    // Within the 1% the search may give up to halve the likeliest stretch by count.
    expect(gains[index]!).toBeGreaterThanOrEqual(0.99 * Math.max(...gains));
    const reported = Number(/teach ([0-9.]+) bits/.exec((step as { reason: string }).reason)?.[1]);
    expect(reported).toBeCloseTo(gains[index]!, 3);
  });

  it("is a binary search for a deterministic test: ceil(log2 n) runs when told it is one", () => {
    for (const n of [1, 2, 3, 7, 8, 100, 1000]) {
      const bound = Math.ceil(Math.log2(n));
      for (let culprit = 1; culprit <= n; culprit += Math.max(1, Math.floor(n / 50))) {
        const b = new FlakyBisect(n, CLEAN, { confidence: 0.95, ratePrior: DETERMINISTIC });
        const { result, steps } = drive(b, deterministic(culprit));
        expect(result).toMatchObject({ kind: "culprit", index: culprit });
        expect(steps.length).toBeLessThanOrEqual(bound);
      }
    }
  });

  it("reaches a deterministic culprit in ceil(log2 n) runs plus at most 3 that confirm it", () => {
    // With the default prior a test that has failed 3/3 might still be flaky: the search halves
    // the history (ceil(log2 n) runs), then reruns the culprit or its parent once or twice.
    // A 100-commit history takes at most 10 runs (issue 13's criterion).
    for (const n of [2, 16, 100]) {
      const counts: number[] = [];
      for (let culprit = 1; culprit <= n; culprit++) {
        const b = new FlakyBisect(n, CLEAN, { confidence: 0.95 });
        const { result, steps } = drive(b, deterministic(culprit));
        expect(result).toMatchObject({ kind: "culprit", index: culprit });
        expect(steps.slice(0, Math.ceil(Math.log2(n))).every((s) => !/confirm/.test(s.reason)));
        counts.push(steps.length);
      }
      expect(Math.max(...counts)).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 3);
      if (n === 100) expect(Math.max(...counts)).toBeLessThanOrEqual(10);
    }
  });

  it("can run at the posterior median instead (Horstein's rule)", () => {
    const b = new FlakyBisect(64, CLEAN, { confidence: 0.95, strategy: "median" });
    const { result, steps } = drive(b, deterministic(23));
    expect(result).toMatchObject({ kind: "culprit", index: 23 });
    expect(steps[0]).toMatchObject({ index: 32 });
    expect(steps[0]!.reason).toMatch(/median/);
  });

  it("names commit 1 of n = 1 at once when the ends are clean", () => {
    const b = new FlakyBisect(1, CLEAN, { confidence: 0.95 });
    const step = b.next();
    expect(step).toMatchObject({ kind: "done", result: { kind: "culprit", index: 1 } });
    expect((step as { result: { probability: number } }).result.probability).toBeGreaterThan(0.99);
  });

  it("for n = 1 with flaky ends, reruns the ends until it can tell", () => {
    const random = mulberry32(7);
    const b = new FlakyBisect(
      1,
      { good: { runs: 3, failures: 0 }, bad: { runs: 3, failures: 1 } },
      { confidence: 0.95 },
    );
    const { result, steps } = drive(b, (i) => (random() < (i === 1 ? 0.5 : 0) ? "fail" : "pass"));
    expect(result).toMatchObject({ kind: "culprit", index: 1 });
    expect(steps.every((s) => s.index === 0 || s.index === 1)).toBe(true);
  });
});

describe("FlakyBisect: skipped commits", () => {
  const skipping =
    (culprit: number, skipped: number[]) =>
    (i: number): CommitOutcome =>
      skipped.includes(i) ? "cannot-run" : i >= culprit ? "fail" : "pass";

  it("answers a range when the culprit sits among skipped commits", () => {
    const b = new FlakyBisect(16, CLEAN, { confidence: 0.95 });
    const { result, steps } = drive(b, skipping(9, [8, 9]));
    // 7 passes, 8 and 9 cannot run, 10 fails: the culprit is one of 8, 9, 10.
    expect(result).toMatchObject({ kind: "range", from: 8, to: 10 });
    expect((result as { probability: number }).probability).toBeGreaterThanOrEqual(0.95);
    // A skipped commit is never asked for twice.
    const asked = steps.map((s) => s.index);
    expect(asked.filter((i) => i === 8).length).toBeLessThanOrEqual(1);
    expect(asked.filter((i) => i === 9).length).toBeLessThanOrEqual(1);
  });

  it("answers a range when the culprit's parent cannot run", () => {
    const b = new FlakyBisect(16, CLEAN, { confidence: 0.95 });
    expect(drive(b, skipping(9, [8])).result).toMatchObject({ kind: "range", from: 8, to: 9 });
  });

  it("still names the culprit when the skipped commits are elsewhere", () => {
    const b = new FlakyBisect(16, CLEAN, { confidence: 0.95 });
    expect(drive(b, skipping(9, [4, 8 + 4, 13])).result).toMatchObject({
      kind: "culprit",
      index: 9,
    });
  });

  it("answers the whole history when nothing between the ends can run", () => {
    const b = new FlakyBisect(5, CLEAN, { confidence: 0.95 });
    const { result } = drive(b, (i) => (i === 0 ? "pass" : i === 5 ? "fail" : "cannot-run"));
    expect(result).toMatchObject({ kind: "range", from: 1, to: 5 });
  });
});

describe("FlakyBisect: no single culprit, budget, confirmation", () => {
  it("answers 'no single culprit' when the good end fails every time, like the bad end", () => {
    const always = { runs: 20, failures: 20 };
    const b = new FlakyBisect(16, { good: always, bad: always }, { confidence: 0.95 });
    const step = b.next();
    expect(step).toMatchObject({ kind: "done", result: { kind: "no-culprit" } });
    expect((step as { result: { probability: number } }).result.probability).toBeGreaterThan(0.95);
  });

  it("starts from 'no single culprit' and names no commit when every commit fails half the time", () => {
    // A culprit that raises 0.5 to 0.5 fits the runs as well as no culprit does, so the
    // evidence against it grows only as fast as the second rate's Occam factor (about the square
    // root of the runs): the budget runs out first, and the answer is "undecided".
    const even = { runs: 20, failures: 10 };
    const b = new FlakyBisect(16, { good: even, bad: even }, { confidence: 0.95 });
    const before = b.posterior();
    expect(before.none).toBeGreaterThan(Math.max(...before.culprit));
    const random = mulberry32(11);
    const { result } = drive(b, () => (random() < 0.5 ? "fail" : "pass"));
    expect(result.kind).toBe("undecided");
  });

  it("names no commit when every commit fails 10% of the time", () => {
    // The same at a rate that q0's prior finds likely.
    const rare = { runs: 20, failures: 2 };
    const b = new FlakyBisect(16, { good: rare, bad: rare }, { confidence: 0.95 });
    const random = mulberry32(11);
    const { result } = drive(b, () => (random() < 0.1 ? "fail" : "pass"));
    expect(result.kind).toBe("undecided");
  });

  it("is undecided with the best range when the budget is spent", () => {
    const random = mulberry32(3);
    const b = new FlakyBisect(
      64,
      { good: { runs: 20, failures: 1 }, bad: { runs: 20, failures: 6 } },
      { confidence: 0.95, maxRuns: 12 },
    );
    const { result } = drive(b, (i) => (random() < (i >= 40 ? 0.3 : 0.05) ? "fail" : "pass"));
    expect(result.kind).toBe("undecided");
    expect(b.runs).toBe(12);
    const best = (result as Extract<BisectResult, { kind: "undecided" }>).best;
    expect(best.from).toBeGreaterThanOrEqual(1);
    expect(best.to).toBeLessThanOrEqual(64);
    expect(best.from).toBeLessThanOrEqual(best.to);
    const post = b.posterior();
    const mass = post.culprit.slice(best.from, best.to + 1).reduce((a, x) => a + x, 0);
    expect(best.probability).toBeCloseTo(mass, 9);
    // It is the shortest range that holds 0.95 of the culprit's probability: one shorter misses.
    const target = 0.95 * (1 - post.none);
    if (best.to - best.from + 1 < 64) expect(mass).toBeGreaterThanOrEqual(target - 1e-12);
    for (let from = 1; from + (best.to - best.from) - 1 <= 64; from++) {
      const to = from + (best.to - best.from) - 1;
      const shorter = post.culprit.slice(from, to + 1).reduce((a, x) => a + x, 0);
      expect(shorter).toBeLessThan(target);
    }
  });

  it("has a default budget of 64 runs per halving", () => {
    expect(defaultMaxRuns(1)).toBe(64);
    expect(defaultMaxRuns(1024)).toBe(704);
  });

  it("confirms before naming: the parent must have passed", () => {
    // The good end was never run: commit 1 holds the posterior, but nothing has passed yet.
    const b = new FlakyBisect(
      1,
      { good: { runs: 0, failures: 0 }, bad: { runs: 3, failures: 3 } },
      { confidence: 0.95 },
    );
    expect(b.posterior().culprit[1]).toBeGreaterThan(0.95);
    const step = b.next();
    expect(step).toMatchObject({ kind: "run", index: 0 });
    expect((step as { reason: string }).reason).toMatch(/^confirm/);
    b.record(0, "pass");
    expect(b.next()).toMatchObject({ kind: "done", result: { kind: "culprit", index: 1 } });
  });

  it("refuses what it cannot mean", () => {
    const options = { confidence: 0.95 };
    expect(() => new FlakyBisect(0, CLEAN, options)).toThrow(RangeError);
    expect(() => new FlakyBisect(2.5, CLEAN, options)).toThrow(RangeError);
    expect(() => new FlakyBisect(4, { ...CLEAN, bad: { runs: 2, failures: 3 } }, options)).toThrow(
      RangeError,
    );
    expect(() => new FlakyBisect(4, CLEAN, { confidence: 1 })).toThrow(RangeError);
    expect(() => new FlakyBisect(4, CLEAN, { ...options, priorNoCulprit: 1 })).toThrow(RangeError);
    expect(
      () => new FlakyBisect(4, CLEAN, { ...options, ratePrior: DETERMINISTIC, priorNoCulprit: 0 }),
    ).toThrow(RangeError);
    expect(() => new FlakyBisect(4, CLEAN, { ...options, maxRuns: -1 })).toThrow(RangeError);
    expect(
      () =>
        new FlakyBisect(4, CLEAN, {
          ...options,
          ratePrior: { ...DEFAULT_RATE_PRIOR, old: { a: 0, b: 5 } },
        }),
    ).toThrow(RangeError);
    expect(
      () =>
        new FlakyBisect(4, CLEAN, {
          ...options,
          ratePrior: { ...DEFAULT_RATE_PRIOR, old: [{ weight: 0, a: 1, b: 14 }] },
        }),
    ).toThrow(RangeError);
    expect(
      () =>
        new FlakyBisect(4, CLEAN, {
          ...options,
          ratePrior: {
            ...DEFAULT_RATE_PRIOR,
            old: [{ weight: Number.POSITIVE_INFINITY, a: 1, b: 14 }],
          },
        }),
    ).toThrow(RangeError);
    const b = new FlakyBisect(4, CLEAN, options);
    expect(() => b.record(5, "pass")).toThrow(RangeError);
    expect(() => b.record(-1, "fail")).toThrow(RangeError);
    expect(() => b.record(1.5, "fail")).toThrow(RangeError);
  });
});

/** The driver's end checks, as bench/bisect.ts simulates them: reproduce first, then decide(). */
function checkEnds(fails: (i: number) => boolean, n: number): EndCounts {
  const bad: SideCounts = { runs: 0, failures: 0, cannotRun: 0 };
  let good: SideCounts | null = null;
  const run = (side: SideCounts, commit: number) => {
    side.runs++;
    if (fails(commit)) side.failures++;
  };
  for (;;) {
    const d = decide(bad, good, defaultCompareOptions);
    if (d.kind === "verdict") {
      if (d.verdict !== "not-reproduced" || bad.runs >= defaultCompareOptions.maxRuns) break;
      run(bad, n);
    } else if (d.side === "current") run(bad, n);
    else {
      good ??= { runs: 0, failures: 0, cannotRun: 0 };
      run(good, 0);
    }
  }
  const g = good ?? { runs: 0, failures: 0 };
  return {
    good: { runs: g.runs, failures: g.failures },
    bad: { runs: bad.runs, failures: bad.failures },
  };
}

describe("FlakyBisect: seeded simulations", () => {
  it("finds a culprit failing 30% of the time in a 64-commit history in >= 9 of 10 seeds", () => {
    let right = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const random = mulberry32(seed);
      const culprit = 1 + Math.floor(random() * 64);
      const fails = (i: number) => random() < (i >= culprit ? 0.3 : 0);
      const b = new FlakyBisect(64, checkEnds(fails, 64), { confidence: 0.95 });
      const { result } = drive(b, (i) => (fails(i) ? "fail" : "pass"));
      if (result.kind === "culprit" && result.index === culprit) right++;
    }
    console.log(`64 commits, fails 30% from the culprit on: right in ${right} of 10 seeds`);
    expect(right).toBeGreaterThanOrEqual(9);
  });

  it("finds a culprit failing 70% of the time over a 5% flake in >= 9 of 10 seeds", () => {
    let right = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const random = mulberry32(100 + seed);
      const culprit = 1 + Math.floor(random() * 64);
      const fails = (i: number) => random() < (i >= culprit ? 0.7 : 0.05);
      const b = new FlakyBisect(64, checkEnds(fails, 64), { confidence: 0.95 });
      const { result } = drive(b, (i) => (fails(i) ? "fail" : "pass"));
      if (result.kind === "culprit" && result.index === culprit) right++;
    }
    expect(right).toBeGreaterThanOrEqual(9);
  });

  it("stays linear in n: a 10 000-commit history finishes (no timing asserted)", () => {
    const n = 10_000;
    const b = new FlakyBisect(n, CLEAN, { confidence: 0.95 });
    const { result, steps } = drive(b, deterministic(7_777));
    expect(result).toMatchObject({ kind: "culprit", index: 7_777 });
    expect(steps.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 3);

    const random = mulberry32(5);
    const flaky = new FlakyBisect(
      n,
      { good: { runs: 20, failures: 0 }, bad: { runs: 20, failures: 14 } },
      { confidence: 0.95 },
    );
    const answer = drive(flaky, (i) => (random() < (i >= 1234 ? 0.7 : 0) ? "fail" : "pass"));
    expect(answer.result.kind).toBe("culprit");
  });
});
