import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { captureState, runCulprit, type TestRepo } from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

/*
 * The command writes its own report into the tree (`jest --json --outputFile=results.json`, as a
 * CI job keeps one): culprit reads that report for the tests, and puts the tree back after each
 * run (the file is the run's residue). It put the tree back first, then read "results.json was
 * not written by this run" and judged by the exit code: with an old failure beside the new one,
 * PRE-EXISTING, exit 0 (iamkun/dayjs trial). The real jest, a suite with one old failure and one
 * new one.
 */

const missing = runnerMissing("jest");
if (missing) console.log(`user-report-in-tree: skipped, ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.skipIf(missing !== null)(
  "jest --json --outputFile=results.json in the tree: read per test, your regression named",
  () => {
    repo = jsProjectRepo(
      {
        "package.json": "{}\n",
        "lib.js": "exports.total = (a, b) => a + b;\n",
        "test/total.test.js": [
          'const { total } = require("../lib");',
          'it("old failure", () => expect(1).toBe(2));',
          'it("total", () => expect(total(2, 2)).toBe(4));',
          "",
        ].join("\n"),
      },
      "a suite with an old failure",
    );
    repo.write("lib.js", "exports.total = (a, b) => a * b + 1;\n");
    const jest = [
      "node",
      "node_modules/.bin/jest",
      "--json",
      "--outputFile=results.json",
      "test/total.test.js",
    ];
    const { json, status } = attributeUntouched(repo, jest);
    expect(json["verdict"]).toBe("regression");
    expect(status).toBe(1);
    const tests = json["tests"] as { name: string; verdict: string }[];
    expect(tests.map((t) => [t.name, t.verdict]).sort()).toEqual([
      ["old failure", "pre-existing"],
      ["total", "regression"],
    ]);
    // What the runs wrote is kept aside, not left in your tree.
    expect(existsSync(join(repo.dir, "results.json"))).toBe(false);
    // isolate reads it the same way in its worktrees: the hunk of lib.js, the one there is.
    const before = captureState(repo);
    const isolate = runCulprit(repo, ["isolate", "--json", "--", ...jest]);
    expect(captureState(repo)).toEqual(before);
    const hunks = (JSON.parse(isolate.stdout) as { hunks: { file: string }[] }).hunks;
    expect(
      hunks.map((h) => h.file),
      isolate.stderr,
    ).toEqual(["lib.js"]);
  },
  120_000,
);
