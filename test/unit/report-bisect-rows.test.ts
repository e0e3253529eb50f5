import { describe, expect, test } from "vitest";
import type { BisectReport, BisectRun } from "../../src/machine/bisect.js";
import { renderBisectHuman } from "../../src/report/bisect.js";
import type { Outcome } from "../../src/run/types.js";

// The rows of `culprit bisect`'s human report: a run judged by the tests followed, though the
// command hung after them, says so (its glyph is the test's, and it took the whole --timeout).

const run = (outcome: Outcome, command: Outcome = outcome): BisectRun => ({
  outcome,
  command,
  exitCode: command === "hang" ? null : outcome === "pass" ? 0 : 1,
  signal: command === "hang" ? "SIGTERM" : null,
  durationMs: 10,
  log: null,
});

function report(runs: BisectRun[], tests: string[]): BisectReport {
  const commit = (index: number) => ({
    index,
    sha: `${index}`.repeat(40),
    subject: `commit ${index}`,
    author: "a",
    date: "2026-12-05T00:00:00Z",
  });
  return {
    runId: "20261205T000000-0000",
    verdict: "good-fails",
    reason: "the reason",
    confidence: 0.99,
    good: { rev: "v1", sha: "0".repeat(40) },
    bad: { rev: "HEAD", sha: "2".repeat(40) },
    commits: 2,
    culprit: null,
    range: null,
    tested: [{ ...commit(0), runs }],
    runs: { ends: runs.length, search: 0 },
    tests,
    followedWay: false,
    interrupted: null,
    command: { argv: ["node", "--test"], shell: null, cwd: "/r" },
    timing: { totalMs: 1, runsMs: 1 },
    worktrees: { shared: [], env: [] },
  };
}

const rowOf = (r: BisectReport) =>
  renderBisectHuman(r)
    .split("\n")
    .find((line) => line.includes("(good end)"))
    ?.replace(/^\s+0+ commit 0 \(good end\)\s+/, "");

describe("bisect rows", () => {
  test.each([
    { runs: [run("pass"), run("fail")], tests: [], row: "✓ ✗  1/2 failed" },
    { runs: [run("hang"), run("hang")], tests: [], row: "⧖ ⧖  2/2 failed" },
    {
      runs: [run("pass", "hang"), run("pass", "hang")],
      tests: ["t::a"],
      row: "✓ ✓  0/2 failed (each hung after the test followed)",
    },
    {
      runs: [run("fail", "hang"), run("fail"), run("hang")],
      tests: ["t::a", "t::b"],
      row: "✗ ✗ ⧖  3/3 failed (1 hung after the tests followed)",
    },
    { runs: [run("cannot-run"), run("pass")], tests: ["t::a"], row: "∅ ✓  0/1 failed" },
  ])("$row", ({ runs, tests, row }) => {
    expect(rowOf(report(runs, tests))).toBe(row);
  });
});

// The line under a merge the first-parent search named: by how the search of its branch ended.
describe("a merge's branch", () => {
  const merge = {
    sha: "m".repeat(40),
    subject: "Merge branch 'feature'",
    author: "a",
    date: "2026-12-05T00:00:00Z",
  };
  const found = { ...merge, sha: "f".repeat(40), subject: "feature 3", probability: 0.995 };
  test.each([
    {
      verdict: "culprit" as const,
      culprit: found,
      line: "  on the branch merged by mmmmmmmmmmmm Merge branch 'feature' (P(the merge made it fail) = 0.990)",
    },
    {
      verdict: "not-reproduced" as const,
      culprit: null,
      line: "  a merge, and the failure is its own: its branch alone (mmmmmmmmmmmm^2) passed every run, so the two sides fail together",
    },
    {
      verdict: "good-fails" as const,
      culprit: null,
      line: "  a merge; the branch it merged, searched too: the branch's reason",
    },
  ])("$verdict", ({ verdict, culprit, line }) => {
    const base = report([run("pass")], []);
    const search = {
      ...base,
      verdict,
      reason: "the branch's reason",
      good: base.good,
      bad: { rev: "mmmmmmmmmmmm^2", sha: "b".repeat(40) },
      commits: 4,
      culprit,
      range: null,
      tested: base.tested,
      runs: { ends: 3, search: 2 },
      tests: [],
      followedWay: false,
      interrupted: null,
      timing: base.timing,
    };
    const text = renderBisectHuman({
      ...base,
      verdict: "culprit",
      culprit: culprit ?? { ...merge, probability: 0.99 },
      branch: { merge: { ...merge, probability: 0.99 }, search },
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      `culprit bisect: FOUND: ${(culprit ?? merge).sha.slice(0, 12)} ${(culprit ?? merge).subject}`,
    );
    expect(lines[2]).toBe(line);
    expect(text).toContain("  then the branch it merged: searched 4 commits after v1");
    // Its good end is the first search's: its runs are those.
    expect(text).toMatch(
      /tested on the branch, oldest first:\n.*\(good end\) {2}✓ {2}0\/1 failed \(runs of the search above\)\n/,
    );
  });
});

test("a branch's good end run again after the search above's runs: how many were that search's", () => {
  const base = report([run("pass")], []);
  const merge = {
    sha: "m".repeat(40),
    subject: "Merge",
    author: "a",
    date: "d",
    probability: 0.99,
  };
  const tested = [{ ...base.tested[0]!, runs: [run("pass"), run("pass")] }];
  const text = renderBisectHuman({
    ...base,
    verdict: "culprit",
    culprit: merge,
    branch: { merge, search: { ...base, verdict: "good-fails", commits: 4, tested } },
  });
  expect(text).toMatch(/\(good end\) {2}✓ ✓ {2}0\/2 failed \(1 of them the search above's\)\n/);
});
