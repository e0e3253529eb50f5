import { describe, expect, test } from "vitest";
import { captureState } from "../repos/harness.js";
import { readJournal } from "../repos/journal.js";
import { type Pty, ptySkipReason, startPty } from "../repos/pty.js";
import { expectUntouched } from "../repos/pty-expect.js";
import { oneSecondCommand, oneSecondRegressionRepo } from "../repos/terminal-scenarios.js";

// What `script -qfc "culprit -- ..." log` gives when its input is not a terminal (a 0x0
// pseudo-terminal: some CI runners and editor shells), a narrow one, and a resize mid-run.
// Before, the spinner wrote cursor-up sequences without end on a 0x0 terminal (1.5 GB in 20
// minutes) and never left the backup state. Under `script` where it is on the machine.
const skip = ptySkipReason();
if (skip) console.log(`pty-tiny-terminal: skipped, ${skip}`);

const braille = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const maxBytes = 64 * 1024;

/** Runs the one-second regression at a terminal of `stty` size and checks verdict and bytes. */
async function regressionAt(stty: string, check: (output: string, pty: Pty) => void) {
  const repo = oneSecondRegressionRepo();
  const pty = await startPty(repo, ["--", ...oneSecondCommand], {
    columns: 80,
    rows: 24,
    driver: "script",
    stty,
  });
  try {
    const before = captureState(repo);
    expect(await pty.exitCode()).toBe(1);
    const output = await pty.output();
    expect(output.length).toBeLessThan(maxBytes);
    expect(output.toString()).toContain("culprit: REGRESSION: your changes cause this failure");
    check(output.toString(), pty);
    expectUntouched(repo, before);
  } finally {
    pty.dispose();
    repo.cleanup();
  }
}

describe.skipIf(skip !== null)("tiny terminals: the right verdict, bounded output", () => {
  test.concurrent("0x0: no spinner at all, the verdict, under 64 KB", async () => {
    await regressionAt("rows 0 cols 0", (output) => {
      expect(output).not.toMatch(braille);
      expect(output).not.toMatch(/\u001b\[\d*[AF]/);
    });
  });

  test.concurrent("1x1: no spinner at all, the verdict, under 64 KB", async () => {
    await regressionAt("rows 1 cols 1", (output) => {
      expect(output).not.toMatch(braille);
    });
  });

  test.concurrent("20 columns: every spinner frame fits in 19 cells", async () => {
    await regressionAt("rows 10 cols 20", (output) => {
      const frames = output
        .split("\r")
        .filter((f) => braille.test(f))
        .map((f) => f.replace(/\u001b\[K$/, ""));
      expect(frames.length).toBeGreaterThan(0);
      for (const frame of frames) {
        expect(frame).not.toMatch(/[\n\u001b]/);
        expect([...frame].length).toBeLessThanOrEqual(19);
      }
    });
  });

  test.concurrent("resized to 0x0 mid-run: the spinner is erased once and stays away; back to 120x40: it comes back", async () => {
    const repo = oneSecondRegressionRepo();
    const pty = await startPty(repo, ["--", ...oneSecondCommand], { columns: 120, rows: 40 });
    try {
      const before = captureState(repo);
      await pty.waitFor(/current run \d/);
      pty.resize(0, 0);
      // Whatever was drawn before the resize settles; then a whole run goes by.
      const atResize = (await pty.output()).length;
      const detail = readJournal(repo)?.detail;
      for (let i = 0; i < 200 && readJournal(repo)?.detail === detail; i++)
        await new Promise((r) => setTimeout(r, 50));
      const afterRun = await pty.output();
      expect(afterRun.subarray(atResize).toString()).not.toMatch(braille);
      pty.resize(120, 40);
      // The screen showed no spinner since the resize erased it: it is back.
      await pty.waitFor(braille);
      expect(await pty.exitCode()).toBe(1);
      const output = await pty.output();
      expect(output.length).toBeLessThan(maxBytes);
      expect(output.subarray(afterRun.length).toString()).toMatch(braille);
      expectUntouched(repo, before);
    } finally {
      pty.dispose();
      repo.cleanup();
    }
  });
});
