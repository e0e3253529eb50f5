import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { faultMatrix } from "../repos/fault-matrix.js";
import { captureState, runCulpritAsync } from "../repos/harness.js";
import { faultCheckCommand, hazards } from "../repos/hazards.js";
import { backupRefs, readJournal } from "../repos/journal.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

/**
 * The fault-injection matrix of the default baseline (issue 4; the baseline is HEAD's tree reset
 * in place, issue 11): for every journal transition of that path and for each hazard repository,
 * culprit is made to signal itself right after the journal records that transition
 * (CULPRIT_FAULT, src/machine/fault.ts).
 * - SIGKILL: then `culprit recover`; the repository must be byte-identical to before.
 * - SIGINT: no recover; culprit must restore by itself and exit 130.
 * One run a side keeps the matrix quick: every transition is taken (the verdict may be
 * inconclusive: a regression cannot be shown in one run a side). The stash's own transitions
 * are in fault-matrix-stash.test.ts, the selective revert's in fault-matrix-revert.test.ts.
 */
faultMatrix({
  title: "fault matrix",
  // Every point on 1 hazard a mode, rotating (CULPRIT_FULL_MATRIX=1: every cell).
  hazardsPerPoint: 1,
  hazards,
  command: faultCheckCommand,
  options: ["--runs", "1", "--max-runs", "1"],
  checkRefusal: true,
  points: [
    { point: "backup", label: "backup" },
    // The trees are captured and journaled; the first run starts while their ref is written.
    { point: "backup/captured", label: "backup/captured" },
    { point: "backup/pinned", label: "backup/pinned", beside: true },
    { point: "probe-current/run 1", label: "probe-current/run 1" },
    { point: "probe-current/settle", label: "probe-current/settle" },
    { point: "enter-baseline/check out HEAD", label: "enter-baseline/check out HEAD" },
    // Your changed and untracked files renamed into .git/culprit/aside (src/git/aside.ts).
    { point: "enter-baseline/moved aside", label: "enter-baseline/moved aside" },
    { point: "enter-baseline/checked out", label: "enter-baseline/checked out" },
    { point: "probe-baseline/run 1", label: "probe-baseline/run 1" },
    { point: "probe-baseline/settle", label: "probe-baseline/settle" },
    { point: "leave-baseline/reset to your tree", label: "leave-baseline/reset to your tree" },
    { point: "leave-baseline/moving back", label: "leave-baseline/moving back" },
    { point: "verify", label: "verify" },
    {
      point: "restore-from-backup",
      label: "restore-from-backup (index changed)",
      testGit: "add",
    },
    {
      point: "restore-from-backup",
      label: "restore-from-backup (HEAD moved)",
      testGit: "commit",
    },
    { point: "report", label: "report" },
  ],
  noFault: (json, result) => {
    // One run a side: 1/1 against 0/1 is not enough for a regression at the default confidence.
    expect(["regression", "inconclusive"]).toContain(json["verdict"]);
    expect(result.status, result.stderr).toBe(json["verdict"] === "regression" ? 1 : 2);
    expect(json["strategy"]).toBe("baseline-reset");
    // Both sides wrote files: both settled.
    expect((json["restore"] as { residue: string[] }).residue).toHaveLength(2);
  },
});

// A SIGINT that arrives while the first run opens its log must stop that run, not wait for it
// (src/run/run-command.ts used to miss an abort that came before its listener was added).
const sleepyCheck = `import { writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { add } from "./lib.mjs";
if (process.env.CULPRIT_SIDE === "current" && add(2, 2) !== 4) {
  setTimeout(() => {
    writeFileSync(homedir() + "/sleepy-check-finished", "");
    process.exit(7);
  }, 4_000);
}
`;

test("SIGINT as the first run starts: that run is stopped, the work restored", async () => {
  const repo = baseRepo();
  try {
    repo.write("sleepy-check.mjs", sleepyCheck);
    repo.commit("sleepy check");
    introduceBug(repo);
    repo.write("wip.txt", "untracked work\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["--json", "--", "node", "sleepy-check.mjs"], {
      CULPRIT_FAULT: "probe-current/run 1@SIGINT",
    });
    expect(existsSync(join(repo.home, "sleepy-check-finished"))).toBe(false);
    expect(captureState(repo)).toEqual(before);
    expect(backupRefs(repo)).toEqual([]);
    expect(readJournal(repo)).toBeNull();
    expect(result.status, result.stderr).toBe(130);
    expect(JSON.parse(result.stdout).interrupted).toBe("SIGINT");
  } finally {
    repo.cleanup();
  }
}, 120_000);
