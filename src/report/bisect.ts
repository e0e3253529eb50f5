import { tmpdir } from "node:os";
import type { BisectCommit, BisectReport } from "../machine/bisect.js";
import { formatPaths, plural } from "../messages.js";
import type { Outcome } from "../run/types.js";
import { worktreeShareText } from "./human.js";

const glyphs: Record<Outcome, string> = { pass: "✓", fail: "✗", "cannot-run": "∅", hang: "⧖" };

/** Version of the `culprit bisect --json` document (schema/bisect.schema.json). */
export const bisectSchemaVersion = 1;

/** Exit code of a bisect: 0 when one commit is named at the confidence asked, else 2. */
export function bisectExitCode(report: BisectReport): number {
  if (report.interrupted === "SIGTERM") return 143;
  if (report.interrupted === "SIGHUP") return 129;
  if (report.interrupted) return 130;
  return report.verdict === "culprit" ? 0 : 2;
}

const headlines: Record<BisectReport["verdict"], string> = {
  culprit: "FOUND",
  range: "A RANGE",
  "no-culprit": "NO SINGLE CULPRIT",
  undecided: "UNDECIDED",
  "not-reproduced": "NOT REPRODUCED",
  "good-fails": "FAILS AT THE GOOD END TOO",
  unrunnable: "UNRUNNABLE",
  interrupted: "INTERRUPTED",
};

function short(commit: { sha: string; subject: string }): string {
  const subject = commit.subject.length > 60 ? `${commit.subject.slice(0, 57)}...` : commit.subject;
  return `${commit.sha.slice(0, 12)} ${subject}`;
}

function row(commit: BisectCommit, report: Pick<BisectReport, "commits" | "tests">): string {
  const end =
    commit.index === 0 ? " (good end)" : commit.index === report.commits ? " (bad end)" : "";
  const marks = commit.runs.map((r) => glyphs[r.outcome]).join(" ");
  const failed = commit.runs.filter(
    (r) => r.outcome !== "pass" && r.outcome !== "cannot-run",
  ).length;
  const reached = commit.runs.filter((r) => r.outcome !== "cannot-run").length;
  // Runs judged by the tests followed, as far as they went before the command hung.
  const hung = commit.runs.filter((r) => r.command === "hang" && r.outcome !== "hang").length;
  const after =
    hung > 0
      ? ` (${hung === commit.runs.length ? "each" : hung} hung after ${report.tests.length === 1 ? "the test followed" : "the tests followed"})`
      : "";
  return `    ${short(commit)}${end}  ${marks}  ${failed}/${reached} failed${after}`;
}

/** Where a search went, and its runs. */
function searched(report: Pick<BisectReport, "commits" | "good" | "bad" | "runs">): string {
  return `  searched ${plural(report.commits, "commit")} after ${report.good.rev} (${report.good.sha.slice(0, 12)}) up to ${report.bad.rev} (${report.bad.sha.slice(0, 12)}): ${plural(report.runs.ends, "run")} at the ends, ${report.runs.search} in the search`;
}

/** The human report of `culprit bisect` (pure). */
export function renderBisectHuman(report: BisectReport, options: { quiet?: boolean } = {}): string {
  const head = report.culprit
    ? `culprit bisect: ${headlines.culprit}: ${short(report.culprit)}`
    : `culprit bisect: ${headlines[report.verdict]}: ${report.reason}`;
  if (options.quiet) return `${head}\n`;
  const lines = [head];
  if (report.culprit) {
    lines.push(
      `  ${report.culprit.author}, ${report.culprit.date}; P(this commit made it fail) = ${report.culprit.probability.toFixed(3)}`,
    );
  }
  const branch = report.branch;
  if (branch) {
    const { merge, search } = branch;
    if (search.culprit) {
      lines.push(
        `  on the branch merged by ${short(merge)} (P(the merge made it fail) = ${merge.probability.toFixed(3)})`,
      );
    } else if (search.verdict === "not-reproduced") {
      lines.push(
        `  a merge, and the failure is its own: its branch alone (${merge.sha.slice(0, 12)}^2) passed every run, so the two sides fail together`,
      );
    } else {
      lines.push(`  a merge; the branch it merged, searched too: ${search.reason}`);
    }
  }
  lines.push(searched(report));
  if (report.range) {
    lines.push(`  the culprit is one of (P = ${report.range.probability.toFixed(3)}):`);
    for (const commit of report.range.commits.slice(0, 20)) lines.push(`    ${short(commit)}`);
    if (report.range.commits.length > 20)
      lines.push(`    ... and ${report.range.commits.length - 20} more`);
  }
  if (report.tests.length > 0) {
    lines.push(
      `  followed ${plural(report.tests.length, "test")} that ${report.tests.length === 1 ? "fails at the bad end and passes" : "fail at the bad end and pass"} at the good end (the command fails at the good end too): ${formatPaths(report.tests)}`,
    );
  }
  if (report.followedWay)
    lines.push(
      "  followed the way the command fails at the bad end (it fails at the good end too, otherwise: a run that failed as it does there passed)",
    );
  for (const { word, as, commits } of report.command.renamed ?? []) {
    lines.push(
      `  ran ${word} as ${as} at ${plural(commits, "commit")} where the file has its old name (renamed since)`,
    );
  }
  if (report.tested.length > 0) {
    lines.push("  tested, oldest first:");
    for (const commit of report.tested) lines.push(row(commit, report));
  }
  if (branch && branch.search.tested.length > 0) {
    lines.push(`  then the branch it merged: ${searched(branch.search).trimStart()}`);
    if (branch.search.tests.length > 0 && report.tests.length === 0) {
      lines.push(
        `  followed there ${plural(branch.search.tests.length, "test")} that ${branch.search.tests.length === 1 ? "fails at its tip and passes" : "fail at its tip and pass"} before it: ${formatPaths(branch.search.tests)}`,
      );
    }
    lines.push("  tested on the branch, oldest first:");
    // The branch's good end is often a commit the first search ran: its runs count there.
    const above = new Map(report.tested.map((c) => [c.sha, c.runs.length]));
    for (const commit of branch.search.tested) {
      const shared = above.get(commit.sha) ?? 0;
      const note =
        shared === 0
          ? ""
          : shared === commit.runs.length
            ? " (runs of the search above)"
            : ` (${shared} of them the search above's)`;
      lines.push(`${row(commit, branch.search)}${note}`);
    }
  }
  const share = worktreeShareText(report.worktrees.shared, report.worktrees.env);
  lines.push(
    `  your work: never touched (each commit was checked out in a worktree of culprit's, under ${tmpdir()}${share})`,
  );
  return `${lines.join("\n")}\n`;
}

/** The `culprit bisect --json` document (pure). */
export function bisectJson(report: BisectReport, exitCode: number): Record<string, unknown> {
  return {
    schemaVersion: bisectSchemaVersion,
    kind: "bisect",
    verdict: report.verdict,
    reason: report.reason,
    exitCode,
    confidence: report.confidence,
    command: report.command,
    good: report.good,
    bad: report.bad,
    commits: report.commits,
    culprit: report.culprit,
    range: report.range,
    tested: testedJson(report),
    runs: report.runs,
    tests: report.tests,
    followedWay: report.followedWay,
    ...(report.branch
      ? {
          branch: {
            merge: report.branch.merge,
            verdict: report.branch.search.verdict,
            reason: report.branch.search.reason,
            good: report.branch.search.good,
            bad: report.branch.search.bad,
            commits: report.branch.search.commits,
            culprit: report.branch.search.culprit,
            range: report.branch.search.range,
            tested: testedJson(report.branch.search),
            runs: report.branch.search.runs,
            tests: report.branch.search.tests,
            followedWay: report.branch.search.followedWay,
          },
        }
      : {}),
    interrupted: report.interrupted,
    worktrees: report.worktrees,
    timing: {
      totalMs: Math.round(report.timing.totalMs),
      runsMs: Math.round(report.timing.runsMs),
    },
    runId: report.runId,
  };
}

/** Every tested commit of a search with its runs, for `--json`. */
function testedJson(report: Pick<BisectReport, "commits" | "tested">): Record<string, unknown>[] {
  return report.tested.map((c) => ({
    sha: c.sha,
    subject: c.subject,
    end: c.index === 0 ? "good" : c.index === report.commits ? "bad" : null,
    runs: c.runs.map((r) => ({
      outcome: r.outcome,
      command: r.command,
      exitCode: r.exitCode,
      signal: r.signal,
      durationMs: Math.round(r.durationMs),
      log: r.log,
      // The run is the retry of one that hung for the whole --timeout (its log beside).
      ...(r.hungMs !== undefined ? { hangRetried: true } : {}),
    })),
  }));
}
