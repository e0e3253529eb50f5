import { describe, expect, test } from "vitest";
import { captureState, runCulprit, type TestRepo } from "../repos/harness.js";
import { readJournal } from "../repos/journal.js";
import { ptySkipReason, startPty } from "../repos/pty.js";
import { cleanupRepo, expectLastRunInterrupted, expectUntouched } from "../repos/pty-expect.js";
import { slowRepo, waitForState } from "../repos/slow-check.js";
import { flakyCommand, flakyRegressionRepo } from "../repos/terminal-scenarios.js";

// Closing the terminal (a tab, a tmux window) mid-run: the shell passes SIGHUP on, every write
// to the terminal then fails with EIO, and none of that may stop the restore. Before, culprit
// died of the unhandled EIO within seconds, leaving the work in the stash.
const skip = ptySkipReason();
if (skip) console.log(`pty-sighup: skipped, ${skip}`);

/** Starts culprit, waits for `ready`, closes the terminal, checks that nothing is lost. */
async function closeTerminalWhen(
  build: () => TestRepo,
  args: string[],
  ready: (repo: TestRepo, screen: (p: RegExp) => Promise<string>) => Promise<unknown>,
): Promise<void> {
  const repo = build();
  const pty = await startPty(repo, args, { columns: 120, rows: 40 });
  try {
    const before = captureState(repo);
    await ready(repo, (p) => pty.waitFor(p));
    // Something to lose: the baseline is checked out, your work is in the stash.
    expect(repo.git("stash", "list")).toContain("culprit baseline");
    await pty.hangUp();
    // A bound for a loaded machine, not a timing: it takes about a second alone.
    expect(await pty.exitCode(30_000)).toBe(129);
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
    pty.dispose();
    await cleanupRepo(repo);
  }
}

describe.skipIf(skip !== null)(
  "the terminal closed: the tree is back and verified, exit 129",
  () => {
    test.concurrent("while the baseline runs", async () => {
      // The stash: the baseline where most is at stake (the work is in a stash entry meanwhile).
      await closeTerminalWhen(
        slowRepo,
        ["--strategy", "stash", "--", "node", "slow-check.mjs"],
        async (repo, screen) => {
          await waitForState(repo, "probe-baseline", "run 1");
          await screen(/baseline run 1/);
        },
      );
    });

    test.concurrent("while the 'run more?' question is open at the baseline", async () => {
      await closeTerminalWhen(
        flakyRegressionRepo,
        ["--strategy", "stash", "--max-runs", "3", "--", ...flakyCommand],
        async (_repo, screen) => screen(/Run how many more times a side\?/),
      );
    });
  },
);
