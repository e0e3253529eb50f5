import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// Like an editor's git integration that takes the index lock while the tests run.
const lockingCheck = `import { writeFileSync } from "node:fs";
import { add } from "./lib.mjs";
writeFileSync(".git/index.lock", "");
process.exit(add(2, 2) === 4 ? 0 : 1);
`;

/** The regression repository with the locking check and untracked work. */
function lockingRepo(): TestRepo {
  const r = baseRepo();
  r.write("locking-check.mjs", lockingCheck);
  r.commit("locking check");
  introduceBug(r);
  r.write("wip.txt", "untracked work\n");
  return r;
}

test("an index.lock that appears during the run: the default baseline needs no index, regression", () => {
  repo = lockingRepo();
  // HEAD's files are put back in place without the real index: the lock is in nobody's way.
  const { json, status } = attributeUntouched(repo, ["node", "locking-check.mjs"]);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(existsSync(join(repo.dir, ".git", "index.lock"))).toBe(true);
});

test("the same with --strategy stash: git cannot stash, the work is intact, unrunnable", () => {
  repo = lockingRepo();
  const { json, status } = attributeUntouched(
    repo,
    ["node", "locking-check.mjs"],
    ["--strategy", "stash"],
  );
  expect(json.verdict).toBe("unrunnable");
  expect(status).toBe(2);
  expect(json.reason).toMatch(/baseline could not be prepared.*index\.lock/);
  expect(repo.git("stash", "list")).toBe("");
  expect(existsSync(join(repo.dir, ".git", "index.lock"))).toBe(true);
});
