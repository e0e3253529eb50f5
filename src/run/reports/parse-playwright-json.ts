import { resolve } from "node:path";
import { reportMessages } from "./messages.js";
import {
  numberDuplicates,
  type PathContext,
  relativeFile,
  shapeMessage,
  withFailureLine,
} from "./shape-results.js";
import type { ParsedTests, TestCaseResult, TestStatus } from "./types.js";

/** How to read one Playwright JSON report. */
export interface PlaywrightJsonOptions extends PathContext {
  /** What the reasons call the report. */
  label: string;
}

// The format: Playwright's JSONReport (packages/playwright/types/testReporter.d.ts): suites (one
// a file, then describe blocks) of specs, each spec a test per project, each test its results
// (one per retry); paths relative to config.rootDir; errors outside any test (a file that could
// not load) at the top.
// https://playwright.dev/docs/test-reporters#json-reporter
interface ReportError {
  message?: unknown;
  stack?: unknown;
  location?: { file?: unknown; line?: unknown } | null;
}

interface Result {
  status?: unknown;
  error?: ReportError | null;
  errors?: unknown;
}

interface Test {
  projectName?: unknown;
  status?: unknown;
  expectedStatus?: unknown;
  results?: unknown;
}

interface Spec {
  title?: unknown;
  file?: unknown;
  line?: unknown;
  tests?: unknown;
}

interface Suite {
  title?: unknown;
  file?: unknown;
  specs?: unknown;
  suites?: unknown;
}

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/**
 * A test's outcome in this run. "flaky" (failed, then passed on one of the config's retries) is a
 * failure of this run: culprit compares how often each side fails, and a retry that passes would
 * hide most failures of a test that fails now and then. "expected" is a pass, or a skip when the
 * test was to be skipped; "unexpected" a failure (a test.fail() that passed included).
 */
function statusOf(test: Test): TestStatus {
  if (test.status === "unexpected" || test.status === "flaky") return "fail";
  if (test.status === "expected") return test.expectedStatus === "skipped" ? "skip" : "pass";
  return "skip";
}

/**
 * The failure's text: the last failing attempt's error as thrown. Its `errors` list has the same
 * error again with a frame of the source around the line, whose line numbers move when a test
 * is added above it, and would read as another failure on the other side; the frame is not
 * taken. (Several errors, from expect.soft: each as thrown.)
 */
function failureText(test: Test): string | null {
  const failed = list<Result>(test.results).filter(
    (result) => result.status !== "passed" && result.status !== "skipped",
  );
  const last = failed.at(-1);
  if (!last) return null;
  const listed = list<ReportError>(last.errors);
  const errors = listed.length > 1 || !last.error ? listed : [last.error];
  const messages = errors
    .map((error) => (typeof error.message === "string" ? withoutFrame(error.message) : null))
    .filter((message): message is string => message !== null);
  return messages.length > 0 ? [...new Set(messages)].join("\n") : `the test ${last.status}`;
}

/** The stack of a failed test's last failed attempt: where in its file it failed. */
function failureStack(test: Test): string | null {
  const last = list<Result>(test.results)
    .filter((result) => result.status !== "passed" && result.status !== "skipped")
    .at(-1);
  const stack = last?.error?.stack;
  return typeof stack === "string" ? stack : null;
}

/** A message without Playwright's source frame (`> 12 | code`, `   | ^`) and what follows it. */
function withoutFrame(message: string): string {
  const lines = message.split("\n");
  const frame = lines.findIndex((line) =>
    /^\s*(?:>\s*)?\d+ \|/.test(line.replace(/\u001b\[[0-9;]*m/g, "")),
  );
  return (frame === -1 ? lines : lines.slice(0, frame)).join("\n").trimEnd();
}

/** The tests of a Playwright JSON report (pure). */
export function parsePlaywrightJson(text: string, options: PlaywrightJsonOptions): ParsedTests {
  if (text.trim() === "") return { ok: false, why: reportMessages.empty(options.label) };
  let data: { config?: { rootDir?: unknown }; suites?: unknown; errors?: unknown } | null;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, why: reportMessages.badJson(options.label, (error as Error).message) };
  }
  if (!data || !Array.isArray(data.suites)) {
    return { ok: false, why: reportMessages.notPlaywrightJson(options.label) };
  }
  const rootDir = typeof data.config?.rootDir === "string" ? data.config.rootDir : options.cwd;
  const fileOf = (path: unknown) =>
    typeof path === "string" ? relativeFile(resolve(rootDir, path), options) : null;
  const tests: TestCaseResult[] = [];
  const visit = (suite: Suite, titles: string[], top: boolean) => {
    // A file's own suite is titled by its path: the path is the id's file part already.
    const path = top ? titles : [...titles, String(suite.title ?? "")];
    for (const spec of list<Spec>(suite.specs)) {
      const file = fileOf(spec.file ?? suite.file);
      const names = [...path, String(spec.title ?? "")];
      for (const test of list<Test>(spec.tests)) {
        const project =
          typeof test.projectName === "string" && test.projectName !== ""
            ? `[${test.projectName}] `
            : "";
        const status = statusOf(test);
        const entry: TestCaseResult = {
          id: `${file ?? ""}::${project}${names.join(" > ")}`,
          name: `${project}${names.join(" > ")}`,
          file,
          line: typeof spec.line === "number" ? spec.line : null,
          status,
          message:
            status === "fail" ? (shapeMessage(failureText(test), options.root) ?? "failed") : null,
        };
        tests.push(withFailureLine(entry, failureStack(test), options));
      }
    }
    for (const child of list<Suite>(suite.suites)) visit(child, path, false);
  };
  for (const suite of data.suites as Suite[]) visit(suite, [], true);
  // Errors outside any test: a test file that could not load (Playwright then runs nothing).
  for (const error of list<ReportError>(data.errors)) {
    const file = fileOf(typeof error.location?.file === "string" ? error.location.file : undefined);
    const where = file ?? "playwright";
    tests.push({
      id: where,
      name: file ?? "an error outside any test",
      file,
      line: typeof error.location?.line === "number" ? error.location.line : null,
      status: "fail",
      message:
        shapeMessage(typeof error.message === "string" ? error.message : null, options.root) ??
        "an error outside any test",
      // Where it was thrown, maybe a helper, not a test file the run reports tests of.
      kind: "error",
    });
  }
  return { ok: true, tests: numberDuplicates(tests) };
}
