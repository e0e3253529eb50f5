import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startCulprit as start, type TestRepo } from "./harness.js";
import { baseRepo, introduceBug } from "./scenarios.js";

/**
 * A check that fails fast on the current tree and, at the baseline, rewrites a tracked file,
 * creates an untracked one, then sleeps: a window in which to interrupt or kill culprit.
 */
const slowCheck = `import { writeFileSync } from "node:fs";
import { add } from "./lib.mjs";
if (process.env.CULPRIT_SIDE === "baseline") {
  writeFileSync("README.md", "rewritten at the baseline\\n");
  writeFileSync("baseline-output.txt", "made by the test\\n");
  setTimeout(() => {}, 60_000);
} else {
  process.exit(add(2, 2) === 4 ? 0 : 1);
}
`;

/** A regression repository with the slow check and some untracked work. */
export function slowRepo(): TestRepo {
  const repo = baseRepo();
  repo.write("slow-check.mjs", slowCheck);
  repo.commit("slow check");
  introduceBug(repo);
  repo.write("wip/notes.txt", "untracked work in progress\n");
  repo.write("README.md", "# sample\n\nedited, unstaged\n");
  return repo;
}

/** Starts culprit on the slow check without waiting for it. */
export function startCulprit(repo: TestRepo, args: string[] = []) {
  const { child, exited } = start(repo, ["--json", ...args, "--", "node", "slow-check.mjs"]);
  return {
    child,
    exited: exited.then(({ status, signal, stdout, stderr }) => ({
      code: status,
      signal,
      stdout,
      stderr,
    })),
  };
}

/**
 * Waits until culprit's journal says it is in `state` (with `detail`, if given). The bound is for
 * a loaded machine (three test files on two cores, a terminal server starting): not a timing.
 */
export async function waitForState(
  repo: TestRepo,
  state: string,
  detail?: string,
  timeoutMs = 90_000,
): Promise<void> {
  const path = join(repo.dir, ".git", "culprit", "journal.json");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      try {
        const journal = JSON.parse(readFileSync(path, "utf8")) as {
          state: string;
          detail?: string;
        };
        if (journal.state === state && (detail === undefined || journal.detail === detail)) return;
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`culprit never reached ${state}${detail ? ` (${detail})` : ""}`);
}
