/** The states of an attribution run (DESIGN.md, "The state machine"). */
export type StateName =
  | "preflight"
  | "backup"
  | "probe-current"
  | "enter-baseline"
  | "probe-baseline"
  | "leave-baseline"
  | "verify"
  | "restore-from-backup"
  | "switch-strategy"
  | "enter-worktrees"
  | "probe-parallel"
  | "leave-worktrees"
  | "report"
  | "done";

/** What a state's handler says happened. */
export type MachineEvent =
  | "ok"
  | "next-current"
  | "next-baseline"
  | "next-attempt"
  | "decided"
  | "interrupted"
  | "failed"
  | "mismatch"
  | "exhausted"
  | "isolated";

/**
 * The transition table. A state missing an event is a bug, caught by `nextState`.
 * `verify` and `restore-from-backup` go back to `probe-current` when the comparator asked
 * for another run on the current tree while the baseline was checked out, and on to
 * `switch-strategy` when the baseline could not run and another way of producing it is left
 * (a selective revert after the stash, a smaller suspect set after a revert): the user's tree
 * is back and verified before the next baseline is entered.
 * With --worktree (or --jobs), `backup` and `switch-strategy` say "isolated": both sides are
 * checked out in worktrees (`enter-worktrees`), run there side by side (`probe-parallel`), and
 * removed (`leave-worktrees`); the user's tree is never written, so nothing is verified or
 * restored. `leave-worktrees` has nothing to do in place.
 */
export const transitions: Record<StateName, Partial<Record<MachineEvent, StateName>>> = {
  preflight: { ok: "backup" },
  backup: { ok: "probe-current", isolated: "enter-worktrees" },
  "probe-current": {
    "next-current": "probe-current",
    "next-baseline": "enter-baseline",
    decided: "verify",
    interrupted: "verify",
  },
  // Earlier runs of the same baseline, from the cache, may decide before it is entered.
  "enter-baseline": {
    ok: "probe-baseline",
    failed: "restore-from-backup",
    interrupted: "verify",
    decided: "verify",
    "next-current": "probe-current",
    "next-attempt": "switch-strategy",
  },
  "probe-baseline": {
    "next-baseline": "probe-baseline",
    "next-current": "leave-baseline",
    "next-attempt": "leave-baseline",
    decided: "leave-baseline",
    interrupted: "leave-baseline",
  },
  "leave-baseline": { ok: "verify", failed: "restore-from-backup" },
  verify: {
    ok: "report",
    "next-current": "probe-current",
    "next-attempt": "switch-strategy",
    mismatch: "restore-from-backup",
  },
  "restore-from-backup": {
    ok: "report",
    "next-current": "probe-current",
    "next-attempt": "switch-strategy",
  },
  "switch-strategy": {
    ok: "enter-baseline",
    isolated: "enter-worktrees",
    exhausted: "leave-worktrees",
    interrupted: "leave-worktrees",
  },
  "enter-worktrees": {
    ok: "probe-parallel",
    failed: "leave-worktrees",
    interrupted: "leave-worktrees",
  },
  "probe-parallel": {
    decided: "leave-worktrees",
    "next-attempt": "switch-strategy",
    interrupted: "leave-worktrees",
  },
  "leave-worktrees": { ok: "report" },
  report: { ok: "done" },
  done: {},
};

/** The state after `state` on `event`; throws on a transition the table does not have. */
export function nextState(state: StateName, event: MachineEvent): StateName {
  const next = transitions[state][event];
  if (!next) throw new Error(`culprit internal error: no transition from ${state} on ${event}`);
  return next;
}
