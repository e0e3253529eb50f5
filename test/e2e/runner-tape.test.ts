import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { runCulprit } from "../repos/harness.js";
import { jsProjectRepo, worktreeModules } from "../repos/runner-projects.js";

// tape, the real one (a devDependency), as ljharb/qs runs it. culprit reads tape's TAP from
// each run's log; before, it did not, and a suite with one old failure and one new read
// PRE-EXISTING, exit 0, over the regression, unless tape was piped through a TAP-to-JUnit
// converter and --junit given. Two wrong verdicts found there, both PRE-EXISTING, exit 0, over
// a regression:
// - tap-junit names every testcase after its assertion's kind ("should be strictly equal"), and
//   the JUnit reader kept the last of a name: the new failure, followed by a passing assertion,
//   was dropped. Same-named cases are distinct tests unless they read as retries.
// - a selective revert that takes away a helper a new test file requires: tape stops before any
//   test ("Cannot find module"), which read as a failure of the whole suite at the baseline.
//   tape's profile says it could not run.

const missing = existsSync(join(worktreeModules, ".bin", "tape"))
  ? existsSync(join(worktreeModules, ".bin", "tap-junit"))
    ? null
    : "tap-junit is not in node_modules (npm ci first)"
  : "tape is not in node_modules (npm ci first)";
if (missing) console.log(`runner-tape: skipped: ${missing}`);

function project(): TestRepo {
  const repo = jsProjectRepo(
    {
      "package.json": '{ "name": "enc", "private": true }\n',
      "lib/enc.js": 'exports.enc = (s) => s.replace(/[^a-z~]/g, "_");\n',
      "test/enc.js": [
        'const test = require("tape");',
        'const { enc } = require("../lib/enc");',
        'test("enc", (t) => {',
        '  t.equal(enc("a"), "a");',
        '  t.equal(enc("a~b"), "a~b");',
        '  t.equal(enc("z"), "z");',
        "  t.end();",
        "});",
        "",
      ].join("\n"),
      "test/old.js": [
        'const test = require("tape");',
        'test("old", (t) => {',
        "  t.equal(0.1 + 0.2, 0.3);",
        "  t.end();",
        "});",
        "",
      ].join("\n"),
    },
    "enc, and an old test that always failed",
  );
  repo.write(".gitignore", "node_modules\nout/\n");
  repo.commit("ignore the JUnit output");
  // Your change: enc drops tildes. The second of three "should be strictly equal" fails.
  repo.write("lib/enc.js", 'exports.enc = (s) => s.replace(/[^a-z]/g, "_");\n');
  return repo;
}

interface TestRow {
  verdict: string;
  message: string | null;
}

// The cases after the first three start tape (and tap-junit) by its bin: npx reads the whole
// node_modules tree before it starts one, about 0.6 s of CPU a run here, and the first three
// cover the launchers.
const tape = ["node_modules/.bin/tape"];

describe.skipIf(missing !== null)("tape, with the real runner", () => {
  test.each([[["npx", "tape", "test/*.js"]], [["npm", "run", "tests-only"]], [["npm", "test"]]])(
    "%j, tape's TAP read per test: one old failure, one new: regression, each test right",
    (command) => {
      const repo = project();
      try {
        // As ljharb/qs has them: the glob quoted for tape to expand, and a script that runs
        // another (both were judged by the exit code alone: PRE-EXISTING, exit 0).
        const scripts = { test: "npm run tests-only", "tests-only": "tape 'test/*.js'" };
        repo.write("package.json", `${JSON.stringify({ name: "enc", private: true, scripts })}\n`);
        repo.write("lib/enc.js", 'exports.enc = (s) => s.replace(/[^a-z~]/g, "_");\n');
        repo.commit("npm test runs tape");
        repo.write("lib/enc.js", 'exports.enc = (s) => s.replace(/[^a-z]/g, "_");\n');
        const { json, status } = attributeUntouched(repo, command, ["--no-cache"]);
        expect(json.verdict, String(json.reason)).toBe("regression");
        expect(status).toBe(1);
        expect((json["perTest"] as { source: string }).source).toMatch(/^tape TAP output/);
        const rows = json["tests"] as (TestRow & { name: string; file: string | null })[];
        expect(
          rows.map((t) => [
            t.name,
            t.verdict,
            t.file,
            /expected: (\S+)/.exec(t.message ?? "")?.[1],
          ]),
        ).toEqual([
          ["enc", "regression", "test/enc.js", "'a~b'"],
          ["old", "pre-existing", "test/old.js", "0.3"],
        ]);
      } finally {
        repo.cleanup();
      }
    },
  );

  test("a test of one name in two files: matched by its file, not its order (qs trial)", () => {
    const repo = project();
    try {
      const works = (assertion: string) =>
        `const test = require("tape");\ntest("works", (t) => { ${assertion}; t.end(); });\n`;
      repo.write("test/a.js", works("t.ok(true)"));
      repo.write("test/b.js", works("t.equal(0.1 + 0.2, 0.3)"));
      repo.write("lib/enc.js", 'exports.enc = (s) => s.replace(/[^a-z~]/g, "_");\n');
      repo.commit("two tests named works: a.js's passes, b.js's always failed");
      repo.write("lib/enc.js", 'exports.enc = (s) => s.replace(/[^a-z]/g, "_");\n');
      // Your change deletes a.js (its passing works) beside enc's regression. By order, b.js's
      // old failure was "works" on your tree against a.js's passing "works" at the baseline:
      // a regression, where it failed there too.
      repo.git("rm", "-q", "test/a.js");
      const { json, status } = attributeUntouched(repo, [...tape, "test/*.js"], ["--no-cache"]);
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const rows = json["tests"] as (TestRow & { id: string; file: string | null })[];
      expect(rows.map((t) => [t.id, t.verdict, t.file])).toEqual([
        ["test/enc.js::enc", "regression", "test/enc.js"],
        ["test/b.js::works", "pre-existing", "test/b.js"],
        ["test/old.js::old", "pre-existing", "test/old.js"],
      ]);
    } finally {
      repo.cleanup();
    }
  });

  test("through tap-junit and --junit: the new failure among same-named assertions is a regression", async () => {
    const repo = project();
    try {
      const { json, status } = attributeUntouched(
        repo,
        [
          "sh",
          "-c",
          "node_modules/.bin/tape test/*.js | node_modules/.bin/tap-junit -o out -n r.xml",
        ],
        ["--no-cache", "--junit", "out/r.xml"],
        {},
        ["out"],
      );
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const rows = json["tests"] as TestRow[];
      expect(rows.map((t) => [t.verdict, /expected: (\S+)/.exec(t.message ?? "")?.[1]])).toEqual([
        ["regression", "a~b"],
        ["pre-existing", "0.3"],
      ]);
    } finally {
      repo.cleanup();
    }
  });

  test("a new test file whose new helper a revert takes away: tape could not run there, never pre-existing; the part that runs names the source", async () => {
    const repo = project();
    try {
      repo.write("lib/chars.js", "exports.unreserved = (c) => /[a-z]/.test(c);\n");
      repo.write(
        "test/chars.js",
        [
          'const test = require("tape");',
          'const { unreserved } = require("../lib/chars");',
          'test("chars", (t) => { t.ok(unreserved("~"), "tilde is unreserved"); t.end(); });',
          "",
        ].join("\n"),
      );
      const { json, status } = attributeUntouched(
        repo,
        [...tape, "test/chars.js", "test/enc.js", "test/old.js"],
        ["--no-cache"],
      );
      // A revert that takes lib/chars.js away: tape could not run. lib/enc.js reverted alone
      // runs, and per test (tape's TAP) names it: enc is its regression; the new test and the
      // old failure, which no part that runs without lib/chars.js can tell apart, are undecided.
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const attempts = json["attempts"] as { outcome: string; why: string | null }[];
      expect(attempts[1]).toMatchObject({ outcome: "unrunnable" });
      expect(attempts[1]!.why).toMatch(/^tape: Error: Cannot find module '\.\.\/lib\/chars'/);
      const rows = json["tests"] as { name: string; verdict: string }[];
      expect(rows.map((t) => [t.name, t.verdict])).toEqual([
        ["enc", "regression"],
        ["chars", "inconclusive"],
        ["old", "inconclusive"],
      ]);
    } finally {
      repo.cleanup();
    }
  });

  test("isolate: a call without the definition it needs failed otherwise, not guilty alone", async () => {
    const repo = project();
    try {
      // One file: a new helper defined at the top, its one call far below (two hunks), and a
      // comment elsewhere. The helper drops tildes: the call site fails with it, and without it
      // the call is a ReferenceError, which tape's exit code alone read as the same failure.
      const filler = Array.from({ length: 12 }, (_, i) => `const pad${i} = ${i};`);
      const source = (helper: string[], call: string) =>
        [
          ...helper,
          ...filler,
          `exports.enc = (s) => ${call};`,
          ...filler.map((l) => l.replace("pad", "more")),
          "// end",
          "",
        ].join("\n");
      repo.write("lib/enc.js", source([], 's.replace(/[^a-z~]/g, "_")'));
      repo.commit("a longer enc");
      repo.write(
        "lib/enc.js",
        source(
          [
            "// unreserved: letters only (the tilde forgotten)",
            "const keep = (c) => /[a-z]/.test(c);",
          ],
          '[...s].map((c) => (keep(c) ? c : "_")).join("")',
        ).replace("// end", "// end of enc"),
      );
      const result = runCulprit(repo, ["isolate", "--json", "--", ...tape, "test/enc.js"]);
      const doc = JSON.parse(result.stdout) as {
        verdict: string;
        hunks: { startLine: number; patch: string }[];
        needed: { startLine: number; patch: string }[];
        configurations: { judgement: string; runs: { otherFailure?: string }[] }[];
      };
      expect(doc.verdict, result.stderr).toBe("isolated");
      expect(doc.hunks.map((h) => h.patch).join("")).toContain("keep(c)");
      expect(doc.needed.map((h) => h.patch).join("")).toContain("const keep = ");
      // The call alone: the test throws a ReferenceError, which stops tape; the test failed
      // with it, not with your assertion: that configuration failed otherwise, it cannot run.
      expect(doc.configurations.map((c) => c.judgement)).toContain("cannot-run");
      expect(
        doc.configurations.flatMap((c) => c.runs).some((r) => r.otherFailure === "ReferenceError"),
      ).toBe(true);
    } finally {
      repo.cleanup();
    }
  });
});
