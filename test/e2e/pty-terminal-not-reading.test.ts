import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { captureState, type TestRepo } from "../repos/harness.js";
import { ptySkipReason, startPty } from "../repos/pty.js";
import { expectLastRunInterrupted, expectUntouched } from "../repos/pty-expect.js";
import { slowRepo, waitForState } from "../repos/slow-check.js";

// A terminal that stops reading (Ctrl-S, XOFF: every write to it would block): culprit must
// still handle a signal, restore and exit, without waiting for the terminal to read again.
// Before, a write to the terminal blocked the event loop, and with it the signal handlers.
const skip = ptySkipReason();
if (skip) console.log(`pty-terminal-not-reading: skipped, ${skip}`);

function culpritPid(repo: TestRepo): number {
  const journal = JSON.parse(
    readFileSync(join(repo.dir, ".git", "culprit", "journal.json"), "utf8"),
  );
  return journal.pid as number;
}

describe.skipIf(skip !== null)("output stopped with Ctrl-S while the baseline runs", () => {
  test.concurrent.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "%s: the tree is restored and verified, exit %i, the terminal still stopped",
    async (signal, code) => {
      const repo = slowRepo();
      const pty = await startPty(repo, ["--", "node", "slow-check.mjs"], {
        columns: 120,
        rows: 40,
      });
      try {
        const before = captureState(repo);
        await waitForState(repo, "probe-baseline", "run 1");
        await pty.waitFor(/baseline run 1/);
        await pty.sendKeys("C-s");
        // Wait until culprit has found the terminal not reading: its output stops growing.
        await pty.output();
        if (signal === "SIGINT") await pty.sendKeys("C-c");
        else process.kill(culpritPid(repo), signal);
        // A bound for a loaded machine, not a timing: the restore alone takes about a second.
        expect(await pty.exitCode(30_000)).toBe(code);
        expectUntouched(repo, before);
        expectLastRunInterrupted(repo, signal, code);
        await pty.sendKeys("C-q");
      } finally {
        pty.dispose();
        repo.cleanup();
      }
    },
  );
});
