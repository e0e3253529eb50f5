import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, concurrentRepos, runCulpritAsync, type TestRepo } from "../repos/harness.js";
import { commitSeries, parseBisectJson } from "../repos/history.js";

/*
 * `culprit bisect` where the commit to find makes the check hang: a hang is bad, as
 * `git bisect run` takes a timeout's exit, and each hung run is run once more (from the commit's
 * tree again) before it counts. The time in runs counts each hung first attempt: it was left out,
 * and `timing.runsMs` read as if the hangs had taken half their time.
 *
 * And a suite with an old hang at both ends, after the test a commit broke: the search follows
 * that test, read from each hung run's report as far as the run went (every run was a hang, and
 * the bisection ended "fails at the good end too" while naming the very test to follow).
 */

// The cases wait on hung runs (--timeout) most of their time: they wait together.
const newRepo = concurrentRepos();

type Doc = {
  verdict: string;
  culprit: { sha: string } | null;
  tested: {
    sha: string;
    end: string | null;
    runs: { outcome: string; command: string; durationMs: number; hangRetried?: boolean }[];
  }[];
  tests: string[];
  timing: { runsMs: number };
};

/** `culprit bisect --json` from `good`, its runs stopped at `timeout`; your tree checked as it was after. */
async function bisectUntouched(repo: TestRepo, good: string, timeout: string, command: string[]) {
  const before = captureState(repo);
  const result = await runCulpritAsync(repo, [
    "bisect",
    "--good",
    good,
    "--json",
    "--timeout",
    timeout,
    "--kill-after",
    "1s",
    "--",
    ...command,
  ]);
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
  return { doc: parseBisectJson<Doc>(result.stdout), status: result.status };
}

test.concurrent("a commit that makes the check hang is found, and the hung attempts are counted in runsMs", async () => {
  const repo = newRepo();
  repo.write("check.sh", "#!/bin/sh\ngrep -q wait state.txt && exec sleep 600\necho ok\n", 0o755);
  repo.write("state.txt", "fine\n");
  repo.commit("the good end");
  const shas = commitSeries(repo, 6, (i) => {
    if (i === 3) repo.write("state.txt", "wait\n");
    repo.write(`log/${i}.txt`, `commit ${i}\n`);
    return `commit ${i}`;
  });
  repo.write("notes.txt", "work in progress, untracked\n");
  const { doc } = await bisectUntouched(repo, shas[0]!, "1.5s", ["./check.sh"]);
  expect(doc.verdict, JSON.stringify(doc)).toBe("culprit");
  expect(doc.culprit!.sha).toBe(shas[3]);
  const runs = doc.tested.flatMap((c) => c.runs);
  const hangs = runs.filter((r) => r.outcome === "hang");
  expect(hangs.length).toBeGreaterThan(0);
  expect(hangs.every((r) => r.hangRetried)).toBe(true);
  // Every hang was a retry of a first attempt that hung for the whole --timeout too.
  const inRuns = runs.reduce((sum, r) => sum + r.durationMs, 0);
  expect(doc.timing.runsMs).toBeGreaterThanOrEqual(inRuns + hangs.length * 1_500 - runs.length);
}, 180_000);

test.concurrent("node --test, an old hang at both ends after the test a commit broke: that test is followed in the hung runs' reports, and the commit found", async () => {
  const repo = newRepo();
  const file = (...lines: string[]) =>
    ['import { test } from "node:test";', 'import assert from "node:assert";', ...lines, ""].join(
      "\n",
    );
  repo.write("lib.mjs", "export const v = () => 1;\n");
  repo.write(
    "test/a.test.mjs",
    file('import { v } from "../lib.mjs";', 'test("v", () => assert.strictEqual(v(), 1));'),
  );
  repo.write(
    "test/b.test.mjs",
    file('test("waits", () => new Promise(() => setInterval(() => {}, 1000)));'),
  );
  repo.commit("a test, and a file whose test never ends");
  const shas = commitSeries(repo, 5, (i) => {
    if (i === 3) repo.write("lib.mjs", "export const v = () => 2;\n");
    repo.write(`log/${i}.txt`, `commit ${i}\n`);
    return `commit ${i}`;
  });
  repo.write("notes.txt", "work in progress, untracked\n");
  const { doc, status } = await bisectUntouched(repo, shas[0]!, "2s", ["node", "--test", "test/"]);
  expect(doc.verdict, JSON.stringify(doc)).toBe("culprit");
  expect(status).toBe(0);
  expect(doc.culprit!.sha).toBe(shas[3]);
  expect(doc.tests).toEqual(["test/a.test.mjs::v"]);
  const runs = doc.tested.flatMap((c) => c.runs.map((r) => ({ ...r, end: c.end })));
  // Every run hung, each judged by the test it ended before.
  expect(runs.every((r) => r.command === "hang")).toBe(true);
  for (const c of doc.tested) {
    const fails = doc.tested.indexOf(c) >= doc.tested.findIndex((t) => t.sha === shas[3]);
    expect(new Set(c.runs.map((r) => r.outcome))).toEqual(new Set([fails ? "fail" : "pass"]));
  }
  // Once the test is known, a hung run that ended it is not run again: it would hang there too.
  const search = runs.filter((r) => r.end === null);
  expect(search.length).toBeGreaterThan(0);
  expect(search.some((r) => r.hangRetried)).toBe(false);
}, 180_000);
