import { expect, test } from "vitest";
import { captureState, runCulprit, type TestRepo } from "../repos/harness.js";
import { readJournal } from "../repos/journal.js";
import { type Pty, ptySkipReason, startPty } from "../repos/pty.js";
import { expectLastRunInterrupted, expectUntouched } from "../repos/pty-expect.js";
import { slowRepo, waitForState } from "../repos/slow-check.js";

// Closing the terminal (a tab, a tmux window) while the baseline runs: the shell passes SIGHUP
// on, every write to the terminal then fails with EIO, and none of that may stop the restore.
const skip = ptySkipReason();
if (skip) console.log(`pty-sighup: skipped, ${skip}`);

test.skipIf(skip !== null)(
  "the terminal closed while the baseline runs: the tree is back and verified, no recover needed, exit 129, last-run.json says so",
  async () => {
    const repo: TestRepo = slowRepo();
    let pty: Pty | undefined;
    try {
      const before = captureState(repo);
      pty = await startPty(repo, ["--", "node", "slow-check.mjs"], { columns: 120, rows: 40 });
      await waitForState(repo, "probe-baseline", "run 1");
      await pty.waitFor(/baseline run 1/);
      await pty.hangUp();
      // A bound for a loaded machine, not a timing: it takes well under a second alone.
      expect(await pty.exitCode(20_000)).toBe(129);
      expectUntouched(repo, before);
      // Nothing pending: `culprit recover` has nothing to do.
      expect(readJournal(repo)).toBeNull();
      expectLastRunInterrupted(repo, "SIGHUP", 129);
      const status = runCulprit(repo, ["status"]);
      expect(status.status).toBe(0);
      expect(status.stdout).toMatch(
        /last run .*: interrupted by SIGHUP \(exit 129\); your work was restored \(stash-pop\), verified\./,
      );
    } finally {
      pty?.dispose();
      repo.cleanup();
    }
  },
);
