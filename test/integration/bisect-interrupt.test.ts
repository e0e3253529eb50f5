import { expect, test } from "vitest";
import {
  expectWorktreeRunGone,
  expectWorktreeRunRecovered,
  leftWorktrees,
} from "../repos/fault-matrix.js";
import { captureState, runCulpritAsync } from "../repos/harness.js";
import { historyRepo } from "../repos/history.js";
import { readJournal } from "../repos/journal.js";

// Bisect tests every commit in a worktree of its own: a signal or a kill -9 in the middle of the
// search leaves the user's dirty tree as it was, and no worktree, lock or ref behind (after
// `culprit recover` for the kill).

const dirty = (repo: ReturnType<typeof historyRepo>["repo"]) => {
  repo.write("state.txt", "work in progress\n");
  repo.write("notes/todo.txt", "untracked\n");
  repo.git("add", "notes/todo.txt");
  repo.write("notes/todo.txt", "untracked, then edited\n");
};

for (const point of ["probe-parallel/bad end run", "probe-parallel/commit 8/16 run"]) {
  test(`SIGINT at ${point}: exit 130, the tree as it was, no worktree left`, async () => {
    const { repo, shas } = historyRepo(16, 5);
    try {
      dirty(repo);
      const before = captureState(repo);
      const result = await runCulpritAsync(
        repo,
        ["bisect", "--good", shas[0]!, "--json", "--", "./check.sh"],
        { CULPRIT_FAULT: `${point}@SIGINT` },
      );
      expect(result.status, result.stderr).toBe(130);
      expect(JSON.parse(result.stdout).interrupted).toBe("SIGINT");
      expectWorktreeRunGone(repo, before);
    } finally {
      repo.cleanup();
    }
  }, 120_000);

  test(`kill -9 at ${point}, then culprit recover: the tree as it was, no worktree left`, async () => {
    const { repo, shas } = historyRepo(16, 5);
    try {
      dirty(repo);
      const before = captureState(repo);
      const killed = await runCulpritAsync(
        repo,
        ["bisect", "--good", shas[0]!, "--json", "--", "./check.sh"],
        { CULPRIT_FAULT: `${point}@SIGKILL` },
      );
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
      expect(readJournal(repo)).not.toBeNull();
      expect(leftWorktrees(repo).length).toBeGreaterThan(0);
      await expectWorktreeRunRecovered(repo, before);
    } finally {
      repo.cleanup();
    }
  }, 120_000);
}
