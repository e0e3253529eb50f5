import { expect, test } from "vitest";
import { walkBudget } from "../../src/git/tree-stat.js";
import type { TestRepo } from "../repos/harness.js";
import { ptySkipReason } from "../repos/pty.js";
import { ctrlCRestored } from "../repos/pty-expect.js";
import { slowRepo } from "../repos/slow-check.js";

// Ctrl-C from the keyboard while the spinner turns: the terminal turns the key into SIGINT
// (culprit never puts stdin in raw mode outside a prompt), culprit stops the test, restores.
const skip = ptySkipReason();
if (skip) console.log(`pty-ctrl-c: skipped, ${skip}`);

test.skipIf(skip !== null)(
  "Ctrl-C pressed while the baseline runs: the tree is restored and verified, exit 130",
  async () => {
    const repo: TestRepo = slowRepo();
    try {
      const screen = await ctrlCRestored(repo, ["--", "node", "slow-check.mjs"], {
        state: "probe-baseline",
        detail: "run 1",
        ready: (pty) => pty.waitFor(/baseline run 1 .*current ✗✗✗/),
      });
      expect(screen).toContain(
        "culprit: INCONCLUSIVE: interrupted by SIGINT before the runs decided",
      );
      expect(screen).toContain("interrupted by SIGINT after 3 runs");
    } finally {
      repo.cleanup();
    }
  },
);

test.skipIf(skip !== null)(
  "the same in a tree too large to walk (its folders watched between runs), during the baseline's third run",
  async () => {
    const repo: TestRepo = slowRepo();
    // Committed apart from the uncommitted work slowRepo made: more files than a walk takes, and
    // a check whose baseline passes twice (the second settle is the watch's alone), then writes
    // and sleeps on its third run: the window for Ctrl-C.
    for (let i = 0; i <= walkBudget + 100; i++) repo.write(`data/d${i % 40}/f${i}.txt`, `${i}\n`);
    repo.write(
      "third-run.mjs",
      `import { writeFileSync } from "node:fs";
import { add } from "./lib.mjs";
if (process.env.CULPRIT_SIDE !== "baseline") process.exit(add(2, 2) === 4 ? 0 : 1);
if (process.env.CULPRIT_RUN === "3") {
  writeFileSync("README.md", "rewritten at the baseline\\n");
  writeFileSync("data/d1/made.txt", "made by the test\\n");
  setTimeout(() => {}, 60_000);
}
`,
    );
    repo.git("add", "data", "third-run.mjs");
    repo.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data");
    try {
      // Runs 2 and 3 of a side start after a settle the watch alone decided.
      await ctrlCRestored(repo, ["--runs", "5", "--", "node", "third-run.mjs"], {
        state: "probe-baseline",
        detail: "run 3",
      });
    } finally {
      repo.cleanup();
    }
  },
);
