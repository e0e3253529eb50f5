import { normalizeOutput } from "../classify.js";
import type { TestCaseResult } from "./types.js";

/*
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
