import { linkSync, lstatSync, mkdirSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { leftAside } from "../repos/fault-matrix.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo } from "../repos/scenarios.js";

/*
 * The default baseline moves your changed and untracked files aside by renaming them into
 * .git/culprit/aside and renames them back (src/git/aside.ts), instead of deleting them and
 * writing them again from git's objects. What that must guarantee, on a real repository:
 * - the baseline run sees HEAD's files and none of your untracked ones;
 * - afterwards every byte, mode and symbolic link is as before (captureState), no aside folder
 *   is left, and your files are the very same files (same inode: a hard link to one still is);
 * - their modification time is newer than before (a build tool must rebuild them after the
 *   baseline's versions were compiled), as a checkout would leave it;
 * - a file that cannot go back (the baseline's test left a folder at its path) makes the machine
 *   restore it from the backup: the work is still all there, the aside folder gone.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// Fails on your tree (the bug), passes at the baseline, and checks there what the baseline is.
const asideCheck = `import { existsSync, readFileSync } from "node:fs";
import { add } from "./lib.mjs";
if (process.env.CULPRIT_SIDE === "baseline") {
  const wrong = [];
  if (existsSync("notes/mine.txt")) wrong.push("untracked notes/mine.txt is there");
  if (existsSync("link-to-lib")) wrong.push("untracked link-to-lib is there");
  if (readFileSync("data.txt", "utf8") !== "committed data\\n") wrong.push("data.txt is not HEAD's");
  if (wrong.length > 0) {
    console.error(wrong.join("\\n"));
    process.exit(125);
  }
}
process.exit(add(2, 2) === 4 ? 0 : 1);
`;

function asideRepo(): TestRepo {
  const repo = baseRepo();
  repo.write("aside-check.mjs", asideCheck);
  repo.write("data.txt", "committed data\n");
  repo.commit("aside check");
  repo.write("lib.mjs", "export function add(a, b) {\n  return 0;\n}\n");
  repo.write("data.txt", "my edited data\n");
  mkdirSync(join(repo.dir, "notes"));
  repo.write("notes/mine.txt", "my untracked notes\n");
  symlinkSync("lib.mjs", join(repo.dir, "link-to-lib"));
  return repo;
}

const inode = (path: string) => lstatSync(path).ino;

test("your files are renamed aside and back: same bytes, same files, a new mtime", () => {
  repo = asideRepo();
  // A hard link elsewhere (ignored) to your untracked file: a rewrite would break it.
  linkSync(join(repo.dir, "notes/mine.txt"), join(repo.dir, "mine-link.log"));
  const files = ["lib.mjs", "data.txt", "notes/mine.txt", "link-to-lib"].map((p) =>
    join(repo!.dir, p),
  );
  const inodes = files.map(inode);
  const oldTime = new Date("2020-01-01T00:00:00Z");
  for (const file of files.slice(0, 3)) {
    const s = statSync(file);
    expect(s.mtimeMs).toBeGreaterThan(oldTime.getTime());
  }
  const startedAt = Date.now();
  const { json, status } = attributeUntouched(repo, ["node", "aside-check.mjs"]);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(json["strategy"]).toBe("baseline-reset");
  expect(files.map(inode)).toEqual(inodes);
  expect(statSync(join(repo.dir, "mine-link.log")).nlink).toBe(2);
  // Coarse file-system clocks: compare to the second.
  for (const file of files.slice(0, 3))
    expect(Math.floor(statSync(file).mtimeMs / 1000)).toBeGreaterThanOrEqual(
      Math.floor(startedAt / 1000),
    );
  expect(leftAside(repo)).toBe(false);
});

// The baseline's test makes a folder (holding an ignored file, which culprit never deletes) where
// your untracked file was: the file cannot be renamed back over it.
const blockingCheck = `import { mkdirSync, writeFileSync } from "node:fs";
import { add } from "./lib.mjs";
if (process.env.CULPRIT_SIDE === "baseline") {
  mkdirSync("notes/mine.txt", { recursive: true });
  writeFileSync("notes/mine.txt/in-the-way.log", "ignored\\n");
}
process.exit(add(2, 2) === 4 ? 0 : 1);
`;

test("a file that cannot go back: restored from the backup, the aside folder gone", () => {
  repo = baseRepo();
  repo.write("blocking-check.mjs", blockingCheck);
  repo.commit("blocking check");
  repo.write("lib.mjs", "export function add(a, b) {\n  return 0;\n}\n");
  mkdirSync(join(repo.dir, "notes"));
  repo.write("notes/mine.txt", "my untracked notes\n");
  const result = attributeUntouched(repo, ["node", "blocking-check.mjs"], ["--runs", "1"]);
  expect((result.json["restore"] as { via: string }).via).toBe("backup");
  expect(leftAside(repo)).toBe(false);
});
