import { readFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

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
