"""Reference values for test/unit/compare-boschloo.test.ts and compare-beta.test.ts.

Run: python3 test/unit/reference/boschloo-reference.py
Prints TypeScript table rows: [fc, nc, fb, nb, value] (and a margin for the posterior).

Boschloo: scipy.stats.boschloo_exact([[fc, fb], [nc - fc, nb - fb]], alternative="greater").
SciPy's columns are the two samples and row 0 counts failures, so "greater" is
H1: p_current > p_baseline (current fails more).

Incomplete beta and log-gamma: scipy.special.betainc(a, b, x) and scipy.special.gammaln(x).

Posterior: P(p_c > p_b + margin) with p_c ~ Beta(fc + 1/2, nc - fc + 1/2) and
p_b ~ Beta(fb + 1/2, nb - fb + 1/2), by scipy.integrate.quad over scipy.stats.beta.
"""

import scipy
from scipy import integrate, special, stats
from scipy.stats import boschloo_exact

BOSCHLOO_CASES = [
    (3, 3, 0, 3),
    (2, 3, 0, 3),
    (3, 3, 1, 3),
    (3, 3, 3, 3),
    (0, 3, 3, 3),
    (1, 1, 0, 1),
    (1, 3, 0, 3),
    (3, 6, 0, 3),
    (4, 5, 0, 4),
    (5, 10, 1, 10),
    (4, 7, 1, 12),
    (7, 20, 2, 20),
    (10, 20, 4, 20),
    (10, 20, 10, 20),
    (20, 20, 0, 20),
    (17, 20, 15, 20),
    (6, 20, 0, 20),
    (3, 20, 0, 3),
    (12, 40, 5, 60),
    (30, 60, 20, 60),
    (45, 60, 30, 60),
    (8, 60, 1, 60),
    (4, 5, 0, 5),
    (2, 3, 3, 3),
]

POSTERIOR_CASES = [
    (3, 3, 0, 3, 0.0),
    (3, 3, 0, 3, 0.1),
    (2, 3, 0, 3, 0.0),
    (3, 3, 3, 3, 0.0),
    (3, 3, 3, 3, 0.1),
    (3, 3, 3, 3, 0.4),
    (1, 3, 1, 3, 0.4),
    (1, 3, 0, 3, 0.1),
    (0, 3, 3, 3, -0.2),
    (5, 20, 3, 20, 0.1),
    (10, 20, 4, 20, 0.1),
    (10, 20, 10, 20, 0.4),
    (20, 20, 0, 20, 0.1),
    (1, 20, 0, 20, 0.0),
    (16, 20, 16, 20, 0.4),
    (7, 9, 2, 14, 0.25),
    (0, 0, 0, 0, 0.0),
    (40, 60, 25, 60, 0.1),
    (4, 5, 0, 4, 0.0),
    (4, 5, 0, 5, 0.0),
    (2, 3, 3, 3, 0.35),
    (9, 20, 6, 20, 0.35),
]

BETAINC_CASES = [
    (0.5, 0.5, 0.1),
    (0.5, 3.5, 0.3),
    (3.5, 0.5, 0.999),
    (10.5, 10.5, 0.5),
    (2.5, 17.5, 0.05),
    (20.5, 0.5, 0.9),
    (60.5, 40.5, 0.62),
]

GAMMALN_CASES = [0.5, 1.0, 1.5, 3.5, 10.0, 20.5, 121.0]


def posterior(fc, nc, fb, nb, margin):
    current = stats.beta(fc + 0.5, nc - fc + 0.5)
    baseline = stats.beta(fb + 0.5, nb - fb + 0.5)
    lo, hi = max(0.0, -margin), min(1.0, 1.0 - margin)
    inside, _ = integrate.quad(
        lambda y: baseline.pdf(y) * current.sf(y + margin),
        lo, hi, epsabs=1e-14, epsrel=1e-13, limit=500,
    )
    return baseline.cdf(lo) + inside


print(f"// SciPy {scipy.__version__}")
print("// boschloo_exact([[fc, fb], [nc - fc, nb - fb]], alternative=\"greater\").pvalue")
for fc, nc, fb, nb in BOSCHLOO_CASES:
    p = boschloo_exact([[fc, fb], [nc - fc, nb - fb]], alternative="greater").pvalue
    print(f"  [{fc}, {nc}, {fb}, {nb}, {float(p)!r}],")
print("// betainc(a, b, x)")
for a, b, x in BETAINC_CASES:
    print(f"  [{a}, {b}, {x}, {float(special.betainc(a, b, x))!r}],")
print("// gammaln(x)")
for x in GAMMALN_CASES:
    print(f"  [{x}, {float(special.gammaln(x))!r}],")
print("// quad(beta_b.pdf(y) * beta_c.sf(y + margin)) + beta_b.cdf(max(0, -margin))")
for fc, nc, fb, nb, margin in POSTERIOR_CASES:
    print(f"  [{fc}, {nc}, {fb}, {nb}, {margin}, {float(posterior(fc, nc, fb, nb, margin))!r}],")
