import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { killRecoverUntouched } from "../repos/expect-untouched.js";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";

/*
 * You run culprit from a folder whose tracked files your change all touched (src/ in a
 * refactor). The default baseline moved your versions aside and removed the folder it left
 * empty; on the way back git's reset removed it again, and the move back made it anew: the same
 * content, another folder. Your shell was left in the removed one (`ls` empty, `git status`:
 * "Unable to read current working directory"), a watcher of it lost it, and the next culprit
 * there failed (unjs/defu trial). The folder is now the same one throughout.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

function mathRepo(): TestRepo {
  const r = createRepo();
  r.write("lib/math.js", "exports.add = (a, b) => a + b;\n");
  r.write(
    "test/math.test.js",
    [
      'const test = require("node:test");',
      'const assert = require("node:assert");',
      'const { add } = require("../lib/math.js");',
      'test("adds", () => assert.strictEqual(add(2, 2), 4));',
      "",
    ].join("\n"),
  );
  r.commit("math");
  // The only tracked file of lib/ changes.
  r.write("lib/math.js", "exports.add = (a, b) => a - b;\n");
  return r;
}

test.each([
  ["run from lib/", "lib", "../test/math.test.js"],
  ["run from the top", "", "test/math.test.js"],
])(
  "%s: lib/ is the same folder after, nothing left in it, the verdict right",
  (_n, folder, file) => {
    repo = mathRepo();
    const inode = statSync(join(repo.dir, "lib")).ino;
    const before = captureState(repo);
    const result = runCulprit(repo, ["--json", "--", "node", "--test", file], {}, folder);
    expect(result.status, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout)["verdict"]).toBe("regression");
    expect(captureState(repo)).toEqual(before);
    // The very folder, not one made again in its place, and no placeholder left in it.
    expect(statSync(join(repo.dir, "lib")).ino).toBe(inode);
    expect(readdirSync(join(repo.dir, "lib"))).toEqual(["math.js"]);
    // A second culprit there works as the first did.
    const again = runCulprit(repo, ["--no-cache", "--", "node", "--test", file], {}, folder);
    expect(again.status, again.stderr).toBe(1);
  },
);

// Killed on the way back while the placeholder keeps lib/ (after git's reset, before your files
// go back): `culprit recover` gives everything back, no placeholder left.
test("kill -9 while your files go back, then culprit recover: byte-identical", () => {
  repo = mathRepo();
  killRecoverUntouched(repo, ["node", "--test", "test/math.test.js"], "leave-baseline/moving back");
  expect(readdirSync(join(repo.dir, "lib"))).toEqual(["math.js"]);
});

// The folder is untracked (notes/ of yours, or a new package's folder): the baseline has no such
// folder. git's reset into the baseline removed it, the way back made it anew, and the shell was
// left in the removed one (p-map trial). It stays, empty, while the baseline runs.
test.each([
  ["notes/", "notes"],
  ["notes/deep/", "notes/deep"],
])("run from an untracked folder %s: the same folder after, the verdict right", (_n, folder) => {
  repo = mathRepo();
  repo.write(`${folder}/todo.md`, "todo\n");
  const inode = statSync(join(repo.dir, folder)).ino;
  const before = captureState(repo);
  const up = folder
    .split("/")
    .map(() => "..")
    .join("/");
  const result = runCulprit(
    repo,
    ["--json", "--", "node", "--test", `${up}/test/math.test.js`],
    {},
    folder,
  );
  expect(result.status, result.stderr).toBe(1);
  expect(JSON.parse(result.stdout)["verdict"]).toBe("regression");
  expect(captureState(repo)).toEqual(before);
  expect(statSync(join(repo.dir, folder)).ino).toBe(inode);
  expect(readdirSync(join(repo.dir, folder))).toEqual(["todo.md"]);
});

// Killed while the placeholder keeps your untracked folder on the way into the baseline (before
// git's reset): `culprit recover` gives everything back, the placeholder kept as residue, not
// left in your folder.
test("kill -9 while your untracked folder is kept into the baseline, then culprit recover: byte-identical", () => {
  repo = mathRepo();
  repo.write("notes/todo.md", "todo\n");
  killRecoverUntouched(
    repo,
    ["node", "--test", "../test/math.test.js"],
    "enter-baseline/your folder kept",
    [],
    "notes",
  );
  expect(readdirSync(join(repo.dir, "notes"))).toEqual(["todo.md"]);
});
