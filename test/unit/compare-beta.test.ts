import { describe, expect, it } from "vitest";
import { logGamma, probGreater, regIncBeta } from "../../src/compare/beta.js";

// Reference values: test/unit/reference/boschloo-reference.py, run with SciPy 1.17.1.
// scipy.special.gammaln(x)
const GAMMALN: [number, number][] = [
  [0.5, 0.5723649429247],
  [1.0, 0.0],
  [1.5, -0.12078223763524526],
  [3.5, 1.2009736023470743],
  [10.0, 12.801827480081469],
  [20.5, 40.8315009745308],
  [121.0, 457.8123879812782],
];

// scipy.special.betainc(a, b, x)
const BETAINC: [number, number, number, number][] = [
  [0.5, 0.5, 0.1, 0.20483276469913345],
  [0.5, 3.5, 0.3, 0.8731296330763295],
  [3.5, 0.5, 0.999, 0.9356322688440224],
  [10.5, 10.5, 0.5, 0.4999999999999997],
  [2.5, 17.5, 0.05, 0.13326155488075958],
  [20.5, 0.5, 0.9, 0.03883916980569265],
  [60.5, 40.5, 0.62, 0.6622527210209682],
];

// P(p_c > p_b + margin), p_c ~ Beta(fc + 1/2, nc - fc + 1/2), p_b ~ Beta(fb + 1/2, nb - fb + 1/2):
// scipy.integrate.quad(lambda y: beta_b.pdf(y) * beta_c.sf(y + margin), max(0, -margin),
// min(1, 1 - margin)) + beta_b.cdf(max(0, -margin)), with scipy.stats.beta.
const POSTERIOR: [number, number, number, number, number, number][] = [
  [3, 3, 0, 3, 0.0, 0.9957082620154943],
  [3, 3, 0, 3, 0.1, 0.9905492598528886],
  [2, 3, 0, 3, 0.0, 0.9611239646655741],
  [3, 3, 3, 3, 0.0, 0.4999999999999999],
  [3, 3, 3, 3, 0.1, 0.24951232107176058],
  [3, 3, 3, 3, 0.4, 0.038358939210358094],
  [1, 3, 1, 3, 0.4, 0.10165348062800872],
  [1, 3, 0, 3, 0.1, 0.7131105726296332],
  [0, 3, 3, 3, -0.2, 0.020061511696278303],
  [5, 20, 3, 20, 0.1, 0.4827624030713624],
  [10, 20, 4, 20, 0.1, 0.9073014513869837],
  [10, 20, 10, 20, 0.4, 0.003273299032604416],
  [20, 20, 0, 20, 0.1, 0.9999999999938364],
  [1, 20, 0, 20, 0.0, 0.8223133122971513],
  [16, 20, 16, 20, 0.4, 0.0007783668651376462],
  [7, 9, 2, 14, 0.25, 0.9694576150149693],
  [0, 0, 0, 0, 0.0, 0.4999999999999981],
  [40, 60, 25, 60, 0.1, 0.9510960498427788],
  [4, 5, 0, 4, 0.0, 0.9947335830814296],
  [4, 5, 0, 5, 0.0, 0.9971236003910048],
  [2, 3, 3, 3, 0.35, 0.014854309630650696],
  [9, 20, 6, 20, 0.35, 0.07517620357282487],
];

describe("logGamma", () => {
  it.each(GAMMALN)("gammaln(%s) = %s", (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
  });
});

describe("regIncBeta", () => {
  it.each(BETAINC)("I_x(%s, %s) at x = %s is %s", (a, b, x, expected) => {
    expect(Math.abs(regIncBeta(x, a, b) - expected)).toBeLessThan(1e-12);
  });

  it("is 0 at 0 and 1 at 1", () => {
    expect(regIncBeta(0, 0.5, 0.5)).toBe(0);
    expect(regIncBeta(1, 0.5, 0.5)).toBe(1);
  });
});

describe("probGreater", () => {
  it.each(POSTERIOR)("%s/%s vs %s/%s, margin %s: %s", (fc, nc, fb, nb, margin, expected) => {
    expect(Math.abs(probGreater(fc, nc, fb, nb, margin) - expected)).toBeLessThan(1e-9);
  });

  it("is complementary when the sides swap, at margin 0", () => {
    for (const [fc, nc, fb, nb] of [
      [3, 3, 0, 3],
      [2, 7, 5, 11],
      [0, 20, 20, 20],
    ] as const) {
      expect(probGreater(fc, nc, fb, nb, 0) + probGreater(fb, nb, fc, nc, 0)).toBeCloseTo(1, 12);
    }
  });

  it("is 0 for a margin of 1 or more and 1 for a margin of -1 or less", () => {
    expect(probGreater(3, 3, 0, 3, 1)).toBe(0);
    expect(probGreater(0, 3, 3, 3, -1)).toBe(1);
  });
});
