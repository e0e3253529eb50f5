import { expect, test } from "vitest";
import { captureState, runCulpritAsync } from "../repos/harness.js";
import { expectIsolateUntouched, isolateRepo, parseIsolateJson } from "../repos/isolate.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

/*
 * A configuration that hangs where neither end does (found trying culprit on expressjs/express:
 * a server a test opened stayed open in a tree with part of the change, and mocha, which waits
 * for what is left open, never ended after writing its report). Each such configuration took
 * 10 minutes: the 300 s default timeout, then the hang retried. Here the change starts a timer
 * in lib/poll.js and stops it in the test's new `after` hook; a configuration with the timer
 * and without the hook hangs. A configuration's run is now a hang after 5 times your tree's
 * slowest calibration run (at least 10 s), and a hang whose report names the regressed test is
 * judged from it, not run again.
 */

const mochaMissing = runnerMissing("mocha");
if (mochaMissing) console.log(`skipped: ${mochaMissing}`);

test.skipIf(mochaMissing !== null)(
  "mocha, a configuration that never ends after its report: judged from the report after 10 s, once, and the guilty hunk named",
  async () => {
    const repo = jsProjectRepo(
      {
        "lib/poll.js": "exports.poll = () => 1;\n",
        "lib/sum.js": "exports.sum = (a, b) => a + b;\n",
        "test/poll.test.js": [
          'const assert = require("node:assert");',
          'const poll = require("../lib/poll");',
          'it("polls", () => assert.strictEqual(poll.poll(), 1));',
          "",
        ].join("\n"),
        "test/sum.test.js": [
          'const assert = require("node:assert");',
          'const { sum } = require("../lib/sum");',
          'it("old failure", () => assert.strictEqual(1, 2));',
          'it("sums", () => assert.strictEqual(sum(2, 3), 5));',
          "",
        ].join("\n"),
      },
      "init",
    );
    try {
      repo.write(
        "lib/poll.js",
        [
          "let timer;",
          "exports.poll = () => {",
          "  timer = setInterval(() => {}, 1000);",
          "  return 1;",
          "};",
          "exports.stop = () => clearInterval(timer);",
          "",
        ].join("\n"),
      );
      repo.write("lib/sum.js", "exports.sum = (a, b) => a - b;\n");
      repo.write(
        "test/poll.test.js",
        [
          'const assert = require("node:assert");',
          'const poll = require("../lib/poll");',
          'it("polls", () => assert.strictEqual(poll.poll(), 1));',
          "after(() => poll.stop());",
          "",
        ].join("\n"),
      );
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, [
        "isolate",
        "--json",
        "--",
        "node",
        "node_modules/.bin/mocha",
        "test/",
      ]);
      type Run = { outcome: string; judged: string; hangRetried?: boolean };
      const doc = parseIsolateJson<{
        verdict: string;
        hunks: { file: string }[];
        judge: { timeoutMs: number; timeoutChosen: boolean };
        configurations: { units: string[]; judgement: string; runs: Run[] }[];
      }>(result);
      expect(result.status, result.stderr).toBe(0);
      expect(doc.verdict, result.stdout).toBe("isolated");
      expect(doc.hunks.map((h) => h.file)).toEqual(["lib/sum.js"]);
      // The calibration's runs take well under a second: the floor.
      expect(doc.judge).toMatchObject({ timeoutMs: 10_000, timeoutChosen: false });
      // The timer without the hook: the report said how "sums" went, then mocha waited. One run
      // each, judged by the report: the timer alone passes, with the guilty hunk it fails.
      const hung = doc.configurations.filter((c) => c.runs.some((r) => r.outcome === "hang"));
      expect(hung.length, result.stdout).toBeGreaterThan(0);
      for (const c of hung) {
        expect(c.units).toContain("lib/poll.js#1");
        expect(c.units).not.toContain("test/poll.test.js#1");
        expect(c.runs).toHaveLength(1);
        expect(c.runs[0]!.hangRetried).toBeUndefined();
        expect(c.runs[0]!.judged).toBe(c.units.includes("lib/sum.js#1") ? "fail" : "pass");
      }
      expectIsolateUntouched(repo, before);
    } finally {
      repo.cleanup();
    }
  },
  150_000,
);

// Judged by the exit code: no report to read. A configuration with the timer (src/alpha.js) and
// without what stops it (src/delta.js) hangs; retried once, it is a failure of another kind
// ("?"), not the failure your tree has (it did not hang there), and the search goes around it.
test("the exit code, a configuration that hangs: retried once, then '?', and the guilty hunk named", async () => {
  const repo = isolateRepo({
    markers: [
      [0, 0, "TIMER"],
      [1, 1, "BUG"],
      [3, 2, "STOP"],
    ],
    failWhen: [],
    check: [
      'const { readFileSync } = require("node:fs");',
      'const text = ["alpha", "beta", "gamma", "delta"].map((n) => readFileSync("src/" + n + ".js", "utf8")).join("");',
      'if (text.includes("TIMER") && !text.includes("STOP")) setInterval(() => {}, 1000);',
      'else if (text.includes("BUG")) process.exit(1);',
      "",
    ].join("\n"),
  });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["isolate", "--json", "--", "node", "check.js"]);
    type Run = { outcome: string; judged: string; otherFailure?: string };
    const doc = parseIsolateJson<{
      verdict: string;
      hunks: { file: string; startLine: number }[];
      configurations: { units: string[]; judgement: string; runs: Run[] }[];
    }>(result);
    expect(result.status, result.stderr).toBe(0);
    expect(doc.verdict, result.stdout).toBe("isolated");
    expect(doc.hunks.map((h) => [h.file, h.startLine])).toEqual([["src/beta.js", 20]]);
    const hung = doc.configurations.filter((c) => c.runs.some((r) => r.outcome === "hang"));
    expect(hung.length, result.stdout).toBeGreaterThan(0);
    for (const c of hung) {
      expect(c.units).toContain("src/alpha.js#1");
      expect(c.units).not.toContain("src/delta.js#3");
      expect(c.judgement).toBe("cannot-run");
      expect(c.runs).toEqual([
        expect.objectContaining({
          outcome: "hang",
          judged: "cannot-run",
          otherFailure: "a hang",
          hangRetried: true,
        }),
      ]);
    }
    expectIsolateUntouched(repo, before);
  } finally {
    repo.cleanup();
  }
}, 150_000);
