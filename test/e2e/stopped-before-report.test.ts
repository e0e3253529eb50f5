import { expect, test } from "vitest";
import { attributeUntouchedAsync } from "../repos/expect-untouched.js";
import { concurrentRepos } from "../repos/harness.js";

/*
 * Your change stops the command before its tests report, while an old test fails at the
 * baseline: a `pretest` lint step your change breaks (`npm test`), or a test that now hangs.
 * Judged per test, the command's failure was "never observed at this baseline" (each of its
 * runs had the old failure), the selective reverts that followed could not help, and the verdict
 * read UNRUNNABLE, exit 2 (body-parser and more-itertools trials). A baseline run that ended
 * with its report did not stop before it: REGRESSION, exit 1. Real npm and node --test.
 */

// The hang case waits on --timeout most of its time: the cases run together.
const newRepo = concurrentRepos();

const tests = (body: string) =>
  [
    'import { test } from "node:test";',
    'import assert from "node:assert";',
    'import { v } from "../lib.mjs";',
    'test("old failure", () => assert.strictEqual(1, 2));',
    body,
    "",
  ].join("\n");

test.concurrent("a pretest step your change breaks: regression, not unrunnable", async () => {
  const repo = newRepo();
  repo.write(
    "package.json",
    `${JSON.stringify({
      name: "stops",
      private: true,
      scripts: { pretest: "node lint.mjs", test: "node --test test/" },
    })}\n`,
  );
  // The "linter": fails on a variable nobody uses.
  repo.write(
    "lint.mjs",
    'import { readFileSync } from "node:fs";\nprocess.exit(readFileSync("lib.mjs", "utf8").includes("unused") ? 1 : 0);\n',
  );
  repo.write("lib.mjs", "export const v = 1;\n");
  repo.write("test/a.test.mjs", tests('test("v", () => assert.strictEqual(v, 1));'));
  repo.commit("tests, one already failing, and a lint step");
  repo.write("lib.mjs", "export const v = 1;\nconst unused = 2;\n");
  const { json, status } = await attributeUntouchedAsync(repo, ["npm", "test"], ["--no-cache"]);
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const rows = json["tests"] as { id: string; verdict: string; name: string }[];
  expect(rows.find((t) => t.id === "(command)")).toMatchObject({
    verdict: "regression",
    name: "the command (it stopped before its tests reported: no report, or a hang)",
  });
}, 120_000);

test.concurrent("a test your change makes hang, beside an old failure: regression, not unrunnable", async () => {
  const repo = newRepo();
  repo.write("lib.mjs", "export const v = () => 1;\n");
  repo.write("test/a.test.mjs", tests('test("v", () => assert.strictEqual(v(), 1));'));
  repo.commit("tests, one already failing");
  // A hang that blocks the thread, as a deadlock does, without the CPU a busy loop would take
  // from the suite's other files for the whole --timeout of each run.
  repo.write(
    "lib.mjs",
    "export const v = () => {\n  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);\n};\n",
  );
  const { json, status } = await attributeUntouchedAsync(
    repo,
    ["node", "--test", "test/"],
    ["--no-cache", "--timeout", "3s", "--kill-after", "1s"],
  );
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const runs = json["runs"] as { side: string; outcome: string }[];
  expect(runs.filter((r) => r.side === "current").every((r) => r.outcome === "hang")).toBe(true);
}, 180_000);
