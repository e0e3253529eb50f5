import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { attributeUntouched, twoRuns } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { jsProjectRepo, worktreeModules } from "../repos/runner-projects.js";

// AVA, the real one (a devDependency). culprit adds --tap and reads AVA's TAP from each run's
// log, one line a test. Before, AVA was judged by its exit code alone: a suite with one old
// failure and one new read PRE-EXISTING, exit 0, over the regression.

const missing = existsSync(join(worktreeModules, ".bin", "ava"))
  ? null
  : "ava is not in node_modules (npm ci first)";
if (missing) console.log(`runner-ava: skipped: ${missing}`);

const fixed = 'exports.enc = (s) => s.replace(/[^a-z~]/g, "_");\n';
const broken = 'exports.enc = (s) => s.replace(/[^a-z]/g, "_");\n';

function project(): TestRepo {
  const repo = jsProjectRepo(
    {
      "package.json": `${JSON.stringify({ name: "enc", private: true, scripts: { test: "ava" } })}\n`,
      "lib/enc.js": fixed,
      "test/enc.js": [
        'const test = require("ava");',
        'const { enc } = require("../lib/enc");',
        'test("enc keeps letters", (t) => { t.is(enc("az"), "az"); });',
        'test("enc keeps tildes", (t) => { t.is(enc("a~b"), "a~b"); });',
        "",
      ].join("\n"),
      "test/old.js": [
        'const test = require("ava");',
        'test("old", (t) => { t.is(0.1 + 0.2, 0.3); });',
        "",
      ].join("\n"),
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
}

// The cases after the first three start AVA by its bin: npx reads the whole node_modules tree
// before it starts AVA, about 0.6 s of CPU a run here, and the first three cover the launchers.
const ava = ["node_modules/.bin/ava"];

describe.skipIf(missing !== null)("AVA, with the real runner", () => {
  // The first at culprit's defaults, as a user runs it; the other launchers at two runs a side.
  test.each([
    [["npx", "ava"], []],
    [["npm", "test"], twoRuns],
    [["npx", "ava", "test/enc.js", "test/old.js"], twoRuns],
  ])(
    "%j: AVA's TAP read per test: one old failure, one new: regression, each test right",
    (command, runs) => {
      const repo = project();
      try {
        const { json, status } = attributeUntouched(repo, command, ["--no-cache", ...runs]);
        expect(json.verdict, String(json.reason)).toBe("regression");
        expect(status).toBe(1);
        expect((json["perTest"] as { source: string }).source).toMatch(/^AVA TAP output/);
        const rows = json["tests"] as TestRow[];
        expect(rows.map((t) => [t.id, t.verdict, t.file, t.line])).toEqual([
          ["test/enc.js::enc keeps tildes", "regression", "test/enc.js", 4],
          ["test/old.js::old", "pre-existing", "test/old.js", 2],
        ]);
      } finally {
        repo.cleanup();
      }
    },
  );

  test("a new test file whose new helper a revert takes away: that file fails as a whole there, its test undecided, never pre-existing", () => {
    const repo = project();
    try {
      repo.write("lib/chars.js", "exports.unreserved = (c) => /[a-z]/.test(c);\n");
      repo.write(
        "test/chars.js",
        [
          'const test = require("ava");',
          'const { unreserved } = require("../lib/chars");',
          'test("chars", (t) => { t.true(unreserved("~"), "tilde is unreserved"); });',
          "",
        ].join("\n"),
      );
      const { json, status } = attributeUntouched(repo, ava, ["--no-cache"]);
      // AVA runs the other files when one cannot load (unlike tape): the run failed, and
      // test/chars.js is one of its failing entries ("Error: Cannot find module '../lib/chars'").
      // lib/enc.js reverted alone names enc's regression; chars, never seen with its helper
      // reverted, is undecided.
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const rows = json["tests"] as (TestRow & { message: string | null })[];
      expect(rows.map((t) => [t.id, t.verdict])).toEqual([
        ["test/enc.js::enc keeps tildes", "regression"],
        ["test/chars.js::chars", "inconclusive"],
        ["test/old.js::old", "pre-existing"],
      ]);
      expect(rows[1]!.message).toBe("t.true(): tilde is unreserved\nValue is not `true`: false");
    } finally {
      repo.cleanup();
    }
  });

  test("your change stops a test file loading: that file is a regression (its tests passed without your changes), not a new test", () => {
    const repo = project();
    try {
      repo.write("lib/enc.js", fixed);
      repo.write(
        "test/enc.js",
        readFileSync(join(repo.dir, "test/enc.js"), "utf8").replace("../lib/enc", "../lib/encode"),
      );
      const { json, status } = attributeUntouched(repo, ava, ["--no-cache", ...twoRuns]);
      // (Before, the file's entry, absent at the baseline, read as a new test: UNRUNNABLE, exit 2.)
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const rows = json["tests"] as (TestRow & { message: string | null })[];
      expect(rows.map((t) => [t.id, t.verdict])).toEqual([
        ["test/enc.js", "regression"],
        ["test/old.js::old", "pre-existing"],
      ]);
      expect(rows[0]!.message).toBe("Error: Cannot find module '../lib/encode'");
    } finally {
      repo.cleanup();
    }
  });

  test("failFast: true in AVA's config: every test still runs, the old failure does not hide the new one", () => {
    const repo = project();
    try {
      // One file at a time, the old one first: AVA stops at its failure.
      const config = { name: "enc", private: true, scripts: { test: "ava" } };
      repo.write(
        "package.json",
        `${JSON.stringify({ ...config, ava: { failFast: true, concurrency: 1, files: ["test/old.js", "test/enc.js"] } })}\n`,
      );
      repo.write("lib/enc.js", fixed);
      repo.commit("fail fast");
      repo.write("lib/enc.js", broken);
      const { json, status } = attributeUntouched(
        repo,
        ["npm", "test"],
        ["--no-cache", ...twoRuns],
      );
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const rows = json["tests"] as TestRow[];
      expect(rows.map((t) => [t.id, t.verdict])).toEqual([
        ["test/enc.js::enc keeps tildes", "regression"],
        ["test/old.js::old", "pre-existing"],
      ]);
    } finally {
      repo.cleanup();
    }
  });

  test("a project of one test file (test.js), your change adds a second: each test keeps its id, though AVA prefixes titles only when several files run", () => {
    const repo = jsProjectRepo(
      {
        "package.json": `${JSON.stringify({ name: "enc", private: true, scripts: { test: "ava" } })}\n`,
        "index.js": fixed,
        "test.js": [
          'const test = require("ava");',
          'const { enc } = require(".");',
          'test("enc keeps tildes", (t) => { t.is(enc("a~b"), "a~b"); });',
          'test("old", (t) => { t.is(0.1 + 0.2, 0.3); });',
          "",
        ].join("\n"),
        // Not a test file of AVA's: it defines no test AVA runs.
        "fixtures/test.js": 'const test = require("ava");\ntest("old", (t) => t.pass());\n',
      },
      "one test file",
    );
    try {
      repo.write("index.js", broken);
      repo.write(
        "test/more.test.js",
        'const test = require("ava");\ntest("more", (t) => { t.pass(); });\n',
      );
      // (Before, the baseline's "enc keeps tildes" (one file: no prefix, no file) and your
      // tree's "test › enc keeps tildes" were two tests, each never seen on the other side.)
      const { json, status } = attributeUntouched(repo, ava, ["--no-cache", ...twoRuns]);
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const rows = json["tests"] as TestRow[];
      // Decided at HEAD, your tree stashed: no second baseline was needed for them.
      expect((json["attempts"] as { strategy: string }[]).map((a) => a.strategy)).toEqual([
        "baseline-reset",
      ]);
      expect(rows.map((t) => [t.id, t.verdict, t.line])).toEqual([
        ["test.js::enc keeps tildes", "regression", 3],
        ["test.js::old", "pre-existing", 4],
      ]);
    } finally {
      repo.cleanup();
    }
  });
});
