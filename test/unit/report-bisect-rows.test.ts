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
