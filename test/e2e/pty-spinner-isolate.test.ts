import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, culpritRefs } from "../repos/harness.js";
import { isolateCommand, isolateRepo } from "../repos/isolate.js";
import { ptySkipReason, readLastRun, startPty } from "../repos/pty.js";
import { expectUntouched } from "../repos/pty-expect.js";

// `culprit isolate` at a terminal: a one-line spinner says what it is doing (the attribution,
// then each configuration and its judgement), is gone before the report, and the ending is in
// last-run.json. Without it a person waits minutes before a silent terminal.
const skip = ptySkipReason();
if (skip) console.log(`pty-spinner-isolate: skipped, ${skip}`);

const braille = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

test.skipIf(skip !== null)(
  "isolate's spinner shows the phase and each configuration, and is gone before the report",
  async () => {
    const repo = isolateRepo({ markers: [[1, 1, "BROKEN"]], failWhen: ["BROKEN"] });
    const before = captureState(repo);
    const pty = await startPty(repo, ["isolate", "--", ...isolateCommand], {
      columns: 120,
      rows: 40,
    });
    try {
      expect(await pty.exitCode()).toBe(0);
      const output = (await pty.output()).toString();
      const report = output.indexOf("culprit isolate: FOUND");
      expect(report, output).toBeGreaterThan(0);
      const beforeReport = output.slice(0, report);
      // The phases and the configurations, each in a frame of the spinner.
      expect(beforeReport).toMatch(new RegExp(`${braille.source} attributing the failure`));
      expect(beforeReport).toMatch(
        new RegExp(`${braille.source} configuration \\d+ \\(\\d+ change\\(s\\)\\): (fail|pass)`),
      );
      // Erased before the report, never drawn after it, never a line of its own.
      const lastGlyph = Math.max(...[..."⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"].map((g) => beforeReport.lastIndexOf(g)));
      expect(beforeReport.slice(lastGlyph)).toMatch(/^[^\r\n]*\u001b\[K\r\u001b\[K$/);
      expect(output.slice(report)).not.toMatch(braille);
      expect(output).not.toMatch(/\u001b\[\d*[AF]/);
      expectUntouched(repo, before);
      expect(readLastRun(repo)?.ending?.verdict).toBe("isolated");
    } finally {
      pty.dispose();
      repo.cleanup();
    }
  },
);

// Ctrl-C typed while isolate judges configurations (each run takes a second): the terminal turns
// the key into SIGINT (the spinner never reads stdin), the runs stop, the worktrees go, exit 130,
// and the user's tree was never written.
test.skipIf(skip !== null)(
  "Ctrl-C pressed while isolate searches: runs stopped, worktrees removed, exit 130",
  async () => {
    const repo = isolateRepo({ markers: [[1, 1, "BROKEN"]], failWhen: ["BROKEN"] });
    const before = captureState(repo);
    const pty = await startPty(
      repo,
      ["isolate", "--", "sh", "-c", `sleep 1; exec ${isolateCommand.join(" ")}`],
      { columns: 120, rows: 40 },
    );
    try {
      await pty.waitFor(/configuration \d+ \(\d+ change\(s\)\)/, 120_000);
      await pty.sendKeys("C-c");
      expect(await pty.exitCode()).toBe(130);
      const screen = await pty.screen();
      expect(screen).toContain(
        "culprit: SIGINT: stopping the runs and removing the worktrees, please wait...",
      );
      expect(screen).toContain("interrupted by SIGINT; no hunk named");
      expectUntouched(repo, before);
      expect(culpritRefs(repo)).toEqual([]);
      expect(leftWorktrees(repo)).toEqual([]);
      const ending = readLastRun(repo)?.ending;
      expect(ending?.signal?.name).toBe("SIGINT");
      expect(ending?.exitCode).toBe(130);
    } finally {
      pty.dispose();
      repo.cleanup();
    }
  },
);
