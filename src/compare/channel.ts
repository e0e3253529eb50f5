/*
 * One run of a test at a commit, seen as a binary channel: the input is whether the commit is
 * before the culprit (old) or from it on (new), the output is pass or fail. An old commit fails
 * with probability q0, a new one with q1. Its capacity C bounds what any search can learn per
 * run: choosing the next commit from the results so far is feedback, which does not raise a
 * memoryless channel's capacity (Cover & Thomas, Elements of Information Theory, 2nd ed.,
 * section 7.12), and a search that stops when it is sure needs about log2(n) / C runs on average
 * to name one of n equally likely culprits almost always right (M. V. Burnashev, "Data
 * transmission over a discrete channel with feedback", Problems of Information Transmission 12,
 * 1976: log2(n) / C plus a term in log(1 / error) that vanishes relative to it as n grows).
 */

/** Binary entropy in bits: h(p) = -p log2 p - (1 - p) log2 (1 - p), with h(0) = h(1) = 0. */
export function binaryEntropy(p: number): number {
  if (p <= 0 || p >= 1) return 0;
  return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/** Capacity of a binary channel and the input distribution that reaches it. */
export interface Capacity {
  /** Bits per run. */
  bits: number;
  /** P(input = new) that reaches the capacity. */
  input: number;
}

/** Capacity of the binary asymmetric channel failing with probability q0 (old) and q1 (new). */
export function channelCapacity(q0: number, q1: number): Capacity {
  if (!(q0 >= 0 && q0 <= 1 && q1 >= 0 && q1 <= 1)) {
    throw new RangeError(`failure rates must lie in [0, 1], got ${q0} and ${q1}`);
  }
  if (Math.abs(q1 - q0) < 1e-12) return { bits: 0, input: 0.5 };
  // I(u) = h(q0 + u (q1 - q0)) - (1 - u) h(q0) - u h(q1) is concave in u = P(new); it is
  // stationary where the output's fail probability y solves log2((1 - y) / y) = slope below
  // (R. A. Silverman, "On binary channels and their cascades", IRE Trans. IT-1, 1955).
  const h0 = binaryEntropy(q0);
  const h1 = binaryEntropy(q1);
  const slope = (h1 - h0) / (q1 - q0);
  const y = 1 / (1 + 2 ** slope);
  const input = Math.min(1, Math.max(0, (y - q0) / (q1 - q0)));
  const bits = binaryEntropy(q0 + input * (q1 - q0)) - (1 - input) * h0 - input * h1;
  return { bits: Math.max(0, bits), input };
}

/** Fewest runs, on average, that any search needs to name one of n equally likely commits. */
export function searchBound(n: number, q0: number, q1: number): number {
  const { bits } = channelCapacity(q0, q1);
  return bits > 0 ? Math.log2(n) / bits : Number.POSITIVE_INFINITY;
}
