import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { Repo } from "../../src/git/repo.js";
import { copyIndexFile } from "../../src/git/snapshot.js";
import { createRepo, type TestRepo } from "./harness.js";

/*
 * What a test may do to the working tree between two runs, for the tests of the looks that
 * spare a git process after a run (test/integration/snapshot-walk.test.ts for the stat walk,
 * snapshot-watch.test.ts for the watch of a large tree): each case says whether git sees a
 * change.
 */

/**
 * The tree git sees now, as the snapshot would without its walk: `add --all` into a copy of the
 * work index, then `write-tree`.
 */
export function truth(r: TestRepo, culprits: Repo): string {
  const index = join(r.dir, ".git", "truth-index");
  rmSync(index, { force: true });
  // Keeping the index's mtime, as culprit does: git's racy-entry check depends on it.
  copyIndexFile(culprits.workIndex!, index);
  const env = { ...r.env, GIT_INDEX_FILE: index };
  const add = spawnSync("git", ["add", "--all", "--", "."], { cwd: r.dir, env });
  if (add.status !== 0) throw new Error(add.stderr.toString());
  const tree = spawnSync("git", ["write-tree"], { cwd: r.dir, env, encoding: "utf8" });
  rmSync(index, { force: true });
  return tree.stdout.trim();
}

/** Counts the git processes culprit's repo starts from now on. */
export function counting(r: Repo): { calls: string[] } {
  const seen = { calls: [] as string[] };
  const run = r.git.run;
  r.git.run = (args, options) => {
    seen.calls.push(args.join(" "));
    return run(args, options);
  };
  return seen;
}

export function sampleRepo(): TestRepo {
  const r = createRepo();
  r.write("lib.mjs", "export const a = 1;\n");
  r.write("src/deep/mod.mjs", "export const b = 2;\n");
  r.write("README.md", "# sample\n");
  r.write(".gitignore", "*.log\nbuild/\n");
  r.write("build/out.js", "built\n");
  r.commit("initial");
  // A folder that holds only ignored files: git lists it as ignored, but it is not.
  r.write("logs/old.log", "log\n");
  r.write("lib.mjs", "export const a = 3;\n");
  r.write("notes.txt", "my untracked notes\n");
  mkdirSync(join(r.dir, ".git", "info"), { recursive: true });
  writeFileSync(join(r.dir, ".git", "info", "exclude"), "excluded.txt\n");
  r.write("excluded.txt", "ignored by .git/info/exclude\n");
  return r;
}

export interface Case {
  name: string;
  act: (r: TestRepo) => void;
  /** The thing does not change the tree git sees (only git can tell). */
  same?: boolean;
}

export const cases: Case[] = [
  {
    name: "a tracked file rewritten with as many bytes, its mtime set back",
    act: (r) => {
      // touch -r copies the times to the nanosecond (as cp -p, tar and rsync -t do): only the
      // change time, which no program can set, tells.
      const path = join(r.dir, "lib.mjs");
      const saved = join(r.dir, ".git", "saved-times");
      writeFileSync(saved, "");
      expect(spawnSync("touch", ["-r", path, saved]).status).toBe(0);
      writeFileSync(path, "export const a = 4;\n");
      expect(spawnSync("touch", ["-r", saved, path]).status).toBe(0);
      expect(statSync(path).mtimeMs).toBe(statSync(saved).mtimeMs);
    },
  },
  {
    name: "an untracked file rewritten with as many bytes",
    act: (r) => r.write("notes.txt", "MY UNTRACKED NOTES\n"),
  },
  {
    name: "a new file in a folder that has files",
    act: (r) => r.write("src/deep/new.mjs", "export const c = 5;\n"),
  },
  {
    name: "a new file in new folders",
    act: (r) => r.write("fresh/a/b/file.txt", "new\n"),
  },
  { name: "a tracked file deleted", act: (r) => rmSync(join(r.dir, "src/deep/mod.mjs")) },
  {
    name: "a tracked file made executable",
    act: (r) => chmodSync(join(r.dir, "README.md"), 0o755),
  },
  {
    name: "a tracked file replaced by a symbolic link",
    act: (r) => {
      rmSync(join(r.dir, "README.md"));
      symlinkSync("lib.mjs", join(r.dir, "README.md"));
    },
  },
  {
    name: "a new ignored file beside tracked ones (the folder changes, the tree does not)",
    act: (r) => r.write("test-output.log", "log\n"),
    same: true,
  },
  {
    name: "the ignore rules changed: build/ no longer ignored",
    act: (r) => r.write(".gitignore", "*.log\n"),
  },
  {
    name: ".git/info/exclude no longer ignores a file",
    act: (r) => writeFileSync(join(r.dir, ".git", "info", "exclude"), "# nothing\n"),
  },
  {
    name: "a file no rule ignores, in a folder that held only ignored files",
    act: (r) => r.write("logs/new.txt", "not ignored\n"),
  },
  {
    name: "an ignored folder removed and a file made under its name (build/ ignores folders only)",
    act: (r) => {
      rmSync(join(r.dir, "build"), { recursive: true });
      r.write("build", "a file now\n");
    },
  },
  {
    name: "an empty folder made (git sees no change)",
    act: (r) => mkdirSync(join(r.dir, "empty-dir")),
    same: true,
  },
];
