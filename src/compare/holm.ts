/**
 * What a per-test verdict claims: that the changes made a difference (`regression`, `fixed`),
 * or that they did not (`pre-existing`). Each kind of claim has its own step-down.
 */
export type Claim = "change" | "no-change";

/** A number for each kind of claim. */
export type PerClaim = Record<Claim, number>;

/** An item the step-down decided: its verdict, the claim the verdict makes, the alpha it met. */
export interface StepDecision<V> {
  verdict: V;
  claim: Claim;
  alpha: number;
}

/**
 * Holm's step-down (S. Holm, "A simple sequentially rejective multiple test procedure", Scand.
 * J. Statist. 6 (1979) 65-70) for each kind of claim: with `family[k]` hypotheses of kind k, of
 * which `before[k]` were already claimed, every open item is judged at alpha / (family[k] -
 * claimed[k]) for each kind, and judging repeats while some item was decided. Keeping one count
 * a kind is Bartroff and Song's sequential Holm for tests that stop by rejecting or by accepting
 * ("Sequential tests of multiple hypotheses controlling type I and II familywise error rates",
 * J. Statist. Plann. Inference 153 (2014) 100-114). `judge` must be monotone: an item decided at
 * some alphas is decided the same way at larger ones. With one kind and `judge` = "p <= alpha"
 * this is Holm's procedure itself: an item is claimed at alpha exactly when its Holm-adjusted
 * p-value is at most alpha.
 */
export function stepDown<T, V>(
  family: Readonly<PerClaim>,
  alpha: number,
  before: Readonly<PerClaim>,
  open: readonly T[],
  judge: (item: T, alphas: PerClaim) => { verdict: V; claim: Claim } | null,
): { decided: Map<T, StepDecision<V>>; alphas: PerClaim } {
  const claimed = { ...before };
  const decided = new Map<T, StepDecision<V>>();
  let remaining: readonly T[] = open;
  for (;;) {
    const alphas: PerClaim = {
      change: alpha / Math.max(1, family.change - claimed.change),
      "no-change": alpha / Math.max(1, family["no-change"] - claimed["no-change"]),
    };
    const still: T[] = [];
    for (const item of remaining) {
      const judged = judge(item, alphas);
      if (judged === null) {
        still.push(item);
      } else {
        const { verdict, claim } = judged;
        decided.set(item, { verdict, claim, alpha: alphas[claim] });
        claimed[claim]++;
      }
    }
    if (still.length === remaining.length) return { decided, alphas };
    remaining = still;
  }
}
