import { describe, expect, test } from "vitest";
import { nextState, type StateName, transitions } from "../../src/machine/states.js";

describe("the transition table", () => {
  test("every target is a state, and every state but done is reachable from preflight", () => {
    const names = Object.keys(transitions) as StateName[];
    const seen = new Set<StateName>(["preflight"]);
    const queue: StateName[] = ["preflight"];
    while (queue.length > 0) {
      const state = queue.shift()!;
      for (const target of Object.values(transitions[state])) {
        expect(names).toContain(target);
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    expect([...seen].sort()).toEqual([...names].sort());
  });

  test("done is reachable from every state (no trap)", () => {
    for (const start of Object.keys(transitions) as StateName[]) {
      const seen = new Set<StateName>([start]);
      const queue: StateName[] = [start];
      while (queue.length > 0) {
        for (const target of Object.values(transitions[queue.shift()!])) {
          if (!seen.has(target)) {
            seen.add(target);
            queue.push(target);
          }
        }
      }
      expect(seen.has("done"), start).toBe(true);
    }
  });

  test("an interruption at any point after the backup leads through verify or restore", () => {
    expect(nextState("probe-current", "interrupted")).toBe("verify");
    expect(nextState("probe-baseline", "interrupted")).toBe("leave-baseline");
    expect(nextState("enter-baseline", "interrupted")).toBe("verify");
    expect(nextState("leave-baseline", "failed")).toBe("restore-from-backup");
    expect(nextState("verify", "mismatch")).toBe("restore-from-backup");
  });

  test("a baseline that cannot run leads through leave, verify and switch-strategy", () => {
    expect(nextState("probe-baseline", "next-attempt")).toBe("leave-baseline");
    expect(nextState("verify", "next-attempt")).toBe("switch-strategy");
    expect(nextState("restore-from-backup", "next-attempt")).toBe("switch-strategy");
    expect(nextState("switch-strategy", "ok")).toBe("enter-baseline");
    // The user's tree is back and verified in switch-strategy: giving up goes to report (through
    // leave-worktrees, which has nothing to do in place).
    expect(nextState("switch-strategy", "exhausted")).toBe("leave-worktrees");
    expect(nextState("switch-strategy", "interrupted")).toBe("leave-worktrees");
    expect(nextState("leave-worktrees", "ok")).toBe("report");
  });

  test("in worktrees: every way out of the runs removes the worktrees first", () => {
    expect(nextState("backup", "isolated")).toBe("enter-worktrees");
    expect(nextState("enter-worktrees", "ok")).toBe("probe-parallel");
    for (const event of ["failed", "interrupted"] as const)
      expect(nextState("enter-worktrees", event)).toBe("leave-worktrees");
    for (const event of ["decided", "interrupted"] as const)
      expect(nextState("probe-parallel", event)).toBe("leave-worktrees");
    // Another baseline: a new worktree for it, the current side's stays.
    expect(nextState("probe-parallel", "next-attempt")).toBe("switch-strategy");
    expect(nextState("switch-strategy", "isolated")).toBe("enter-worktrees");
  });

  test("an unknown transition is an internal error", () => {
    expect(() => nextState("backup", "mismatch")).toThrow(/no transition from backup on mismatch/);
  });
});
