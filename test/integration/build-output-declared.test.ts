import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import {
  captureState,
  createRepo,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";

/*
 * A build output that is not named dist/ or build/: validator.js builds into lib/ and es/
 * (`babel src -d .`), which its package.json publishes ("main", "files"). --worktree linked your
 * lib/ into the baseline's worktree: a command that builds wrote HEAD's build into yours while
 * the report said "never touched", and one that does not tested your build on both sides, a
 * regression read PRE-EXISTING with no note; in place, no note either (validatorjs/validator.js
 * trial). An ignored path your package.json publishes is a build output like dist/.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

function libRepo(): TestRepo {
  const r = createRepo();
  r.write(".gitignore", "lib/\n");
  r.write("package.json", '{ "name": "v", "main": "lib/a.js", "files": ["lib"] }\n');
  r.write("src/a.js", "module.exports = () => 1;\n");
  r.write(
    "build.js",
    'const fs = require("node:fs");\nfs.mkdirSync("lib", { recursive: true });\nfs.copyFileSync("src/a.js", "lib/a.js");\n',
  );
  r.write("check.js", "process.exit(require('./lib/a.js')() === 1 ? 0 : 1);\n");
  r.commit("a library built into lib/");
  // Your change, built into your lib/.
  r.write("src/a.js", "module.exports = () => 2;\n");
  r.write("lib/a.js", "module.exports = () => 2;\n");
  return r;
}

test("--worktree, a command that builds: your lib/ is not the baseline's to write; REGRESSION", () => {
  repo = libRepo();
  const before = captureState(repo);
  const r = runCulprit(repo, [
    "--json",
    "--no-cache",
    "--worktree",
    "--",
    "sh",
    "-c",
    "node build.js && node check.js",
  ]);
  expect(parseJsonOutput(r)["verdict"]).toBe("regression");
  // captureState reads ignored files too: your lib/a.js is your build still.
  expect(readFileSync(join(repo.dir, "lib", "a.js"), "utf8")).toBe("module.exports = () => 2;\n");
  expect(captureState(repo)).toEqual(before);
});

test("--worktree, a command that does not build: not PRE-EXISTING on your build twice", () => {
  repo = libRepo();
  const before = captureState(repo);
  const r = runCulprit(repo, ["--json", "--no-cache", "--worktree", "--", "node", "check.js"]);
  // The baseline's worktree has no lib/ of its own: it cannot run (as with dist/).
  expect(parseJsonOutput(r)["verdict"]).toBe("unrunnable");
  expect(captureState(repo)).toEqual(before);
});

test("in place, a command that does not build: PRE-EXISTING, with the note that lib/ was not rebuilt", () => {
  repo = libRepo();
  const r = runCulprit(repo, ["--json", "--no-cache", "--", "node", "check.js"]);
  const json = parseJsonOutput(r);
  expect(json["verdict"]).toBe("pre-existing");
  expect(json["buildsNotRebuilt"]).toEqual(["lib"]);
});
