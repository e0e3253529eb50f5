import { describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { parseJsonOutput } from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";
import { runnerKits, runnerRepo, writeAll } from "../repos/runner-scenarios.js";
import { runUntouched } from "../repos/worktree-runs.js";

/*
 * A new test file beside the new helper it imports, and a bug in an old source: the everyday
 * case of a selective revert. The revert of every suspect takes the helper away, so the new test
 * cannot load. Before, culprit ran that baseline three times although the runner had named the
 * missing file, then reverted the helper alone (three more runs that could never answer), and
 * only then the old source: 17 runs. Now a run that names a file your change adds, which the
 * baseline lacks, ends that attempt, and the next one keeps your new files: 12 runs (node --test,
 * jest, vitest and unittest: 14 runs, then 12 once a run where the new test's file failed to
 * load for that file ends it too).
 */
type Attempt = {
  strategy: string;
  suspects: string[];
  outcome: string;
  counts: { cannotRun: number; runs: number };
};

describe.each([
  ["mocha", "src/discount.js", "src/lib.js", 1, []],
  // The baselines in worktrees: the same, run by run.
  ["mocha", "src/discount.js", "src/lib.js", 1, ["--worktree"]],
  ["pytest", "src/shop/discount.py", "src/shop/lib.py", 1, []],
  // node --test, jest and unittest report the file that could not load as a failing test: the
  // run ran (it was judged three times before), and it names the helper the revert took away,
  // the file of the only test left to judge there.
  ["node", "src/discount.mjs", "src/lib.mjs", 0, []],
  ["jest", "src/discount.js", "src/lib.js", 0, []],
  ["unittest", "src/shop/discount.py", "src/shop/lib.py", 0, []],
] as const)(
  "%s %j: a new test file and its new helper, a bug in an old source",
  (name, helper, source, cannotRun, args) => {
    const missing = runnerMissing(runnerKits[name]!.runner);
    if (missing) console.log(`skipped the ${name} case: ${missing}`);
    test.skipIf(missing !== null)(
      "the revert that takes the helper away is not run again, nor the helper alone",
      () => {
        const kit = runnerKits[name]!;
        const repo = runnerRepo(kit);
        try {
          writeAll(repo, kit.bug);
          writeAll(repo, kit.newTest);
          // In worktrees your tree is never touched (nothing to restore or verify): the same
          // byte-for-byte comparison, and no worktree left, without the restore's "verified".
          const worktrees =
            args.length > 0 ? runUntouched(repo, ["--json", ...args, "--", ...kit.suite]) : null;
          const { json, status } = worktrees
            ? { json: parseJsonOutput(worktrees), status: worktrees.status }
            : attributeUntouched(repo, kit.suite, [], kit.env ?? {}, kit.outputs);
          expect(json.verdict).toBe("regression");
          expect(status).toBe(1);
          const attempts = json["attempts"] as Attempt[];
          expect(attempts.map((a) => [a.strategy, a.suspects])).toEqual([
            [args.length > 0 ? "worktree" : "baseline-reset", []],
            ["selective-revert", [helper, source]],
            ["selective-revert", [source]],
          ]);
          expect(attempts[1]!.counts.cannotRun).toBe(cannotRun);
          // One run of that revert, whether it could not run or ran without the new test.
          expect(attempts[1]!.counts.cannotRun + attempts[1]!.counts.runs).toBe(1);
          expect(attempts[2]!.outcome).toBe("decided");
          expect(json["suspects"]).toEqual([source]);
        } finally {
          repo.cleanup();
        }
      },
      300_000,
    );
  },
);
