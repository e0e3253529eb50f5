import { describe, expect, test } from "vitest";
import { configurationTimeout } from "../../src/isolate/judge.js";
import { captureState, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { expectIsolateUntouched, parseIsolateJson, waitingRepo } from "../repos/isolate.js";
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

/** `configurationTimeout` of the calibration's runs, as --json gives their durations (rounded). */
function expectedLimit(runs: readonly { durationMs: number }[]): number {
  return configurationTimeout(
    runs.map((r) => r.durationMs),
    300_000,
    false,
  );
}

const mochaMissing = runnerMissing("mocha");
if (mochaMissing) console.log(`skipped: ${mochaMissing}`);

describe.concurrent("mocha", () => {
  test.skipIf(mochaMissing !== null)(
    "a configuration that never ends after its report: judged from the report at the limit, once, and the guilty hunk named",
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
          calibrationRuns: { durationMs: number }[];
          configurations: { units: string[]; judgement: string; runs: Run[] }[];
        }>(result);
        expect(result.status, result.stderr).toBe(0);
        expect(doc.verdict, result.stdout).toBe("isolated");
        expect(doc.hunks.map((h) => h.file)).toEqual(["lib/sum.js"]);
        // 5 times the slowest calibration run, at least 10 s (the floor, unless the machine is
        // very busy: mocha takes well under a second here).
        expect(
          Math.abs(doc.judge.timeoutMs - expectedLimit(doc.calibrationRuns)),
        ).toBeLessThanOrEqual(5);
        expect(doc.judge.timeoutChosen).toBe(false);
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
});

type Run = {
  outcome: string;
  judged: string;
  otherFailure?: string;
  hangRetried?: boolean;
  durationMs: number;
};
type Doc = {
  verdict: string;
  hunks: { file: string; startLine: number }[];
  judge: { timeoutMs: number; timeoutChosen: boolean };
  calibrationRuns: { durationMs: number }[];
  configurations: { units: string[]; judgement: string; runs: Run[] }[];
  timing: { runsMs: number };
};

// Judged by the exit code: no report to read (test/repos/isolate.ts waitingRepo).
describe.concurrent("the exit code", () => {
  // A configuration that never ends: run again, it is a failure of another kind ("?"), not the
  // failure your tree has (it did not hang there), and the search goes around it. The user's
  // --timeout: both runs get it.
  test("a configuration that hangs: run again, then '?', and the guilty hunk named", async () => {
    // It writes a file before it waits: the second run starts from the configuration's tree
    // again (a run that found the file would end, exit 3).
    const repo = waitingRepo(
      'require("node:fs").existsSync("stamp") ? process.exit(3) : (require("node:fs").writeFileSync("stamp", "x"), setInterval(() => {}, 1000))',
    );
    try {
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, [
        "isolate",
        "--json",
        "--timeout",
        "4s",
        "--",
        "node",
        "check.js",
      ]);
      const doc = parseIsolateJson<Doc>(result);
      expect(result.status, result.stderr).toBe(0);
      expect(doc.verdict, result.stdout).toBe("isolated");
      expect(doc.hunks.map((h) => [h.file, h.startLine])).toEqual([["src/beta.js", 20]]);
      expect(doc.judge).toMatchObject({ timeoutMs: 4_000, timeoutChosen: true });
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
      // The time in runs counts each hung first attempt (the whole --timeout) beside its retry.
      const runs = [...doc.calibrationRuns, ...doc.configurations.flatMap((c) => c.runs)];
      const retried = runs.filter((r) => (r as Partial<Run>).hangRetried).length;
      expect(doc.timing.runsMs).toBeGreaterThanOrEqual(
        runs.reduce((sum, r) => sum + r.durationMs, 0) + retried * 4_000 - runs.length,
      );
      // What the hung runs wrote: kept, each attempt under its own ref, then put away.
      const residue = culpritRefs(repo).filter((ref) => ref.includes("/residue/"));
      expect(residue.length).toBeGreaterThan(0);
      expect(residue.filter((ref) => ref.endsWith("-hung")).length).toBe(residue.length / 2);
      expectIsolateUntouched(repo, before, /\/residue\//);
    } finally {
      repo.cleanup();
    }
  }, 150_000);

  // A configuration that takes 12 s, past the 10 s limit: stopped there, then run again with the
  // whole --timeout, it ends and is judged by its exit code like any other.
  test("a configuration only slower than the limit: run again with the whole --timeout, and judged", async () => {
    const repo = waitingRepo("setTimeout(check, 12_000)");
    try {
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, ["isolate", "--json", "--", "node", "check.js"]);
      const doc = parseIsolateJson<Doc>(result);
      expect(result.status, result.stderr).toBe(0);
      expect(doc.verdict, result.stdout).toBe("isolated");
      expect(doc.hunks.map((h) => [h.file, h.startLine])).toEqual([["src/beta.js", 20]]);
      const limit = doc.judge.timeoutMs;
      expect(Math.abs(limit - expectedLimit(doc.calibrationRuns))).toBeLessThanOrEqual(5);
      expect(doc.judge.timeoutChosen).toBe(false);
      const slow = doc.configurations.filter(
        (c) => c.units.includes("src/alpha.js#1") && !c.units.includes("src/delta.js#3"),
      );
      expect(slow.length, result.stdout).toBeGreaterThan(0);
      for (const c of slow) {
        const bug = c.units.includes("src/beta.js#2");
        expect(c.judgement).toBe(bug ? "fail" : "pass");
        expect(c.runs).toEqual([
          expect.objectContaining({
            outcome: bug ? "fail" : "pass",
            judged: bug ? "fail" : "pass",
            // Stopped at the limit and run again; a machine so busy that the limit passed 12 s
            // (a calibration run of 2.4 s) lets it end the first time.
            ...(limit < 12_000 ? { hangRetried: true } : {}),
          }),
        ]);
      }
      expectIsolateUntouched(repo, before);
    } finally {
      repo.cleanup();
    }
  }, 150_000);
});
