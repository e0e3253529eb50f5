import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";

/*
 * culprit run from a folder of yours that git does not track (a new package you work in). The
 * baseline has no such folder: `git stash -u` removes it, a worktree at HEAD never had it. Every
 * baseline run "could not start (ENOENT)": UNRUNNABLE, exit 2, with --strategy stash, and with
 * --worktree a fall back to reverting files, one of them blamed (pallets/click trial). The
 * default baseline keeps the folder; now every baseline has it, made empty where it is missing.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

function regressionFromNewFolder(): TestRepo {
  const r = createRepo();
  r.write("lib.js", "exports.add = (a, b) => a + b\n");
  r.write(
    "lib.test.js",
    "const test = require('node:test')\nconst assert = require('node:assert')\nconst { add } = require('./lib')\ntest('add', () => assert.strictEqual(add(2, 2), 4))\n",
  );
  r.commit("init");
  r.write("lib.js", "exports.add = (a, b) => a - b\n");
  r.write("newpkg/index.js", "module.exports = 1\n");
  return r;
}

test.each([
  ["--strategy stash", ["--strategy", "stash"]],
  ["--worktree", ["--worktree"]],
  ["--jobs 2", ["--jobs", "2"]],
])(
  "run from an untracked folder, %s: REGRESSION, exit 1, your tree as it was",
  (_name, args) => {
    repo = regressionFromNewFolder();
    const before = captureState(repo);
    const r = runCulprit(
      repo,
      ["--json", "--no-cache", "--runs", "3", ...args, "--", "node", "--test", "../lib.test.js"],
      {},
      "newpkg",
    );
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      verdict: string;
      runs: { side: string; why?: string }[];
      restore: { folderRemade?: string };
    };
    expect(doc.verdict).toBe("regression");
    expect(doc.runs.filter((run) => run.why !== undefined)).toEqual([]);
    expect(captureState(repo)).toEqual(before);
    // git stash removes the folder and stash pop makes another: said, for the shell left in it.
    expect(doc.restore.folderRemade).toBe(args[0] === "--strategy" ? "newpkg/" : undefined);
  },
  120_000,
);

test("--strategy stash from an untracked folder: the report says the folder was made anew and how to see your files", () => {
  repo = regressionFromNewFolder();
  const inode = statSync(join(repo.dir, "newpkg")).ino;
  const args = ["--no-cache", "--runs", "3", "--strategy", "stash"];
  const r = runCulprit(repo, [...args, "--", "node", "--test", "../lib.test.js"], {}, "newpkg");
  expect(r.status, r.stdout + r.stderr).toBe(1);
  expect(statSync(join(repo.dir, "newpkg")).ino).not.toBe(inode);
  expect(r.stdout).toContain(
    'your folder newpkg/ was removed by git stash and made again, your files in it: run cd "$PWD" in your shell to see them',
  );
});

test("--strategy stash from an untracked folder that holds an ignored file: git stash leaves it, nothing said", () => {
  repo = regressionFromNewFolder();
  repo.write(".gitignore", "*.log\n");
  repo.write("newpkg/debug.log", "ignored\n");
  const inode = statSync(join(repo.dir, "newpkg")).ino;
  const before = captureState(repo);
  const args = ["--json", "--no-cache", "--runs", "3", "--strategy", "stash"];
  const r = runCulprit(repo, [...args, "--", "node", "--test", "../lib.test.js"], {}, "newpkg");
  expect(r.status, r.stdout + r.stderr).toBe(1);
  const doc = JSON.parse(r.stdout) as { restore: { via: string; folderRemade?: string } };
  expect(doc.restore.via).toBe("stash-pop");
  expect(doc.restore.folderRemade).toBeUndefined();
  expect(statSync(join(repo.dir, "newpkg")).ino).toBe(inode);
  expect(captureState(repo)).toEqual(before);
});
