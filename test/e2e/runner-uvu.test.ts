import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { attributeUntouched, twoRuns } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { jsProjectRepo, worktreeModules } from "../repos/runner-projects.js";

// uvu 0.5, the real one (a devDependency). culprit reads uvu's console output from each run's
// log: a FAIL line for each failing test, a dot for each that passed (never named), the totals
// at the end. Before, uvu was judged by its exit code and the way it failed: a suite with one
// old failure and one new failure read by its FAIL lines, and a suite where the same test fails
// on both sides beside one that passes only at the baseline needed the lines to differ.

const missing = existsSync(join(worktreeModules, ".bin", "uvu"))
  ? null
  : "uvu is not in node_modules (npm ci first)";
if (missing) console.log(`runner-uvu: skipped: ${missing}`);

const fixed = 'exports.enc = (s) => s.replace(/[^a-z~]/g, "_");\nexports.init = () => {};\n';
const broken = 'exports.enc = (s) => s.replace(/[^a-z]/g, "_");\nexports.init = () => {};\n';

/** A test file of uvu's plain `test`: its requires, the lines given, and its run. */
function uvuFile(...lines: string[]): string {
  return [
    'const { test } = require("uvu");',
    'const assert = require("uvu/assert");',
    ...lines,
    "test.run();",
    "",
  ].join("\n");
}

/** A suite of three files: enc's (a suite of two tests), an old failure, one that passes. */
function project(): TestRepo {
  const repo = jsProjectRepo(
    {
      "package.json": `${JSON.stringify({ name: "enc", private: true, scripts: { test: "uvu test" } })}\n`,
      "lib/enc.js": fixed,
      "test/enc.test.js": [
        'const { suite } = require("uvu");',
        'const assert = require("uvu/assert");',
        'const lib = require("../lib/enc");',
        'const Enc = suite("enc");',
        "Enc.before(() => lib.init());",
        'Enc("keeps letters", () => { assert.is(lib.enc("az"), "az"); });',
        'Enc("keeps tildes", () => { assert.is(lib.enc("a~b"), "a~b"); });',
        "Enc.run();",
        "",
      ].join("\n"),
      "test/old.test.js": uvuFile('test("floats", () => { assert.is(0.1 + 0.2, 0.3); });'),
      "test/parse.test.js": uvuFile('test("parses", () => { assert.is(Number("2"), 2); });'),
    },
    "enc, and an old test that always failed",
  );
  // Your change: enc drops tildes.
  repo.write("lib/enc.js", broken);
  return repo;
}

interface TestRow {
  id: string;
  name: string;
  verdict: string;
  file: string | null;
  line: number | null;
  current: { runs: number; failures: number };
  baseline: { runs: number; failures: number };
}

/** How a side's runs went for a test (culprit adds runs while Holm's bars are not met). */
const side = (c: { runs: number; failures: number }) =>
  c.runs === 0
    ? "never ran"
    : c.failures === c.runs
      ? "failed every run"
      : c.failures === 0
        ? "passed every run"
        : "mixed";

const rowsOf = (json: Record<string, unknown>) =>
  (json["tests"] as TestRow[]).map((t) => [
    t.id,
    t.verdict,
    t.file,
    t.line,
    side(t.current),
    side(t.baseline),
  ]);

// The cases after the first three start uvu by its bin: npx reads the whole node_modules tree
// before it starts uvu, and the first three cover the launchers.
const uvu = ["node_modules/.bin/uvu", "test"];

describe.skipIf(missing !== null)("uvu, with the real runner", () => {
  // The first at culprit's defaults, as a user runs it; the other launchers at two runs a side.
  test.each([
    [["npx", "uvu", "test"], []],
    [["npm", "test"], twoRuns],
    [uvu, twoRuns],
  ])(
    "%j: uvu's FAIL lines read per test: one old failure, one new: regression, each test right",
    (command, runs) => {
      const repo = project();
      try {
        const { json, status } = attributeUntouched(repo, command, ["--no-cache", ...runs]);
        expect(json.verdict, String(json.reason)).toBe("regression");
        expect(status).toBe(1);
        expect((json["perTest"] as { source: string }).source).toMatch(/^uvu output/);
        // The new failure passed at the baseline: absent from the whole reports of runs that
        // ran its file (uvu names no passing test).
        expect(rowsOf(json)).toEqual([
          [
            "test/enc.test.js::enc > keeps tildes",
            "regression",
            "test/enc.test.js",
            7,
            "failed every run",
            "passed every run",
          ],
          [
            "test/old.test.js::floats",
            "pre-existing",
            "test/old.test.js",
            3,
            "failed every run",
            "failed every run",
          ],
        ]);
        const message = (json["tests"] as { message: string | null }[])[0]!.message;
        expect(message).toContain("Expected values to be strictly equal:");
      } finally {
        repo.cleanup();
      }
    },
  );

  test("a before hook your change breaks, beside the old failure: uvu names no failure, its suite is the regression", () => {
    const repo = project();
    try {
      repo.write(
        "lib/enc.js",
        fixed.replace(
          "exports.init = () => {};",
          'exports.init = () => { throw new Error("no config"); };',
        ),
      );
      const { json, status } = attributeUntouched(repo, uvu, ["--no-cache", ...twoRuns]);
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      expect(rowsOf(json)).toEqual([
        [
          "test/enc.test.js::enc",
          "regression",
          "test/enc.test.js",
          4,
          "failed every run",
          "passed every run",
        ],
        [
          "test/old.test.js::floats",
          "pre-existing",
          "test/old.test.js",
          3,
          "failed every run",
          "failed every run",
        ],
      ]);
    } finally {
      repo.cleanup();
    }
  });

  // Test first, in a file that was there: uvu names no test that passes, so at the baseline the
  // new test's absence read "passed", and a bug that was already there REGRESSION, exit 1.
  test("a test your change adds to a tracked file, failing on an old bug: new at the baseline, judged at the revert: PRE-EXISTING", () => {
    const repo = project();
    try {
      // Beside it, a change that breaks nothing: the revert puts it back and keeps your test.
      repo.write("lib/enc.js", `// encodes names\n${fixed}`);
      repo.write(
        "test/parse.test.js",
        uvuFile(
          'test("parses", () => { assert.is(Number("2"), 2); });',
          'test("parses hex", () => { assert.is(Number("0x10"), 10); });',
        ),
      );
      const { json, status } = attributeUntouched(repo, uvu, ["--no-cache", ...twoRuns]);
      expect(json.verdict, String(json.reason)).toBe("pre-existing");
      expect(status).toBe(0);
      const rows = json["tests"] as TestRow[];
      const hex = rows.find((t) => t.id === "test/parse.test.js::parses hex")!;
      expect(hex.verdict).toBe("pre-existing");
      expect(hex.baseline.failures).toBeGreaterThan(0);
      expect((json["attempts"] as unknown[]).length).toBeGreaterThan(1);
    } finally {
      repo.cleanup();
    }
  });

  test("a new test file (untracked) that fails: no baseline run ran it, so it is new there, not passed; a revert that keeps it judges it", () => {
    const repo = project();
    try {
      repo.write(
        "test/chars.test.js",
        uvuFile(
          'const { enc } = require("../lib/enc");',
          'test("tilde is kept", () => { assert.is(enc("~"), "~"); });',
        ),
      );
      const { json, status } = attributeUntouched(repo, uvu, ["--no-cache", ...twoRuns]);
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const rows = json["tests"] as TestRow[];
      const chars = rows.find((t) => t.id === "test/chars.test.js::tilde is kept")!;
      // Judged at the selective revert (your test files kept, lib/enc.js put back), where it passes.
      expect(chars.verdict).toBe("regression");
      expect(chars.baseline.failures).toBe(0);
      expect((json["attempts"] as unknown[]).length).toBeGreaterThan(1);
    } finally {
      repo.cleanup();
    }
  });
});
