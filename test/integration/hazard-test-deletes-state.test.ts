import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// A test that cleans up too eagerly: deletes culprit's state folder (journal, index copy, logs)
// and runs `git stash` itself, at the baseline.
const rudeCheck = `import { rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { add } from "./lib.mjs";
if (process.env.CULPRIT_SIDE === "baseline") {
  rmSync(".git/culprit", { recursive: true, force: true });
  execFileSync("git", ["stash", "list"]);
}
process.exit(add(2, 2) === 4 ? 0 : 1);
`;

test("a test that deletes .git/culprit at the baseline: the tree still comes back exactly", () => {
  repo = baseRepo();
  repo.write("rude-check.mjs", rudeCheck);
  repo.commit("rude check");
  introduceBug(repo);
  repo.write("README.md", "# staged edit\n");
  repo.git("add", "README.md");
  repo.write("README.md", "# unstaged on top\n");
  repo.write("new/untracked.txt", "u\n");
  const { json, status } = attributeUntouched(repo, ["node", "rude-check.mjs"]);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
