import { createRepo, type TestRepo } from "./harness.js";

/**
 * Fixture repositories for `--base REV`: the failure was committed, so the tree may be clean (as
 * in CI) and the baseline is an older revision.
 */

const check = `const { readFileSync } = require("node:fs");
// An ignored folder the test needs, as node_modules would be: it must stay usable at the base.
const helper = require("./node_modules/helper/index.js");
const value = readFileSync("value.txt", "utf8").trim();
if (!helper.ok(value)) {
  console.error("check failed: value is " + value);
  process.exit(1);
}
console.log("ok");
`;

/** The command the `--base` scenarios run (argv, no shell). */
export const baseCheckCommand = ["node", "check.js"];

/** Three commits: HEAD~2 passes, HEAD~1 is unrelated (README), HEAD breaks value.txt. */
export function committedRegressionRepo(): TestRepo {
  const repo = createRepo();
  repo.write(".gitignore", "node_modules/\n*.log\n");
  repo.write("check.js", check);
  repo.write("value.txt", "good\n");
  repo.commit("passing");
  repo.write("README.md", "# project\n");
  repo.commit("docs");
  repo.write("value.txt", "bad\n");
  repo.commit("the regression");
  // Ignored, never committed: must survive and stay usable at the baseline.
  repo.write("node_modules/helper/index.js", 'exports.ok = (v) => v === "good";\n');
  return repo;
}

/** The failure is already there at HEAD~2 (HEAD~2 and HEAD both fail). */
export function committedPreExistingRepo(): TestRepo {
  const repo = createRepo();
  repo.write(".gitignore", "node_modules/\n");
  repo.write("check.js", check);
  repo.write("value.txt", "bad\n");
  repo.commit("already failing");
  repo.write("README.md", "# project\n");
  repo.commit("docs");
  repo.write("other.txt", "unrelated\n");
  repo.commit("unrelated");
  repo.write("node_modules/helper/index.js", 'exports.ok = (v) => v === "good";\n');
  return repo;
}

const lib = (body: string) => `export function add(a, b) {\n  return ${body};\n}\n`;
const newTest = `import test from "node:test";
import assert from "node:assert/strict";
import { add } from "../src/add.mjs";

test("add", () => {
  assert.equal(add(2, 2), 4);
});
`;

/** The command of the test that does not exist at the base (argv, no shell). */
export const baseNewTestCommand = ["node", "--test", "test/add.test.mjs"];

/**
 * HEAD~2 has src/add.mjs (correct) and no test; HEAD~1 breaks src/add.mjs; HEAD adds the test
 * (and an innocent edit in src/other.mjs). At HEAD~2 the test cannot run (it does not exist), so
 * culprit reverts the suspects (taken from the diff to HEAD~2) to HEAD~2's versions.
 */
export function committedNewTestRepo(): TestRepo {
  const repo = createRepo();
  repo.write(".gitignore", "*.log\n");
  repo.write("src/add.mjs", lib("a + b"));
  repo.write("src/other.mjs", "export const name = 'a';\n");
  repo.commit("initial");
  repo.write("src/add.mjs", lib("a + b + 1"));
  repo.commit("refactor gone wrong");
  repo.write("test/add.test.mjs", newTest);
  repo.write("src/other.mjs", "export const name = 'b';\n");
  repo.commit("a test");
  return repo;
}
