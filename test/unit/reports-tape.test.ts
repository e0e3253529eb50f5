import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseTapeOutput } from "../../src/run/reports/parse-tape-output.js";
import { worktreeModules } from "../repos/runner-projects.js";

/*
 * tape's TAP as the real tape (the devDependency) prints it, read as culprit reads a run's log.
 * Before, tape's runs were judged by their exit code alone: a suite with one old failure and one
 * new one read PRE-EXISTING, exit 0, over the regression, unless the user piped tape through a
 * TAP-to-JUnit converter and passed --junit.
 */
const tape = join(worktreeModules, ".bin", "tape");
const missing = existsSync(tape) ? null : "tape is not in node_modules (npm ci first)";
if (missing) console.log(`reports-tape: skipped: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), "culprit-tape-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!missing) symlinkSync(worktreeModules, join(dir, "node_modules"));

/** The real tape's output (stdout and stderr, as a run's log holds them) for these test files. */
function tapeOutput(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = spawnSync("sh", ["-c", `exec "$@" 2>&1`, "sh", tape, ...Object.keys(files)], {
    cwd: dir,
    encoding: "utf8",
  });
  return r.stdout;
}

const context = () => ({ cwd: dir, root: dir, exists: existsSync });
const rows = (text: string) => {
  const parsed = parseTapeOutput(text, context());
  if (!parsed.ok) throw new Error(parsed.why);
  return parsed.tests.map((t) => [t.id, t.status, t.file, t.message]);
};

describe.skipIf(missing !== null)("tape's TAP, from the real tape", () => {
  test.each<{ name: string; files: Record<string, string>; expected: unknown[] }>([
    {
      name: "one failing and one passing test: the failure's file and what was expected",
      files: {
        "a.js": [
          'const test = require("tape");',
          'test("adds", (t) => { t.equal(1 + 1, 3); t.end(); });',
          'test("subtracts", (t) => { t.equal(2 - 1, 1); t.ok(true); t.end(); });',
          "",
        ].join("\n"),
      },
      expected: [
        ["adds", "fail", "a.js", "should be strictly equal\nexpected: 3\nactual: 2"],
        ["subtracts", "pass", null, null],
      ],
    },
    {
      name: "two files with a test of one name: told apart by order; skips, TODOs and subtests",
      files: {
        "b.js": [
          'const test = require("tape");',
          'test("old", (t) => { t.equal(0.1 + 0.2, 0.3, "sums"); t.end(); });',
          "",
        ].join("\n"),
        "c.js": [
          'const test = require("tape");',
          'test("old", (t) => { t.ok(true); t.end(); });',
          'test("later", (t) => { t.skip("not yet"); t.end(); });',
          'test("todo", { todo: true }, (t) => { t.equal(1, 2); t.end(); });',
          'test("outer", (t) => { t.test("inner", (st) => { st.fail("inner broke"); st.end(); }); t.end(); });',
          "",
        ].join("\n"),
      },
      expected: [
        ["old", "fail", "b.js", "sums\nexpected: 0.3\nactual: 0.30000000000000004"],
        ["old #2", "pass", null, null],
        ["later", "skip", null, null],
        ["TODO todo", "skip", null, null],
        ["outer", "pass", null, null],
        ["inner", "fail", "c.js", "inner broke"],
      ],
    },
  ])("$name", ({ files, expected }) => {
    expect(rows(tapeOutput(files))).toEqual(expected);
  });

  test("a test that throws stops tape before its plan: it failed with the error, those before it keep theirs", () => {
    const text = tapeOutput({
      "d.js": [
        'const test = require("tape");',
        'test("first", (t) => { t.ok(true); t.end(); });',
        'test("second", (t) => { t.equal(1, 2); t.end(); });',
        'test("throws", () => { undefinedHelper(); });',
        'test("never runs", (t) => { t.ok(true); t.end(); });',
        "",
      ].join("\n"),
    });
    expect(text).toMatch(/ReferenceError/);
    expect(rows(text)).toEqual([
      ["first", "pass", null, null],
      ["second", "fail", "d.js", "should be strictly equal\nexpected: 2\nactual: 1"],
      ["throws", "fail", "d.js", "ReferenceError: undefinedHelper is not defined"],
    ]);
  });

  test("a plain Error thrown: its line is the message", () => {
    const text = tapeOutput({
      "h.js": [
        'const test = require("tape");',
        'test("boom", () => { throw new Error("boom from add"); });',
        "",
      ].join("\n"),
    });
    expect(rows(text)).toEqual([["boom", "fail", "h.js", "Error: boom from add"]]);
  });

  test("nothing started (a file that cannot load): no report", () => {
    const text = tapeOutput({ "f.js": 'require("./nowhere");\n' });
    expect(parseTapeOutput(text, context())).toEqual({
      ok: false,
      why: "the run's output ends before tape finished (the run was cut short)",
    });
  });

  test("values over several lines, and tests that never end, each failed by name", () => {
    const text = tapeOutput({
      "g.js": [
        'const test = require("tape");',
        'test("objects", (t) => { t.deepEqual({ a: 1, b: 2 }, { b: 3, c: 4 }); t.end(); });',
        'test("ends properly", (t) => { t.ok(true); });',
        'test("plan test", (t) => { t.plan(2); t.ok(true); });',
        "",
      ].join("\n"),
    });
    const tests = rows(text);
    expect(tests[0]!.slice(0, 3)).toEqual(["objects", "fail", "g.js"]);
    expect(tests[0]![3]).toMatch(
      /^should be deeply equivalent\nexpected: .*b: 3.*\nactual: .*a: 1/,
    );
    expect(tests.slice(1).map((t) => t.slice(0, 2))).toEqual([
      ["ends properly", "fail"],
      ["plan test", "fail"],
    ]);
  });

  test("where in its file a test failed: its first failing assertion's line (isolate tells failures apart by it)", () => {
    const text = tapeOutput({
      "d.js": [
        'const test = require("tape");',
        'test("checks", (t) => {',
        "  t.equal(1 + 1, 2);",
        '  t.equal("html", "json");',
        "  t.equal(2 + 2, 5);",
        "  t.end();",
        "});",
        'test("fine", (t) => { t.ok(true); t.end(); });',
        "",
      ].join("\n"),
    });
    const parsed = parseTapeOutput(text, context());
    expect(parsed.ok && parsed.tests.map((t) => [t.name, t.failedAt])).toEqual([
      ["checks", { line: 4 }],
      ["fine", undefined],
    ]);
  });

  test("npm's lines and what a test prints around the TAP are passed over", () => {
    const text = `\n> enc@1.0.0 test\n> tape test/*.js\n\n${tapeOutput({
      "e.js": [
        'const test = require("tape");',
        'test("prints", (t) => { console.log("hello"); console.error("warn"); t.ok(true); t.end(); });',
        "",
      ].join("\n"),
    })}`;
    expect(rows(text)).toEqual([["prints", "pass", null, null]]);
  });
});

/*
 * With the files the run loaded, each test is placed in the file that defines it: the id is
 * `file::name`, so a test of one name in two files is matched by its file, not by its order. The
 * qs trial's case: a passing `works` in a.js deleted, the old failing `works` in b.js was "works"
 * on your tree against "works #2" at the baseline, and read as a regression.
 */
describe.skipIf(missing !== null)("tape's tests placed in their files", () => {
  const placed = (files: Record<string, string>, loaded = Object.keys(files)) => {
    for (const name of loaded) rmSync(join(dir, name), { force: true });
    const text = tapeOutput(files);
    const parsed = parseTapeOutput(text, context(), {
      files: loaded.map((name) => join(dir, name)),
      read: (path) => (existsSync(path) ? readFileSync(path, "utf8") : null),
    });
    if (!parsed.ok) throw new Error(parsed.why);
    // A name read in the report is the id's without the file: "each #2", not "each" twice.
    for (const t of parsed.tests) expect(t.name).toBe(t.id.replace(/^[^:]*::/, ""));
    return parsed.tests.map((t) => [t.id, t.status, t.file]);
  };
  const works = (ok: boolean) =>
    `const test = require("tape");\ntest("works", (t) => { t.ok(${ok}); t.end(); });\n`;

  test("one name in two files: each test is its file's, whichever of them runs", () => {
    expect(placed({ "p1.js": works(true), "p2.js": works(false) })).toEqual([
      ["p1.js::works", "pass", "p1.js"],
      ["p2.js::works", "fail", "p2.js"],
    ]);
    // p1.js's test deleted: the failing one is still p2.js's (by order it became "works").
    expect(placed({ "p2.js": works(false) })).toEqual([["p2.js::works", "fail", "p2.js"]]);
  });

  test("a name defined once but printed often (a loop), subtests of one name in one file, a skipped test", () => {
    const text = [
      'const test = require("tape");',
      'for (const n of [1, 2]) test("each", (t) => { t.ok(n < 2); t.end(); });',
      'test("a", (t) => { t.test("same", (st) => { st.ok(true); st.end(); }); t.end(); });',
      'test("b", (t) => { t.test("same", (st) => { st.fail("b broke"); st.end(); }); t.end(); });',
      'test("later", { skip: true }, (t) => { t.end(); });',
      // A name made at run time (a template with a placeholder) is found in no file.
      "test(`made $" + "{1}`, (t) => { t.ok(true); t.end(); });",
      "",
    ].join("\n");
    expect(placed({ "p3.js": text })).toEqual([
      ["p3.js::each", "pass", "p3.js"],
      ["p3.js::each #2", "fail", "p3.js"],
      ["p3.js::a", "pass", "p3.js"],
      ["p3.js::same", "pass", "p3.js"],
      ["p3.js::b", "pass", "p3.js"],
      ["p3.js::same #2", "fail", "p3.js"],
      ["p3.js::SKIP later", "skip", "p3.js"],
      ["made 1", "pass", null],
    ]);
  });

  test("a name in two files, printed another number of times: told apart by order, as without the files", () => {
    const loop = `const test = require("tape");\nfor (const n of [1, 2]) test("works", (t) => { t.ok(n < 2); t.end(); });\n`;
    expect(placed({ "p4.js": loop, "p5.js": works(true) })).toEqual([
      ["works", "pass", null],
      ["works #2", "fail", "p4.js"],
      ["works #3", "pass", null],
    ]);
  });
});
