import { test } from "vitest";
import { createRepo } from "../repos/harness.js";
import { ptySkipReason } from "../repos/pty.js";
import { ctrlCRestored } from "../repos/pty-expect.js";

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
    try {
      await ctrlCRestored(repo, ["--", "node", "check.mjs"], {
        state: "probe-baseline",
        detail: "run 1",
      });
    } finally {
      repo.cleanup();
    }
  },
);
