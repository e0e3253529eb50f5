import { expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, runCulprit } from "../repos/harness.js";

/*
 * A steady regression beside an old flaky test (p-map trial): the old test made some baseline
 * runs pass and others fail, and the verdict, which rests on the regression alone, read
 * "REGRESSION (flaky)". Judged per test, the verdict is flaky when a test it rests on is; the
 * old flaky test says so on its own line. Real node --test; the flake follows the run number.
 */
test("a steady regression beside an old flaky test: the verdict is not flaky, the old test is", () => {
  const repo = createRepo();
  try {
    repo.write("lib.mjs", "export const add = (a, b) => a + b;\n");
    repo.write(
      "test/a.test.mjs",
      [
        'import { test } from "node:test";',
        'import assert from "node:assert";',
        'import { add } from "../lib.mjs";',
        'test("adds", () => assert.strictEqual(add(2, 2), 4));',
        // Fails every other run, with your changes and without (by run number: the same each time).
        'test("old flaky", () => {',
        "  if (Number(process.env.CULPRIT_RUN ?? 0) % 2 === 1) assert.fail('flaky all along');",
        "});",
        "",
      ].join("\n"),
    );
    repo.commit("tests");
    repo.write("lib.mjs", "export const add = (a, b) => a + b + 1;\n");
    const { json, status } = attributeUntouched(
      repo,
      ["node", "--test", "test/"],
      ["--max-runs", "6"],
    );
    const tests = json["tests"] as { name: string; verdict: string }[];
    expect(json.verdict, JSON.stringify(tests)).toBe("regression");
    expect(status).toBe(1);
    expect(json["flaky"]).toBe(false);
    expect(tests.map((t) => [t.name, t.verdict])).toEqual([
      ["adds", "regression"],
      // Mixed both sides: pre-existing, or undecided within the 6 runs this test allows.
      ["old flaky", expect.stringMatching(/^(pre-existing|inconclusive)$/)],
    ]);
    // The same runs again, from the cache: the human headline.
    const human = runCulprit(repo, ["--max-runs", "6", "--", "node", "--test", "test/"]);
    const headline = human.stdout.split("\n")[0]!;
    expect(headline).toMatch(/^culprit: REGRESSION: 1 test newly fails/);
    expect(headline).not.toContain("(flaky)");
  } finally {
    repo.cleanup();
  }
});
