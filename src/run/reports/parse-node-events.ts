import { reportMessages } from "./messages.js";
import {
  numberDuplicates,
  type PathContext,
  relativeFile,
  shapeMessage,
  withFailureLine,
} from "./shape-results.js";
import type { ParsedTests, TestCaseResult } from "./types.js";

/**
 * The node:test reporter culprit adds (`--test-reporter=<this file>`): one JSON line per
 * test:start / test:pass / test:fail event, then `{"type":"end"}` once the run is over, so a
 * file without that last line comes from a run that was cut short. Node's own junit reporter
 * is not used: in Node 20 it has no file attribute, so two files' tests of one name would
 * collide. Reporter API: https://nodejs.org/docs/latest-v20.x/api/test.html#custom-reporters
 */
export const nodeReporterSource = `import { inspect } from "node:util";

function describeError(error) {
  if (error === undefined || error === null) return null;
  const inner = error.code === "ERR_TEST_FAILURE" && error.cause !== undefined ? error.cause : error;
  let message;
  if (inner instanceof Error) message = typeof inner.stack === "string" ? inner.stack : String(inner);
  else message = typeof inner === "string" ? inner : inspect(inner);
  return { failureType: error.failureType ?? null, message };
}

// What a test file wrote on stderr, its last lines: a file that fails outside any node:test test
// (a plain script, or a module that cannot load) is "test failed", and its error is only there.
const stderrLines = new Map();

export default async function* culpritReporter(source) {
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === "test:stderr") {
      const lines = stderrLines.get(data.file) ?? [];
      lines.push(String(data.message ?? ""));
      if (lines.length > 100) lines.shift();
      stderrLines.set(data.file, lines);
      continue;
    }
    if (event.type !== "test:start" && event.type !== "test:pass" && event.type !== "test:fail") continue;
    const fileLevel = data.nesting === 0 && data.file !== undefined && data.name === data.file;
    const stderr = fileLevel && event.type === "test:fail" ? (stderrLines.get(data.file) ?? []).join("") : null;
    if (fileLevel && event.type !== "test:start") stderrLines.delete(data.file);
    yield JSON.stringify({
      type: event.type,
      name: data.name,
      nesting: data.nesting,
      file: data.file ?? null,
      line: data.line ?? null,
      skip: data.skip !== undefined && data.skip !== false,
      todo: data.todo !== undefined && data.todo !== false,
      suite: data.details?.type === "suite",
      error: event.type === "test:fail" ? describeError(data.details?.error) : null,
      stderr: stderr === "" ? null : stderr,
    }) + "\\n";
  }
  yield JSON.stringify({ type: "end" }) + "\\n";
}
`;

/** How to read the event lines of culprit's node:test reporter. */
export interface NodeEventsOptions extends PathContext {
  /** What the reasons call the report: "the jest --json report", "the test report junit.xml". */
  label: string;
  /**
   * The events as they were when --timeout fired (a hang): they end before the run did, and
   * what they tell is what the tests did until then. The tests that ended are read, the one the
   * run hung in is not (it never ended), nor a last line cut in the middle.
   */
  stopped?: boolean;
}

interface NodeEvent {
  type: string;
  name?: string;
  nesting?: number;
  file?: string | null;
  line?: number | null;
  skip?: boolean;
  todo?: boolean;
  suite?: boolean;
  error?: { failureType: string | null; message: string } | null;
  /** A file-level failure: what the file wrote on stderr (its last 100 lines). */
  stderr?: string | null;
}

/**
 * The error in what a file that failed outside any test wrote on stderr: from the first line
 * that names an error ("AssertionError [ERR_ASSERTION]: ...", "Error: Cannot find module"),
 * without node's closing "Node.js v20.20.2"; null when no line names one.
 */
export function stderrError(stderr: string | null | undefined): string | null {
  if (!stderr) return null;
  const lines = stderr.split("\n");
  const first = lines.findIndex((line) =>
    /^(?:[A-Z][\w$]*)?(?:Error|Exception)\b(?: \[[A-Z_]+\])?:/.test(line),
  );
  if (first < 0) return null;
  return lines
    .slice(first)
    .filter((line) => !/^Node\.js v\d/.test(line))
    .join("\n");
}

interface Frame {
  name: string;
  hasChildren: boolean;
}

// A suite or a test with subtests fails when one of them does ("subtestsFailed"): that is their
// failure, not its own. A test cancelled because its parent failed did not run.
const notItsOwnFailure = new Set(["subtestsFailed"]);
const didNotRun = new Set(["cancelledByParent"]);

function readLines(text: string, stopped: boolean): NodeEvent[] | null {
  const events: NodeEvent[] = [];
  const lines = text.split("\n");
  // Stopped, the last line may be cut in the middle of a write (a whole one ends with "\n").
  if (stopped) lines.pop();
  for (const line of lines) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line) as NodeEvent);
    } catch {
      return null;
    }
  }
  return events;
}

/** The tests of a run, from culprit's node:test reporter's event lines (pure). */
export function parseNodeEvents(text: string, options: NodeEventsOptions): ParsedTests {
  if (text.trim() === "") {
    // Stopped in its first test: no test ended, which says where it hung (nowhere yet).
    if (options.stopped) return { ok: true, tests: [], partial: true };
    return { ok: false, why: reportMessages.empty(options.label) };
  }
  const events = readLines(text, options.stopped === true);
  if (events === null || (events.at(-1)?.type !== "end" && !options.stopped)) {
    return { ok: false, why: reportMessages.unfinished(options.label) };
  }
  // A hung run's events as far as they went: what they lack was not reached, so what ended
  // passing is listed too (a suite's or a file's pass, left out of a complete report).
  const partial = options.stopped === true && events.at(-1)?.type !== "end";
  // Events arrive in tree order within a file (a test:start before its subtests' events).
  const stacks = new Map<string, Frame[]>();
  const tests: TestCaseResult[] = [];
  // The files in the order their events came: node reports a file once the one before has ended.
  const files: string[] = [];
  for (const event of events) {
    if (event.type === "end") continue;
    if (event.file && files.at(-1) !== event.file && !files.includes(event.file))
      files.push(event.file);
    const nesting = event.nesting ?? 0;
    const source = event.file ?? "";
    const stack = stacks.get(source) ?? [];
    stacks.set(source, stack);
    const name = event.name ?? "";
    if (event.type === "test:start") {
      stack.length = nesting;
      const parent = stack[nesting - 1];
      if (parent !== undefined) parent.hasChildren = true;
      stack.push({ name, hasChildren: false });
      continue;
    }
    if (stack[nesting]?.name !== name) {
      stack.length = nesting;
      stack.push({ name, hasChildren: false });
    }
    const frame = stack[nesting]!;
    const path = stack.slice(0, nesting + 1).map((entry) => entry.name);
    stack.length = nesting;
    const failureType = event.error?.failureType ?? null;
    if (frame.hasChildren || event.suite) {
      // A suite or a parent test appears only when it failed by itself (a hook, its own code),
      // or, in a partial report, when it ended passing.
      const passed = partial && event.type === "test:pass" && !event.skip && !event.todo;
      if (!passed && (event.type !== "test:fail" || notItsOwnFailure.has(failureType ?? "")))
        continue;
      if (didNotRun.has(failureType ?? "")) continue;
    }
    const file = relativeFile(event.file, options);
    const fileLevel =
      nesting === 0 && event.file !== null && event.file !== undefined && name === event.file;
    const status =
      event.type === "test:pass"
        ? event.skip || event.todo
          ? "skip"
          : "pass"
        : event.todo || didNotRun.has(failureType ?? "")
          ? "skip"
          : "fail";
    const shownPath = path.join(" > ");
    const entry: TestCaseResult = {
      id: fileLevel ? (file ?? name) : `${file ?? ""}::${shownPath}`,
      name: fileLevel ? (file ?? name) : shownPath,
      file,
      line: fileLevel ? null : (event.line ?? null),
      status,
      message:
        status === "fail"
          ? (shapeMessage(
              (fileLevel ? stderrError(event.stderr) : null) ?? event.error?.message,
              options.root,
            ) ?? "failed")
          : null,
    };
    if (fileLevel) entry.kind = "file";
    else if (frame.hasChildren || event.suite) entry.kind = "suite";
    tests.push(withFailureLine(entry, event.error?.message, options));
  }
  if (partial) {
    // Every file but the last whose events came had ended: its own entry, absent, passed.
    for (const source of files.slice(0, -1)) {
      const file = relativeFile(source, options);
      const id = file ?? source;
      if (tests.some((t) => t.kind === "file" && t.id === id)) continue;
      tests.push({ id, name: id, file, line: null, status: "pass", message: null, kind: "file" });
    }
  }
  return {
    ok: true,
    tests: numberDuplicates(tests),
    ...(partial ? { partial: true as const } : {}),
  };
}
