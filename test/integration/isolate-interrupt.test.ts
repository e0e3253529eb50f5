import { expect, test } from "vitest";
import {
  expectWorktreeRunGone,
  expectWorktreeRunRecovered,
  leftWorktrees,
} from "../repos/fault-matrix.js";
import { captureState, runCulpritAsync, type TestRepo } from "../repos/harness.js";
import { isolateCommand, isolateRepo } from "../repos/isolate.js";
import { readJournal } from "../repos/journal.js";

// Isolate builds every configuration in a worktree of its own: a signal or a kill -9 in the
// middle of the search leaves the user's dirty tree (staged, unstaged, untracked) as it was, and
// no worktree, journal or ref behind (after `culprit recover` for the kill).

function dirtyRepo(): TestRepo {
  const repo = isolateRepo({ markers: [[2, 1, "BROKEN"]], failWhen: ["BROKEN"] });
  repo.git("add", "src/alpha.js");
  repo.write("src/alpha.js", `${"// edited again after staging\n"}`);
  repo.write("notes/todo.txt", "untracked\n");
  return repo;
}

// The calibration's second run: a deterministic failure gets three at least (judge.ts).
const points = ["probe-parallel/calibration run#2", "probe-parallel/config 3 run"];

for (const point of points) {
  test.concurrent(`SIGINT at ${point}: exit 130, the tree as it was, no worktree left`, async () => {
    const repo = dirtyRepo();
    try {
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...isolateCommand], {
        CULPRIT_FAULT: `${point}@SIGINT`,
      });
      expect(result.status, result.stderr).toBe(130);
      const doc = JSON.parse(result.stdout) as { verdict: string; interrupted: string };
      expect(doc.verdict).toBe("interrupted");
      expect(doc.interrupted).toBe("SIGINT");
      expect(result.stderr).toContain("SIGINT: stopping the runs and removing the worktrees");
      expectWorktreeRunGone(repo, before);
    } finally {
      repo.cleanup();
    }
  }, 120_000);

  test.concurrent(`kill -9 at ${point}, then culprit recover: the tree as it was, no worktree left`, async () => {
    const repo = dirtyRepo();
    try {
      const before = captureState(repo);
      const killed = await runCulpritAsync(repo, ["isolate", "--json", "--", ...isolateCommand], {
        CULPRIT_FAULT: `${point}@SIGKILL`,
      });
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
      expect(readJournal(repo)).not.toBeNull();
      expect(leftWorktrees(repo).length).toBeGreaterThan(0);
      // The next run refuses until recover has run.
      const refused = await runCulpritAsync(repo, ["isolate", "--", ...isolateCommand]);
      expect(refused.status, refused.stderr).toBe(3);
      expect(refused.stderr).toMatch(/culprit recover/);
      // `culprit status` says nothing of yours was written, and what recover will do.
      const status = await runCulpritAsync(repo, ["status"]);
      expect(status.stdout).toMatch(
        /did not finish \(stopped while [^()]+ \("[^"]+"\)\); your tree was never written \(it ran in worktrees\): `culprit recover` removes its (worktree|\d+ worktrees)\./,
      );
      await expectWorktreeRunRecovered(repo, before);
    } finally {
      repo.cleanup();
    }
  }, 120_000);
}
