import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { probGreater } from "../../src/compare/beta.js";
import { decide } from "../../src/compare/decide.js";
import { memoizedDecide, simulate } from "../../src/compare/loop.js";
import type { CompareOptions, SideCounts } from "../../src/compare/types.js";

const TOLERANCE = 1e-12;

/** Counts with failures <= runs, runs up to `max`. */
const counts = (max: number) =>
  fc
    .record({ runs: fc.integer({ min: 0, max }), cannotRun: fc.integer({ min: 0, max: 3 }) })
    .chain(({ runs, cannotRun }) =>
      fc
        .integer({ min: 0, max: runs })
        .map((failures): SideCounts => ({ runs, failures, cannotRun })),
    );

const options = fc.record({
  confidence: fc.constantFrom(0.8, 0.9, 0.95, 0.99),
  margin: fc.constantFrom(0, 0.05, 0.1, 0.2),
  runs: fc.integer({ min: 1, max: 5 }),
  maxRuns: fc.integer({ min: 1, max: 25 }),
});

const posteriorOf = (current: SideCounts, baseline: SideCounts, o: CompareOptions) =>
  decide(current, baseline, o).stats.posterior;

describe("comparator invariants", () => {
  it("more failures on the current side never lower the posterior", () => {
    fc.assert(
      fc.property(
        counts(30).filter((c) => c.runs > c.failures),
        counts(30).filter((b) => b.runs > 0),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        (current, baseline, margin) => {
          const { failures: f, runs: n } = current;
          const before = probGreater(f, n, baseline.failures, baseline.runs, margin);
          // A pass turned into a failure, and one more failing run.
          expect(
            probGreater(f + 1, n, baseline.failures, baseline.runs, margin),
          ).toBeGreaterThanOrEqual(before - TOLERANCE);
          expect(
            probGreater(f + 1, n + 1, baseline.failures, baseline.runs, margin),
          ).toBeGreaterThanOrEqual(before - TOLERANCE);
        },
      ),
    );
  });

  it("more failures on the baseline side never raise the posterior", () => {
    fc.assert(
      fc.property(
        counts(20).filter((c) => c.runs > 0),
        counts(20).filter((b) => b.runs > b.failures),
        options,
        (current, baseline, o) => {
          const before = posteriorOf(current, baseline, o)!;
          const flipped = { ...baseline, failures: baseline.failures + 1 };
          const added = { ...baseline, failures: baseline.failures + 1, runs: baseline.runs + 1 };
          expect(posteriorOf(current, flipped, o)!).toBeLessThanOrEqual(before + TOLERANCE);
          expect(posteriorOf(current, added, o)!).toBeLessThanOrEqual(before + TOLERANCE);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the reported posterior never drops when the current side fails more", () => {
    fc.assert(
      fc.property(
        counts(20).filter((c) => c.runs > c.failures),
        counts(20).filter((b) => b.runs > 0),
        options,
        (current, baseline, o) => {
          const more = { ...current, failures: current.failures + 1 };
          expect(posteriorOf(current, baseline, o)!).toBeLessThanOrEqual(
            posteriorOf(more, baseline, o)! + TOLERANCE,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a next action never asks for a run beyond --max-runs", () => {
    fc.assert(
      fc.property(
        counts(25),
        fc.option(counts(25), { nil: null }),
        options,
        (current, baseline, o) => {
          const d = decide(current, baseline, o);
          if (d.kind !== "next") return;
          const side =
            d.side === "current" ? current : (baseline ?? { runs: 0, failures: 0, cannotRun: 0 });
          expect(side.runs + side.cannotRun).toBeLessThan(o.maxRuns);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a whole attribution stays within --max-runs a side and ends in a verdict", () => {
    const decider = memoizedDecide();
    fc.assert(
      fc.property(
        options.map((o) => ({ ...o, maxRuns: Math.min(o.maxRuns, 8) })),
        fc.array(
          fc.constantFrom("pass", "fail", "fail", "cannot-run") as fc.Arbitrary<
            "pass" | "fail" | "cannot-run"
          >,
          { minLength: 8, maxLength: 8 },
        ),
        fc.array(
          fc.constantFrom("pass", "pass", "fail", "cannot-run") as fc.Arbitrary<
            "pass" | "fail" | "cannot-run"
          >,
          { minLength: 8, maxLength: 8 },
        ),
        (o, currentRuns, baselineRuns) => {
          const run = simulate(
            (s, i) => (s === "current" ? currentRuns : baselineRuns)[i]!,
            o,
            decider,
          );
          expect(run.current.runs + run.current.cannotRun).toBeLessThanOrEqual(o.maxRuns);
          const b = run.baseline;
          if (b) expect(b.runs + b.cannotRun).toBeLessThanOrEqual(o.maxRuns);
          expect(run.decision.kind).toBe("verdict");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the decision is a pure function of the counts and options", () => {
    fc.assert(
      fc.property(
        counts(25),
        fc.option(counts(25), { nil: null }),
        options,
        (current, baseline, o) => {
          const frozen = [current, baseline, o].map((x) => (x ? Object.freeze({ ...x }) : x)) as [
            SideCounts,
            SideCounts | null,
            CompareOptions,
          ];
          const first = decide(...frozen);
          const second = decide(structuredClone(current), structuredClone(baseline), { ...o });
          expect(second).toEqual(first);
          expect(frozen).toEqual([current, baseline, o]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
