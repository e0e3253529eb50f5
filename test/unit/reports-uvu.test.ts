import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseUvuOutput, uvuSources } from "../../src/run/reports/parse-uvu-output.js";
import { worktreeModules } from "../repos/runner-projects.js";

/*
 * uvu's console output, read as culprit reads a run's log. uvu names a test only when it fails
 * (a dot for each that passed): the report holds the failing tests, each `onlyWhenFailing`, and
 * one passing entry a file that ran (src/machine/evidence.ts reads the rest as passed there).
 */

// Recorded from the real uvu 0.5.6 here: `uvu test` piped to a file (uvu's bin forces colours
// on: FORCE_COLOR=1 unless --no-color), paths made /repo, uvu's own stack frames left out.
const recorded = [
  "\u001b[1m\u001b[4m\u001b[37mmath.test.js\u001b[22m\u001b[24m\u001b[39m",
  "\u001b[47m\u001b[1m\u001b[30m math \u001b[39m\u001b[49m\u001b[22m \u001b[90m• \u001b[39m\u001b[31m✘ \u001b[39m\u001b[90m• \u001b[39m\u001b[31m  (2 / 3)",
  "\u001b[39m",
  '  \u001b[1m\u001b[41m FAIL \u001b[22m\u001b[49m\u001b[31m\u001b[47m\u001b[1m math \u001b[49m\u001b[22m\u001b[39m \u001b[2m"\u001b[22m\u001b[31m\u001b[1mmultiplies\u001b[39m\u001b[22m\u001b[2m"\u001b[22m',
  "    Expected values to be strictly equal:\u001b[3m\u001b[2m  (is)\u001b[23m\u001b[22m",
  "",
  "        \u001b[32m++7    \u001b[2m\u001b[3m(Expected)\u001b[22m\u001b[23m\u001b[39m",
  "        \u001b[31m--6    \u001b[2m\u001b[3m(Actual)\u001b[22m\u001b[23m\u001b[39m",
  "        \u001b[90m",
  "    at assert (/repo/node_modules/uvu/assert/index.js:33:8)",
  "    at Object.handler (/repo/test/math.test.js:5:35)",
  "",
  "",
  "\u001b[47m\u001b[1m\u001b[30m strings \u001b[39m\u001b[49m\u001b[22m \u001b[31m✘ \u001b[39m\u001b[90m• \u001b[39m\u001b[31m  (1 / 2)",
  "\u001b[39m",
  '  \u001b[1m\u001b[41m FAIL \u001b[22m\u001b[49m\u001b[31m\u001b[47m\u001b[1m strings \u001b[49m\u001b[22m\u001b[39m \u001b[2m"\u001b[22m\u001b[31m\u001b[1mconcat\u001b[39m\u001b[22m\u001b[2m"\u001b[22m',
  "    Expected values to be deeply equal:\u001b[3m\u001b[2m  (equal)\u001b[23m\u001b[22m",
  "",
  "        \u001b[90m··{\u001b[39m",
  "        \u001b[31m\u001b[4m\u001b[2m\u001b[3mActual:\u001b[22m\u001b[23m\u001b[39m\u001b[24m",
  '        \u001b[31m--\u001b[2m·\u001b[22m\u001b[2m·\u001b[22m"a":\u001b[2m·\u001b[22m"xy"\u001b[39m',
  "        \u001b[32m\u001b[4m\u001b[2m\u001b[3mExpected:\u001b[22m\u001b[23m\u001b[39m\u001b[24m",
  '        \u001b[32m++\u001b[2m·\u001b[22m\u001b[2m·\u001b[22m"a":\u001b[2m·\u001b[22m"xz"\u001b[39m',
  "        \u001b[90m··}\u001b[39m",
  "        \u001b[90m",
  "    at assert (/repo/node_modules/uvu/assert/index.js:33:8)",
  "    at Object.handler (/repo/test/math.test.js:9:30)",
  "",
  "",
  "",
  "\u001b[1m\u001b[4m\u001b[37mthrows.test.js\u001b[22m\u001b[24m\u001b[39m",
  "\u001b[31m✘ \u001b[39m\u001b[90m• \u001b[39m\u001b[31m✘ \u001b[39m\u001b[31m  (1 / 3)",
  "\u001b[39m",
  '  \u001b[1m\u001b[41m FAIL \u001b[22m\u001b[49m \u001b[2m"\u001b[22m\u001b[31m\u001b[1mthrows a TypeError\u001b[39m\u001b[22m\u001b[2m"\u001b[22m',
  "    Cannot read properties of null (reading 'x')",
  "\u001b[90m",
  "    at Object.handler (/repo/test/throws.test.js:3:41)",
  "",
  "",
  '  \u001b[1m\u001b[41m FAIL \u001b[22m\u001b[49m \u001b[2m"\u001b[22m\u001b[31m\u001b[1masync reject\u001b[39m\u001b[22m\u001b[2m"\u001b[22m',
  "    bad range",
  "\u001b[90m",
  "    at Object.handler (/repo/test/throws.test.js:6:42)",
  "",
  "",
  "",
  "\u001b[1m\u001b[4m\u001b[37mzpass.test.js\u001b[22m\u001b[24m\u001b[39m",
  "\u001b[90m• \u001b[39m\u001b[90m• \u001b[39m\u001b[32m  (2 / 2)",
  "\u001b[39m",
  "  Total:     10\u001b[31m",
  "  Passed:    6\u001b[39m",
  "  Skipped:   \u001b[33m1\u001b[39m",
  "  Duration:  5.32ms",
  "",
  "",
].join("\n");

const files = new Set([
  "/repo/test/math.test.js",
  "/repo/test/throws.test.js",
  "/repo/test/zpass.test.js",
]);
const repo = { cwd: "/repo", root: "/repo", exists: (path: string) => files.has(path) };

describe("uvu's output as recorded (colours and all)", () => {
  test("each failing test by file, suite and name, with its message and line; each file that ran", () => {
    const parsed = parseUvuOutput(recorded, repo, { dir: "/repo/test" });
    if (!parsed.ok) throw new Error(parsed.why);
    expect(parsed.partial).toBeUndefined();
    expect(
      parsed.tests.map((t) => [t.id, t.status, t.kind ?? null, t.onlyWhenFailing ?? null]),
    ).toEqual([
      ["test/math.test.js::math > multiplies", "fail", null, true],
      ["test/math.test.js::strings > concat", "fail", null, true],
      ["test/throws.test.js::throws a TypeError", "fail", null, true],
      ["test/throws.test.js::async reject", "fail", null, true],
      ["test/math.test.js", "pass", "file", null],
      ["test/throws.test.js", "pass", "file", null],
      ["test/zpass.test.js", "pass", "file", null],
    ]);
    const [multiplies, , thrown] = parsed.tests;
    expect(multiplies).toMatchObject({
      name: "math > multiplies",
      file: "test/math.test.js",
      message:
        "Expected values to be strictly equal:  (is)\n\n    ++7    (Expected)\n    --6    (Actual)",
      failedAt: { line: 5 },
    });
    // uvu prints an error's message, not its name (no "TypeError").
    expect(thrown).toMatchObject({
      message: "Cannot read properties of null (reading 'x')",
      failedAt: { line: 3 },
    });
  });

  test("each test at the line that defines it, by whatever name the file gives its suite", () => {
    // The source uvu ran for the recorded output (test/math.test.js).
    const math = [
      "const { suite } = require('uvu');",
      "const assert = require('uvu/assert');",
      "const Math = suite('math');",
      "Math('adds', () => { assert.is(1 + 1, 2); });",
      "Math('multiplies', () => { assert.is(2 * 3, 7); });",
      "Math('divides', () => { assert.is(6 / 3, 2); });",
      "Math.run();",
      "const Str = suite('strings');",
      "Str('concat', () => { assert.equal({a: 'x' + 'y'}, {a: 'xz'}); });",
      "Str('upper', () => { assert.is('a'.toUpperCase(), 'A'); });",
      "Str.run();",
    ].join("\n");
    const read = (path: string) => (path === "/repo/test/math.test.js" ? math : null);
    const parsed = parseUvuOutput(recorded, repo, { dir: "/repo/test", read });
    if (!parsed.ok) throw new Error(parsed.why);
    expect(parsed.tests.slice(0, 2).map((t) => [t.name, t.line])).toEqual([
      ["math > multiplies", 5],
      ["strings > concat", 9],
    ]);
  });

  test("the same output without its colours (--no-color, NO_COLOR) reads the same", () => {
    const plain = recorded.replace(/\u001b\[[0-9;]*m/g, "");
    expect(parseUvuOutput(plain, repo, { dir: "/repo/test" })).toEqual(
      parseUvuOutput(recorded, repo, { dir: "/repo/test" }),
    );
  });

  test.each([
    [
      "cut before its totals (a crash, --bail)",
      recorded.slice(0, recorded.indexOf("  Total:")),
      false,
    ],
    ["nothing but node's error", "Error: Cannot find module 'x'\nRequire stack:\n", false],
  ])("%s: no report, judged by the exit code", (_, text, stopped) => {
    expect(parseUvuOutput(text, repo, { dir: "/repo/test" }, stopped)).toEqual({
      ok: false,
      why: "the run's output ends before uvu finished (the run was cut short)",
    });
  });

  test("a hung run: the suites that ended, as far as they went (partial)", () => {
    const text = recorded.slice(0, recorded.indexOf("throws.test.js"));
    const parsed = parseUvuOutput(text, repo, { dir: "/repo/test" }, true);
    expect(parsed).toMatchObject({ ok: true, partial: true });
    expect(parsed.ok && parsed.tests.map((t) => t.id)).toEqual([
      "test/math.test.js::math > multiplies",
      "test/math.test.js::strings > concat",
      "test/math.test.js",
    ]);
  });
});

describe("uvu's arguments: the folder its file lines are relative to", () => {
  test.each<[string[], string]>([
    [[], "/p"],
    [["tests"], "/p/tests"],
    [["tests", "\\.spec\\.js$"], "/p/tests"],
    [["-r", "tsm", "tests"], "/p/tests"],
    [["--require=tsm", "-i", "fixtures", "tests"], "/p/tests"],
    [["-C", "packages/a", "tests"], "/p/packages/a/tests"],
    [["--cwd=packages/a"], "/p/packages/a"],
    [["-c", "tests"], "/p/tests"],
    // mri gives -b (no default in uvu's bin) the next word: uvu then runs every file under "."
    [["-b", "tests"], "/p"],
    [["tests", "--bail"], "/p/tests"],
  ])("%j", (args, dir) => {
    expect(uvuSources(args, "/p").dir).toBe(dir);
  });
});

const uvu = join(worktreeModules, ".bin", "uvu");
const missing = existsSync(uvu) ? null : "uvu is not in node_modules (npm ci first)";
if (missing) console.log(`reports-uvu: skipped: ${missing}`);

describe.skipIf(missing !== null)("uvu's output, from the real uvu", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-uvu-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(worktreeModules, join(dir, "node_modules"));
  let n = 0;

  /** The real uvu's output (stdout and stderr, as a run's log holds them) for these files. */
  function run(files: Record<string, string>, args: string[] = [], pattern: string[] = []) {
    const at = join(dir, `case${++n}`);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(at, "test", name)), { recursive: true });
      writeFileSync(join(at, "test", name), text);
    }
    const r = spawnSync("sh", ["-c", 'exec "$@" 2>&1', "sh", uvu, ...args, "test", ...pattern], {
      cwd: at,
      encoding: "utf8",
    });
    const context = { cwd: at, root: at, exists: existsSync };
    return {
      parsed: parseUvuOutput(r.stdout, context, {
        ...uvuSources([...args, "test", ...pattern], at),
        read: (path) => (existsSync(path) ? readFileSync(path, "utf8") : null),
      }),
      status: r.status,
    };
  }
  const ids = (parsed: ReturnType<typeof parseUvuOutput>) => {
    if (!parsed.ok) throw new Error(parsed.why);
    return parsed.tests.map((t) => [t.id, t.status, t.kind ?? null, t.line]);
  };

  test("a before hook that threw: uvu names no failure, the suite is one failing entry", () => {
    const { parsed, status } = run({
      "hook.test.js": [
        'const { suite } = require("uvu");',
        'const assert = require("uvu/assert");',
        'const S = suite("hooked");',
        'S.before(() => { throw new Error("setup broke"); });',
        'S("one", () => {});',
        'S("two", () => {});',
        "S.run();",
        'const T = suite("plain");',
        'T("fails", () => { assert.ok(false); });',
        "T.run();",
        "",
      ].join("\n"),
    });
    expect(status).toBe(1);
    expect(ids(parsed)).toEqual([
      ["test/hook.test.js::plain > fails", "fail", null, 9],
      ["test/hook.test.js::hooked", "fail", "suite", 3],
      ["test/hook.test.js", "pass", "file", null],
    ]);
  });

  test("a throw of a string in uvu's unnamed suite: the suite's entry, no name from uvu", () => {
    const { parsed } = run({
      "str.test.js": [
        'const { test } = require("uvu");',
        'test("throws a string", () => { throw "oops"; });',
        'test("after", () => {});',
        "test.run();",
        "",
      ].join("\n"),
    });
    expect(ids(parsed)).toEqual([
      ["test/str.test.js::(tests)", "fail", "suite", null],
      ["test/str.test.js", "pass", "file", null],
    ]);
  });

  test("files in sub-folders, one test name twice in a suite, skipped and only-ed tests", () => {
    const { parsed } = run({
      "a/deep.test.js": [
        'const { suite } = require("uvu");',
        'const assert = require("uvu/assert");',
        'const S = suite("deep suite");',
        'S("same", () => { assert.is(1, 2); });',
        'S("same", () => { assert.is(1, 3); });',
        'S.skip("skipped", () => {});',
        "S.run();",
        "",
      ].join("\n"),
      "b.test.mjs": [
        'import { test } from "uvu";',
        'import * as assert from "uvu/assert";',
        'test.only("only this", () => { assert.equal([1], [2]); });',
        'test("not this", () => { assert.ok(false); });',
        "test.run();",
        "",
      ].join("\n"),
    });
    expect(ids(parsed)).toEqual([
      // Two tests of one title: no one line defines it.
      ["test/a/deep.test.js::deep suite > same", "fail", null, null],
      ["test/a/deep.test.js::deep suite > same #2", "fail", null, null],
      ["test/b.test.mjs::only this", "fail", null, 3],
      ["test/a/deep.test.js", "pass", "file", null],
      ["test/b.test.mjs", "pass", "file", null],
    ]);
  });

  test("a test whose promise never settles: uvu exits early, no totals, no report", () => {
    const { parsed, status } = run({
      "never.test.js": [
        'const { test } = require("uvu");',
        'test("never", () => new Promise(() => {}));',
        "test.run();",
        "",
      ].join("\n"),
    });
    expect(status).toBe(1);
    expect(parsed.ok).toBe(false);
  });

  // TypeScript's module extensions, through a loader (tsx): the file's line read as one (it was
  // not, and its test was read as a test of the file before it).
  test("a .mts test file through -r tsx/cjs: its file and its failing test", () => {
    const { parsed, status } = run(
      {
        "typed.test.mts": [
          'import { test } from "uvu";',
          'import * as assert from "uvu/assert";',
          "const n: number = 1;",
          'test("typed", () => { assert.is(n, 2); });',
          "test.run();",
          "",
        ].join("\n"),
      },
      ["-r", "tsx/cjs"],
      ["\\.mts$"],
    );
    expect(status).toBe(1);
    expect(ids(parsed)).toEqual([
      ["test/typed.test.mts::typed", "fail", null, 4],
      ["test/typed.test.mts", "pass", "file", null],
    ]);
  });

  test("all passing, with --no-color: the files, no failure", () => {
    const { parsed, status } = run(
      { "ok.test.js": 'const { test } = require("uvu");\ntest("fine", () => {});\ntest.run();\n' },
      ["--no-color"],
    );
    expect(status).toBe(0);
    expect(ids(parsed)).toEqual([["test/ok.test.js", "pass", "file", null]]);
  });
});
