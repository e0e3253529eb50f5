import { commandTestId } from "../machine/evidence.js";
import { type AttributionResult, regressedOnlyOtherwise } from "../machine/types.js";
import { plural } from "../messages.js";
import { commandText, sideRuns } from "./github.js";

/** A side's rate as `current 3/3 failed`, or null when the side did not run. */
function sideRate(result: AttributionResult, side: "current" | "baseline"): string | null {
  const runs = sideRuns(result, side);
  if (runs.length === 0) return null;
  const reached = runs.filter((r) => r.outcome !== "cannot-run");
  if (reached.length === 0) return `${side} could not run ${runs.length}/${runs.length}`;
  return `${side} ${reached.filter((r) => r.outcome !== "pass").length}/${reached.length} failed`;
}

/**
 * `--format line`, for editors' problem matchers (docs/vscode/tasks.json), pure:
 *   culprit: <verdict>: <command> (<rates>)     (when the baseline failed too: "(N tests newly fail; the command: <rates>)")
 * and, when a selective revert names the guilty file, a line for it:
 *   <file>:1: culprit: regression caused by changes here
 * or, when the revert could not narrow the cause down to one, a line each:
 *   <file>:1: culprit: regression caused by changes here or in 4 other files
 * or, when the test failed another way with them reverted (they are needed, maybe not the cause):
 *   <file>:1: culprit: regression needs changes here (reverted, it fails another way)
 * (five files marked as the cause, a markdown note among them, read as five errors in an editor:
 * moment/luxon trial). A file that is not in your tree (deleted, renamed away) gets no line of its
 * own, unless none of them is there.
 * Paths are relative to the repository's top.
 */
export function renderLine(
  result: AttributionResult,
  /** Whether a path (relative to the top) is in your tree: an editor cannot open one that is not. */
  exists: (path: string) => boolean = () => true,
): string {
  const rates = [sideRate(result, "current"), sideRate(result, "baseline")].filter(
    (r) => r !== null,
  );
  const flaky = result.flaky ? ", flaky" : "";
  // The rates are the command's: a regression of one test beside old failures read "current 4/4
  // failed, baseline 4/4 failed" (hukkin/tomli trial). The tests that newly fail come first then.
  const regressed = result.tests.filter(
    (t) => t.verdict === "regression" && t.id !== commandTestId,
  ).length;
  const baselineFailed = sideRuns(result, "baseline").some(
    (r) => r.outcome !== "pass" && r.outcome !== "cannot-run",
  );
  // Or the verdict rests on the way your tree fails, which the baseline's runs never did.
  const way = result.failureWay;
  const counts =
    regressed > 0 && baselineFailed
      ? `${plural(regressed, "test newly fails", "tests newly fail")}; the command: `
      : way
        ? `fails another way: current ${way.current.failures}/${way.current.runs}, baseline ${way.baseline.failures}/${way.baseline.runs}; the command: `
        : "";
  const lines = [
    `culprit: ${result.verdict}: ${commandText(result)} (${counts}${rates.join(", ")}${flaky})`,
  ];
  // One line a regressed test, at its place (a test without a file: at the command's line).
  for (const test of result.tests) {
    if (test.verdict !== "regression") continue;
    const where = test.file ? `${test.file}:${test.line ?? 1}: ` : "";
    lines.push(`${where}culprit: regression: ${test.name}`);
  }
  const decided = result.attempts.some((a) => a.outcome === "decided");
  if (result.verdict === "regression" && result.strategy === "selective-revert" && decided) {
    const others = result.suspects.length - 1;
    const among = others > 0 ? ` or in ${plural(others, "other file", "other files")}` : "";
    // Reverted, the test failed another way: these changes are needed, not shown to be the cause.
    const otherwise = regressedOnlyOtherwise(result.tests);
    // A deleted file, a renamed one's old path: no place an editor can open (node-semver and
    // fs-extra trials), though they count among the files the cause is in.
    const shown = result.suspects.filter((file) => exists(file));
    for (const file of shown.length > 0 ? shown : result.suspects)
      lines.push(
        otherwise
          ? `${file}:1: culprit: regression needs changes here${among} (reverted, it fails another way)`
          : `${file}:1: culprit: ${result.verdict} caused by changes here${among}`,
      );
  }
  return `${lines.join("\n")}\n`;
}
