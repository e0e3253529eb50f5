import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import {
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

// A project whose jest config has a coverage threshold (found on vercel/ms: 100% global): jest
// exits 1 when coverage falls below it, every test passed. Read from jest's report alone, the
// threshold was invisible whenever a test failed in the same run:
// - failing on both sides, with a test failing only on your tree: "1 test is fixed by your
//   changes" (the command's failure without a failing test, seen only at the baseline);
// - your change dropping coverage, beside a test that already failed: PRE-EXISTING, exit 0.
// The threshold's line in jest's output is now an entry of the run, compared like a test.

const jest = ["node", "node_modules/jest/bin/jest.js"];

const packageJson = `${JSON.stringify({
  name: "coverage-project",
  private: true,
  jest: {
    collectCoverage: true,
    coverageReporters: ["text-summary"],
    coverageThreshold: { global: { lines: 100 } },
  },
})}\n`;

const lib = (add: string, extra = "") =>
  `exports.add = (a, b) => ${add};\nexports.twice = (x) => x * 2;\n${extra}`;

/** The project at HEAD: its lib, its tests and its jest config, coverage/ ignored. */
const project = (source: string, testFile: string, config = packageJson): TestRepo =>
  jsProjectRepo(
    {
      "package.json": config,
      "src/lib.js": source,
      "test/lib.test.js": testFile,
      ".gitignore": "node_modules\ncoverage\n",
    },
    "lib",
  );

const forever = "exports.forever = () => {\n  return Infinity;\n};\n";

/** A function no test calls, on lines of its own: line coverage stays under 100%. */
const uncovered = "exports.unused = (x) => {\n  return x;\n};\n";

const tests = `const { add, twice } = require("../src/lib.js");
test("adds", () => expect(add(1, 2)).toBe(3));
test("doubles", () => expect(twice(2)).toBe(5));
`;

interface Result {
  verdict: string;
  buildsLeft: string[];
  tests: { id: string; name: string; verdict: string; message: string | null }[];
}

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const missing = runnerMissing("jest");
if (missing) console.log(`jest coverage cases skipped: ${missing}`);

describe.skipIf(missing !== null)("jest with a coverage threshold, the real runner", () => {
  test("the threshold failing on both sides is pre-existing, never 'fixed'; the broken test is the regression", () => {
    // "doubles" fails at HEAD already; an uncovered function keeps coverage under 100% on both sides.
    repo = project(lib("a + b", uncovered), tests);
    repo.write("src/lib.js", lib("a - b", uncovered));
    const { json, status, stderr } = attributeUntouched(repo, jest);
    expect(status, stderr).toBe(1);
    const result = json as unknown as Result;
    expect(result.verdict).toBe("regression");
    expect(result.tests.map((t) => [t.name, t.verdict])).toEqual([
      ["adds", "regression"],
      ["doubles", "pre-existing"],
      ["coverage threshold", "pre-existing"],
    ]);
    expect(result.tests.find((t) => t.name === "coverage threshold")?.message).toMatch(
      /^Jest: Coverage for lines \([\d.]+%\) does not meet "global" threshold \(100%\)/,
    );
    expect(culpritRefs(repo)).toEqual([]);
  });

  test("every test passing at HEAD, the threshold failing there too: nothing reads 'fixed by your changes'", () => {
    const passing =
      'const { add } = require("../src/lib.js");\ntest("adds", () => expect(add(1, 2)).toBe(3));\n';
    repo = project(lib("a + b", uncovered), passing);
    repo.write("src/lib.js", lib("a - b", uncovered));
    const { json, status, stderr } = attributeUntouched(repo, jest);
    expect(status, stderr).toBe(1);
    const result = json as unknown as Result;
    expect(result.verdict).toBe("regression");
    expect(result.tests.map((t) => [t.name, t.verdict])).toEqual([
      ["adds", "regression"],
      ["coverage threshold", "pre-existing"],
    ]);
  });

  test("your change dropping coverage beside a test that already failed: a regression, exit 1", () => {
    repo = project(lib("a + b"), tests);
    repo.write("src/lib.js", lib("a + b", forever));
    const { json, status, stderr } = attributeUntouched(repo, jest);
    expect(status, stderr).toBe(1);
    const result = json as unknown as Result;
    expect(result.verdict).toBe("regression");
    expect(result.tests.map((t) => [t.name, t.verdict])).toEqual([
      ["coverage threshold", "regression"],
      ["doubles", "pre-existing"],
    ]);
    expect(culpritRefs(repo)).toEqual([]);
  });

  // The baseline's runs came last: your coverage/ (ignored, left alone) describes HEAD now. The
  // report says so, as for a build in dist/ (vercel/ms trial: lcov.info lost your new function).
  test("a coverage report the baseline's runs rewrote is named in the report", () => {
    repo = project(
      lib("a + b", uncovered),
      tests,
      packageJson.replace('"text-summary"', '"text-summary","json-summary"'),
    );
    repo.write("src/lib.js", lib("a - b", uncovered));
    const run = runCulprit(repo, ["--json", "--", ...jest]);
    expect(run.status, run.stderr).toBe(1);
    const result = parseJsonOutput(run) as unknown as Result;
    expect(result.buildsLeft).toEqual(["coverage"]);
    const human = runCulprit(repo, ["--no-cache", "--", ...jest]);
    expect(human.stdout).toContain(
      "note: your coverage holds the baseline's report now (the last runs were the baseline's; culprit does not restore ignored files): run again before you use it, or use --worktree",
    );
  });

  // isolate follows the threshold like a test: a configuration whose report does not list it
  // (it was met) passes. Before, the threshold was no test, the command's exit code judged, and
  // the old failure made every configuration fail: "NOT REPRODUCED" (vercel/ms trial).
  test("isolate names the hunk that drops coverage, beside an old failure", () => {
    repo = project(lib("a + b"), tests);
    repo.write("src/lib.js", lib("a + b", forever));
    repo.write("test/lib.test.js", `// the same tests\n${tests}`);
    const before = captureState(repo);
    const run = runCulprit(repo, ["isolate", "--json", "--", ...jest]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      verdict: string;
      target: { tests: string[] };
      hunks: { file: string }[];
      configurations: { judgement: string }[];
    };
    expect(report.verdict).toBe("isolated");
    expect(report.target.tests).toEqual(["(coverage threshold)"]);
    expect(report.hunks.map((h) => h.file)).toEqual(["src/lib.js"]);
    expect(report.configurations.map((c) => c.judgement)).not.toContain("cannot-run");
    expect(captureState(repo)).toEqual(before);
  });
});
