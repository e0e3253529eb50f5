import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  definedNames,
  expandTapeFiles,
  placeTapeTests,
  tapeFileArgs,
} from "../../src/run/reports/tape-files.js";

/*
 * The files a tape run loads, in its order: the patterns expanded as tape's own glob (glob 7,
 * tape's dependency, the reference here) expands them, and sorted as it sorts them.
 */
const require = createRequire(import.meta.url);
let glob7: { sync(pattern: string, options: { cwd: string }): string[] } | null = null;
try {
  glob7 = require(require.resolve("glob", { paths: [require.resolve("tape/package.json")] }));
} catch {
  console.log("tape-files: glob 7 comparison skipped: tape's glob is not installed (npm ci first)");
}

const dir = mkdtempSync(join(tmpdir(), "culprit-tape-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const file of [
  "test/a.js",
  "test/B.js",
  "test/b.js",
  "test/_helper.js",
  "test/.hidden.js",
  "test/unit/c.js",
  "test/unit/deep/d.mjs",
  "test/.cache/e.js",
  "test/index.js",
  "other/f.js",
  "other/g.cjs",
  "x.js",
]) {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), "");
}

describe.skipIf(glob7 === null)("patterns expanded as tape's glob 7 expands them", () => {
  test.each([
    "test/*.js",
    "test/**/*.js",
    "test/**/*.{js,mjs}",
    "{test,other}/*.js",
    "test/[ab].js",
    "test/?.js",
    "*.js",
    "test/.*.js",
    "nowhere/*.js",
    `${dir}/other/*`,
  ])("%s", (pattern) => {
    const expected = glob7!.sync(pattern, { cwd: dir }).map((match) => resolve(dir, match));
    expect(expandTapeFiles([pattern], dir)).toEqual([...new Set(expected)]);
  });
});

test("plain paths: a folder is its index.js, a name without .js the file; patterns in order, each file once", () => {
  expect(expandTapeFiles(["test", "x", "test/*.js", "other/f.js"], dir)).toEqual([
    join(dir, "test/index.js"),
    join(dir, "x.js"),
    ...["_helper.js", "a.js", "b.js", "B.js"].map((f) => join(dir, "test", f)),
    join(dir, "other/f.js"),
  ]);
  expect(expandTapeFiles(["test/+(a|b).js"], dir)).toBeNull();
});

test.each<[string[], string[]]>([
  [["test/*.js"], ["test/*.js"]],
  [
    ["-r", "./setup.js", "test/a.js", "--strict", "test/b.js"],
    ["test/a.js", "test/b.js"],
  ],
  [["--require", "x", "-i", ".gitignore", "--ignore-pattern", "y", "t/*.js"], ["t/*.js"]],
  [["--no-only", "--", "-weird.js"], ["-weird.js"]],
])("tape's file arguments of %j", (args, expected) => {
  expect(tapeFileArgs(args)).toEqual(expected);
});

test("names a source defines: test, t.test, tape, .only/.skip; not assertions, not made at run time", () => {
  const source = [
    'const test = require("tape");',
    "test('one', (t) => {",
    '  t.equal(x, "not a test");',
    '  t.test("it\'s two", (st) => st.end());',
    "  t.comment('nor this');",
    "});",
    "test.only(`three`, () => {});",
    'tape("four", { skip: true }, () => {});',
    "test('five \\'quoted\\'', () => {});",
    "test(`six $" + "{n}`, () => {});",
  ].join("\n");
  expect(definedNames(source)).toEqual(["one", "it's two", "three", "four", "five 'quoted'"]);
});

test("comments define no test; a // in a string stays", () => {
  const source = [
    "// test('commented', x);",
    "/* test('blocked', x);",
    "   test('blocked too', x); */",
    "test('http://kept', (t) => t.end()); // test('after', x)",
    'test("it\'s \\"quoted\\" // not a comment", x);',
    "test(`multi",
    "line // kept`, x);",
  ].join("\n");
  expect(definedNames(source)).toEqual(["http://kept", 'it\'s "quoted" // not a comment']);
});

test.each<[string, string[], Record<string, string>, (string | null)[]]>([
  ["one file each", ["a", "b"], { f: "test('a')\n", g: "test('b')\n" }, ["f", "g"]],
  [
    "one name in two files, printed twice: in the files' order",
    ["w", "w"],
    { f: "test('w', x)\n", g: "test('w', y)\n" },
    ["f", "g"],
  ],
  [
    "printed once, defined in two files: not placed",
    ["w"],
    { f: "test('w', x)\n", g: "test('w', y)\n" },
    [null],
  ],
  [
    "a loop in one file: every one of them there",
    ["w", "w", "w"],
    { f: "for (;;) test('w', x)\n" },
    ["f", "f", "f"],
  ],
  ["defined nowhere", ["v"], { f: "test('w', x)\n" }, [null]],
  [
    "a namesake commented out in another file",
    ["w"],
    { f: "// test('w', x)\ntest('v', y)\n", g: "test('w', y)\n" },
    ["g"],
  ],
  ["a skipped test's printed name", ["SKIP s"], { f: "test('s', { skip: true })\n" }, ["f"]],
])("placed: %s", (_, names, sources, expected) => {
  expect(
    placeTapeTests(
      names,
      Object.keys(sources),
      (path) => path,
      (path) => sources[path] ?? null,
    ),
  ).toEqual(expected);
});
