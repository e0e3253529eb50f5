import { expect, test } from "vitest";
import {
  expectWorktreeRunGone,
  expectWorktreeRunRecovered,
  leftWorktrees,
} from "../repos/fault-matrix.js";
import { captureState, concurrentRepos, runCulpritAsync, type TestRepo } from "../repos/harness.js";
import { breaksStateAt, historyCheck, mergedHistory } from "../repos/history.js";
import { readJournal } from "../repos/journal.js";

// After the first-parent search named a merge, bisect searches the branch it merged in worktrees
// of a second search: a signal or a kill -9 there leaves the user's dirty tree as it was, and no
// worktree, journal or ref (after `culprit recover` for the kill). The first search's merge is
// still named when it was interrupted.

const newRepo = concurrentRepos();

function dirtyMergedRepo(): { repo: TestRepo; good: string; merge: string } {
  const { repo, good, merge } = mergedHistory(newRepo(), historyCheck, breaksStateAt(3), () => {});
  repo.write("state.txt", "work in progress\n");
  repo.write("notes/todo.txt", "untracked\n");
  repo.git("add", "notes/todo.txt");
  repo.write("notes/todo.txt", "untracked, then edited\n");
  return { repo, good, merge };
}

// The branch's search's worktrees are ready (the second "ready"), and its bad end's first run (the
// first search ran its bad end three times: a deterministic check).
for (const point of ["enter-worktrees/ready#2", "probe-parallel/bad end run#4"]) {
  test.concurrent(`SIGINT in the merged branch's search (${point}): exit 130, the merge named, the tree as it was`, async () => {
    const { repo, good, merge } = dirtyMergedRepo();
    const before = captureState(repo);
    const result = await runCulpritAsync(
      repo,
      ["bisect", "--good", good, "--json", "--", "./check.sh"],
      {
        CULPRIT_FAULT: `${point}@SIGINT`,
      },
    );
    expect(result.status, result.stderr).toBe(130);
    const doc = JSON.parse(result.stdout) as {
      interrupted: string;
      culprit: { sha: string };
      branch: { verdict: string };
    };
    expect(doc.interrupted).toBe("SIGINT");
    expect(doc.culprit.sha).toBe(merge);
    expect(doc.branch.verdict).toBe("interrupted");
    expectWorktreeRunGone(repo, before);
  }, 120_000);

  test.concurrent(`kill -9 in the merged branch's search (${point}), then culprit recover: the tree as it was`, async () => {
    const { repo, good } = dirtyMergedRepo();
    const before = captureState(repo);
    const killed = await runCulpritAsync(
      repo,
      ["bisect", "--good", good, "--json", "--", "./check.sh"],
      {
        CULPRIT_FAULT: `${point}@SIGKILL`,
      },
    );
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    expect(readJournal(repo)).not.toBeNull();
    expect(leftWorktrees(repo).length).toBeGreaterThan(0);
    await expectWorktreeRunRecovered(repo, before);
  }, 120_000);
}
