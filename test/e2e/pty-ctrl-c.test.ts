import { expect, test } from "vitest";
import { captureState, type TestRepo } from "../repos/harness.js";
import { type Pty, ptySkipReason, startPty } from "../repos/pty.js";
import { expectLastRunInterrupted, expectUntouched } from "../repos/pty-expect.js";
import { slowRepo, waitForState } from "../repos/slow-check.js";

// Ctrl-C from the keyboard while the spinner turns: the terminal turns the key into SIGINT
// (culprit never puts stdin in raw mode outside a prompt), culprit stops the test, restores.
const skip = ptySkipReason();
if (skip) console.log(`pty-ctrl-c: skipped, ${skip}`);

test.skipIf(skip !== null)(
  "Ctrl-C pressed while the baseline runs: the tree is restored and verified, exit 130",
  async () => {
    const repo: TestRepo = slowRepo();
    let pty: Pty | undefined;
    try {
      const before = captureState(repo);
      pty = await startPty(repo, ["--", "node", "slow-check.mjs"], { columns: 120, rows: 40 });
      await waitForState(repo, "probe-baseline", "run 1");
      await pty.waitFor(/baseline run 1 .*current ✗✗✗/);
      await pty.sendKeys("C-c");
      expect(await pty.exitCode()).toBe(130);
      const screen = await pty.screen();
      expect(screen).toContain("culprit: SIGINT: stopping the test and restoring your work");
      expect(screen).toContain("interrupted by SIGINT after 3 runs");
      expect(screen).toContain("restored via a reset to your backed-up tree, verified");
      expectUntouched(repo, before);
      expectLastRunInterrupted(repo, "SIGINT", 130);
    } finally {
      pty?.dispose();
      repo.cleanup();
    }
  },
);
