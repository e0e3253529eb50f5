import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * A selective revert whose suspect is a correct new helper that code changed elsewhere loads:
 * reverted, the new test fails another way (the helper is missing), which says the failure needs
 * the helper, not that the helper causes it (more-itertools trial: "REGRESSION: the changes in
 * more_itertools/_counting.py cause this failure", where the bug was in more.py). The verdict
 * stays a regression; its words say what the revert showed. Real node --test.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("reverted, the test fails another way: the suspect is needed, not named the cause", () => {
  repo = createRepo();
  repo.write("lib.mjs", "export async function count(xs) {\n  return xs.length;\n}\n");
  repo.commit("lib");
  // Your change: count goes through a new helper (correct), and adds 1 when empty (the bug).
  repo.write("helper.mjs", "export const size = (xs) => xs.length;\n");
  repo.write(
    "lib.mjs",
    'export async function count(xs) {\n  const { size } = await import("./helper.mjs");\n  return size(xs) || 1;\n}\n',
  );
  repo.write(
    "test/count.test.mjs",
    [
      'import { test } from "node:test";',
      'import assert from "node:assert";',
      'import { count } from "../lib.mjs";',
      'test("empty", async () => assert.strictEqual(await count([]), 0));',
      "",
    ].join("\n"),
  );
  const { json, status } = attributeUntouched(
    repo,
    ["node", "--test", "test/count.test.mjs"],
    ["--no-cache", "--suspect", "helper.mjs"],
  );
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  expect(json.strategy).toBe("selective-revert");
  expect(String(json.reason)).toMatch(
    /^the failure needs the changes in helper\.mjs, and its cause may lie in others too/,
  );
  const tests = json["tests"] as { verdict: string; failureChanged: boolean }[];
  expect(tests.filter((t) => t.verdict === "regression").map((t) => t.failureChanged)).toEqual([
    true,
  ]);
}, 120_000);
