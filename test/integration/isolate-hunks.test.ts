import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { guessDependencies, movedDefinitions } from "../../src/isolate/hints.js";
import {
  configureFile,
  type Diff,
  diffTreeArgs,
  locateUnit,
  type ParseOptions,
  parseDiff,
  patchFor,
} from "../../src/isolate/hunks.js";
import { searchUnits } from "../../src/isolate/search.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * For each repository below: every subset of the units of each file (other files untouched) and
 * seeded random subsets of all units must give, through `configureFile`, exactly the tree that
 * `git apply --cached` of `patchFor` gives on the baseline (same tree id: paths, modes, bytes),
 * and all units must give the user's tree.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

function git(r: TestRepo, args: string[], input?: Buffer | string, index?: string): Buffer {
  const env = index ? { ...r.env, GIT_INDEX_FILE: index } : r.env;
  const result = spawnSync("git", args, { cwd: r.dir, env, input, maxBuffer: 1 << 28 });
  if (result.status !== 0) {
    throw new Error(`git ${args.join(" ")} (exit ${result.status}): ${result.stderr.toString()}`);
  }
  return result.stdout;
}

interface Setup {
  diff: Diff;
  baseTree: string;
  userTree: string;
  baseBlobs: Map<string, Buffer>;
  indexFile: string;
  /** "mode sha" of every path of the baseline. */
  baseListing: Listing;
  /** An index of the baseline, copied instead of running read-tree for each subset. */
  baseIndex: string;
  objectFormat: "sha1" | "sha256";
}

/** Commits the baseline built by `before`, applies `after`, and parses the diff between trees. */
function setup(
  before: (r: TestRepo) => void,
  after: (r: TestRepo) => void,
  options: ParseOptions = {},
  objectFormat: "sha1" | "sha256" = "sha1",
): Setup {
  repo = createRepo();
  if (objectFormat === "sha256") {
    repo.remove(".git");
    repo.git("init", "-q", "-b", "main", "--object-format=sha256");
  }
  before(repo);
  repo.commit("baseline");
  after(repo);
  repo.git("add", "-A");
  const userTree = repo.git("write-tree").trim();
  const baseTree = repo.git("rev-parse", "HEAD^{tree}").trim();
  const out = git(repo, diffTreeArgs(baseTree, userTree));
  const diff = parseDiff(out, options);
  const baseBlobs = new Map<string, Buffer>();
  for (const f of diff.files) {
    if (f.oldPath !== null)
      baseBlobs.set(f.oldPath, git(repo, ["cat-file", "blob", `${baseTree}:${f.oldPath}`]));
  }
  const indexFile = join(repo.home, "isolate-index");
  const baseIndex = join(repo.home, "isolate-base-index");
  const partial = {
    objectFormat,
    diff,
    baseTree,
    userTree,
    baseBlobs,
    indexFile,
    baseIndex,
    baseListing: new Map(),
  };
  git(repo, ["read-tree", baseTree], undefined, baseIndex);
  git(repo, ["read-tree", baseTree], undefined, indexFile);
  return { ...partial, baseListing: listIndex(partial) };
}

type Listing = Map<string, string>;

/** "mode sha" of every path of an index (`ls-files -s`), for paths that are not submodules. */
function listIndex(s: Setup): Listing {
  const out = git(repo!, ["ls-files", "-s", "-z"], undefined, s.indexFile).toString("utf8");
  const listing: Listing = new Map();
  for (const entry of out.split("\0")) {
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const [mode, sha] = entry.slice(0, tab).split(" ");
    listing.set(entry.slice(tab + 1), `${mode} ${sha}`);
  }
  return listing;
}

function blobId(bytes: Buffer, objectFormat: string): string {
  return createHash(objectFormat).update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The baseline's listing with `applied` units, from `configureFile` (blob ids computed here). */
function listModel(s: Setup, applied: ReadonlySet<string>): Listing {
  const listing = new Map(s.baseListing);
  for (const f of s.diff.files) {
    const base = f.oldPath === null ? null : s.baseBlobs.get(f.oldPath)!;
    for (const state of configureFile(f, base, applied)) {
      if (state.bytes === null) listing.delete(state.path);
      else listing.set(state.path, `${state.mode} ${blobId(state.bytes, s.objectFormat)}`);
    }
  }
  return listing;
}

/** The baseline's listing after `git apply --cached` of the patch for `applied`. */
function listGitApply(s: Setup, applied: ReadonlySet<string>): Listing {
  copyFileSync(s.baseIndex, s.indexFile);
  const patch = patchFor(s.diff, applied);
  if (patch.length > 0) git(repo!, ["apply", "--cached", "-"], patch, s.indexFile);
  return listIndex(s);
}

function sorted(listing: Listing): [string, string][] {
  return [...listing].sort(([a], [b]) => (a < b ? -1 : 1));
}

function closed(s: Setup, ids: Iterable<string>): Set<string> {
  const set = new Set(ids);
  const byId = new Map(s.diff.units.map((u) => [u.id, u]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const id of [...set]) {
      for (const req of byId.get(id)!.requires) {
        if (!set.has(req)) {
          set.add(req);
          grew = true;
        }
      }
    }
  }
  return set;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Checks every subset of each file's units (up to 2^maxEach) and `random` subsets of all. */
function checkSubsets(s: Setup, random: number, maxEach = 7): number {
  let checked = 0;
  const check = (applied: Set<string>): void => {
    const label = [...applied].join(", ") || "(none)";
    expect(sorted(listModel(s, applied)), label).toEqual(sorted(listGitApply(s, applied)));
    checked += 1;
  };
  for (const f of s.diff.files) {
    const ids = f.units.map((u) => u.id);
    const count = Math.min(ids.length, maxEach);
    for (let mask = 1; mask < 1 << count; mask++) {
      const subset = closed(
        s,
        ids.filter((_, i) => i < count && mask & (1 << i)),
      );
      check(subset);
    }
  }
  const rand = mulberry32(20_240_611);
  for (let t = 0; t < random; t++) {
    check(
      closed(
        s,
        s.diff.units.filter(() => rand() < 0.5).map((u) => u.id),
      ),
    );
  }
  const all = new Set(s.diff.units.map((u) => u.id));
  git(repo!, ["read-tree", s.userTree], undefined, s.indexFile);
  const user = sorted(listIndex(s));
  expect(sorted(listModel(s, all))).toEqual(user);
  expect(sorted(listGitApply(s, all))).toEqual(user);
  expect(sorted(listModel(s, new Set()))).toEqual(sorted(s.baseListing));
  return checked;
}

function numbered(count: number, edit: (i: number) => string | null = () => null): string {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const line = edit(i);
    if (line !== "") lines.push(line ?? `line ${i}`);
  }
  return `${lines.join("\n")}\n`;
}

const binaryBase = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));

describe("the hunk model against git apply", () => {
  test("text hunks: far apart, adjacent, at both ends, CRLF, no newline at EOF, Latin-1", () => {
    const s = setup(
      (r) => {
        r.write("far.txt", numbered(80));
        r.write("crlf.txt", "one\r\ntwo\r\nthree\r\nfour\r\nfive\r\nsix\r\nseven\r\neight\r\n");
        r.write("no-eol.txt", "a\nb\nc");
        r.write("add-eol.txt", "x\ny");
        r.write("latin1.txt", Buffer.from("caf\xe9\nna\xefve\nd\xe9j\xe0\n", "latin1"));
        r.write("ends.txt", numbered(20));
      },
      (r) => {
        // Hunks 1 line apart in the output of -U3 merge; 7 lines apart stay two hunks.
        r.write(
          "far.txt",
          numbered(80, (i) =>
            i === 5
              ? "five, edited"
              : i === 18
                ? ""
                : i === 26
                  ? "26 edited"
                  : i === 60
                    ? "sixty\nand more"
                    : null,
          ),
        );
        r.write(
          "crlf.txt",
          "one\r\nTWO\r\nthree\r\nfour\r\nfive\r\nsix\r\nseven\r\neight, LF now\n",
        );
        r.write("no-eol.txt", "a\nb\nC");
        r.write("add-eol.txt", "x\ny\n");
        r.write(
          "latin1.txt",
          Buffer.from("caf\xe9\nna\xefve, \xe9dit\xe9\nd\xe9j\xe0\n", "latin1"),
        );
        r.write("ends.txt", `first\n${numbered(20, (i) => (i === 20 ? "" : null))}`);
      },
    );
    const hunks = s.diff.units.filter((u) => u.path === "far.txt").map((u) => u.id);
    expect(hunks).toEqual(["far.txt#1", "far.txt#2", "far.txt#3", "far.txt#4"]);
    expect(checkSubsets(s, 10)).toBeGreaterThan(20);
  });

  test("line units: every subset of a hunk's modified lines", () => {
    const s = setup(
      (r) => {
        r.write("lines.txt", numbered(12));
        r.write("tail.txt", "keep\nold last");
      },
      (r) => {
        r.write(
          "lines.txt",
          numbered(12, (i) =>
            i === 4 ? "four*" : i === 5 ? "five*\nextra" : i === 6 ? "" : i === 7 ? "seven*" : null,
          ),
        );
        r.write("tail.txt", "keep\nnew last\nand one more");
      },
      { lines: true },
    );
    const ids = s.diff.units.map((u) => u.id);
    // 4->4*, 5->5*, 6->extra, 7 removed... paired by position within the block; the tail's block
    // touches a last line without line feed and stays one unit.
    expect(ids.filter((id) => id.startsWith("lines.txt")).length).toBeGreaterThanOrEqual(4);
    expect(ids.filter((id) => id.startsWith("tail.txt"))).toEqual(["tail.txt#1.1"]);
    checkSubsets(s, 10);
  });

  test("new, deleted, renamed-and-modified, mode, binary, symlink, type changes, odd names", () => {
    const s = setup(
      (r) => {
        r.write("gone.txt", "bye\nbye\n");
        r.write("empty-gone.txt", "");
        r.write("old name ü.txt", numbered(30));
        r.write("tool.sh", "#!/bin/sh\necho hi\n", 0o644);
        r.write("both.sh", "#!/bin/sh\necho both\n", 0o644);
        r.write("blob.bin", binaryBase);
        r.write("run.bin", Buffer.from([0, 1, 2, 3]), 0o644);
        r.symlink("gone.txt", "link");
        r.write("becomes-link", "plain\n");
        r.write("dir-to-file/inner.txt", "inner\n");
        r.write("file-to-dir", "was a file\n");
        r.write('tab\tand "quote".txt', "q\n");
      },
      (r) => {
        r.remove("gone.txt");
        r.remove("empty-gone.txt");
        r.remove("old name ü.txt");
        r.write(
          "new näme/renamed ü.txt",
          numbered(30, (i) => (i === 3 ? "three" : i === 28 ? "28!" : null)),
        );
        r.write("tool.sh", "#!/bin/sh\necho hi\n", 0o755);
        r.write("both.sh", "#!/bin/sh\necho both, changed\n", 0o755);
        const changed = Buffer.from(binaryBase);
        changed[100] = 0;
        changed[4000] = 1;
        r.write("blob.bin", changed);
        r.write("new.bin", Buffer.from([0, 1, 2, 3, 255, 0, 10, 13]));
        // A binary file made executable and changed: a mode unit and a binary unit.
        r.write("run.bin", Buffer.from([0, 1, 2, 4]), 0o755);
        r.write("new file.txt", "fresh\r\nfile");
        r.write("empty-new.txt", "");
        r.write("empty-too.txt", "");
        r.remove("link");
        r.symlink("new file.txt", "link");
        r.remove("becomes-link");
        r.symlink("tool.sh", "becomes-link");
        r.remove("dir-to-file");
        r.write("dir-to-file", "now a file\n");
        r.remove("file-to-dir");
        r.write("file-to-dir/inside.txt", "now in a folder\n");
        r.write('tab\tand "quote".txt', "q2\n");
      },
    );
    const kinds = Object.fromEntries(s.diff.units.map((u) => [u.id, u.kind]));
    expect(kinds).toMatchObject({
      "gone.txt#delete": "delete",
      // Identical (empty) contents: git pairs them as a rename.
      "empty-new.txt#rename": "rename",
      "new näme/renamed ü.txt#rename": "rename",
      "new näme/renamed ü.txt#1": "hunk",
      "new näme/renamed ü.txt#2": "hunk",
      "tool.sh#mode": "mode",
      "both.sh#mode": "mode",
      "both.sh#1": "hunk",
      "empty-too.txt#new": "new",
      "blob.bin#binary": "binary",
      "run.bin#mode": "mode",
      "run.bin#binary": "binary",
      "new.bin#new": "new",
      "new file.txt#new": "new",
      "link#symlink": "symlink",
      "becomes-link#type": "type",
      "dir-to-file#new": "new",
      "dir-to-file/inner.txt#delete": "delete",
      "file-to-dir#delete": "delete",
      "file-to-dir/inside.txt#new": "new",
      'tab\tand "quote".txt#1': "hunk",
    });
    const requires = Object.fromEntries(s.diff.units.map((u) => [u.id, u.requires]));
    expect(requires["new näme/renamed ü.txt#1"]).toEqual(["new näme/renamed ü.txt#rename"]);
    expect(requires["dir-to-file#new"]).toEqual(["dir-to-file/inner.txt#delete"]);
    expect(requires["file-to-dir/inside.txt#new"]).toEqual(["file-to-dir#delete"]);
    checkSubsets(s, 30);
    // Without its rename, a renamed file's hunk applies at the old path (the search never asks).
    const alone = new Set(["new näme/renamed ü.txt#2"]);
    expect(sorted(listModel(s, alone))).toEqual(sorted(listGitApply(s, alone)));
    expect(listModel(s, alone).has("new näme/renamed ü.txt")).toBe(false);
  });

  test("a patch for some units applies with plain `git apply` in a checkout of the baseline", () => {
    const s = setup(
      (r) => {
        r.write("a.txt", numbered(40));
        r.write("name with space.txt", "x\ny\n");
      },
      (r) => {
        r.write(
          "a.txt",
          numbered(40, (i) => (i === 2 ? "two" : i === 35 ? "35" : null)),
        );
        r.write("name with space.txt", "x\ny\nz\n");
        r.write("added.txt", "new\n");
      },
    );
    const chosen = new Set(["a.txt#2", "name with space.txt#1", "added.txt#new"]);
    const expected = sorted(listModel(s, chosen));
    const r = repo!;
    r.git("reset", "-q", "--hard");
    r.git("clean", "-fdq");
    const patchFile = join(r.home, "guilty.patch");
    writeFileSync(patchFile, patchFor(s.diff, chosen));
    r.git("apply", patchFile);
    r.git("add", "-A");
    git(r, ["read-tree", r.git("write-tree").trim()], undefined, s.indexFile);
    expect(sorted(listIndex(s))).toEqual(expected);
    expect(readFileSync(join(r.dir, "a.txt"), "utf8")).toContain("line 34\n35\n");
    rmSync(patchFile);
  });

  test("locations are the user's lines of each unit", () => {
    const s = setup(
      (r) => r.write("f.txt", numbered(40)),
      (r) =>
        r.write(
          "f.txt",
          numbered(40, (i) => (i === 2 ? "two\ntwo and a half" : i === 30 ? "" : null)),
        ),
    );
    expect(locateUnit(s.diff, "f.txt#1")).toEqual({ path: "f.txt", startLine: 2, endLine: 3 });
    // Line 30 removed: it was followed by line 31, now the user's line 31 (one line was added above).
    expect(locateUnit(s.diff, "f.txt#2")).toEqual({ path: "f.txt", startLine: 31, endLine: 31 });
    const file = s.diff.files[0]!;
    const all = new Set(file.units.map((u) => u.id));
    const bytes = configureFile(file, s.baseBlobs.get("f.txt")!, all)[0]!.bytes!;
    expect(bytes.toString().split("\n")[30]).toBe("line 31");
  });

  test("search units and dependency hints from a real diff", () => {
    const s = setup(
      (r) => {
        r.write("src/app.js", `import { run } from "./run.js";\n${numbered(20)}run();\n`);
        r.write("src/lib.js", `${numbered(20)}export const version = 1;\n`);
      },
      (r) => {
        // A new helper, imported by a hunk of app.js; a function added to lib.js, called there.
        r.write("src/helper.js", "export function helperThing() {\n  return 42;\n}\n");
        r.write(
          "src/app.js",
          `import { run } from "./run.js";\nimport { helperThing } from "./helper.js";\n${numbered(20, (i) => (i === 15 ? "line 15\nparseVersion(helperThing());" : null))}run();\n`,
        );
        r.write(
          "src/lib.js",
          `${numbered(20)}export const version = 1;\nexport function parseVersion(v) {\n  return v;\n}\n`,
        );
      },
      { lines: true },
    );
    const hints = guessDependencies(s.diff);
    const app = s.diff.units.filter((u) => u.path === "src/app.js").map((u) => u.id);
    expect(app).toEqual(["src/app.js#1.1", "src/app.js#2.1"]);
    expect(hints.get("src/app.js#1.1")).toEqual(["src/helper.js#new"]);
    expect(hints.get("src/app.js#2.1")?.sort()).toEqual(["src/helper.js#new", "src/lib.js#1.1"]);
    expect(hints.has("src/helper.js#new")).toBe(false);
    const units = searchUnits(s.diff);
    expect(units.find((u) => u.id === "src/app.js#2.1")).toEqual({
      id: "src/app.js#2.1",
      requires: [],
      levels: ["src/app.js", "src/app.js#2"],
    });
    expect(units.find((u) => u.id === "src/helper.js#new")?.levels).toEqual(["src/helper.js"]);
  });

  test("hints from a rename half-way, a method and a CommonJS export", () => {
    const caller = (name: string) =>
      `const lib = require("./lib.js");\n${numbered(12)}exports.run = (xs) => lib.${name}(xs);\n`;
    const s = setup(
      (r) => {
        r.write("src/lib.js", `exports.computeTotal = (xs) => xs.length;\n${numbered(12)}`);
        r.write("src/a.js", caller("computeTotal"));
        r.write("src/b.js", caller("computeTotal"));
        r.write("src/cart.ts", `export class Cart {\n${numbered(12)}}\n`);
        r.write("src/view.ts", `${numbered(12)}export const x = 1;\n`);
      },
      (r) => {
        // computeTotal renamed: the definition in lib.js, the calls in a.js and b.js.
        r.write("src/lib.js", `exports.sumItems = (xs) => xs.length;\n${numbered(12)}`);
        r.write("src/a.js", caller("sumItems"));
        r.write("src/b.js", caller("sumItems"));
        // A new method, called from another file.
        r.write(
          "src/cart.ts",
          `export class Cart {\n  async loadItems(path: string): Promise<void> {\n    return;\n  }\n${numbered(12)}}\n`,
        );
        r.write("src/view.ts", `${numbered(12)}export const x = 1;\nnew Cart().loadItems("a");\n`);
      },
    );
    const hints = guessDependencies(s.diff);
    const id = (path: string) => s.diff.units.find((u) => u.path === path)!.id;
    // The callers need the new name (rule 2, from the CommonJS export)...
    expect(hints.get(id("src/a.js"))).toEqual([id("src/lib.js")]);
    expect(hints.get(id("src/b.js"))).toEqual([id("src/lib.js")]);
    // ... and the rename needs its old callers gone (rule 3): they go together.
    expect(hints.get(id("src/lib.js"))?.sort()).toEqual([id("src/a.js"), id("src/b.js")].sort());
    // A method defined in one hunk, used in another.
    expect(hints.get(id("src/view.ts"))).toEqual([id("src/cart.ts")]);
    expect(hints.has(id("src/cart.ts"))).toBe(false);
  });

  test("hints through an import binding: a function moved into another module and renamed", () => {
    // expressjs/express trial: stringify() of response.js became utils.js's stringifyJson,
    // bound in response.js by `var stringifyJson = require('./utils').stringifyJson`.
    const s = setup(
      (r) => {
        r.write("lib/utils.js", `${numbered(12)}exports.other = 1;\n`);
        r.write(
          "lib/response.js",
          `var http = require('http');\n${numbered(12)}exports.json = (o) => stringify(o);\n${numbered(12)}function stringify (o) {\n  return JSON.stringify(o)\n}\n`,
        );
      },
      (r) => {
        r.write(
          "lib/utils.js",
          `${numbered(12)}exports.other = 1;\nexports.stringifyJson = stringifyJson;\nfunction stringifyJson (o) {\n  return JSON.stringify(o)\n}\n`,
        );
        r.write(
          "lib/response.js",
          `var http = require('http');\nvar stringifyJson = require('./utils').stringifyJson;\n${numbered(12)}exports.json = (o) => stringifyJson(o);\n${numbered(12)}`,
        );
      },
    );
    const hints = guessDependencies(s.diff);
    const [binding, call] = s.diff.units
      .filter((u) => u.path === "lib/response.js")
      .map((u) => u.id);
    const definition = s.diff.units.find((u) => u.path === "lib/utils.js")!.id;
    // The call needs the binding; the binding needs the definition.
    expect(hints.get(call!)).toContain(binding);
    expect(hints.get(binding!)).toContain(definition);
    expect(hints.get(call!)).not.toContain(definition);
  });

  test("hints through an import binding: the definition in two hunks of its file; a local of one name is no import", () => {
    const s = setup(
      (r) => {
        r.write("lib/utils.js", `exports.other = 1;\n${numbered(12)}`);
        r.write("lib/response.js", `var http = require('http');\n${numbered(12)}`);
        r.write("lib/a.js", `${numbered(12)}`);
        r.write("lib/b.js", `${numbered(12)}`);
        r.write("lib/c.js", `${numbered(12)}`);
      },
      (r) => {
        // The export at the top of utils.js, the function at its end: two hunks.
        r.write(
          "lib/utils.js",
          `exports.other = 1;\nexports.stringifyJson = stringifyJson;\n${numbered(12)}function stringifyJson (o) {\n  return JSON.stringify(o)\n}\n`,
        );
        r.write(
          "lib/response.js",
          `var http = require('http');\nvar stringifyJson = require('./utils').stringifyJson;\n${numbered(12)}exports.json = (o) => stringifyJson(o);\n`,
        );
        // "from" in Array.from is no import: two locals named parts, and a use of the word.
        r.write("lib/a.js", `${numbered(12)}const parts = Array.from(input.split(','));\n`);
        r.write("lib/b.js", `${numbered(12)}const parts = path.split('/');\n`);
        r.write("lib/c.js", `${numbered(12)}return parts.join('-');\n`);
      },
    );
    const hints = guessDependencies(s.diff);
    const units = (path: string) => s.diff.units.filter((u) => u.path === path).map((u) => u.id);
    const [binding, call] = units("lib/response.js");
    expect(hints.get(call!)).toEqual([binding]);
    expect(hints.get(binding!)?.sort()).toEqual(units("lib/utils.js").sort());
    for (const id of [...units("lib/a.js"), ...units("lib/b.js"), ...units("lib/c.js")])
      expect(hints.has(id)).toBe(false);
  });

  test("moved definitions: a function moved into a new file, not a helper merely called", () => {
    const s = setup(
      (r) => {
        r.write("lib.js", `${numbered(12)}function camel (s) {\n  return s\n}\n`);
        r.write("app.js", `${numbered(12)}exports.run = (x) => x;\n`);
      },
      (r) => {
        // camel() moved into camel.js; app.js calls a new helper of its own in a new file.
        r.write("lib.js", `const { camel } = require('./camel')\n${numbered(12)}`);
        r.write("camel.js", "function camel (s) {\n  return s.toUpperCase()\n}\n");
        r.write("app.js", `${numbered(12)}exports.run = (x) => helper(x);\n`);
        r.write("helper.js", "function helper (x) {\n  return x\n}\n");
      },
    );
    const moved = movedDefinitions(s.diff);
    const id = (path: string, n = 0) => s.diff.units.filter((u) => u.path === path)[n]!.id;
    // lib.js's second hunk removes camel(); camel.js defines it again.
    expect([...moved]).toEqual([[id("lib.js", 1), [id("camel.js")]]]);
    // helper.js is hinted (app.js uses it) but moved nothing.
    expect(guessDependencies(s.diff).get(id("app.js"))).toEqual([id("helper.js")]);
  });

  test("a SHA-256 repository: 64-digit object ids (a rename alone, a mode change, a binary delta)", () => {
    const s = setup(
      (r) => {
        r.write("moved.txt", numbered(10));
        r.write("tool.sh", "#!/bin/sh\n", 0o644);
        r.write("blob.bin", binaryBase);
      },
      (r) => {
        r.remove("moved.txt");
        r.write("renamed.txt", numbered(10));
        r.write("tool.sh", "#!/bin/sh\n", 0o755);
        const changed = Buffer.from(binaryBase);
        changed[10] = 0;
        r.write("blob.bin", changed);
      },
      {},
      "sha256",
    );
    expect(s.diff.units.map((u) => u.id)).toEqual([
      "blob.bin#binary",
      "renamed.txt#rename",
      "tool.sh#mode",
    ]);
    expect(s.diff.files[1]!.oldBlob).toMatch(/^[0-9a-f]{64}$/);
    checkSubsets(s, 0);
  });
});
