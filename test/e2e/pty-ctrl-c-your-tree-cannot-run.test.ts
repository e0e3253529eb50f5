import { expect, test } from "vitest";
import { captureState, createRepo } from "../repos/harness.js";
import { type Pty, ptySkipReason, startPty } from "../repos/pty.js";
import { expectLastRunInterrupted, expectUntouched } from "../repos/pty-expect.js";
import { waitForState } from "../repos/slow-check.js";

// A command your change stops before it runs (a syntax error) now sends culprit to the baseline,
// in your tree, where it used to stop at once (cannot-run-on-your-tree.test.ts). Ctrl-C at a real
// terminal while that baseline runs: the tree is restored and verified, exit 130.
const skip = ptySkipReason();
if (skip) console.log(`pty-ctrl-c-your-tree-cannot-run: skipped, ${skip}`);

test.skipIf(skip !== null)(
  "Ctrl-C during the baseline a syntax error on your tree sent culprit to: restored, exit 130",
  async () => {
    const repo = createRepo();
    repo.write("lib.mjs", "export const add = (a, b) => a + b;\n");
    repo.write(
      "check.mjs",
      'import { add } from "./lib.mjs";\nsetTimeout(() => process.exit(add(2, 2) === 4 ? 0 : 1), 30_000);\n',
    );
    repo.commit("check");
    repo.write("lib.mjs", "export const add = (a, b) => a + b +;\n");
    repo.write("notes.txt", "untracked, mine\n");
    let pty: Pty | undefined;
    try {
      const before = captureState(repo);
      pty = await startPty(repo, ["--", "node", "check.mjs"], { columns: 120, rows: 40 });
      await waitForState(repo, "probe-baseline", "run 1");
      await pty.sendKeys("C-c");
      expect(await pty.exitCode()).toBe(130);
      const screen = await pty.screen();
      expect(screen).toContain("culprit: SIGINT: stopping the test and restoring your work");
      expect(screen).toContain("restored via a reset to your backed-up tree, verified");
      expectUntouched(repo, before);
      expectLastRunInterrupted(repo, "SIGINT", 130);
    } finally {
      pty?.dispose();
      repo.cleanup();
    }
  },
);
