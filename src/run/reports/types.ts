/** How one test ended in one run. */
export type TestStatus = "pass" | "fail" | "skip";

/** One test of one run, as the runner's own report tells it. */
export interface TestCaseResult {
  /** Stable across runs, sides and trees: file (relative to the tree root, "/"-separated) + suite path + name; classname when the report has no file. Parametrized cases stay distinct. */
  id: string;
  /** As a person reads it: "suite > sub-suite > test name" (pytest: "test_x.py::TestK::test_y[1]"). */
  name: string;
  /** Relative to the tree root when inside it, else as reported; null when the report has none. */
  file: string | null;
  line: number | null;
  status: TestStatus;
  /** For "fail": the failure message (first ~10 lines, trailing blank lines trimmed, ANSI stripped); else null. */
  message: string | null;
  /**
   * Set when the entry is a failure outside any test, listed only when it failed: "file" (a test
   * file that could not load, a Go package that failed without a failing test) or "suite" (a
   * failing hook of a describe block), or "check" (a check of the whole run that is not a test:
   * a coverage threshold), or "error" (an error outside any test, placed where it was thrown,
   * maybe a helper: Playwright's errors[]). Absent from a run whose report is readable, it did
   * not fail there; for "file", only if that run reported some test of the file (else the file
   * did not run there: src/machine/evidence.ts).
   */
  kind?: "file" | "suite" | "check" | "error";
  /**
   * Set on a test of a runner that names a test only when it fails (uvu prints a dot for each
   * that passed): absent from a run's whole report, it passed there when that run ran its file
   * (the report has an entry of that file), and was not there otherwise.
   */
  onlyWhenFailing?: true;
  /**
   * On such a test that is part of another (a unittest subTest, named only when it fails): the
   * id of the test it is in. Absent, it passed in a run that has that test, and was not there in
   * one that does not (a test method your change adds), whatever else of its file ran.
   */
  within?: string;
  /**
   * On a file's entry of such a runner: the titles its source gives tests literally, the string
   * a call starts with (`test("adds", ...)`, `Cart.only('adds', ...)`), as the run's tree had it.
   * A test whose title your tree's source gives so, and this run's file does not, was not there
   * (a test your change adds to a file that was there before): src/machine/evidence.ts.
   */
  titles?: string[];
  /**
   * For "fail": where in its own file the test failed, when the failure's stack or traceback
   * names that file (JavaScript: the innermost such frame; Python: the last), and a hash of that
   * file as the run's tree had it. Two failures of one test at different lines of one same file
   * are different failures: another assertion failed (src/machine/isolate.ts).
   */
  failedAt?: { line: number; file?: string };
}

/** The tests of one run. */
export interface TestReport {
  /** What it was read from, for the report: "vitest --reporter=json", "jest --json", "node --test events", "pytest junitxml", "mocha xunit", "go test -json", "cargo test output", "--junit <path>". */
  source: string;
  /** One entry per id (a test reported several times, e.g. retried: the runner's final outcome). */
  tests: TestCaseResult[];
  /**
   * A hung run's report as far as it went when --timeout fired: the tests it has ended, and an
   * entry it lacks tells nothing (a file's or a suite's failure comes at its end, never reached).
   */
  partial?: true;
}

/** What a parser made of one report: its tests, or why it has none to give. */
export type ParsedTests =
  | { ok: true; tests: TestCaseResult[]; partial?: true }
  | { ok: false; why: string };
