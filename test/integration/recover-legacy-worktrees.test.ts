import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, createRepo, runCulpritAsync } from "../repos/harness.js";

/*
 * Worktrees moved out of .git (src/git/worktree.ts). A run of an earlier version killed with
 * kill -9 left its journal and a worktree under .git/culprit/worktrees: after the upgrade,
 * `culprit recover` still removes it (a path there is culprit's), and the next run starts.
 */
test("a worktree an earlier version left under .git/culprit/worktrees: recover removes it", async () => {
  const repo = createRepo();
  try {
    repo.write("check.js", "process.exit(0);\n");
    repo.commit("check");
    repo.write("work.txt", "the user's own work\n");
    const before = captureState(repo);
    const legacy = join(repo.dir, ".git", "culprit", "worktrees");
    const path = join(legacy, "20261130T120000-ab12-current-1");
    mkdirSync(legacy, { recursive: true });
    repo.git("worktree", "add", "--detach", "--quiet", path, "HEAD");
    writeFileSync(join(path, "written-by-the-test.txt"), "x\n");
    const at = new Date().toISOString();
    writeFileSync(
      join(repo.dir, ".git", "culprit", "journal.json"),
      JSON.stringify({
        version: 1,
        runId: "20261130T120000-ab12",
        pid: 2_147_483_646,
        startedAt: at,
        state: "probe-parallel",
        detail: "current run 1",
        command: ["node", "check.js"],
        residue: [],
        isolated: true,
        worktrees: [path],
        history: [{ state: "probe-parallel", at, detail: "current run 1" }],
      }),
    );
    const refused = await runCulpritAsync(repo, ["--", "node", "check.js"]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/culprit recover/);
    const recovered = await runCulpritAsync(repo, ["recover"]);
    expect(recovered.status, recovered.stderr).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(leftWorktrees(repo)).toEqual([]);
    expect(captureState(repo)).toEqual(before);
    const again = await runCulpritAsync(repo, ["--", "node", "check.js"]);
    expect(again.status, again.stderr).toBe(0);
  } finally {
    repo.cleanup();
  }
}, 60_000);
