import { logGamma } from "./beta.js";

const TIE_TOLERANCE = 1e-13;
const GRID = 256;

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

function logSumExp(values: number[]): number {
  const top = Math.max(...values);
  if (top === Number.NEGATIVE_INFINITY) return top;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - top);
  return top + Math.log(sum);
}

/** Fisher's one-sided statistic P(X_c >= x_c | x_c + x_b = s) for every table, indexed [x_c][x_b]. */
function fisherUpperTails(nc: number, nb: number): number[][] {
  const total = nc + nb;
  const tails: number[][] = Array.from({ length: nc + 1 }, () => new Array<number>(nb + 1).fill(1));
  for (let s = 0; s <= total; s++) {
    const low = Math.max(0, s - nb);
    const high = Math.min(nc, s);
    const logDenominator = logChoose(total, s);
    let tail = 0;
    for (let x = high; x >= low; x--) {
      tail += Math.exp(logChoose(nc, x) + logChoose(nb, s - x) - logDenominator);
      tails[x]![s - x] = tail;
    }
  }
  return tails;
}

/** Probability of the rejection region when both sides fail at rate pi, from log weights by total. */
function regionProbability(logWeights: number[], pi: number): number {
  const total = logWeights.length - 1;
  if (pi <= 0) return Math.exp(logWeights[0]!);
  if (pi >= 1) return Math.exp(logWeights[total]!);
  const logPi = Math.log(pi);
  const logRest = Math.log1p(-pi);
  let sum = 0;
  for (let s = 0; s <= total; s++) {
    const w = logWeights[s]!;
    if (w !== Number.NEGATIVE_INFINITY) sum += Math.exp(w + s * logPi + (total - s) * logRest);
  }
  return sum;
}

function goldenMax(f: (x: number) => number, left: number, right: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = left;
  let b = right;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-12) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return Math.max(fc, fd);
}

/** Boschloo's one-sided exact p-value for "current fails more" (SciPy's boschloo_exact, "greater"). */
export function boschlooPValue(fc: number, nc: number, fb: number, nb: number): number {
  if (nc <= 0 || nb <= 0) return 1;
  const tails = fisherUpperTails(nc, nb);
  const threshold = tails[fc]![fb]! * (1 + TIE_TOLERANCE);
  const total = nc + nb;
  const logWeights: number[] = [];
  for (let s = 0; s <= total; s++) {
    const terms: number[] = [];
    for (let x = Math.max(0, s - nb); x <= Math.min(nc, s); x++) {
      if (tails[x]![s - x]! <= threshold) terms.push(logChoose(nc, x) + logChoose(nb, s - x));
    }
    logWeights.push(terms.length > 0 ? logSumExp(terms) : Number.NEGATIVE_INFINITY);
  }
  const f = (pi: number) => regionProbability(logWeights, pi);
  const values: number[] = [];
  for (let i = 0; i <= GRID; i++) values.push(f(i / GRID));
  let best = Math.max(...values);
  for (let i = 0; i <= GRID; i++) {
    const here = values[i]!;
    const isPeak = (i === 0 || here >= values[i - 1]!) && (i === GRID || here >= values[i + 1]!);
    if (isPeak) {
      best = Math.max(best, goldenMax(f, Math.max(0, (i - 1) / GRID), Math.min(1, (i + 1) / GRID)));
    }
  }
  return Math.min(1, Math.max(0, best));
}
