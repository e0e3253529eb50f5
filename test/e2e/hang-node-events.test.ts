import { expect, test } from "vitest";
import { attributeUntouchedAsync, twoRuns } from "../repos/expect-untouched.js";
import { concurrentRepos, type TestRepo } from "../repos/harness.js";

/*
 * A hung node --test run's report: culprit's node:test reporter writes each test's events as
 * they come and an end line once the run is over, so a hung run's events never end. Read whole
 * or not at all, every hung run's report was "unfinished": beside an old hang, a test your
 * change breaks went unseen, and the verdict read PRE-EXISTING, exit 0 (found in review). The
 * events as they were when --timeout fired are read: the tests that ended, not the one the run
 * hung in. Real node --test, real signals.
 */

// The cases wait on hung runs (--timeout) most of their time: they wait together.
const newRepo = concurrentRepos();

/** culprit on `node --test` over `files`, two runs a side, a hang stopped at 2 s. */
const attributeHanging = (repo: TestRepo, files = ["test/"]) =>
  attributeUntouchedAsync(
    repo,
    ["node", "--test", ...files],
    [...twoRuns, "--no-cache", "--timeout", "2s", "--kill-after", "1s"],
  );

test.concurrent("node --test, an old hang after a test your change breaks: the tests that ended are read", async () => {
  const repo = newRepo();
  repo.write("lib.mjs", "export const v = () => 1;\n");
  repo.write(
    "test/a.test.mjs",
    [
      'import { test } from "node:test";',
      'import assert from "node:assert";',
      'import { v } from "../lib.mjs";',
      'test("v", () => assert.strictEqual(v(), 1));',
      'test("slow", () => new Promise(() => setInterval(() => {}, 1000)));',
      "",
    ].join("\n"),
  );
  repo.commit("a test, and one that never ends");
  repo.write("lib.mjs", "export const v = () => 2;\n");
  const { json, status } = await attributeHanging(repo);
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const rows = json["tests"] as { id: string; verdict: string }[];
  expect(rows.find((t) => t.id.endsWith("::v"))?.verdict).toBe("regression");
}, 120_000);

test.concurrent("node --test, your change ends an old hang: a suite's failure that comes at its end is not read as passing where the hung run never got there", async () => {
  const repo = newRepo();
  repo.write(
    "lib.mjs",
    "export const done = () => new Promise(() => setInterval(() => {}, 1000));\n",
  );
  repo.write(
    "test/store.test.mjs",
    [
      'import { after, describe, it } from "node:test";',
      'import { done } from "../lib.mjs";',
      'describe("store", () => {',
      '  after(() => { throw new Error("cleanup fails"); });',
      '  it("reads", () => {});',
      '  it("waits", () => done());',
      "});",
      "",
    ].join("\n"),
  );
  repo.commit("a suite whose test never ends, and whose cleanup fails");
  repo.write("lib.mjs", "export const done = () => undefined;\n");
  const { json } = await attributeHanging(repo);
  // The baseline never reached the suite's end: it says nothing of the cleanup (the reports
  // read whole or not at all said UNRUNNABLE too), where "absent, so it passed" read REGRESSION.
  expect(json.verdict, String(json.reason)).not.toBe("regression");
  const rows = json["tests"] as { id: string; verdict: string }[];
  expect(rows.find((t) => t.id.endsWith("::store"))?.verdict).not.toBe("regression");
}, 120_000);

test.concurrent("node --test, a file that ended before another hung: its own failure is a regression", async () => {
  const repo = newRepo();
  repo.write("test/a.test.mjs", 'import { test } from "node:test";\ntest("ok", () => {});\n');
  repo.write(
    "test/b.test.mjs",
    [
      'import { test } from "node:test";',
      'test("fine", () => {});',
      'test("waits", () => new Promise(() => setInterval(() => {}, 1000)));',
      "",
    ].join("\n"),
  );
  repo.commit("a file, and one whose last test never ends");
  // The file fails outside any test: node reports it at the file's end, which it reaches.
  repo.write(
    "test/a.test.mjs",
    'import { test } from "node:test";\ntest("ok", () => {});\nprocess.exitCode = 1;\n',
  );
  const { json, status } = await attributeHanging(repo, ["test/a.test.mjs", "test/b.test.mjs"]);
  // A partial report lacking the file's entry read "never ran at this baseline": UNRUNNABLE.
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const rows = json["tests"] as { id: string; verdict: string }[];
  expect(rows.find((t) => t.id === "test/a.test.mjs")?.verdict).toBe("regression");
}, 120_000);

test.concurrent("node --test, a test file your change adds, before an old hang: new at HEAD, judged at a revert of the code", async () => {
  const repo = newRepo();
  repo.write("lib.mjs", "export const v = () => 1;\n");
  const file = (...lines: string[]) =>
    ['import { test } from "node:test";', 'import assert from "node:assert";', ...lines, ""].join(
      "\n",
    );
  repo.write(
    "test/a.test.mjs",
    file('import { v } from "../lib.mjs";', 'test("v", () => assert.ok(v() >= 1));'),
  );
  repo.write(
    "test/b.test.mjs",
    file('test("slow", () => new Promise(() => setInterval(() => {}, 1000)));'),
  );
  repo.commit("a test, and a file whose test never ends");
  repo.write("lib.mjs", "export const v = () => 2;\n");
  repo.write(
    "test/0.test.mjs",
    file('import { v } from "../lib.mjs";', 'test("new", () => assert.strictEqual(v(), 1));'),
  );
  const { json, status } = await attributeHanging(repo);
  // HEAD's partial reports end after a.test.mjs, which your runs report after 0.test.mjs: HEAD
  // went past where the new file would be. Read "every run hung before it got there", it was
  // INCONCLUSIVE, exit 2, and the revert of lib.mjs that judges it was never tried (review).
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const rows = json["tests"] as { id: string; verdict: string }[];
  expect(rows.find((t) => t.id.startsWith("test/0.test.mjs"))?.verdict).toBe("regression");
  expect(json["strategy"]).toBe("selective-revert");
}, 180_000);
