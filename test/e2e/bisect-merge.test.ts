import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, concurrentRepos, runCulpritAsync } from "../repos/harness.js";
import { bisectDoc, breaksStateAt, historyCheck, mergedHistory } from "../repos/history.js";

/*
 * The first-parent search names the merge that brought a branch in: where the failure came from a
 * commit of that branch, `git bisect` (without --first-parent) ends at that commit, and culprit
 * named the merge. It now searches the branch's commits too, and names the merge itself only when
 * the branch alone passes (the two sides fail together). Real repositories, real merges.
 */

const newRepo = concurrentRepos();

type Commit = { sha: string; probability: number };
type Doc = {
  verdict: string;
  reason: string;
  exitCode: number;
  culprit: Commit | null;
  tested: { sha: string }[];
  branch?: {
    merge: Commit;
    verdict: string;
    good: { sha: string };
    bad: { sha: string };
    commits: number;
    culprit: Commit | null;
    tested: { sha: string; end: string | null }[];
  };
};

test.concurrent("a commit of a merged branch broke it: that commit, brought in by the merge", async () => {
  const { repo, good, branch, merge } = mergedHistory(
    newRepo(),
    historyCheck,
    breaksStateAt(3),
    () => {},
  );
  // Dirty: the tree is never touched.
  repo.write("state.txt", "work in progress\n");
  repo.write("notes.txt", "untracked\n");
  const before = captureState(repo);
  const { result, doc } = await bisectDoc<Doc>(repo, good, ["./check.sh"]);
  expect(doc.verdict, result.stderr).toBe("culprit");
  expect(result.status).toBe(0);
  expect(doc.culprit!.sha).toBe(branch[2]);
  expect(doc.branch!.merge.sha).toBe(merge);
  expect(doc.branch!.verdict).toBe("culprit");
  // From the branch's start (the good end here) up to the merge's second parent.
  expect([doc.branch!.good.sha, doc.branch!.bad.sha, doc.branch!.commits]).toEqual([
    good,
    branch[3],
    4,
  ]);
  expect(doc.reason).toMatch(/on the branch merge \S+ brought in/);
  // The first-parent search's rows hold no branch commit; the branch's hold them.
  expect(doc.tested.some((c) => branch.includes(c.sha))).toBe(false);
  expect(doc.branch!.tested.some((c) => c.sha === branch[2])).toBe(true);
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
  const human = await runCulpritAsync(repo, ["bisect", "--good", good, "--", "./check.sh"]);
  expect(human.stdout).toContain(`culprit bisect: FOUND: ${branch[2]!.slice(0, 12)} feature 3`);
  expect(human.stdout).toContain(
    `on the branch merged by ${merge.slice(0, 12)} Merge branch 'feature'`,
  );
  expect(human.stdout).toMatch(/then the branch it merged: searched 4 commits after/);
  expect(human.stdout).toMatch(/tested on the branch, oldest first:\n(.*\n)*.*feature 3 +✗/);
  expect(captureState(repo)).toEqual(before);
}, 240_000);

// A semantic conflict: the branch adds a caller, the main line renames what it calls. Each side
// passes; their merge fails.
const together = `#!/bin/sh
if [ -f feature/uses-old-name.txt ] && [ -f main/renamed.txt ]; then echo "the two sides disagree"; exit 1; fi
echo ok
`;

test.concurrent("each side passes and their merge fails: the merge itself", async () => {
  const { repo, good, merge } = mergedHistory(
    newRepo(),
    together,
    (r, i) => {
      if (i === 2) r.write("feature/uses-old-name.txt", "calls old()\n");
    },
    (r, i) => {
      if (i === 2) r.write("main/renamed.txt", "old() is new() now\n");
    },
  );
  const before = captureState(repo);
  const { result, doc } = await bisectDoc<Doc>(repo, good, ["./check.sh"]);
  expect(doc.verdict, result.stderr).toBe("culprit");
  expect(result.status).toBe(0);
  expect(doc.culprit!.sha).toBe(merge);
  expect(doc.branch!.merge.sha).toBe(merge);
  expect(doc.branch!.verdict).toBe("not-reproduced");
  expect(doc.branch!.culprit).toBeNull();
  expect(doc.reason).toMatch(
    /the merge itself, since its branch alone \(\S+\^2\) passed all \d+ runs/,
  );
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
  const human = await runCulpritAsync(repo, ["bisect", "--good", good, "--", "./check.sh"]);
  expect(human.stdout).toContain(
    `culprit bisect: FOUND: ${merge.slice(0, 12)} Merge branch 'feature'`,
  );
  expect(human.stdout).toMatch(/a merge, and the failure is its own: its branch alone/);
}, 240_000);

const oldTest =
  'const { test } = require("node:test");\ntest("old", () => { throw new Error("was already failing"); });\n';
const stateTest =
  'const { test } = require("node:test");\nconst assert = require("node:assert");\nconst { readFileSync } = require("node:fs");\ntest("state is fine", () => assert.strictEqual(readFileSync("state.txt", "utf8"), "fine\\n"));\n';

// The everyday suite: a test that was already failing at the good end, and one a commit of the
// branch broke. The first search follows the test that broke; the branch's search follows it too.
test.concurrent("a suite with an old failure: the branch's commit that broke the other test", async () => {
  const { repo, good, branch, merge } = mergedHistory(
    newRepo(),
    historyCheck,
    breaksStateAt(2),
    () => {},
    (r) => {
      r.write("test/old.test.js", oldTest);
      r.write("test/state.test.js", stateTest);
    },
  );
  const before = captureState(repo);
  const { result, doc } = await bisectDoc<Doc & { tests: string[]; branch: { tests: string[] } }>(
    repo,
    good,
    ["node", "--test", "test/"],
  );
  expect(doc.verdict, result.stderr).toBe("culprit");
  expect(doc.culprit!.sha).toBe(branch[1]);
  expect(doc.branch!.merge.sha).toBe(merge);
  expect(doc.tests).toEqual(["test/state.test.js::state is fine"]);
  expect(doc.branch.tests).toEqual(doc.tests);
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
}, 240_000);

// The test that breaks came in on the main line, after the branch left it: the branch's tip runs
// the suite without it. The merge stays named, and the reason says the test is not on the branch
// (it read "the command could not run at ...^2 (a build failure, a missing file?)").
test.concurrent("the test that broke is not on the merged branch: the merge, and why", async () => {
  const { repo, merge } = mergedHistory(
    newRepo(),
    historyCheck,
    breaksStateAt(2),
    (r, i) => {
      if (i === 1) r.write("test/state.test.js", stateTest);
    },
    (r) => r.write("test/old.test.js", oldTest),
  );
  const before = captureState(repo);
  const { result, doc } = await bisectDoc<Doc & { branch: { reason: string } }>(
    repo,
    `${merge}^1`,
    ["node", "--test", "test/"],
  );
  expect(doc.verdict, result.stderr).toBe("culprit");
  expect(doc.culprit!.sha).toBe(merge);
  expect(doc.branch.verdict).toBe("unrunnable");
  expect(doc.branch.reason).toMatch(
    /^the command ran at \S+\^2, and test\/state\.test\.js::state is fine, followed, is not there/,
  );
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
}, 240_000);
