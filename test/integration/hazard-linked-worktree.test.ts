import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import {
  addWorktree,
  captureState,
  culpritRefs,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";
import { slowRepo, startCulprit, waitForState } from "../repos/slow-check.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const identity = ["-c", "user.name=U", "-c", "user.email=u@example.invalid"];

test("in a linked worktree (.git is a file): both worktrees and the shared stash are untouched", () => {
  repo = baseRepo();
  repo.write("README.md", "# stashed in the main worktree\n");
  repo.git(...identity, "stash", "push", "-q", "-m", "main's stash");
  const wt = addWorktree(repo, "wt", "feature");
  expect(wt.git("rev-parse", "--git-dir").trim()).toContain("/worktrees/wt");
  // Work in progress in both worktrees.
  repo.write("README.md", "# main worktree, unstaged\n");
  repo.write("main-notes.txt", "untracked in main\n");
  introduceBug(wt);
  wt.write("README.md", "# staged in the worktree\n");
  wt.git("add", "README.md");
  wt.write("README.md", "# staged in the worktree\nunstaged on top\n");
  wt.write("wip/feature.txt", "untracked in the worktree\n");
  wt.write("wip/trace.log", "ignored in the worktree\n");

  const mainBefore = captureState(repo);
  const { json, status } = attributeUntouched(wt, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(captureState(repo)).toEqual(mainBefore);
  // The worktree's state lives under its own git dir, not the main one's.
  expect(existsSync(join(repo.dir, ".git", "worktrees", "wt", "culprit"))).toBe(true);
  expect(existsSync(join(repo.dir, ".git", "culprit", "journal.json"))).toBe(false);
});

test("a run in the main worktree does not block one in the linked worktree: own lock, own refs", async () => {
  repo = slowRepo();
  const wt = addWorktree(repo, "wt", "feature");
  introduceBug(wt);
  wt.write("wip.txt", "untracked in the worktree\n");
  const mainBefore = captureState(repo);

  const main = startCulprit(repo);
  await waitForState(repo, "probe-baseline", "run 1");
  // The main worktree is at its baseline now: its lock held, its work stashed and backed up.
  expect(culpritRefs(repo)).toContain("refs/culprit/backup");
  const status = runCulprit(wt, ["status"]);
  expect(status.stdout).toContain("no run in progress");

  const wtBefore = captureState(wt);
  const result = runCulprit(wt, ["--json", "--", ...checkCommand]);
  expect(result.status, result.stderr).toBe(1);
  expect(captureState(wt)).toEqual(wtBefore);
  const refs = culpritRefs(wt).filter((ref) => !ref.includes("/residue/"));
  // The main worktree's backup is still pinned; the linked worktree's is gone.
  expect(refs).toEqual(["refs/culprit/backup"]);

  main.child.kill("SIGINT");
  const ended = await main.exited;
  expect(ended.code, ended.stderr).toBe(130);
  expect(captureState(repo)).toEqual(mainBefore);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
});
