import { expect, test } from "vitest";
import { captureState, createRepo, runCulpritAsync } from "../repos/harness.js";

/*
 * A test settled early (an old failure, 3/3 both sides) while a flaky new one asked for more
 * runs: its line said "fails 3/3 with your changes" under a row of 7 runs. A test's reason now
 * gives the counts of every run, and the counts it was decided at in brackets.
 */
test("a test decided early: its reason gives the final counts, and those it was decided at; a flaky new test makes the verdict flaky", async () => {
  const repo = createRepo();
  try {
    repo.write("lib.mjs", "export const v = 1;\n");
    repo.write(
      "test/a.test.mjs",
      [
        'import { test } from "node:test";',
        'import assert from "node:assert";',
        'import { v } from "../lib.mjs";',
        'test("old failure", () => assert.strictEqual(1, 2));',
        // Fails two runs in three with the change (by run number: the same every time).
        'test("new flaky", () => {',
        "  const run = Number(process.env.CULPRIT_RUN ?? 0);",
        '  if (v === 2 && run % 3 !== 0) assert.fail("flaky with the change");',
        "});",
        "",
      ].join("\n"),
    );
    repo.commit("tests");
    repo.write("lib.mjs", "export const v = 2;\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "--json",
      "--no-cache",
      "--",
      "node",
      "--test",
      "test/",
    ]);
    const doc = JSON.parse(result.stdout) as {
      verdict: string;
      flaky: boolean;
      tests: {
        name: string;
        verdict: string;
        reason: string;
        current: { runs: number; failures: number };
        baseline: { runs: number; failures: number };
      }[];
    };
    expect(doc.verdict, result.stderr).toBe("regression");
    // The command failed every run (the old failure), but the test the verdict blames did not:
    // the verdict is flaky (the human headline ends with "(flaky)").
    expect(doc.flaky).toBe(true);
    const old = doc.tests.find((t) => t.name === "old failure")!;
    expect(old.verdict).toBe("pre-existing");
    expect(old.current.runs).toBeGreaterThan(3);
    expect(old.reason).toMatch(
      new RegExp(
        `^fails ${old.current.failures}/${old.current.runs} with your changes, ${old.baseline.failures}/${old.baseline.runs} without \\(decided at 3/3 with your changes, 3/3 without: .+\\)$`,
      ),
    );
    expect(captureState(repo)).toEqual(before);
  } finally {
    repo.cleanup();
  }
}, 120_000);
