import { normalizeOutput } from "../classify.js";
import type { TestCaseResult } from "./types.js";

/*
 * Checks of the whole run that are not tests, and that the runners' reports leave out: each
 * becomes one more entry of the run (`kind: "check"`, listed only when it failed), compared
 * across runs and sides like a test.
 *
 * A coverage threshold is a check of the whole run, not a test: jest, vitest, nyc, c8 and
 * pytest-cov fail the run (exit 1) when coverage falls below the configured bar, with every test
 * passed. Read from the runner's report alone, such a run failed with no failing test. When a
 * test also failed, nothing said the threshold failed too: a threshold failing on both sides, with
 * a test failing only on yours, read "fixed by your changes"; a change that dropped coverage
 * beside a test that already failed read PRE-EXISTING. The threshold's own line in the output
 * becomes one more entry of the run, compared across runs and sides like a test.
 */

/** The entry's id: one for every threshold of a run. */
export const coverageThresholdId = "(coverage threshold)";

/**
 * The lines that say a coverage threshold was not met, as each tool prints them (the tail of the
 * output, ANSI colours stripped):
 * - jest 30: `Jest: Coverage for lines (66.66%) does not meet "global" threshold (100%)`;
 *   jest 29 and earlier: `Jest: "global" coverage threshold for lines (100%) not met: 66.66%`
 * - vitest, nyc and c8: `ERROR: Coverage for lines (66.66%) does not meet global threshold (100%)`
 * - pytest-cov: `FAIL Required test coverage of 100% not reached. Total coverage: 66.67%`
 * Only jest's is checked against the real tool in culprit's tests (the others are not installed
 * here).
 */
const thresholdLines: readonly RegExp[] = [
  /^Jest: Coverage for \w+ \([\d.]+%\) does not meet .*threshold \([\d.]+%\)\s*$/gm,
  /^Jest: "[^"\n]+" coverage threshold for \w+ \([\d.]+%\) not met: [\d.]+%\s*$/gm,
  /^ERROR: Coverage for \w+ \([\d.]+%\) does not meet .*threshold \([\d.]+%\)\s*$/gm,
  /^(?:FAIL )?Required test coverage of [\d.]+% not reached\. Total coverage: [\d.]+%\s*$/gm,
];

/**
 * The coverage threshold entry of a run whose output says a threshold was not met (status "fail",
 * the lines as its message), else null. Listed only when it failed (`kind: "check"`): absent from
 * a run with a readable report, the threshold was met, or there was none.
 */
export function coverageThresholdEntry(tail: string): TestCaseResult | null {
  const text = normalizeOutput(tail);
  const lines = thresholdLines.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((m) => m[0].trim()),
  );
  if (lines.length === 0) return null;
  return {
    id: coverageThresholdId,
    name: "coverage threshold",
    file: null,
    line: null,
    status: "fail",
    message: lines.slice(0, 10).join("\n"),
    kind: "check",
  };
}

/*
 * vitest's unhandled errors: an error thrown outside a test (a rejected promise nobody awaited,
 * a --typecheck error in a source file) fails the run, and vitest's JSON report does not have
 * it. With a test failing in the same run (one that already failed at HEAD), nothing said the
 * error was there: a new unhandled error read PRE-EXISTING, exit 0 (unjs/ufo trial).
 */

/** The unhandled errors entry's id. */
export const unhandledErrorsId = "(unhandled errors)";

/** vitest's summary line, `      Errors  1 error` (the end of the output: always in the tail). */
const vitestErrors = /^\s*Errors\s+(\d+) errors?\b/m;
/** Its section headers (`⎯⎯⎯ Unhandled Rejection ⎯⎯⎯`), each followed by the error's first line. */
const vitestSection = /^⎯+ (Unhandled (?:Error|Rejection|Source Error)) ⎯+\n+([^\n]+)/gm;

/**
 * The entry of a vitest run that reported unhandled errors (its message: each section's kind
 * and the error's first line), else null.
 */
export function unhandledErrorsEntry(tail: string): TestCaseResult | null {
  const text = normalizeOutput(tail);
  const count = vitestErrors.exec(text);
  if (count === null) return null;
  const sections = [...text.matchAll(vitestSection)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
  return {
    id: unhandledErrorsId,
    name: "unhandled errors",
    file: null,
    line: null,
    status: "fail",
    message:
      sections.length > 0
        ? sections.slice(0, 10).join("\n")
        : `vitest caught ${count[1]} unhandled error${count[1] === "1" ? "" : "s"} (the log has them)`,
    kind: "check",
  };
}

/** Every check of the run that failed, as entries (src/run/reports/plan.ts adds them). */
export function failedChecks(tail: string): TestCaseResult[] {
  return [coverageThresholdEntry(tail), unhandledErrorsEntry(tail)].filter(
    (entry): entry is TestCaseResult => entry !== null,
  );
}
