import type { AttributionResult, RunRecord } from "../machine/types.js";
import { formatPaths } from "../messages.js";
import { relation } from "./human.js";

const glyphs = { pass: "✓", fail: "✗", "cannot-run": "∅", hang: "⧖" } as const;

/**
 * Escapes a workflow command's message (%, CR, LF), as GitHub's toolkit does:
 * https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a workflow command's property value (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** The command as a user would type it (pure). */
export function commandText(result: AttributionResult): string {
  return result.command.shell ?? result.command.argv.map(shellWord).join(" ");
}

/**
 * One word of a command as a POSIX shell reads it back: as is when it holds nothing the shell
 * treats specially, else in single quotes (`-t 'should round'`), so that a printed command can be
 * pasted.
 */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** The runs of a side the verdict rests on: the current tree, or the last baseline attempt run. */
export function sideRuns(result: AttributionResult, side: "current" | "baseline"): RunRecord[] {
  if (side === "current") return result.runs.filter((r) => r.side === "current");
  const last = [...result.runs].reverse().find((r) => r.side === "baseline")?.attempt;
  return result.runs.filter((r) => r.side === "baseline" && r.attempt === last);
}

/**
 * The GitHub Actions annotation: `::error title=culprit::...` for a regression, `::notice`
 * otherwise (pure). https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
export function annotation(result: AttributionResult): string {
  const level = result.verdict === "regression" ? "error" : "notice";
  const flaky = result.flaky ? " (flaky)" : "";
  const message = `${result.verdict}${flaky}: ${commandText(result)}: ${result.reason}`;
  const lines = [`::${level} title=${escapeProperty("culprit")}::${escapeData(message)}\n`];
  // One annotation a regressed test, at its place in the code when the report gives one.
  for (const test of result.tests) {
    if (test.verdict !== "regression") continue;
    const where = test.file
      ? `file=${escapeProperty(test.file)},${test.line ? `line=${test.line},` : ""}`
      : "";
    const title = escapeProperty("culprit: regression");
    const text = `${test.name}: ${test.reason}${test.message ? `\n${test.message}` : ""}`;
    lines.push(`::error ${where}title=${title}::${escapeData(text)}\n`);
  }
  return lines.join("");
}

/** Markdown for `$GITHUB_STEP_SUMMARY`: verdict, runs per side, statistics, suspects (pure). */
export function stepSummary(result: AttributionResult): string {
  const base = result.base
    ? ` against \`${result.base.rev}\` (${result.base.commit.slice(0, 12)})`
    : "";
  const lines = [
    `### culprit: ${result.verdict}${result.flaky ? " (flaky)" : ""}`,
    "",
    `\`${commandText(result).replace(/`/g, "'")}\`${base}: ${result.reason}`,
    "",
    "| side | outcomes | failed | rate |",
    "| --- | --- | --- | --- |",
  ];
  for (const side of ["current", "baseline"] as const) {
    const runs = sideRuns(result, side);
    if (runs.length === 0) continue;
    const reached = runs.filter((r) => r.outcome !== "cannot-run");
    const failed = reached.filter((r) => r.outcome !== "pass").length;
    const rate = reached.length ? `${Math.round((100 * failed) / reached.length)}%` : "n/a";
    lines.push(
      `| ${side} | ${runs.map((r) => glyphs[r.outcome]).join(" ")} | ${failed}/${reached.length} | ${rate} |`,
    );
  }
  const s = result.stats;
  // Per test, each test's row has its own numbers: the command's would contradict them (its runs
  // fail on both sides when an old test fails too: more-itertools trial).
  const perTest = result.tests.length > 0 && !result.interrupted;
  if (s.posterior !== null && s.pValue !== null && !perTest) {
    lines.push(
      "",
      `P(current fails more${s.margin > 0 ? ` + ${s.margin}` : ""}) ${relation(s.posterior)}, Boschloo p ${relation(s.pValue)}, confidence ${s.confidence}`,
    );
  }
  if (result.tests.length > 0) {
    lines.push("", "| test | verdict | with your changes | without |", "| --- | --- | --- | --- |");
    for (const t of result.tests) {
      const where = t.file ? ` (\`${t.file}${t.line ? `:${t.line}` : ""}\`)` : "";
      const name = `${t.name.replace(/\|/g, "\\|")}${where}`;
      const changed = t.failureChanged ? ", failure changed" : "";
      lines.push(
        `| ${name} | ${t.verdict}${changed} | ${t.current.failures}/${t.current.runs} failed | ${t.baseline.failures}/${t.baseline.runs} failed |`,
      );
    }
  }
  if (result.strategy) lines.push("", `Baseline: ${result.strategy}`);
  if (result.suspects.length > 0) {
    lines.push("", `Suspects: ${result.suspects.map((p) => `\`${p}\``).join(", ")}`);
  }
  if (result.attempts.length > 1) {
    lines.push("", "Baselines tried:", "");
    for (const a of result.attempts) {
      const what =
        a.strategy === "selective-revert" ? `revert ${formatPaths(a.suspects, 2)}` : a.strategy;
      lines.push(`${a.attempt}. ${what}: ${a.outcome}`);
    }
  }
  lines.push("", `Work tree restored and verified: ${result.restore.verified ? "yes" : "no"}`, "");
  return lines.join("\n");
}
