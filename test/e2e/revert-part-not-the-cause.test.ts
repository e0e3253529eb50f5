import { afterEach, expect, test } from "vitest";
import {
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import {
  bugInNewHelperRepo,
  helperAndNotesRepo,
  newTestCommand,
} from "../repos/revert-scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

interface Attempt {
  strategy: string;
  suspects: string[];
  outcome: string;
}

interface Result {
  verdict: string;
  reason: string;
  suspects: string[];
  attempts: Attempt[];
  tests: { verdict: string; reason: string }[];
}

// A selective revert of part of the suspects where the failure stays says that those paths are
// not the cause alone, nothing of the others. Found on a real project (pytest, a new test and the
// helper it imports, an untracked notes file): reverting the notes alone "decided" PRE-EXISTING,
// exit 0, while the bug was in a source file whose revert had not been tried apart. Since the
// revert that took the new helper away is followed by one that keeps your new files, that
// project's case goes to the source at once (revert-new-helper.test.ts); the next test still
// reaches a part that does not help.
test("a revert of an unrelated file that still fails does not make it pre-existing: the next part names the bug", () => {
  repo = helperAndNotesRepo();
  const before = captureState(repo);
  const run = runCulprit(repo, ["--json", "--", ...newTestCommand]);
  expect(run.status, run.stderr).toBe(1);
  const result = parseJsonOutput(run) as unknown as Result;
  expect(result.verdict).toBe("regression");
  expect(result.suspects).toEqual(["src/price.mjs"]);
  const outcomes = result.attempts.map((a) => `${a.suspects.join(",")}: ${a.outcome}`);
  expect(outcomes).toEqual([
    ": unrunnable",
    "notes.txt,src/helper.mjs,src/price.mjs: unrunnable",
    "src/price.mjs: decided",
  ]);
  expect(result.tests.map((t) => t.verdict)).toEqual(["regression"]);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
});

test("when no revert that could hold the bug can run: inconclusive, exit 2, never pre-existing", () => {
  repo = bugInNewHelperRepo();
  const before = captureState(repo);
  const run = runCulprit(repo, ["--json", "--", ...newTestCommand]);
  expect(run.status, run.stderr).toBe(2);
  const result = parseJsonOutput(run) as unknown as Result;
  expect(result.verdict).toBe("inconclusive");
  expect(result.reason).toMatch(
    /^reverting notes\.txt does not help, and the baseline could not run/,
  );
  expect(result.reason).toContain("whether your changes cause this failure is not known");
  expect(result.attempts.at(-1)).toMatchObject({
    suspects: ["notes.txt"],
    outcome: "not-the-cause",
  });
  expect(result.tests).toHaveLength(1);
  expect(result.tests[0]!.verdict).toBe("inconclusive");
  expect(result.tests[0]!.reason).toContain("not caused by notes.txt alone");
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);

  const human = runCulprit(repo, ["--", ...newTestCommand]);
  expect(human.status).toBe(2);
  expect(human.stdout.split("\n")[0]).toMatch(
    /^culprit: INCONCLUSIVE: reverting notes\.txt does not help/,
  );
  expect(human.stdout).toContain("still fails: not caused by these alone");
  // An attempt that could not run says why (its runs' words): the helper the test imports.
  expect(human.stdout).toMatch(
    /revert src\/helper\.mjs {2}∅ {2}could not run: node: Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module/,
  );
  expect(captureState(repo)).toEqual(before);
});
