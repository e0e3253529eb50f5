import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * `culprit -- sh -c "node --test test/"` (an editor task, a CI step) with one old failure and one
 * new: as an argv, `sh -c` was judged by its exit code only, which fails every run on both sides,
 * and read PRE-EXISTING (exit 0) where `--shell` (planned per test) said REGRESSION. It is now
 * planned as `--shell` is, and run by the user's own shell (bash stays bash). Real node --test.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.each([["sh"], ["bash"]])(
  "%s -c: one old failure and one new one, judged per test",
  (shell) => {
    repo = createRepo();
    repo.write("lib.mjs", "export const total = (a, b) => a + b;\n");
    repo.write(
      "test/a.test.mjs",
      [
        'import { test } from "node:test";',
        'import assert from "node:assert";',
        'import { total } from "../lib.mjs";',
        'test("old failure", () => assert.strictEqual(1, 2));',
        'test("total", () => assert.strictEqual(total(2, 2), 4));',
        "",
      ].join("\n"),
    );
    repo.commit("tests, one already failing");
    repo.write("lib.mjs", "export const total = (a, b) => a * b + 1;\n");
    const { json, status } = attributeUntouched(
      repo,
      [shell, "-c", "node --test test/"],
      ["--no-cache"],
    );
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    const tests = json["tests"] as { name: string; verdict: string }[];
    expect(Object.fromEntries(tests.map((t) => [t.name, t.verdict]))).toEqual({
      "old failure": "pre-existing",
      total: "regression",
    });
    const runs = json["runs"] as { side: string }[];
    expect(runs.length).toBeGreaterThanOrEqual(6);
  },
  120_000,
);
