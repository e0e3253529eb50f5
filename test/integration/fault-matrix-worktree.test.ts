import { expect } from "vitest";
import { faultMatrix } from "../repos/fault-matrix.js";
import { faultCheckCommand, hazards } from "../repos/hazards.js";

/**
 * The fault-injection matrix of --worktree (issue 12): both sides run in linked worktrees under
 * culprit's worktrees folder, two at a time (--jobs 2). culprit is made to signal itself right
 * after each transition of that path, for each hazard repository:
 * - SIGKILL, then `culprit recover`: no worktree left (neither git's record nor the folder), no
 *   backup ref, no journal, and the user's repository byte-identical (it was never written);
 * - SIGINT: culprit removes its worktrees by itself and exits 130.
 * The check writes files on both sides: each run is settled inside its worktree.
 */
faultMatrix({
  title: "worktree fault matrix",
  // Every point on 1 hazard a mode, rotating (CULPRIT_FULL_MATRIX=1: every cell).
  hazardsPerPoint: 1,
  hazards: Object.fromEntries(
    ["partially-staged", "untracked+ignored", "binary", "existing-stash"].map((name) => [
      name,
      hazards[name]!,
    ]),
  ),
  command: faultCheckCommand,
  options: ["--jobs", "2", "--runs", "1", "--max-runs", "1"],
  isolated: true,
  points: [
    { point: "enter-worktrees/add current 1", label: "enter-worktrees/add current 1" },
    { point: "enter-worktrees/current ready", label: "enter-worktrees/current ready" },
    { point: "enter-worktrees/add baseline 1", label: "enter-worktrees/add baseline 1" },
    { point: "enter-worktrees/baseline ready", label: "enter-worktrees/baseline ready" },
    { point: "probe-parallel/current run 1", label: "probe-parallel/current run 1" },
    { point: "probe-parallel/baseline run 1", label: "probe-parallel/baseline run 1" },
    { point: "probe-parallel/current settle", label: "probe-parallel/current settle" },
    { point: "leave-worktrees/remove all", label: "leave-worktrees/remove all" },
    { point: "report", label: "report" },
  ],
  noFault: (json, result) => {
    expect(["regression", "inconclusive"]).toContain(json["verdict"]);
    expect(result.status, result.stderr).toBe(json["verdict"] === "regression" ? 1 : 2);
    expect(json["strategy"]).toBe("worktree");
    // Both sides wrote files in their worktrees: both settled there.
    expect((json["restore"] as { residue: string[] }).residue.length).toBeGreaterThanOrEqual(2);
  },
});
