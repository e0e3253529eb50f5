import { decide } from "./decide.js";
import {
  decideSuite,
  type SettledTest,
  type SuiteDecision,
  settledTests,
  type TestEvidence,
} from "./suite.js";
import type { CompareOptions, Decision, Side, SideCounts, Verdict } from "./types.js";

/** What one simulated run of the command did. */
export type SimulatedOutcome = "pass" | "fail" | "cannot-run";

/** Gives the outcome of run number `index` (0-based, attempts counted) on `side`. */
export type OutcomeSource = (side: Side, index: number) => SimulatedOutcome;

/** A decision function with the signature of `decide`. */
export type Decider = typeof decide;

/** How a simulated attribution ended. */
export interface Simulation {
  verdict: Verdict;
  decision: Extract<Decision, { kind: "verdict" }>;
  current: SideCounts;
  baseline: SideCounts | null;
  /** Attempts on both sides together, cannot-run included. */
  runs: number;
}

function record(side: SideCounts, outcome: SimulatedOutcome): SideCounts {
  if (outcome === "cannot-run") return { ...side, cannotRun: side.cannotRun + 1 };
  return {
    runs: side.runs + 1,
    failures: side.failures + (outcome === "fail" ? 1 : 0),
    cannotRun: side.cannotRun,
  };
}

/** Drives `decider` from empty counts, obeying every `next`, until it gives a verdict. */
export function simulate(
  outcome: OutcomeSource,
  options: CompareOptions,
  decider: Decider = decide,
): Simulation {
  const empty: SideCounts = { runs: 0, failures: 0, cannotRun: 0 };
  let current = empty;
  let baseline: SideCounts | null = null;
  for (;;) {
    const decision = decider(current, baseline, options);
    if (decision.kind === "verdict") {
      const runs =
        current.runs + current.cannotRun + (baseline ? baseline.runs + baseline.cannotRun : 0);
      return { verdict: decision.verdict, decision, current, baseline, runs };
    }
    const side = decision.side === "current" ? current : (baseline ?? empty);
    const index = side.runs + side.cannotRun;
    if (index >= options.maxRuns) {
      throw new Error(`decide asked for run ${index + 1} on the ${decision.side}, beyond maxRuns`);
    }
    const updated = record(side, outcome(decision.side, index));
    if (decision.side === "current") current = updated;
    else baseline = updated;
  }
}

/** `decide` with its answers cached by counts and options (it is pure, so this is safe). */
export function memoizedDecide(): Decider {
  const cache = new Map<string, Decision>();
  return (current, baseline, options) => {
    const key = JSON.stringify([current, baseline, options]);
    let decision = cache.get(key);
    if (decision === undefined) {
      decision = decide(current, baseline, options);
      cache.set(key, decision);
    }
    return decision;
  };
}

/** Exact distribution of verdicts and run counts when each run fails with a fixed probability. */
export interface ExactOutcome {
  /** Probability of each verdict. */
  verdicts: Record<Verdict, number>;
  /** Probability of each total number of runs. */
  runs: Map<number, number>;
}

/** Sums, over every path of runs failing at the given true rates, the chance of each verdict. */
export function exactOutcome(
  currentRate: number,
  baselineRate: number,
  options: CompareOptions,
  decider: Decider = decide,
): ExactOutcome {
  const verdicts: Record<Verdict, number> = {
    regression: 0,
    "pre-existing": 0,
    "not-reproduced": 0,
    inconclusive: 0,
    unrunnable: 0,
  };
  const runs = new Map<number, number>();
  type State = { current: SideCounts; baseline: SideCounts | null; p: number };
  let frontier = new Map<string, State>([
    ["start", { current: { runs: 0, failures: 0, cannotRun: 0 }, baseline: null, p: 1 }],
  ]);
  while (frontier.size > 0) {
    const nextFrontier = new Map<string, State>();
    const add = (current: SideCounts, baseline: SideCounts | null, p: number) => {
      if (p === 0) return;
      const key = JSON.stringify([current, baseline]);
      const known = nextFrontier.get(key);
      if (known) known.p += p;
      else nextFrontier.set(key, { current, baseline, p });
    };
    for (const { current, baseline, p } of frontier.values()) {
      const decision = decider(current, baseline, options);
      if (decision.kind === "verdict") {
        verdicts[decision.verdict] += p;
        const total = current.runs + (baseline?.runs ?? 0);
        runs.set(total, (runs.get(total) ?? 0) + p);
        continue;
      }
      const rate = decision.side === "current" ? currentRate : baselineRate;
      const side =
        decision.side === "current"
          ? current
          : (baseline ?? { runs: 0, failures: 0, cannotRun: 0 });
      for (const [outcome, q] of [
        ["fail", rate],
        ["pass", 1 - rate],
      ] as const) {
        const updated = record(side, outcome);
        if (decision.side === "current") add(updated, baseline, p * q);
        else add(current, updated, p * q);
      }
    }
    frontier = nextFrontier;
  }
  return { verdicts, runs };
}

/** Whether test number `test` fails in run number `index` (0-based) on `side`. */
export type TestOutcomeSource = (side: Side, index: number, test: number) => boolean;

/** A suite decision function with the signature of `decideSuite`. */
export type SuiteDecider = typeof decideSuite;

/** How a simulated suite attribution ended. */
export interface SuiteSimulation {
  decision: Extract<SuiteDecision, { kind: "verdict" }>;
  current: SideCounts;
  baseline: SideCounts | null;
  /** Attempts on both sides together. */
  runs: number;
  evidence: TestEvidence[];
}

/**
 * Drives `decider` over `tests` tests observed in every run, a run failing when any test fails,
 * obeying every `next` and passing each look's settled verdicts to the next, until a verdict.
 */
export function simulateSuite(
  tests: number,
  fails: TestOutcomeSource,
  options: CompareOptions,
  decider: SuiteDecider = decideSuite,
): SuiteSimulation {
  const empty: SideCounts = { runs: 0, failures: 0, cannotRun: 0 };
  let current = empty;
  let baseline: SideCounts | null = null;
  const evidence: TestEvidence[] = Array.from({ length: tests }, (_, i) => ({
    id: `test ${i}`,
    current: { runs: 0, failures: 0 },
    baseline: { runs: 0, failures: 0 },
  }));
  let settled = new Map<string, SettledTest>();
  for (;;) {
    const decision = decider({ current, baseline }, evidence, settled, options);
    if (decision.kind === "verdict") {
      const runs = current.runs + (baseline?.runs ?? 0);
      return { decision, current, baseline, runs, evidence };
    }
    settled = settledTests(decision);
    const side = decision.side;
    const counts = side === "current" ? current : (baseline ?? empty);
    if (counts.runs >= options.maxRuns) {
      throw new Error(
        `decideSuite asked for run ${counts.runs + 1} on the ${side}, beyond maxRuns`,
      );
    }
    let failed = false;
    for (let t = 0; t < tests; t++) {
      const e = evidence[t]!;
      const fail = fails(side, counts.runs, t);
      failed ||= fail;
      const seen = side === "current" ? e.current : e.baseline;
      const updated = { runs: seen.runs + 1, failures: seen.failures + (fail ? 1 : 0) };
      evidence[t] =
        side === "current"
          ? { id: e.id, current: updated, baseline: e.baseline }
          : { id: e.id, current: e.current, baseline: updated };
    }
    const updated = record(counts, failed ? "fail" : "pass");
    if (side === "current") current = updated;
    else baseline = updated;
  }
}
