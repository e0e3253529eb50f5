import { expect, test } from "vitest";
import { ptySkipReason } from "../repos/pty.js";
import { ctrlCRestored } from "../repos/pty-expect.js";
import { runnerKits, runnerRepo, writeAll } from "../repos/runner-scenarios.js";

// A new test beside its new helper, a bug in an old source (real mocha): the revert of every
// suspect cannot load the helper and ends after one run, and the next revert keeps the helper
// (revert-new-helper.test.ts). Ctrl-C at a real terminal during that next revert's first run
// (baseline run 5: runs 1-3 at HEAD, run 4 the one run of attempt 2): restored and verified,
// exit 130, the screen listing the attempt that ran once.
const skip = ptySkipReason();
if (skip) console.log(`pty-ctrl-c-revert-after-one-run: skipped, ${skip}`);

test.skipIf(skip !== null)(
  "Ctrl-C during the revert that follows one ended after a single run: restored, exit 130",
  async () => {
    const kit = runnerKits["mocha"]!;
    const repo = runnerRepo(kit);
    writeAll(repo, kit.bug);
    writeAll(repo, kit.newTest);
    try {
      const screen = await ctrlCRestored(repo, ["--suspect", "src", "--", ...kit.suite], {
        state: "probe-baseline",
        detail: "run 5",
      });
      expect(screen).toMatch(
        /2\. revert src\/discount\.js and src\/lib\.js {2}∅ {2}could not run: mocha: .*Cannot find module '\.\.\/src\/discount\.js'/,
      );
      expect(screen).toMatch(/3\. revert src\/lib\.js {2}/);
    } finally {
      repo.cleanup();
    }
  },
  120_000,
);
