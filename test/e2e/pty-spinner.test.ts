import { expect, test } from "vitest";
import { captureState } from "../repos/harness.js";
import { ptySkipReason, readLastRun, startPty } from "../repos/pty.js";
import { expectUntouched } from "../repos/pty-expect.js";
import { oneSecondCommand, oneSecondRegressionRepo } from "../repos/terminal-scenarios.js";

// The spinner as a person at a 120x40 terminal sees it: one line with the phase, the run and its
// side, the outcome glyphs and an ETA; gone before the report; never a cursor movement up.
const skip = ptySkipReason();
if (skip) console.log(`pty-spinner: skipped, ${skip}`);

const braille = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

test.skipIf(skip !== null)(
  "the spinner shows phase, side, run glyphs and ETA, and is gone before the report",
  async () => {
    const repo = oneSecondRegressionRepo();
    const pty = await startPty(repo, ["--", ...oneSecondCommand], { columns: 120, rows: 40 });
    try {
      const before = captureState(repo);
      // Phase and side, the glyphs so far, the mean run time and the ETA of the runs still due.
      expect(
        await pty.waitFor(/current run [23] {2}current ✗+ {2}~\d+s a run, ETA \d+s\+/),
      ).toMatch(braille);
      await pty.waitFor(/baseline run \d {2}current ✗✗✗ {2}baseline [✓-]+ {2}~\d+s a run/);
      expect(await pty.exitCode()).toBe(1);
      const output = (await pty.output()).toString();
      // Erased (carriage return, erase to the end of the line) before the first line of the report.
      const report = output.indexOf("culprit: REGRESSION");
      expect(report).toBeGreaterThan(0);
      const beforeReport = output.slice(0, report);
      const lastGlyph = Math.max(...[..."⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"].map((g) => beforeReport.lastIndexOf(g)));
      expect(beforeReport.slice(lastGlyph)).toMatch(/^[^\r\n]*\u001b\[K\r\u001b\[K$/);
      expect(output.slice(report)).not.toMatch(braille);
      // One line, redrawn in place: never a cursor movement up, never a newline in a frame.
      expect(output).not.toMatch(/\u001b\[\d*[AF]/);
      for (const frame of output
        .slice(0, report)
        .split("\r")
        .filter((f) => braille.test(f)))
        expect(frame).not.toContain("\n");
      if (pty.driver === "tmux") {
        const screen = await pty.screen();
        expect(screen).not.toMatch(braille);
        expect(screen).toContain(
          "your work: restored via a reset to your backed-up tree, verified",
        );
      }
      expectUntouched(repo, before);
      expect(readLastRun(repo)?.ending?.verdict).toBe("regression");
    } finally {
      pty.dispose();
      repo.cleanup();
    }
  },
);
