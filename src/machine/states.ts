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
  | "report"
  | "done";

/** What a state's handler says happened. */
export type MachineEvent =
  | "ok"
  | "next-current"
  | "next-baseline"
  | "decided"
  | "interrupted"
  | "failed"
  | "mismatch";

/**
 * The transition table. A state missing an event is a bug, caught by `nextState`.
 * `verify` and `restore-from-backup` go back to `probe-current` when the comparator asked
 * for another run on the current tree while the baseline was checked out.
 */
export const transitions: Record<StateName, Partial<Record<MachineEvent, StateName>>> = {
  preflight: { ok: "backup" },
  backup: { ok: "probe-current" },
  "probe-current": {
    "next-current": "probe-current",
    "next-baseline": "enter-baseline",
    decided: "verify",
    interrupted: "verify",
  },
  "enter-baseline": { ok: "probe-baseline", failed: "restore-from-backup", interrupted: "verify" },
  "probe-baseline": {
    "next-baseline": "probe-baseline",
    "next-current": "leave-baseline",
    decided: "leave-baseline",
    interrupted: "leave-baseline",
  },
  "leave-baseline": { ok: "verify", failed: "restore-from-backup" },
  verify: { ok: "report", "next-current": "probe-current", mismatch: "restore-from-backup" },
  "restore-from-backup": { ok: "report", "next-current": "probe-current" },
  report: { ok: "done" },
  done: {},
};

/** The state after `state` on `event`; throws on a transition the table does not have. */
export function nextState(state: StateName, event: MachineEvent): StateName {
  const next = transitions[state][event];
  if (!next) throw new Error(`culprit internal error: no transition from ${state} on ${event}`);
  return next;
}
