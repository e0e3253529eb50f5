import { afterEach, expect, test } from "vitest";
import { captureState, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";
import { doneWhenRepo } from "../repos/revert-scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// The README's "Done when": a new user with a new, untracked failing test and a buggy edit in
// a source file is told that the regression is in that source file.
test("culprit -- node --test test/new.test.js names the source file with the bug", () => {
  repo = doneWhenRepo();
  const before = captureState(repo);
  const result = runCulprit(repo, ["--", "node", "--test", "test/new.test.js"]);
  expect(result.status, result.stderr).toBe(1);
  const lines = result.stdout.split("\n");
  expect(lines[0]).toBe("culprit: REGRESSION: the changes in src/cart.js cause this failure");
  expect(lines[1]).toMatch(/^ {2}caused by the changes in src\/cart\.js: 1 test newly fails/);
  expect(result.stdout).toMatch(/baseline ✓ ✓ ✓/);
  expect(result.stdout).toContain("verified");
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
});
