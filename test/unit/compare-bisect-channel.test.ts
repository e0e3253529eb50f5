import { describe, expect, it } from "vitest";
import { binaryEntropy, channelCapacity, searchBound } from "../../src/compare/channel.js";

// Capacity of the binary asymmetric channel (fail with q0 on an old commit, q1 on a new one),
// maximized numerically with SciPy 1.17.1:
//   f = lambda u: -(h(q0 + u*(q1 - q0)) - (1 - u)*h(q0) - u*h(q1))
//   scipy.optimize.minimize_scalar(f, bounds=(0, 1), method="bounded", options={"xatol": 1e-12})
// Rows: [q0, q1, capacity in bits, maximizing P(new)].
const SCIPY: [number, number, number, number][] = [
  [0, 1, 1.0, 0.5],
  [0.05, 1, 0.8571250116347241, 0.5284753541827569],
  [0, 0.7, 0.5036919334848173, 0.42100060722338767],
  [0.05, 0.7, 0.3731432406461056, 0.4561805061123202],
  [0, 0.3, 0.17698892466168642, 0.38484257191549753],
  [0.05, 0.3, 0.08616684031105898, 0.4447622741269522],
  [0.1, 0.2, 0.014410118895622881, 0.47644730525073403],
  [0.2, 0.9, 0.3977543465685294, 0.517555461883067],
];

/** The mutual information for input distribution P(new) = u, written out again. */
function information(q0: number, q1: number, u: number): number {
  const h = (p: number) =>
    p <= 0 || p >= 1 ? 0 : -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
  return h(q0 + u * (q1 - q0)) - (1 - u) * h(q0) - u * h(q1);
}

describe("binaryEntropy", () => {
  it.each([
    [0, 0],
    [1, 0],
    [0.5, 1],
    // h(1/4) = 2 - (3/4) log2 3; h(0.11) from Python: -(p*log2(p) + (1-p)*log2(1-p)).
    [0.11, 0.499915958164528],
    [0.25, 2 - 0.75 * Math.log2(3)],
  ])("h(%s) = %s", (p, expected) => {
    expect(binaryEntropy(p)).toBeCloseTo(expected, 9);
  });
});

describe("channelCapacity", () => {
  it.each(SCIPY)("q0 %s, q1 %s: %s bits (SciPy)", (q0, q1, bits, input) => {
    const c = channelCapacity(q0, q1);
    expect(c.bits).toBeCloseTo(bits, 9);
    expect(c.input).toBeCloseTo(input, 6);
  });

  // The binary symmetric channel with crossover p: C = 1 - h(p) (Cover & Thomas, eq. 7.13).
  it.each([0.01, 0.05, 0.1, 0.2, 0.4])("symmetric crossover %s: 1 - h(p)", (p) => {
    expect(channelCapacity(p, 1 - p).bits).toBeCloseTo(1 - binaryEntropy(p), 12);
  });

  // The Z-channel, where a new commit passes with probability p and an old one never fails:
  // C = log2(1 + (1 - p) p^(p / (1 - p))) (S. W. Golomb, "The limiting behavior of the
  // Z-channel", IEEE Trans. IT-26, 1980).
  it.each([0.05, 0.3, 0.5, 0.7, 0.95])(
    "Z-channel passing %s of new runs: Golomb's formula",
    (p) => {
      const z = Math.log2(1 + (1 - p) * p ** (p / (1 - p)));
      expect(channelCapacity(0, 1 - p).bits).toBeCloseTo(z, 12);
      // Which side fails is a relabelling: the same capacity.
      expect(channelCapacity(p, 1).bits).toBeCloseTo(z, 12);
    },
  );

  it("is the maximum of the mutual information over a fine grid of inputs (brute force)", () => {
    for (const q0 of [0, 0.02, 0.05, 0.1, 0.3, 0.6]) {
      for (const q1 of [0.1, 0.3, 0.5, 0.7, 0.95, 1]) {
        if (q1 === q0) continue;
        let best = 0;
        for (let i = 0; i <= 100_000; i++) best = Math.max(best, information(q0, q1, i / 100_000));
        const c = channelCapacity(q0, q1);
        expect(c.bits).toBeGreaterThanOrEqual(best - 1e-12);
        expect(c.bits).toBeLessThan(best + 1e-8);
        expect(information(q0, q1, c.input)).toBeCloseTo(c.bits, 12);
      }
    }
  });

  it("is 0 when both sides fail alike, and symmetric in the two sides", () => {
    expect(channelCapacity(0.3, 0.3).bits).toBe(0);
    expect(channelCapacity(0.7, 0.05).bits).toBeCloseTo(channelCapacity(0.05, 0.7).bits, 12);
    expect(channelCapacity(0.95, 0.3).bits).toBeCloseTo(channelCapacity(0.05, 0.7).bits, 12);
  });

  it("rejects rates outside [0, 1]", () => {
    expect(() => channelCapacity(-0.1, 0.5)).toThrow(RangeError);
    expect(() => channelCapacity(0.1, Number.NaN)).toThrow(RangeError);
  });
});

describe("searchBound", () => {
  it("is log2(n) runs for a deterministic test and log2(n) / C otherwise", () => {
    expect(searchBound(1024, 0, 1)).toBeCloseTo(10, 12);
    expect(searchBound(1024, 0.05, 0.3)).toBeCloseTo(10 / 0.08616684031105898, 6);
    expect(searchBound(1024, 0.3, 0.3)).toBe(Number.POSITIVE_INFINITY);
  });
});
