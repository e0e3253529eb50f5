import { afterEach, expect, test } from "vitest";
import { createBackup, dropBackup, restoreFromBackup } from "../../src/git/backup.js";
import { openRepo } from "../../src/git/repo.js";
import { captureState, createRepo, type TestRepo } from "../repos/harness.js";

/*
 * What a restore from the backup keeps under its residue ref: the tree it found, when that tree
 * holds a file whose content is neither yours nor HEAD's (a test's or an editor's writes), and
 * nothing when each file is yours, HEAD's or empty (a checkout killed part way). Real repository,
 * real backup; the user's state byte-identical after either way.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const residueRef = "refs/culprit/residue/test/restore";

function dirtyRepo(): TestRepo {
  const r = createRepo();
  for (let i = 0; i < 6; i++) r.write(`src/f${i}.txt`, `file ${i}\n`);
  r.commit("files");
  r.write("src/f0.txt", "yours 0\n");
  r.write("src/f1.txt", "yours 1\n");
  r.write("notes.txt", "untracked, yours\n");
  return r;
}

test.each<[string, (r: TestRepo) => void, Record<string, string> | null]>([
  [
    "half way to HEAD's tree (one of yours reverted, one removed, one file created empty)",
    (r) => {
      r.write("src/f0.txt", "file 0\n");
      r.remove("notes.txt");
      r.write("src/f2.txt", "");
    },
    null,
  ],
  [
    "HEAD's tracked files (your untracked file still there)",
    (r) => r.git("checkout", "-q", "--", "."),
    null,
  ],
  [
    "a file with other content (a test wrote it)",
    (r) => {
      r.write("src/f0.txt", "file 0\n");
      r.write("src/f3.txt", "written by the test\n");
    },
    { "src/f3.txt": "written by the test\n", "src/f0.txt": "file 0\n" },
  ],
  [
    "a new untracked file",
    (r) => r.write("made-by-test.txt", "new\n"),
    { "made-by-test.txt": "new\n", "src/f1.txt": "yours 1\n" },
  ],
])("restore after %s", async (_name, change, kept) => {
  repo = dirtyRepo();
  const before = captureState(repo);
  const opened = await openRepo(repo.dir);
  const backup = await createBackup(opened, "test");
  change(repo);
  expect(await restoreFromBackup(opened, backup, residueRef)).toEqual([]);
  expect(captureState(repo)).toEqual(before);
  const refs = repo.git("for-each-ref", "--format=%(refname)", residueRef).trim();
  if (kept === null) expect(refs).toBe("");
  else {
    expect(refs).toBe(residueRef);
    // The residue holds the tree that was there, the other content included.
    for (const [path, content] of Object.entries(kept))
      expect(repo.git("show", `${residueRef}:${path}`)).toBe(content);
  }
  await dropBackup(opened, backup);
});
