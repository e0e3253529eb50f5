import { describe, expect, it } from "vitest";
import { boschlooPValue } from "../../src/compare/boschloo.js";

// Reference values: test/unit/reference/boschloo-reference.py, run with SciPy 1.17.1:
// scipy.stats.boschloo_exact([[fc, fb], [nc - fc, nb - fb]], alternative="greater").pvalue
// SciPy's columns are the samples and row 0 counts failures, so "greater" is
// H1: p_current > p_baseline, "your tree fails more often". Rows: [fc, nc, fb, nb, p].
const SCIPY: [number, number, number, number, number][] = [
  [3, 3, 0, 3, 0.015625000000000007],
  [2, 3, 0, 3, 0.10937499999999996],
  [3, 3, 1, 3, 0.10937499999999996],
  [3, 3, 3, 3, 1.0],
  [0, 3, 3, 3, 1.0],
  [1, 1, 0, 1, 0.25],
  [1, 3, 0, 3, 0.3437499999999999],
  [3, 6, 0, 3, 0.12312138905180707],
  [4, 5, 0, 4, 0.01203085905984564],
  [5, 10, 1, 10, 0.03115480767588737],
  [4, 7, 1, 12, 0.02008661550429292],
  [7, 20, 2, 20, 0.04037347250232418],
  [10, 20, 4, 20, 0.026629023279088126],
  [10, 20, 10, 20, 0.4683600573243898],
  [20, 20, 0, 20, 9.094947017729315e-13],
  [17, 20, 15, 20, 0.24295641791668993],
  [6, 20, 0, 20, 0.004870717680993275],
  [3, 20, 0, 3, 0.4192537234939523],
  [12, 40, 5, 60, 0.0034857264185198375],
  [30, 60, 20, 60, 0.03471527665762331],
  [45, 60, 30, 60, 0.002443035244008915],
  [8, 60, 1, 60, 0.01104185137729808],
  [4, 5, 0, 5, 0.010742187500000002],
  [2, 3, 3, 3, 1.0],
];

describe("boschlooPValue", () => {
  it.each(SCIPY)("%s/%s vs %s/%s: p = %s", (fc, nc, fb, nb, expected) => {
    expect(Math.abs(boschlooPValue(fc, nc, fb, nb) - expected)).toBeLessThan(1e-9);
  });

  it("is max over pi of pi^3 (1 - pi)^3 = 1/64 for 3/3 vs 0/3", () => {
    expect(boschlooPValue(3, 3, 0, 3)).toBeCloseTo(1 / 64, 14);
  });

  it("is one-sided: a baseline that fails more gives no evidence", () => {
    expect(boschlooPValue(0, 3, 3, 3)).toBe(1);
    expect(boschlooPValue(0, 20, 20, 20)).toBe(1);
  });

  it("is 1 when a side has no runs", () => {
    expect(boschlooPValue(0, 0, 0, 3)).toBe(1);
    expect(boschlooPValue(3, 3, 0, 0)).toBe(1);
  });
});
