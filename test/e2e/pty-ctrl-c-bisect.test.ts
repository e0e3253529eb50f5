import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, culpritRefs, type TestRepo } from "../repos/harness.js";
import { historyRepo } from "../repos/history.js";
import { readJournal } from "../repos/journal.js";
import { type Pty, ptySkipReason, readLastRun, startPty } from "../repos/pty.js";
import { cleanupRepo } from "../repos/pty-expect.js";

// Ctrl-C typed at a real terminal while `culprit bisect` searches a history of 20 commits (each
// run sleeps 0.3 s, so the key lands while a commit's run is going): the terminal turns the key
// into SIGINT for culprit's process group (git runs out of it, the test in its own), culprit
// stops the run, removes its worktrees and exits 130. Bisect never writes the user's dirty tree,
// keeps no backup ref (DESIGN.md: its runs are all in worktrees), and leaves no journal.
const skip = ptySkipReason();
if (skip) console.log(`pty-ctrl-c-bisect: skipped, ${skip}`);

const searchRun = /^commit \d+\/20 run/;

/**
 * Waits until culprit's journal says the second search run is going ("commit i/20 run": the ends'
 * runs are done, and so is a first commit of the search): the search is half way.
 */
async function waitForSecondSearchRun(repo: TestRepo, pty: Pty, timeoutMs = 60_000): Promise<void> {
  const path = join(repo.dir, ".git", "culprit", "journal.json");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (existsSync(path)) {
        const journal = JSON.parse(readFileSync(path, "utf8")) as {
          state: string;
          detail?: string;
          history: { detail?: string }[];
        };
        const started = journal.history.filter((h) => searchRun.test(h.detail ?? "")).length;
        if (searchRun.test(journal.detail ?? "") && started >= 2) return;
      }
    } catch {
      // Read while it was replaced: the next poll reads the new one.
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(
    `bisect never got to a second search run; the terminal shows:\n${await pty.screen()}`,
  );
}

test.skipIf(skip !== null)(
  "Ctrl-C pressed while bisect searches: the run stopped, worktrees removed, exit 130, tree as it was",
  async () => {
    const { repo, shas } = historyRepo(20, 13);
    let pty: Pty | undefined;
    try {
      // The user's tree is dirty: a modified tracked file, a staged one, an untracked one.
      repo.write("state.txt", "work in progress\n");
      repo.write("log/0003.txt", "staged edit\n");
      repo.git("add", "log/0003.txt");
      repo.write("notes/todo.txt", "untracked\n");
      const before = captureState(repo);
      pty = await startPty(
        repo,
        ["bisect", "--good", shas[0]!, "--", "sh", "-c", "sleep 0.3; exec ./check.sh"],
        { columns: 120, rows: 40 },
      );
      await waitForSecondSearchRun(repo, pty);
      await pty.sendKeys("C-c");
      expect(await pty.exitCode()).toBe(130);
      const screen = await pty.screen();
      expect(screen).toContain(
        "culprit: SIGINT: stopping the runs and removing the worktrees, please wait...",
      );
      expect(screen).toContain(
        "culprit bisect: INTERRUPTED: interrupted by SIGINT; no culprit named",
      );
      // The ends' runs (3 a side: the check is deterministic) and the search's finished runs are
      // counted apart; the run the key stopped is in neither.
      const counted = /: 6 runs at the ends, (\d+) in the search\n/.exec(screen);
      expect(counted, screen).not.toBeNull();
      const searched = Number(counted![1]);
      expect(screen).toContain("your work: never touched");
      expect(screen).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      expect(captureState(repo)).toEqual(before);
      expect(leftWorktrees(repo)).toEqual([]);
      expect(repo.git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1);
      expect(culpritRefs(repo)).toEqual([]);
      expect(readJournal(repo)).toBeNull();
      // Stopped mid-search: at least one search run finished, and the one going was stopped (or
      // had just finished as the key came: then no other was started).
      const last = readLastRun(repo);
      const started = last!.history.filter((h) => searchRun.test(h.detail ?? "")).length;
      expect(started).toBeGreaterThanOrEqual(2);
      expect(searched).toBeGreaterThanOrEqual(1);
      expect([started - 1, started]).toContain(searched);
      expect(last!.ending?.signal?.name).toBe("SIGINT");
      expect(last!.ending?.exitCode).toBe(130);
    } finally {
      pty?.dispose();
      await cleanupRepo(repo);
    }
  },
  60_000,
);
