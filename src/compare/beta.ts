const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** Natural logarithm of the gamma function, for x > 0 (Lanczos, ~1e-15 relative). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Natural logarithm of the beta function B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

function continuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b) = P(X <= x) for X ~ Beta(a, b). */
export function regIncBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * continuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * continuedFraction(1 - x, b, a)) / b;
}

function gaussLegendre(order: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= order; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (order + 0.5));
    let derivative = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= order; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (order * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * derivative * derivative));
  }
  return { nodes, weights };
}

const RULE = gaussLegendre(20);
const PANELS = 12;

/** P(p_current > p_baseline + margin), each rate Beta(f + 1/2, n - f + 1/2) (Jeffreys prior). */
export function probGreater(fc: number, nc: number, fb: number, nb: number, margin = 0): number {
  if (margin >= 1) return 0;
  if (margin <= -1) return 1;
  const ac = fc + 0.5;
  const bc = nc - fc + 0.5;
  const ab = fb + 0.5;
  const bb = nb - fb + 0.5;
  // Integrate over the baseline rate y in [lo, hi] with y = lo + width * sin^2(t): the
  // substitution absorbs the y^(-1/2) and (1-y)^(-1/2) ends of the Jeffreys densities.
  const lo = Math.max(0, -margin);
  const hi = Math.min(1, 1 - margin);
  const width = hi - lo;
  const logNorm = -logBeta(ab, bb);
  let sum = 0;
  const panel = Math.PI / 2 / PANELS;
  for (let k = 0; k < PANELS; k++) {
    const mid = (k + 0.5) * panel;
    for (let i = 0; i < RULE.nodes.length; i++) {
      const t = mid + (RULE.nodes[i]! * panel) / 2;
      const s = Math.sin(t);
      const c = Math.cos(t);
      const y = lo + width * s * s;
      const oneMinusY = 1 - hi + width * c * c;
      const x = Math.max(margin, 0) + width * s * s;
      const oneMinusX = Math.max(-margin, 0) + width * c * c;
      const density = Math.exp(logNorm + (ab - 1) * Math.log(y) + (bb - 1) * Math.log(oneMinusY));
      const survival = x <= 0 ? 1 : oneMinusX <= 0 ? 0 : regIncBeta(oneMinusX, bc, ac);
      sum += RULE.weights[i]! * density * survival * 2 * width * s * c;
    }
  }
  const below = lo > 0 ? regIncBeta(lo, ab, bb) : 0;
  return Math.min(1, Math.max(0, below + (sum * panel) / 2));
}
