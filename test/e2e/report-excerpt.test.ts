import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { withoutOutputs } from "../repos/expect-untouched.js";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { jsProjectRepo, runnerMissing, worktreeModules } from "../repos/runner-projects.js";

// What the report shows of a failing run's output (src/report/human.ts, failureExcerpt): the
// line that starts the error rather than the stack or the runner's summary after it, and never
// the test's own terminal escapes. Found on a real project: vitest 4 colours its output even into
// a pipe, and when no test file loads, its last three lines are its summary.

const esc = "\u001b";
let repo: TestRepo | null = null;
afterEach(() => {
  repo?.cleanup();
  repo = null;
});

const vitestMissing = runnerMissing("vitest");
if (vitestMissing) console.log(`skipped: the vitest case (${vitestMissing})`);
const c8AvaMissing = ["ava", "c8"].every((bin) => existsSync(join(worktreeModules, ".bin", bin)))
  ? null
  : "ava or c8 is not in node_modules (npm ci first)";
if (c8AvaMissing) console.log(`skipped: the c8 ava case (${c8AvaMissing})`);

describe("the failure excerpt of the human report", () => {
  test.skipIf(vitestMissing !== null)(
    "vitest whose test files cannot load: its error, without its colours",
    () => {
      repo = jsProjectRepo(
        {
          "package.json": '{ "type": "module" }\n',
          // A tsconfig extending a package that is not installed: vitest 4 cannot transform it.
          "tsconfig.json": '{ "extends": "@absent/config/tsconfig.json" }\n',
          "sum.test.ts":
            'import { expect, it } from "vitest";\nit("adds", () => { expect(1 + 1).toBe(2); });\n',
        },
        "tests",
      );
      repo.write("notes.md", "work in progress\n");
      const before = captureState(repo);
      // NO_COLOR (the harness sets it) would turn vitest's colours off: the command unsets it.
      const r = runCulprit(repo, [
        "--runs",
        "2",
        "--",
        "env",
        "-u",
        "NO_COLOR",
        "node_modules/.bin/vitest",
        "run",
      ]);
      const log = /full log: (\S+)/.exec(r.stdout)?.[1];
      expect(log, r.stdout + r.stderr).toBeDefined();
      // The test can fail: what vitest printed did hold escapes.
      expect(readFileSync(log!, "utf8")).toContain(`${esc}[`);
      expect(r.stdout).toContain(
        "said:\n    | Error: Transform failed with 1 error:\n    | [TSCONFIG_ERROR] Failed to load tsconfig '@absent/config/tsconfig.json'",
      );
      expect(r.stdout).not.toContain(esc);
      expect(captureState(repo)).toEqual(before);
      expect(culpritRefs(repo)).toEqual([]);
    },
  );

  // chalk's `xo && c8 ava`: AVA's failure sat above c8's coverage table, and the last lines a
  // run kept held only the table: the baseline's excerpt was "| m9.js | 100 | ...".
  test.skipIf(c8AvaMissing !== null)(
    "a script whose runner's failure is above a coverage table: the failure, not the table",
    () => {
      const modules: Record<string, string> = {};
      for (let i = 1; i <= 24; i++) modules[`m${i}.js`] = `export const f${i} = (x) => x + ${i};\n`;
      repo = jsProjectRepo(
        {
          "package.json":
            '{ "type": "module", "scripts": { "test": "node lint.mjs && c8 ava" } }\n',
          ...modules,
          "index.js": Object.keys(modules)
            .map((m) => `export * from "./${m}";\n`)
            .join(""),
          // A linter as xo prints (xo is not installed here): a var is an error.
          "lint.mjs": [
            'import { readFileSync } from "node:fs";',
            'if (readFileSync("m3.js", "utf8").includes("var ")) {',
            '  console.log("  m3.js:1:8\\n  \u2716  1:8  Unexpected var, use let or const instead.  no-var\\n\\n  1 error");',
            "  process.exit(1);",
            "}",
            "",
          ].join("\n"),
          "test.js": [
            'import test from "ava";',
            'import * as m from "./index.js";',
            'test("old", (t) => { t.is(m.f1(1), 3); });',
            'test("adds", (t) => { t.is(m.f2(1), 3); });',
            "",
          ].join("\n"),
        },
        "an old failing test, and coverage",
      );
      repo.write(".gitignore", "node_modules\ncoverage\n");
      repo.commit("coverage is not tracked");
      repo.write("m3.js", "export var f3 = (x) => x + 3;\n");
      repo.write("notes.md", "work in progress\n");
      const before = captureState(repo);
      const r = runCulprit(repo, ["--runs", "2", "--", "npm", "test"]);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toContain("REGRESSION");
      const baseline = r.stdout.slice(r.stdout.indexOf("last failure without your changes"));
      expect(baseline, r.stdout).toMatch(
        /^last failure without your changes said:\n {4}\| +✘ \[fail\]: old/,
      );
      expect(r.stdout).not.toMatch(/\| +m\d+\.js +\|/);
      // c8 writes coverage/, ignored, as the runs went (the report says so): the rest is as it was.
      expect(withoutOutputs(captureState(repo), ["coverage"])).toEqual(before);
      expect(culpritRefs(repo)).toEqual([]);
    },
  );

  test("node's uncaught error: the error and where, not node's version line", () => {
    repo = createRepo();
    repo.write("value.txt", "4\n");
    repo.write(
      "check.mjs",
      'import { readFileSync } from "node:fs";\nconst v = readFileSync("value.txt", "utf8").trim();\nif (v !== "4") throw new Error("value is " + v + ", expected 4");\n',
    );
    repo.commit("check");
    repo.write("value.txt", "5\n");
    const before = captureState(repo);
    const r = runCulprit(repo, ["--runs", "2", "--", "node", "check.mjs"]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("REGRESSION");
    expect(r.stdout).toMatch(
      /said:\n {4}\| Error: value is 5, expected 4\n {4}\| {5}at file:\/\/\/\S+check\.mjs:3:/,
    );
    expect(r.stdout).not.toContain("Node.js v");
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  });
});
