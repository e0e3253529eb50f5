import { tmpdir } from "node:os";
import { hangFactor, hangFloorMs } from "../isolate/judge.js";
import type { IsolateHunk, IsolateReport } from "../machine/isolate.js";
import { messages, plural } from "../messages.js";
import { worktreeShareText } from "./human.js";

/** Version of the `culprit isolate --json` document (schema/isolate.schema.json). */
export const isolateSchemaVersion = 1;

/** Exit code of `culprit isolate`: 0 when guilty hunks are named, else 2 (signals: 130/143/129). */
export function isolateExitCode(report: IsolateReport): number {
  if (report.interrupted === "SIGTERM") return 143;
  if (report.interrupted === "SIGHUP") return 129;
  if (report.interrupted) return 130;
  return report.verdict === "isolated" ? 0 : 2;
}

const headlines: Record<IsolateReport["verdict"], string> = {
  isolated: "FOUND",
  "not-regression": "NOT A REGRESSION",
  "no-diff": "NO CHANGES",
  "not-reproduced": "NOT REPRODUCED",
  "needed-only": "NO GUILTY HUNK",
  unconfirmed: "UNCONFIRMED",
  interrupted: "INTERRUPTED",
};

function where(hunk: IsolateHunk): string {
  const lines =
    hunk.startLine === hunk.endLine
      ? `line ${hunk.startLine}`
      : `lines ${hunk.startLine}-${hunk.endLine}`;
  return `${hunk.file}, ${lines}${hunk.kind === "hunk" || hunk.kind === "lines" ? "" : ` (${hunk.kind})`}`;
}

/** The patch of a hunk, indented, without its `diff --git` header lines (capped at 40 lines). */
function body(patch: string): string[] {
  const lines = patch.replace(/\n$/, "").split("\n");
  const start = lines.findIndex((l) => l.startsWith("@@") || l.startsWith("GIT binary patch"));
  const shown = start >= 0 ? lines.slice(start) : lines;
  const capped =
    shown.length > 40 ? [...shown.slice(0, 40), `... ${shown.length - 40} more`] : shown;
  return capped.map((l) => `      ${l}`);
}

/** The human report of `culprit isolate` (pure). */
export function renderIsolateHuman(
  report: IsolateReport,
  options: { quiet?: boolean } = {},
): string {
  const head =
    report.verdict === "isolated"
      ? `culprit isolate: ${headlines.isolated}: ${report.reason}`
      : `culprit isolate: ${headlines[report.verdict]}: ${report.reason}`;
  // The refusal is one line, already worded for the user.
  if (report.verdict === "not-regression") return `${report.reason}\n`;
  if (options.quiet) return `${head}\n`;
  const lines = [head];
  for (const [i, hunk] of report.hunks.entries()) {
    // Line numbers are your tree's; the patch's @@ headers count from the baseline with the
    // guilty hunks alone (what `git apply` takes), which differ once other hunks add lines above.
    lines.push(`  guilty: ${where(hunk)}${i === 0 ? " of your tree" : ""}`);
    lines.push(...body(hunk.patch));
  }
  if (report.needed.length > 0) {
    lines.push(
      "  needed to run (not blamed: without them the test cannot run, or fails another way):",
    );
    for (const hunk of report.needed)
      lines.push(
        `    ${where(hunk)}${hunk.usedBy ? `: ${messages.isolateNeededUsedBy(hunk.usedBy.length)}` : ""}`,
      );
  }
  if (report.othersFail) lines.push(`  ${messages.isolateOthersFail(report.hunks.length)}`);
  if (report.othersFailure)
    lines.push(
      `  ${messages.isolateOthersFailOtherwise(report.hunks.length, report.othersFailure)}`,
    );
  const base = report.baseline;
  const baseText = `${base.rev} (${base.commit.slice(0, 12)})${base.revert ? `, with ${base.revert.join(", ")} reverted` : ""}`;
  if (report.units > 0)
    lines.push(
      `  ${plural(report.units, "change")} in ${plural(report.files, "file")} against ${baseText}; judged by ${
        report.target.kind === "tests"
          ? regressedTests(report.target.tests)
          : report.target.kind === "failure-way"
            ? "the way your tree fails (the command fails at the baseline too, otherwise)"
            : "the command's exit code"
      }`,
    );
  if (report.judge) {
    const j = report.judge;
    lines.push(
      j.deterministic
        ? `  the failure is deterministic (${j.calibration.current.failures}/${j.calibration.current.runs} fresh runs of your tree failed${j.calibration.attribution ? `, and ${j.calibration.attribution.failures}/${j.calibration.attribution.runs} in the attribution` : ""}): one run judges a configuration`
        : `  the failure is flaky (your tree ${j.calibration.current.failures}/${j.calibration.current.runs}, the baseline ${j.calibration.baseline.failures}/${j.calibration.baseline.runs}): each configuration is rerun until judged at ${report.confidence} confidence overall (at most ${j.maxRuns} runs)`,
    );
  }
  if (report.configurations.length === 0 && report.verdict === "isolated")
    lines.push("  your changes are one unit: no configuration to test");
  if (report.configurations.length > 0) {
    lines.push(
      `  ${plural(report.distinct, "configuration")} tested, ${plural(report.runs.search, "run")}; ${plural(report.runs.calibration, "calibration run")}:`,
    );
    for (const c of report.configurations.slice(0, 30)) {
      const runs = c.runs
        .map((r) => {
          if (r.otherFailure) return `failed otherwise (${r.otherFailure})`;
          if (r.outcome !== "hang") return r.judged;
          // Not run again: its report said how the tests went, then the runner did not end.
          return r.hangRetried ? `${r.judged} (hung twice)` : `${r.judged}, then hung`;
        })
        .join(" ");
      const units = c.units.length <= 4 ? c.units.join(", ") : `${c.units.length} changes`;
      const missed = c.missed ? ` missed: ${c.missed.join(", ")}` : "";
      lines.push(
        `    #${c.index} ${c.judgement}${c.again ? " (again)" : ""}: ${units} [${runs}]${missed}`,
      );
    }
    if (report.configurations.length > 30)
      lines.push(`    ... and ${report.configurations.length - 30} more (--json lists them all)`);
    const hung = report.configurations.some((c) => c.runs.some((r) => r.outcome === "hang"));
    if (hung && report.judge)
      lines.push(
        `  ${messages.isolateHangLimit(report.judge, { factor: hangFactor, floorMs: hangFloorMs })}`,
      );
  }
  const share = worktreeShareText(report.worktrees.shared, report.worktrees.env);
  lines.push(
    `  your work: never touched (each configuration was built in a worktree of culprit's, under ${tmpdir()}${share})`,
  );
  return `${lines.join("\n")}\n`;
}

/** `--format line`: one `file:line: culprit: guilty hunk` line a hunk (an editor's problem matcher reads it). */
export function renderIsolateLine(report: IsolateReport): string {
  if (report.hunks.length === 0) return `culprit: isolate: ${report.reason}\n`;
  return report.hunks
    .map(
      (h) => `${h.file}:${h.startLine}: culprit: guilty hunk (lines ${h.startLine}-${h.endLine})\n`,
    )
    .join("");
}

/** The `culprit isolate --json` document (pure). */
export function isolateJson(report: IsolateReport, exitCode: number): Record<string, unknown> {
  const hunk = (h: IsolateHunk) => ({
    id: h.id,
    kind: h.kind,
    file: h.file,
    startLine: h.startLine,
    endLine: h.endLine,
    patch: h.patch,
    ...(h.usedBy ? { usedBy: h.usedBy } : {}),
  });
  const run = (r: IsolateReport["configurations"][number]["runs"][number]) => ({
    outcome: r.outcome,
    judged: r.judged,
    exitCode: r.exitCode,
    signal: r.signal,
    durationMs: Math.round(r.durationMs),
    log: r.log,
    ...(r.otherFailure ? { otherFailure: r.otherFailure } : {}),
    ...(r.hangRetried ? { hangRetried: true } : {}),
  });
  return {
    schemaVersion: isolateSchemaVersion,
    kind: "isolate",
    verdict: report.verdict,
    reason: report.reason,
    exitCode,
    confidence: report.confidence,
    command: report.command,
    attribution: report.attribution,
    baseline: report.baseline,
    target: report.target,
    judge: report.judge,
    units: report.units,
    files: report.files,
    hunks: report.hunks.map(hunk),
    needed: report.needed.map(hunk),
    othersFail: report.othersFail,
    ...(report.othersFailure ? { othersFailure: report.othersFailure } : {}),
    patch: report.patch,
    configurations: report.configurations.map((c) => ({
      index: c.index,
      units: c.units,
      judgement: c.judgement,
      again: c.again,
      runs: c.runs.map(run),
      ...(c.missed ? { missed: c.missed } : {}),
    })),
    distinct: report.distinct,
    runs: report.runs,
    calibrationRuns: report.calibrationRuns.map((r) => ({ side: r.side, ...run(r) })),
    interrupted: report.interrupted,
    worktrees: report.worktrees,
    timing: {
      totalMs: Math.round(report.timing.totalMs),
      runsMs: Math.round(report.timing.runsMs),
    },
    runId: report.runId,
  };
}

/** At most this many regressed tests are named on the "judged by" line; --json lists them all. */
const namedTests = 3;

/** "the regressed test a", "the 14 regressed tests a, b, c and 11 more (--json lists them)". */
export function regressedTests(tests: readonly string[]): string {
  if (tests.length === 1) return `the regressed test ${tests[0]}`;
  if (tests.length <= namedTests) return `the regressed tests ${tests.join(", ")}`;
  const more = tests.length - namedTests;
  return `the ${tests.length} regressed tests ${tests.slice(0, namedTests).join(", ")} and ${more} more (--json lists them)`;
}
