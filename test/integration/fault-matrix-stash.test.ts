import { expect } from "vitest";
import { faultMatrix } from "../repos/fault-matrix.js";
import { faultCheckCommand, hazards } from "../repos/hazards.js";

/**
 * The fault-injection matrix of `--strategy stash` (`git stash push -u`, then `git stash pop
 * --index`): the transitions the stash has of its own, for each hazard repository (those it
 * shares with the default baseline, backup, runs, verify and report, are in
 * fault-matrix.test.ts). A kill while the work is in the stash must leave it recoverable, and
 * `culprit recover` must drop this run's entry and no other (the existing-stash hazard).
 */
faultMatrix({
  title: "stash fault matrix",
  // Every point on 1 hazard a mode, rotating (CULPRIT_FULL_MATRIX=1: every cell).
  hazardsPerPoint: 1,
  hazards,
  command: faultCheckCommand,
  options: ["--strategy", "stash", "--runs", "1", "--max-runs", "1"],
  points: [
    { point: "enter-baseline/stash push", label: "enter-baseline/stash push" },
    { point: "enter-baseline/stashed", label: "enter-baseline/stashed" },
    { point: "probe-baseline/run 1", label: "probe-baseline/run 1 (stashed)" },
    { point: "leave-baseline/stash pop", label: "leave-baseline/stash pop" },
    {
      point: "restore-from-backup",
      label: "restore-from-backup (pop refused)",
      testGit: "add",
    },
  ],
  noFault: (json, result) => {
    expect(["regression", "inconclusive"]).toContain(json["verdict"]);
    expect(result.status, result.stderr).toBe(json["verdict"] === "regression" ? 1 : 2);
    expect(json["strategy"]).toBe("baseline-stash");
    expect((json["restore"] as { via: string }).via).toBe("stash-pop");
  },
});
