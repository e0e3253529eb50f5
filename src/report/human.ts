import { tmpdir } from "node:os";
import { type SharedPath, sharedWithYoursOnly, unbuiltOutputs } from "../git/worktree.js";
import {
  type AttemptReport,
  type AttributionResult,
  type RunRecord,
  regressedOnlyOtherwise,
  type TestResult,
  yourTreeRan,
} from "../machine/types.js";
import { formatPaths, messages, plural } from "../messages.js";
import { plainOutput } from "../run/classify.js";
import { errorLine, failureMark } from "../run/reports/signature.js";
import type { Outcome } from "../run/types.js";

/** How the report is drawn. */
export interface RenderOptions {
  color: boolean;
  /** Only the verdict line. */
  quiet?: boolean;
}

const glyphs: Record<Outcome, string> = { pass: "✓", fail: "✗", "cannot-run": "∅", hang: "⧖" };

const headlines: Record<AttributionResult["verdict"], string> = {
  regression: "REGRESSION: your changes cause this failure",
  "pre-existing": "PRE-EXISTING: it fails without your changes too",
  "not-reproduced": "NOT REPRODUCED: the command passed every run on your tree",
  inconclusive: "INCONCLUSIVE: the runs did not decide",
  unrunnable: "UNRUNNABLE: the command could not run",
};

const verdictWords: Record<AttributionResult["verdict"], string> = {
  regression: "REGRESSION",
  "pre-existing": "PRE-EXISTING",
  "not-reproduced": "NOT REPRODUCED",
  inconclusive: "INCONCLUSIVE",
  unrunnable: "UNRUNNABLE",
};

/** True when the verdict rests on per-test judgement (its reason then counts the tests). */
function perTest(result: AttributionResult): boolean {
  return result.tests.length > 0 && !result.interrupted;
}

/** The headline of a selective revert or a base revision (they name what they compare), or null. */
function namedHeadline(result: AttributionResult): string | null {
  // Tests judged at different baselines (a new one at a selective revert): no one name says it.
  if (new Set(result.tests.map((t) => t.attempt)).size > 1) return null;
  const decided = [...result.attempts].reverse().find((a) => a.outcome === "decided");
  if (result.base && !result.interrupted && result.strategy === "base-revision") {
    if (result.verdict === "regression")
      return `REGRESSION: the changes since ${result.base.rev} cause this failure`;
    if (result.verdict === "pre-existing")
      return `PRE-EXISTING: it fails at ${result.base.rev} too`;
  }
  if (result.strategy === "selective-revert" && decided && !result.interrupted) {
    const paths = formatPaths(decided.suspects);
    // Without them the test broke another way (a helper they add, imported by code you changed
    // elsewhere): they are part of the failure, not shown to be its cause (more-itertools trial).
    if (result.verdict === "regression" && regressedOnlyOtherwise(result.tests))
      return `REGRESSION: with ${paths} reverted the test fails another way`;
    if (result.verdict === "regression")
      return decided.suspects.length === 1
        ? `REGRESSION: the changes in ${paths} cause this failure`
        : `REGRESSION: the cause is among the changes in ${paths}`;
    if (result.verdict === "pre-existing")
      return `PRE-EXISTING: reverting ${paths} does not help, the failure lies elsewhere`;
  }
  return null;
}

/** The headline: what the baseline was when it names it; per test, the counts of tests. */
function headline(result: AttributionResult): string {
  const named = namedHeadline(result);
  if (named) return named;
  if (result.interrupted && result.verdict === "inconclusive")
    return result.cancelled
      ? "INCONCLUSIVE: cancelled before the runs decided"
      : `INCONCLUSIVE: interrupted by ${result.interrupted} before the runs decided`;
  if (perTest(result)) return `${verdictWords[result.verdict]}: ${result.reason}`;
  return headlines[result.verdict];
}

function paint(text: string, code: number, color: boolean): string {
  return color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function sideRow(name: string, runs: RunRecord[], color: boolean): string {
  const marks = runs
    .map((r) => {
      const glyph = glyphs[r.outcome];
      return paint(glyph, r.outcome === "pass" ? 32 : r.outcome === "cannot-run" ? 33 : 31, color);
    })
    .join(" ");
  const reached = runs.filter((r) => r.outcome !== "cannot-run");
  const failed = reached.filter((r) => r.outcome !== "pass").length;
  const cannot = runs.length - reached.length;
  const rate =
    reached.length > 0
      ? `${failed}/${reached.length} failed (${percent(failed / reached.length)})`
      : "never ran";
  const extra = cannot > 0 ? `, ${cannot} could not run` : "";
  return `  ${name.padEnd(9)}${marks}   ${rate}${extra}`;
}

/** "3 min ago", "2 h ago": how long since `at` (ms since the epoch). */
function ago(at: number): string {
  const minutes = Math.max(0, Math.round((Date.now() - at) / 60_000));
  if (minutes < 1) return "less than a minute ago";
  if (minutes < 120) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

/** Formats a probability the way a reader can check it: 0.016, 0.95, < 0.001. */
export function formatProbability(p: number): string {
  if (p < 0.001) return "< 0.001";
  if (p > 0.999) return "> 0.999";
  return p.toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
}

/** "= 0.016", or "< 0.001" / "> 0.999" at the ends: a probability after its name. */
export function relation(p: number): string {
  const text = formatProbability(p);
  return text.startsWith("<") || text.startsWith(">") ? text : `= ${text}`;
}

/** The human report: the verdict in one line, a row a side, the statistics, what was restored. */
export function renderHuman(result: AttributionResult, options: RenderOptions): string {
  const color = options.color;
  const head = headline(result);
  const code = result.verdict === "regression" ? 31 : result.verdict === "pre-existing" ? 33 : 36;
  const flaky = result.flaky ? paint(" (flaky)", 35, color) : "";
  const lines = [`culprit: ${paint(head, code, color)}${flaky}`];
  if (options.quiet) return `${lines[0]}\n`;
  // Per test, the reason (the counts of tests) is the headline, unless that names the baseline.
  if (!perTest(result) || namedHeadline(result)) lines.push(`  ${result.reason}`);
  // Without a test report the command's exit code is all there is: a script that fails on both
  // sides hides a test your change broke beside the old failure (fs-extra's `npm test`).
  if (result.verdict === "pre-existing" && !perTest(result) && result.perTest.note)
    lines.push(
      "  by the exit code alone: a test your changes broke beside the one that already failed would not show (tests: below)",
    );
  const current = result.runs.filter((r) => r.side === "current");
  const lastAttempt = [...result.runs].reverse().find((r) => r.side === "baseline")?.attempt;
  const baseline = result.runs.filter((r) => r.side === "baseline" && r.attempt === lastAttempt);
  lines.push(sideRow("current", current, color));
  if (baseline.length > 0) lines.push(sideRow("baseline", baseline, color));
  else if (result.verdict === "not-reproduced")
    lines.push("  baseline  not run (nothing to attribute)");
  const last = result.attempts.find((a) => a.attempt === lastAttempt);
  if (last?.strategy === "selective-revert") {
    lines.push(
      `  baseline: your tree with ${plural(last.suspects.length, "path")} reverted to ${result.base?.rev ?? "HEAD"}:`,
    );
    for (const path of last.suspects.slice(0, 20)) lines.push(`    ${path}`);
    if (last.suspects.length > 20) lines.push(`    ... and ${last.suspects.length - 20} more`);
  } else if (last?.strategy === "base-revision" && result.base)
    lines.push(
      `  baseline: ${result.base.rev} (${result.base.commit.slice(0, 12)}), checked out in place`,
    );
  // A file the command names that your change renamed ran under its old name at the baseline.
  if (last?.ranAs && last.ranAs.length > 0) {
    const words = last.ranAs.map(({ word, as }) => `${word} as ${as}`).join(", ");
    lines.push(
      `  baseline: ran ${words} (the name it has there: your change renames it; its tests are shown with your names)`,
    );
  }
  if (result.attempts.length > 1) {
    lines.push("  baselines tried:");
    // Judged per test, several baselines may each decide some tests: each says which.
    const several = result.attempts.filter((a) => a.outcome === "decided").length > 1;
    for (const attempt of result.attempts)
      lines.push(
        attemptRow(attempt, result.runs, color, result.base?.rev, several ? result.tests : null),
      );
  }
  // Interrupted, each test's counts so far (the command's alone read like PRE-EXISTING when a
  // test regressed beside an old failure: jshttp/cookie trial).
  if (result.tests.length > 0) lines.push(...testLines(result, color));
  if (result.perTest.note) lines.push(`  tests: ${result.perTest.note}`);
  const s = result.stats;
  // Per test, each test's line has its own numbers: the command's would mislead.
  if (s.posterior !== null && s.pValue !== null && !perTest(result)) {
    const margin = s.margin > 0 ? ` + ${s.margin}` : "";
    lines.push(
      `  P(current fails more${margin}) ${relation(s.posterior)}, Boschloo p ${relation(s.pValue)}, confidence ${s.confidence}`,
    );
  }
  if (result.cache.reused > 0) {
    const oldest = Math.min(...result.runs.flatMap((r) => (r.cached ? [r.cached.at] : [])));
    lines.push(
      `  ${plural(result.cache.reused, "run")} reused from the cache (same trees and command, the oldest ${ago(oldest)}; --no-cache runs everything)`,
    );
  }
  const hung = result.runs.filter((r) => r.hangRetried);
  if (hung.length > 0) {
    const again = hung.filter((r) => r.outcome === "hang").length;
    const limit = Math.max(...hung.map((r) => r.hungMs ?? 0));
    lines.push(`  ${messages.hungRetried(hung.length, again, limit)}`);
  }
  const failing = [...result.runs]
    .reverse()
    .find((r) => r.side === "current" && r.outcome !== "pass");
  // Your tree never reached the command: what stopped it, in the runner's words.
  const stopped = result.runs.some((r) => r.side === "current") && !yourTreeRan(result.runs);
  if (stopped && failing?.why) lines.push(`  on your tree it could not run: ${failing.why}`);
  // The tests' own messages say more than the output's last lines, when there are tests.
  const excerpt = failing?.tail && !(stopped && failing.why) ? failureExcerpt(failing.tail) : null;
  if (excerpt && !perTest(result)) {
    lines.push(`  last failure on your tree ${excerpt.at === "error" ? "said" : "ended with"}:`);
    for (const line of excerpt.lines) lines.push(`    | ${line}`);
    // Pre-existing by the exit code alone: how it failed without your changes, to hold beside
    // it (a posttest lint that fails at HEAD, where your tree failed its tests: node-semver).
    const before = [...result.runs]
      .reverse()
      .find((r) => r.side === "baseline" && r.outcome === "fail" && r.tail);
    // Or your tree fails another way than the baseline: what only yours said, then the two.
    const only = result.failureWay?.lines ?? [];
    if (only.length > 0) {
      lines.push("  failing with your changes only:");
      for (const line of only.slice(0, 5)) lines.push(`    | ${line}`);
      if (only.length > 5) lines.push(`    ... and ${only.length - 5} more`);
    }
    const sideBySide = result.verdict === "pre-existing" || result.failureWay !== null;
    const shown = sideBySide && before ? failureExcerpt(before.tail!) : null;
    if (shown) {
      lines.push(
        `  last failure without your changes ${shown.at === "error" ? "said" : "ended with"}:`,
      );
      for (const line of shown.lines) lines.push(`    | ${line}`);
    }
  }
  if (failing?.logPath) lines.push(`  full log: ${failing.logPath}`);
  const submodules = submoduleLine(result);
  if (submodules) lines.push(`  ${submodules}`);
  const builds = unbuiltOutputs(result.worktrees?.shared ?? [], true);
  if (builds.length > 0 && result.verdict === "unrunnable")
    lines.push(`  note: ${messages.unbuiltOutputs(builds, "the baseline's")}`);
  if (result.buildsLeft.length > 0) lines.push(`  note: ${messages.buildsLeft(result.buildsLeft)}`);
  // Your build on both sides: what a pre-existing verdict may rest on.
  const sameBuild = result.verdict === "pre-existing" ? result.buildsNotRebuilt : [];
  if (sameBuild.length > 0) lines.push(`  note: ${messages.buildsNotRebuilt(sameBuild)}`);
  lines.push(restoreLine(result));
  for (const ref of result.restore.residue) {
    lines.push(
      ref.endsWith("-head")
        ? `  ${messages.headMoved(ref)}`
        : result.worktrees
          ? `  the test wrote files during the runs (in culprit's worktrees); kept in ${ref} (see: git show --stat ${ref})`
          : `  files were written in your tree during the runs (by the test, or by you meanwhile: your tree is back as it was when culprit started); kept in ${ref} (see: git show --stat ${ref})`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The submodules the baseline kept at your commits: what they change is on both sides, so a
 * failure one brings cannot read as a regression (culprit leaves submodules alone).
 */
function submoduleLine(result: Pick<AttributionResult, "submodules" | "base">): string | null {
  if (result.submodules.length === 0) return null;
  const base = result.base?.rev ?? "HEAD";
  const short = (sha: string) => sha.slice(0, 7);
  const shown = result.submodules.map((s) =>
    s.baseline === null
      ? `${s.path} (at ${short(s.commit)}; ${base} has no submodule there)`
      : `${s.path} (at ${short(s.commit)}; ${base} records ${short(s.baseline)})`,
  );
  return `note: submodules stay at your commits on the baseline too (culprit leaves them alone), so what they change is on both sides: ${formatPaths(shown)}`;
}

const testGlyphs: Record<TestResult["verdict"], string> = {
  regression: "✗",
  new: "?",
  inconclusive: "?",
  "pre-existing": "·",
  fixed: "✓",
};
const testColors: Record<TestResult["verdict"], number> = {
  regression: 31,
  new: 36,
  inconclusive: 36,
  "pre-existing": 33,
  fixed: 32,
};
/** The legend of an assertion's diff (node's assert, jest's expect). */
const legend = /^[-+] (actual|expected|received)\s+[-+] (actual|expected|received)$/i;
/** Tests listed before the rest are summed up. */
const maxTestLines = 30;

/** Where a test is, as an editor opens it: file:line, or the file, or nothing. */
function place(test: TestResult): string {
  if (!test.file) return "";
  return `${test.line ? `${test.file}:${test.line}` : test.file}  `;
}

/**
 * jest before 27 put each value under its label ("Expected value to be:", "  false",
 * "Received:", "  true"): a label is joined to its value's first line, so that the lines shown
 * hold the values, not the same labels for every test (iamkun/dayjs trial).
 */
function withValues(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    if (/^\s*(?:Expected|Received)\b[^:]*:$/.test(line) && next !== undefined && /^\s/.test(next)) {
      out.push(`${line} ${next.trim()}`);
      i += 1;
    } else out.push(line);
  }
  return out;
}

/** One line a test of the family, regressions first, with its failure's first lines. */
function testLines(result: AttributionResult, color: boolean): string[] {
  const source = result.perTest.source ? ` (from ${result.perTest.source})` : "";
  const lines = [`  tests that failed${source}:`];
  for (const test of result.tests.slice(0, maxTestLines)) {
    const mark = paint(testGlyphs[test.verdict], testColors[test.verdict], color);
    const verdict = test.verdict.padEnd(12);
    // A whole file's entry (a test file that could not load) is named by its file: once.
    const named = test.name === test.file ? place(test).trimEnd() : `${place(test)}${test.name}`;
    lines.push(`    ${mark} ${verdict} ${named}: ${test.reason}`);
    // A diff's legend ("+ actual - expected", "- Expected + Received") says nothing.
    const shown = (text: string) =>
      text.split("\n").filter((l) => l.trim() !== "" && !legend.test(l.trim()));
    const all = test.message ? withValues(shown(test.message)) : [];
    // Two lines; a third when the second is a "+ actual" line whose "- expected" follows, or
    // jest's "Expected: 365" whose "Received: 366" follows (it was cut: moment/luxon trial), or a
    // doctest's "Expected: 3" and "Got: 2".
    // (AVA's diff has "- actual" first.)
    const pair =
      (/^\s*\+ /.test(all[1] ?? "") && /^\s*- /.test(all[2] ?? "")) ||
      (/^\s*- /.test(all[1] ?? "") && /^\s*\+ /.test(all[2] ?? "")) ||
      (/^\s*Expected\b[^:]*:/.test(all[1] ?? "") && /^\s*(?:Received|Got):/.test(all[2] ?? ""));
    for (const line of all.slice(0, pair ? 3 : 2)) lines.push(`        ${line}`);
    if (test.failureChanged && test.baselineMessage) {
      // The first line where the two failures part (a shared "AssertionError ..." says nothing).
      const ours = new Set(test.message?.split("\n").map((l) => l.trim()) ?? []);
      const theirs = shown(test.baselineMessage);
      const first = theirs.find((l) => !ours.has(l.trim())) ?? theirs[0] ?? "";
      lines.push(`        without your changes it failed otherwise: ${first.trim()}`);
    }
  }
  if (result.tests.length > maxTestLines)
    lines.push(`    ... and ${result.tests.length - maxTestLines} more (all of them in --json)`);
  return lines;
}

const attemptOutcomes: Record<AttemptReport["outcome"], string> = {
  decided: "the verdict rests on it",
  unrunnable: "could not run",
  "same-tree": "not run: the same tree as one that could not run",
  "not-prepared": "not run: git could not build its tree",
  stopped: "stopped",
  "not-the-cause": "still fails: not caused by these alone",
};

/**
 * What one of several deciding baselines settled: "decided 2 tests (1 regression, 1
 * pre-existing)"; a test it lacked or left open is said apart ("1 test that never ran there").
 */
function decidedWords(tests: readonly TestResult[]): string {
  const count = (verdict: string) => tests.filter((t) => t.verdict === verdict).length;
  const plural = (n: number) => `${n} test${n === 1 ? "" : "s"}`;
  const decided = ["regression", "pre-existing", "fixed"]
    .map((verdict) => [verdict, count(verdict)] as const)
    .filter(([, n]) => n > 0);
  const total = decided.reduce((sum, [, n]) => sum + n, 0);
  const parts = [
    ...(total > 0
      ? [`decided ${plural(total)} (${decided.map(([v, n]) => `${n} ${v}`).join(", ")})`]
      : []),
    ...(count("new") > 0 ? [`${plural(count("new"))} that never ran there`] : []),
    ...(count("inconclusive") > 0 ? [`${count("inconclusive")} undecided`] : []),
  ];
  return parts.length > 0 ? parts.join("; ") : "ran; no failing test's verdict rests on it";
}

/** The baselines that are HEAD, as a row of "baselines tried" names them. */
const headBaselines: Partial<Record<AttemptReport["strategy"], string>> = {
  "baseline-stash": "stash (HEAD)",
  "baseline-reset": "HEAD (reset in place)",
  worktree: "HEAD (in a worktree)",
};

/** One line of the "baselines tried" list. */
function attemptRow(
  attempt: AttemptReport,
  runs: readonly RunRecord[],
  color: boolean,
  base: string | undefined,
  tests: readonly TestResult[] | null,
): string {
  const what =
    headBaselines[attempt.strategy] ??
    (attempt.strategy === "base-revision"
      ? `base ${base ?? "revision"}`
      : `revert ${formatPaths(attempt.suspects, 2)}`);
  const own = runs.filter((r) => r.side === "baseline" && r.attempt === attempt.attempt);
  const marks = own
    .map((r) =>
      paint(
        glyphs[r.outcome],
        r.outcome === "pass" ? 32 : r.outcome === "cannot-run" ? 33 : 31,
        color,
      ),
    )
    .join(" ");
  const why = attempt.why ? `: ${attempt.why}` : "";
  // Runs that reached the command, yet no verdict: the failing tests were not in them (a test
  // new in your tree), not a command that could not run.
  const outcome =
    attempt.outcome === "unrunnable" &&
    !attempt.why &&
    own.some((r) => r.outcome === "pass" || r.outcome === "fail")
      ? "ran without the failing test(s): another baseline was needed"
      : attempt.outcome === "decided" && tests
        ? decidedWords(tests.filter((t) => t.attempt === attempt.attempt))
        : attemptOutcomes[attempt.outcome];
  return `    ${attempt.attempt}. ${what}${marks ? `  ${marks}` : ""}  ${outcome}${why}`;
}

/** How a shared path reached the worktrees, for the report: "linked", "copied". */
export function shareWords(path: SharedPath): string {
  if (path.mode === "copy") return "copied";
  if (path.mode === "own") return "not shared";
  const packages = path.workspacePackages ?? [];
  if (packages.length === 0) return "linked";
  return `linked; workspace ${packages.length === 1 ? "package" : "packages"} ${formatPaths(packages)} from the worktree's tree`;
}

/**
 * What the worktrees got of your ignored paths, and the variables their runs got, as the "your
 * work" line says it: "; node_modules (linked) shared; target not shared (...)" (or "").
 */
export function worktreeShareText(shared: readonly SharedPath[], env: readonly string[]): string {
  const linked = shared.filter((p) => p.mode !== "own");
  const own = shared.filter((p) => p.mode === "own").map((p) => p.path);
  const baselineOnly = sharedWithYoursOnly(shared);
  const never = own.filter((path) => !baselineOnly.includes(path));
  return (
    (linked.length > 0
      ? `; ${formatPaths(linked.map((p) => `${p.path} (${shareWords(p)})`))} shared`
      : "") +
    (baselineOnly.length > 0
      ? `; ${formatPaths(baselineOnly)} not shared with the baseline (a build output of your tree)`
      : "") +
    (never.length > 0
      ? `; ${formatPaths(never)} not shared (a build or cache folder: each worktree makes its own)`
      : "") +
    (env.length > 0 ? `; ${formatPaths(env)} set to the worktree's folders, not yours` : "")
  );
}

function restoreLine(result: AttributionResult): string {
  const r = result.restore;
  if (result.worktrees) {
    const share = worktreeShareText(result.worktrees.shared, result.worktrees.env ?? []);
    return `  your work: never touched (both sides ran in worktrees of culprit's, under ${tmpdir()}${share})`;
  }
  if (!r.touched) {
    const cached = result.runs.some((run) => run.side === "baseline" && run.cached);
    // A baseline tried and given up before it was written (HEAD lacks the test file the command
    // names), then none run: it was needed, not run (redux-thunk trial: Esc at the suspects).
    const tried = result.attempts.length > 0;
    const why = cached
      ? "the baseline's runs came from the cache"
      : tried
        ? "no baseline was written in it"
        : "the baseline was not needed";
    return `  your work: untouched (${why}), verified`;
  }
  const via =
    r.via === "stash-pop"
      ? "stash pop"
      : r.via === "reset" && result.strategy === "base-revision"
        ? "a reset from the base revision to your backed-up tree"
        : r.via === "reset"
          ? "a reset to your backed-up tree"
          : r.via === "backup"
            ? r.differed?.length
              ? `the backup (${differedText(r.differed)})`
              : "the backup"
            : "nothing to undo";
  const line = `  your work: restored via ${via}, ${r.verified ? "verified (HEAD, index, working tree, untracked files)" : "NOT verified"}`;
  // git stash removed the folder culprit ran in and `stash pop` made another: a shell left in
  // the removed one sees no file there until it enters the new one.
  return r.folderRemade
    ? `${line}\n  your folder ${r.folderRemade} was removed by git stash and made again, your files in it: run cd "$PWD" in your shell to see them`
    : line;
}

/**
 * What the verify found after the way back. Only empty folders that your tree did not have: a
 * test made them (pytest-benchmark's .benchmarks in the folder it runs in, every run), not
 * culprit's way back going wrong, as "these differed" read (pallets/click trial).
 */
function differedText(differed: readonly string[]): string {
  const made = /^empty folders \((.*)\)$/.exec(differed.length === 1 ? differed[0]! : "")?.[1];
  if (made !== undefined && !made.includes(" gone"))
    return `a run left empty folders your tree did not have: ${made.replaceAll("/ made", "/")}; removed`;
  return `after the way back, these differed: ${differed.join(", ")}`;
}

/**
 * What the report shows of a failing run's output: from the first line that starts an error, or
 * without one, the first that a runner or a linter marks as a failure (failureMark: AVA's
 * "✘ [fail]: ...", xo's "✖", TAP's "not ok", uvu's "FAIL": their last lines were "─" and
 * "1 test failed"; a run keeps that line when its last lines do not say it: keptOutput), and
 * the two lines after it that are not blank, when that line is not already among the last three
 * (a stack trace or a runner's summary follows it: the last lines would only show those);
 * otherwise the last three lines. Plain text (see `plainOutput`); null when there is nothing.
 */
const ownReport = /[/\\]culprit[/\\]logs[/\\][^\s]*\.report[/\\]/;

export function failureExcerpt(tail: string): { at: "error" | "end"; lines: string[] } | null {
  const lines = plainOutput(tail)
    .replace(/\s+$/, "")
    .split("\n")
    // What the runner says of the report culprit asked for (jest's "Test results written to:
    // .git/culprit/logs/..."): culprit's own, never the failure.
    .filter((line) => !ownReport.test(line));
  if (lines.length === 1 && lines[0] === "") return null;
  // node --test's TAP totals end with counts that say nothing of the failure: the last three
  // lines were "# skipped 0", "# todo 0", "# duration_ms 169" on both sides (fs-extra trial).
  const tapTotal = /^# (suites|cancelled|skipped|todo|duration_ms) [\d.]+$/;
  if (tapTotal.test(lines.at(-1) ?? "")) {
    while (lines.length > 3 && tapTotal.test(lines.at(-1)!)) lines.pop();
    const suites = lines.lastIndexOf(lines.filter((line) => /^# suites \d+$/.test(line)).at(-1)!);
    if (suites >= 0 && lines.length > 3) lines.splice(suites, 1);
  }
  const error = lines.findIndex((line) => errorLine.test(line));
  const first = error >= 0 ? error : lines.findIndex((line) => failureMark.test(line));
  if (first < 0 || first >= lines.length - 3) return { at: "end", lines: lines.slice(-3) };
  const after = lines.slice(first + 1).filter((line) => line.trim() !== "");
  return { at: "error", lines: [lines[first]!, ...after.slice(0, 2)] };
}
