import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { orphanedTestPids } from "../../src/machine/orphans.js";
import { captureState, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";
import { checkCommand } from "../repos/scenarios.js";
import { slowRepo, startCulprit, waitForState } from "../repos/slow-check.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("kill -9 mid-baseline: culprit refuses to start, `culprit recover` restores everything", async () => {
  repo = slowRepo();
  const before = captureState(repo);
  const { child, exited } = startCulprit(repo);
  await waitForState(repo, "probe-baseline", "run 1");
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGKILL");
  await exited;
  // Mid-baseline: HEAD's files are in place, the work in the backup (and moved aside).
  expect(existsSync(join(repo.dir, "wip", "notes.txt"))).toBe(false);
  // In the aside folder a file is named by its place in the list only (src/git/aside.ts).
  const aside = join(repo.dir, ".git", "culprit", "aside");
  const asideFiles = readdirSync(aside);
  expect(asideFiles.every((name) => /^\d+$/.test(name))).toBe(true);
  expect(asideFiles.map((name) => readFileSync(join(aside, name), "utf8"))).toContain(
    "untracked work in progress\n",
  );
  expect(culpritRefs(repo)).toContain("refs/culprit/backup");
  // The test runs in its own process group, so it outlived culprit; recover must stop it.
  const journal = JSON.parse(
    readFileSync(join(repo.dir, ".git", "culprit", "journal.json"), "utf8"),
  );
  expect(orphanedTestPids(journal.testGroups[0], journal.runId).length).toBeGreaterThan(0);

  const status = runCulprit(repo, ["status"]);
  // 1 while a dead run's work waits for `culprit recover` (0 once recovered, below).
  expect(status.status).toBe(1);
  expect(status.stdout).toContain(
    "your work is backed up in refs/culprit/backup: `culprit recover` puts it back and verifies it.",
  );
  // What it was doing, in words (with the run's number), beside the journal's state.
  expect(status.stdout).toMatch(
    /did not finish \(stopped while running the command at the baseline, run \d+ \("probe-baseline"\)\)/,
  );
  const refused = runCulprit(repo, ["--", ...checkCommand]);
  expect(refused.status).toBe(3);
  expect(refused.stderr).toMatch(/culprit recover/);

  const recovered = runCulprit(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(recovered.stderr).toContain("restored your work");
  expect(captureState(repo)).toEqual(before);
  expect(runCulprit(repo, ["status"]).status).toBe(0);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
  // Nothing of the dead run is left in .git/culprit: no aside folder, no private index.
  expect(existsSync(join(repo.dir, ".git", "culprit", "aside"))).toBe(false);
  expect(existsSync(join(repo.dir, ".git", "culprit", "work-index"))).toBe(false);

  expect(orphanedTestPids(journal.testGroups[0], journal.runId)).toEqual([]);

  const again = runCulprit(repo, ["recover"]);
  expect(again.status).toBe(0);
  expect(again.stderr).toContain("nothing to recover");
  expect(captureState(repo)).toEqual(before);
});
