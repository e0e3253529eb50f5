import { afterEach, expect, test } from "vitest";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";

/*
 * A whole folder of tests (node --test), one old test your change broke and one new test that
 * needs a new helper: the old test regresses against HEAD (attempt 1), the new one cannot run
 * there, and selective reverts follow. The headline said "caused by the changes in notes.txt",
 * an unrelated deleted file, the last revert's suspect (found trying culprit on jshttp/cookie).
 * It names a revert's files only for regressions that rest on that revert.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a regression decided against HEAD does not blame the last revert's files", () => {
  repo = createRepo();
  repo.write("lib.mjs", "export const trim = (s) => s.trim();\n");
  repo.write("notes.txt", "old notes\n");
  repo.write(
    "test/a.test.mjs",
    'import { test } from "node:test"; import assert from "node:assert"; import { trim } from "../lib.mjs";\n' +
      'test("trims", () => assert.strictEqual(trim("  a  "), "a"));\n',
  );
  repo.commit("init");
  repo.write("lib.mjs", "export const trim = (s) => s;\n");
  repo.remove("notes.txt");
  repo.write("helper.mjs", "export const one = 1;\n");
  repo.write(
    "test/new.test.mjs",
    'import { test } from "node:test"; import assert from "node:assert";\n' +
      'import { one } from "../helper.mjs"; import { trim } from "../lib.mjs";\n' +
      'test("new trims with helper", () => assert.strictEqual(trim(" a") + one, "a1"));\n',
  );
  const before = captureState(repo);
  const r = runCulprit(repo, ["--json", "--no-cache", "--", "node", "--test", "test/"]);
  expect(r.status, r.stderr).toBe(1);
  const json = JSON.parse(r.stdout);
  expect(json.verdict).toBe("regression");
  const trims = json.tests.find((t: { name: string }) => t.name === "trims");
  expect(trims.verdict).toBe("regression");
  expect(trims.attempt).toBe(1);
  // The new test is judged at the revert that keeps its new helper (lib.mjs and notes.txt
  // reverted): a regression too, resting on another attempt than the old test's.
  const added = json.tests.find((t: { name: string }) => t.name === "new trims with helper");
  expect(added.verdict).toBe("regression");
  expect(added.attempt).not.toBe(1);
  expect(json.reason).not.toMatch(/notes\.txt|caused by/);
  expect(json.reason).toMatch(/2 tests newly fail/);
  expect(captureState(repo)).toEqual(before);
}, 120_000);
