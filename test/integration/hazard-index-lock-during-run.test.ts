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

test("an index.lock that appears during the run: git cannot stash, the work is intact, unrunnable", () => {
  repo = baseRepo();
  repo.write("locking-check.mjs", lockingCheck);
  repo.commit("locking check");
  introduceBug(repo);
  repo.write("wip.txt", "untracked work\n");
  const { json, status } = attributeUntouched(repo, ["node", "locking-check.mjs"]);
  expect(json.verdict).toBe("unrunnable");
  expect(status).toBe(2);
  expect(json.reason).toMatch(/baseline could not be prepared.*index\.lock/);
  expect(repo.git("stash", "list")).toBe("");
  expect(existsSync(join(repo.dir, ".git", "index.lock"))).toBe(true);
});
