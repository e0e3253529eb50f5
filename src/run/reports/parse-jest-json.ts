import { reportMessages } from "./messages.js";
import {
  numberDuplicates,
  type PathContext,
  relativeFile,
  shapeMessage,
  withFailureLine,
} from "./shape-results.js";
import type { ParsedTests, TestCaseResult, TestStatus } from "./types.js";

/** How to read one jest-format JSON report (jest --json, vitest --reporter=json). */
export interface JestJsonOptions extends PathContext {
  /** What the reasons call the report: "the jest --json report", "the test report junit.xml". */
  label: string;
}

// The format: https://jestjs.io/docs/cli#--json and jest's AggregatedResult type
// (packages/jest-test-result/src/types.ts); vitest's json reporter writes the same shape.
interface AssertionResult {
  ancestorTitles?: unknown;
  title?: unknown;
  status?: unknown;
  failureMessages?: unknown;
  location?: { line?: unknown } | null;
}

interface FileResult {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  testExecError?: { message?: unknown } | null;
  assertionResults?: unknown;
}

// jest: passed, failed, skipped, pending, todo, disabled, focused; vitest adds nothing new.
function statusOf(status: unknown): TestStatus {
  if (status === "passed" || status === "focused") return "pass";
  if (status === "failed") return "fail";
  return "skip";
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

function fileTests(result: FileResult, options: JestJsonOptions): TestCaseResult[] {
  const file = relativeFile(typeof result.name === "string" ? result.name : null, options);
  const assertions = Array.isArray(result.assertionResults)
    ? (result.assertionResults as AssertionResult[])
    : [];
  const tests = assertions.map((assertion): TestCaseResult => {
    const path = [...strings(assertion.ancestorTitles), String(assertion.title ?? "")];
    const status = statusOf(assertion.status);
    const line = assertion.location?.line;
    const raw = strings(assertion.failureMessages).join("\n");
    const test: TestCaseResult = {
      id: `${file ?? ""}::${path.join(" > ")}`,
      name: path.join(" > "),
      file,
      line: typeof line === "number" ? line : null,
      status,
      message: status === "fail" ? (shapeMessage(raw, options.root) ?? "failed") : null,
    };
    return withFailureLine(test, raw, options);
  });
  // A file that failed with no failing test in it: it did not load, or a hook failed.
  if (result.status === "failed" && !tests.some((test) => test.status === "fail")) {
    const where = file ?? String(result.name ?? "");
    const text =
      typeof result.message === "string" && result.message.trim() !== ""
        ? result.message
        : typeof result.testExecError?.message === "string"
          ? result.testExecError.message
          : null;
    tests.push({
      id: where,
      name: where,
      file,
      line: null,
      status: "fail",
      message: shapeMessage(text, options.root) ?? "the file failed outside any test",
      kind: "file",
    });
  }
  return tests;
}

/** The tests of a jest --json (or vitest json) report (pure). */
export function parseJestJson(text: string, options: JestJsonOptions): ParsedTests {
  if (text.trim() === "") return { ok: false, why: reportMessages.empty(options.label) };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, why: reportMessages.badJson(options.label, (error as Error).message) };
  }
  const results = (data as { testResults?: unknown } | null)?.testResults;
  if (!Array.isArray(results)) return { ok: false, why: reportMessages.notJestJson(options.label) };
  const tests = (results as FileResult[]).flatMap((result) => fileTests(result, options));
  return { ok: true, tests: numberDuplicates(tests) };
}
