import { expect, test } from "vitest";
import { parseRawDiff } from "../../src/git/submodules.js";

const a = "a".repeat(40);
const b = "b".repeat(40);
const z = "0".repeat(40);
const raw = (userMode: string, baseMode: string, userSha: string, baseSha: string, path: string) =>
  `:${userMode} ${baseMode} ${userSha} ${baseSha} M\0${path}\0`;

// `git diff-tree -r -z --raw USER BASE`: what a baseline reset in place moves, and what stays.
test.each([
  ["a file you changed moves", raw("100644", "100644", a, b, "f.txt"), ["f.txt"], []],
  ["a file only you have moves", raw("100644", "000000", a, z, "new.txt"), ["new.txt"], []],
  ["a symbolic link moves", raw("120000", "100644", a, b, "link"), ["link"], []],
  ["a file you deleted is git's to write", raw("000000", "100644", z, b, "gone.txt"), [], []],
  [
    "a submodule at another commit stays",
    raw("160000", "160000", a, b, "vendor"),
    [],
    [{ path: "vendor", commit: a, baseline: b }],
  ],
  [
    "a repository git does not track stays",
    raw("160000", "000000", a, z, "nested"),
    [],
    [{ path: "nested", commit: a, baseline: null }],
  ],
  ["a submodule you removed is git's", raw("000000", "160000", z, b, "old"), [], []],
  [
    "a file of the base where your submodule is",
    raw("160000", "100644", a, b, "x"),
    [],
    [{ path: "x", commit: a, baseline: null }],
  ],
  ["nothing differs", "", [], []],
])("%s", (_name, out, move, kept) => {
  expect(parseRawDiff(out)).toMatchObject({ move, kept });
});

// The folders the baseline has among those of the paths that differ: moving your files aside
// leaves them (git writes the baseline's files into them).
test.each([
  [
    "a file you changed: its folders",
    raw("100644", "100644", a, b, "src/lib/f.ts"),
    ["src", "src/lib"],
  ],
  ["a file only you have: none", raw("100644", "000000", a, z, "new/f.ts"), []],
  ["a file you deleted: its folder", raw("000000", "100644", z, b, "old/g.ts"), ["old"]],
  ["at the top: none", raw("100644", "100644", a, b, "f.txt"), []],
  [
    "several, each once",
    raw("100644", "100644", a, b, "src/a.ts") + raw("100644", "100644", a, b, "src/b.ts"),
    ["src"],
  ],
])("%s", (_name, out, folders) => {
  expect(parseRawDiff(out).baseFolders).toEqual(folders);
});
