import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { parseAvaTap } from "../../src/run/reports/parse-ava-tap.js";
import { worktreeModules } from "../repos/runner-projects.js";

/*
 * AVA's TAP (`ava --tap`) as the real AVA (the devDependency) prints it, read as culprit reads a
 * run's log. Before, AVA's runs were judged by their exit code alone: a suite with one old
 * failure and one new one read PRE-EXISTING, exit 0, over the regression.
 */
const ava = join(worktreeModules, ".bin", "ava");
const missing = existsSync(ava) ? null : "ava is not in node_modules (npm ci first)";
if (missing) console.log(`reports-ava: skipped: ${missing}`);

const dir = mkdtempSync(join(tmpdir(), "culprit-ava-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!missing) {
  symlinkSync(worktreeModules, join(dir, "node_modules"));
  writeFileSync(join(dir, "package.json"), '{ "name": "t", "private": true }\n');
}
beforeEach(() => rmSync(join(dir, "test"), { recursive: true, force: true }));

/** The real AVA's output (stdout and stderr, as a run's log holds them) for these test files. */
function avaOutput(files: Record<string, string>, args: string[] = [], cwd = dir): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const r = spawnSync("sh", ["-c", `exec "$@" 2>&1`, "sh", ava, "--tap", ...args], {
    cwd,
    encoding: "utf8",
  });
  return r.stdout;
}

const context = () => ({ cwd: dir, root: dir, exists: existsSync });
const rows = (text: string, patterns: string[] = []) => {
  const parsed = parseAvaTap(text, context(), { patterns, cwd: dir });
  if (!parsed.ok) throw new Error(parsed.why);
  return parsed.tests
    .map((t) => [t.id, t.name, t.status, t.file, t.message])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
};
const head = 'const test = require("ava");\n';

describe.skipIf(missing !== null)("AVA's TAP, from the real AVA", () => {
  test("two files: each test placed in its file; pass, fail, skip, todo; what the assertion saw", () => {
    const text = avaOutput({
      "test/a.js": `${head}test("adds", (t) => { t.is(1 + 1, 3); });\ntest("old", (t) => { t.is(0.1 + 0.2, 0.3, "sums"); });\ntest("fine", (t) => { t.pass(); });\ntest.skip("later", (t) => { t.pass(); });\ntest.todo("someday");\n`,
      "test/sub/b.test.js": `${head}test("old", (t) => { t.true(true); });\n`,
    });
    expect(rows(text)).toEqual([
      ["test/a.js::adds", "adds", "fail", "test/a.js", "t.is() (- actual, + expected)\n- 2\n+ 3"],
      ["test/a.js::fine", "fine", "pass", "test/a.js", null],
      ["test/a.js::later", "later", "skip", "test/a.js", null],
      [
        "test/a.js::old",
        "old",
        "fail",
        "test/a.js",
        "t.is(): sums (- actual, + expected)\n- 0.30000000000000004\n+ 0.3",
      ],
      ["test/a.js::someday", "someday", "skip", "test/a.js", null],
      ["test/sub/b.test.js::old", "old", "pass", "test/sub/b.test.js", null],
    ]);
  });

  test("errors thrown in a test: the error's own line; a file that cannot load fails as a whole", () => {
    const text = avaOutput({
      "test/d.js": `${head}test("throws", () => { undefinedHelper(); });\ntest("rejects", async () => { throw new TypeError("bad type"); });\n`,
      "test/e.js": `${head}require("./nowhere");\ntest("never", (t) => { t.pass(); });\n`,
      "test/f.js": `${head}test("lazy", (t) => { require("./later"); t.pass(); });\n`,
    });
    expect(rows(text)).toEqual([
      ["test/d.js::rejects", "rejects", "fail", "test/d.js", "TypeError: bad type"],
      [
        "test/d.js::throws",
        "throws",
        "fail",
        "test/d.js",
        "ReferenceError: undefinedHelper is not defined",
      ],
      ["test/e.js", "test/e.js", "fail", "test/e.js", "Error: Cannot find module './nowhere'"],
      ["test/f.js::lazy", "lazy", "fail", "test/f.js", "Error: Cannot find module './later'"],
    ]);
  });

  test("what a test logged (t.log) comes before its YAML; a folded message is one line; a crashed file is a file-level entry", () => {
    const text = avaOutput({
      "test/g.js": `${head}test("logs", (t) => { t.log("hello", { a: 1 }); t.log("second"); t.is(1, 2); });\ntest.serial("in turn", (t) => { t.is(1, 3); });\ntest.failing("known bug", (t) => { t.pass(); });\n`,
      "test/h.js": `${head}require("./nowhere");\ntest("never", (t) => { t.pass(); });\n`,
    });
    expect(rows(text)).toEqual([
      [
        "test/g.js::in turn",
        "in turn",
        "fail",
        "test/g.js",
        "t.is() (- actual, + expected)\n- 1\n+ 3",
      ],
      [
        "test/g.js::known bug",
        "known bug",
        "fail",
        "test/g.js",
        "Test was expected to fail, but succeeded, you should stop marking the test as failing",
      ],
      ["test/g.js::logs", "logs", "fail", "test/g.js", "t.is() (- actual, + expected)\n- 1\n+ 2"],
      ["test/h.js", "test/h.js", "fail", "test/h.js", "Error: Cannot find module './nowhere'"],
    ]);
    // A file that could not load is listed only when it fails: absent on a side whose runs
    // reported tests of that file, it passed there (a file your change broke is a regression,
    // not a new test).
    const parsed = parseAvaTap(text, context(), { patterns: [], cwd: dir });
    expect(parsed.ok && parsed.tests.find((t) => t.id === "test/h.js")?.kind).toBe("file");
  });

  test("an object's diff: its changed lines, in order, without the lines that are the same", () => {
    const text = avaOutput({
      "test/o.js": `${head}test("deep", (t) => { t.deepEqual({ a: 1, b: [1, 2, 3], c: "x" }, { a: 1, b: [1, 2, 4], c: "y" }); });\n`,
    });
    expect(rows(text).map((r) => r[4])).toEqual([
      "t.deepEqual() (- actual, + expected)\n- 3,\n+ 4,\n- c: 'x',\n+ c: 'y',",
    ]);
  });

  test("run in a subfolder (cd test/sub && ava): titles are below the project's folder, and found there", () => {
    const files = {
      "test/a.js": `${head}test("adds", (t) => { t.is(1, 2); });\n`,
      "test/sub/c.test.js": `${head}test("deep", (t) => { t.is(1, 2); });\n`,
    };
    const sub = join(dir, "test", "sub");
    const text = avaOutput(files, [], sub);
    const parsed = parseAvaTap(
      text,
      { cwd: sub, root: dir, exists: existsSync },
      { patterns: [], cwd: sub },
    );
    expect(parsed.ok && parsed.tests.map((t) => [t.id, t.file]).sort()).toEqual([
      ["test/a.js::adds", "test/a.js"],
      ["test/sub/c.test.js::deep", "test/sub/c.test.js"],
    ]);
  });

  test("a file that cannot load for a missing export: node's error, not the source line AVA titles it with", () => {
    const text = avaOutput({
      "lib/sum.mjs": "export const sum = (a, b) => a + b;\n",
      "test/x.mjs": `import test from "ava";\nimport { add } from "../lib/sum.mjs";\ntest("adds", (t) => { t.is(add(1, 2), 3); });\n`,
      "test/y.mjs": `import test from "ava";\ntest("fine", (t) => { t.pass(); });\n`,
    });
    expect(rows(text).filter((r) => r[2] === "fail")).toEqual([
      [
        "test/x.mjs",
        "test/x.mjs",
        "fail",
        "test/x.mjs",
        "SyntaxError: The requested module '../lib/sum.mjs' does not provide an export named 'add'",
      ],
    ]);
  });

  test("a title holding ' › ' in a run of one named file is the title, not a prefix", () => {
    const files = {
      "test/a.js": `${head}test("util › adds", (t) => { t.is(1, 2); });\n`,
      "test/util.test.js": `${head}test("adds", (t) => { t.pass(); });\n`,
    };
    const text = avaOutput(files, ["test/a.js"]);
    expect(rows(text, ["test/a.js"]).map((r) => r.slice(0, 4))).toEqual([
      ["test/a.js::util › adds", "util › adds", "fail", "test/a.js"],
    ]);
  });

  test("two files of one prefix (foo.test.js, foo.spec.js): each test in the file that defines it", () => {
    const text = avaOutput({
      "test/foo.test.js": `${head}test("works", (t) => { t.is(1, 2); });\n`,
      "test/foo.spec.js": `${head}test("also works", (t) => { t.pass(); });\n`,
    });
    expect(rows(text).map((r) => r.slice(0, 4))).toEqual([
      ["test/foo.spec.js::also works", "also works", "pass", "test/foo.spec.js"],
      ["test/foo.test.js::works", "works", "fail", "test/foo.test.js"],
    ]);
  });

  test("one file given: its titles have no prefix, and are that file's", () => {
    const text = avaOutput({ "test/a.js": `${head}test("adds", (t) => { t.is(1, 2); });\n` }, [
      "test/a.js",
    ]);
    expect(rows(text, ["test/a.js"]).map((r) => r.slice(0, 4))).toEqual([
      ["test/a.js::adds", "adds", "fail", "test/a.js"],
    ]);
  });

  test("AVA's timeout: its TAP reporter crashes (AVA 6.4), and culprit says so", () => {
    const text = avaOutput(
      {
        "test/a.js": `${head}test("slow", async (t) => { await new Promise((r) => setTimeout(r, 30000)); t.pass(); });\n`,
      },
      // (Long enough for the worker to start and the test to begin on a loaded machine: a
      // timeout before any test began prints an empty plan, as a run of no test file does.)
      ["--timeout=4s"],
    );
    expect(parseAvaTap(text, context())).toEqual({
      ok: false,
      why: "AVA's --timeout ended a test, and AVA's TAP reporter crashed reporting it (an AVA bug): a longer --timeout gives a per-test report",
    });
  });

  test("a run cut before its plan line: no report", () => {
    const text = avaOutput({ "test/a.js": `${head}test("adds", (t) => { t.pass(); });\n` });
    expect(parseAvaTap(text.replace(/\n1\.\.\d+[\s\S]*$/, "\n"), context())).toEqual({
      ok: false,
      why: "the run's output ends before ava finished (the run was cut short)",
    });
  });
});
