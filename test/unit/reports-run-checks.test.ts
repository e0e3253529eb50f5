import { describe, expect, it } from "vitest";
import {
  coverageThresholdEntry,
  coverageThresholdId,
  failedChecks,
  unhandledErrorsEntry,
} from "../../src/run/reports/run-checks.js";

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

// vitest 4's lines for an error outside any test, copied from a real run (test/e2e/
// vitest-unhandled-errors.test.ts runs it), colours and all.
const esc = "\u001b";
const unhandled = `${esc}[31m${esc}[1m\nVitest caught 1 unhandled error during the test run.\nThis might cause false positive tests.${esc}[22m${esc}[39m\n\n${esc}[31m⎯⎯⎯⎯${esc}[39m${esc}[1m${esc}[41m Unhandled Rejection ${esc}[49m${esc}[22m${esc}[31m⎯⎯⎯⎯⎯${esc}[39m\n${esc}[31m${esc}[1mError${esc}[22m: telemetry not configured${esc}[39m\n${esc}[36m ${esc}[2m❯${esc}[22m test/a.test.js:${esc}[2m2:42${esc}[22m${esc}[39m\n\n${esc}[2m Test Files ${esc}[22m ${esc}[1m${esc}[31m1 failed${esc}[39m${esc}[22m${esc}[90m (1)${esc}[39m\n${esc}[2m      Tests ${esc}[22m ${esc}[1m${esc}[31m1 failed${esc}[39m${esc}[22m${esc}[2m | ${esc}[22m${esc}[1m${esc}[32m1 passed${esc}[39m${esc}[22m${esc}[90m (2)${esc}[39m\n${esc}[2m     Errors ${esc}[22m ${esc}[1m${esc}[31m1 error${esc}[39m${esc}[22m\n${esc}[2m   Duration ${esc}[22m 901ms\n`;

describe("unhandledErrorsEntry", () => {
  it("reads vitest's summary and each section's error", () => {
    expect(unhandledErrorsEntry(unhandled)).toMatchObject({
      id: "(unhandled errors)",
      status: "fail",
      kind: "check",
      message: "Unhandled Rejection: Error: telemetry not configured",
    });
  });

  it("says how many when the sections are cut out of the tail", () => {
    expect(unhandledErrorsEntry("     Errors  2 errors\n   Duration  1s\n")?.message).toBe(
      "vitest caught 2 unhandled errors (the log has them)",
    );
  });

  it.each([["Tests  1 failed | 1 passed (2)\n   Duration 1s\n"], ["  expect(errors).toBe(2)\n"]])(
    "is null for %j",
    (tail) => {
      expect(unhandledErrorsEntry(tail)).toBeNull();
    },
  );

  it("gives both checks of one run", () => {
    const tail = `${unhandled}Jest: Coverage for lines (50%) does not meet "global" threshold (100%)\n`;
    expect(failedChecks(tail).map((e) => e.id)).toEqual([
      "(coverage threshold)",
      "(unhandled errors)",
    ]);
  });
});
