import type { TestRepo } from "./harness.js";
import { baseRepo, introduceBug } from "./scenarios.js";

/**
 * Fixtures for culprit at a terminal (test/e2e/pty-*.test.ts): checks slow enough for a spinner
 * to be seen, and a flaky one for the "run more?" prompt.
 */

const oneSecondCheck = `import { add } from "./lib.mjs";
setTimeout(() => process.exit(add(2, 2) === 4 ? 0 : 1), 1000);
`;

/** The command of `oneSecondRegressionRepo` (argv, no shell). */
export const oneSecondCommand = ["node", "one-second.mjs"];

/** A regression whose check takes a second a run: fails with the change, passes without it. */
export function oneSecondRegressionRepo(): TestRepo {
  const repo = baseRepo();
  repo.write("one-second.mjs", oneSecondCheck);
  repo.commit("one-second check");
  introduceBug(repo);
  repo.write("wip/notes.txt", "untracked work in progress\n");
  return repo;
}

// Fails on run 2 and from run 4 on, only with the uncommitted flag file: 1/3 after the first
// three runs (inconclusive with --max-runs 3), a regression once more runs are allowed.
const flakyCheck = `import { existsSync } from "node:fs";
const run = Number(process.env.CULPRIT_RUN ?? "1");
process.exit(existsSync("feature-flag.txt") && (run === 2 || run >= 4) ? 1 : 0);
`;

/** The command of `flakyRegressionRepo` (argv, no shell). */
export const flakyCommand = ["node", "flaky.mjs"];

/** A flaky regression: undecided after 3 runs a side, decided with more. */
export function flakyRegressionRepo(): TestRepo {
  const repo = baseRepo();
  repo.write("flaky.mjs", flakyCheck);
  repo.commit("flaky check");
  repo.write("feature-flag.txt", "on\n");
  return repo;
}
