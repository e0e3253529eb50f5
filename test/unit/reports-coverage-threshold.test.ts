import { describe, expect, it } from "vitest";
import {
  coverageThresholdEntry,
  coverageThresholdId,
} from "../../src/run/reports/coverage-threshold.js";

// The lines each tool prints when a coverage threshold is not met. jest 30's is copied from a
// real run (test/e2e/jest-coverage-threshold.test.ts runs it); the others are as their docs and
// sources print them: jest <= 29 (jest-cli's coverage reporter), vitest/nyc/c8 (istanbul's
// check-coverage), pytest-cov.
describe("coverageThresholdEntry", () => {
  it.each([
    ['Jest: Coverage for lines (66.66%) does not meet "global" threshold (100%)'],
    ['Jest: "global" coverage threshold for branches (80%) not met: 50%'],
    ["ERROR: Coverage for lines (66.66%) does not meet global threshold (100%)"],
    ["FAIL Required test coverage of 100% not reached. Total coverage: 66.67%"],
    ["Required test coverage of 90% not reached. Total coverage: 85.00%"],
  ])("reads %s", (line) => {
    const tail = `Tests: 1 passed, 1 total\n\u001b[31m${line}\u001b[39m\r\nRan all test suites.\n`;
    expect(coverageThresholdEntry(tail)).toEqual({
      id: coverageThresholdId,
      name: "coverage threshold",
      file: null,
      line: null,
      status: "fail",
      message: line,
      kind: "check",
    });
  });

  it("gives every threshold not met, in one entry", () => {
    const entry = coverageThresholdEntry(
      'Jest: Coverage for lines (50%) does not meet "global" threshold (100%)\nJest: Coverage for functions (40%) does not meet "global" threshold (100%)\n',
    );
    expect(entry?.message?.split("\n")).toHaveLength(2);
  });

  it.each([
    ["All files |   100 |"],
    ["Lines        : 66.66% ( 2/3 )"],
    ["  expect(coverage).toBe('does not meet global threshold (100%)')"],
    [""],
  ])("is null for %j", (tail) => {
    expect(coverageThresholdEntry(tail)).toBeNull();
  });
});
