import { normalizeOutput, plainOutput } from "../classify.js";

// Each rule replaces one kind of value that differs between two runs of the same failure.
// Order matters: a timestamp holds a time, a temp path may hold a hex run, a UUID is hex.
const rules: ReadonlyArray<readonly [RegExp, string]> = [
  // ISO 8601 and RFC 2822 / HTTP dates, times of day.
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\b)/g, "<time>"],
  [
    /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2}(?: GMT| [+-]\d{4})?/g,
    "<time>",
  ],
  [/\b\d{4}-\d{2}-\d{2}\b/g, "<date>"],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, "<time>"],
  // Line and column numbers of a location (edits above the failure move them):
  // "file.ts:12:5", "file.py:12", Python's 'line 12'. Before the temporary folders, which take
  // a path up to its colon ("/tmp/x/m.py:5" is "<tmp>:<line>").
  [/(\.[A-Za-z][A-Za-z0-9]*):\d+(?::\d+)?/g, "$1:<line>"],
  [/\bline \d+\b/g, "line <line>"],
  // Temporary folders (Linux, macOS, Windows) up to the end of the path.
  [
    /(?:\/private)?\/var\/folders\/[^\s'"`)\]>,:]+|\/(?:tmp|var\/tmp|dev\/shm)\/[^\s'"`)\]>,:]+|[A-Za-z]:\\(?:Users\\[^\\\s]+\\AppData\\Local\\Temp|Windows\\Temp)\\[^\s'"`)\]>,:]+/g,
    "<tmp>",
  ],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  // Long hex runs with a digit and a letter: hashes, object ids, build ids.
  [/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi, "<hex>"],
  // host:port and "port 1234".
  [/\b(localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]):\d{2,5}\b/gi, "$1:<port>"],
  [/\b(port)\s*[:=]?\s*\d{2,5}\b/gi, "$1 <port>"],
  // Process and thread ids ("pid 4242", Rust's "thread 'x' (23825) panicked").
  [/\b(pid|tid|process|thread id)\s*[:=#]?\s*\d+\b/gi, "$1 <id>"],
  [/(thread '[^'\n]*') \(\d+\)/g, "$1"],
  // Durations: "12ms", "0.34s", "1.5 seconds", "(0.00s)", "<0.001s>".
  [
    /\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\b/g,
    "<duration>",
  ],
];

/** A line of pytest's doctest listing: a line number of three digits or more, then an example. */
const doctestListing = /^\d{3,} +>>> /m;

/** The failure message with what changes from run to run replaced (durations, temp paths, hex addresses, ports, pids, uuids, timestamps, ...), for comparing failures across sides. */
export function failureSignature(message: string): string {
  let text = normalizeOutput(message);
  // pytest's doctest failures list the example's source with its line numbers ("013     >>> f(2)",
  // `%03d` in _pytest/doctest.py): an edit above the docstring moves them all.
  if (doctestListing.test(text)) text = text.replace(/^\d{3,}(?= |$)/gm, "<line>");
  for (const [pattern, replacement] of rules) text = text.replace(pattern, replacement);
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .filter((line) => line !== "")
    .join("\n");
}

/**
 * The kind of a failure, from its message as the runner reports it: "assertion" for a test's
 * own check failing (node's and chai's AssertionError, jest's "Error: expect(...)", JUnit's
 * AssertionFailedError, pytest's "assert x == y", a Rust assert! or assert_eq! panic, a message
 * naming no error class at all, such as Go's t.Errorf or a mocha diff cut at culprit's ten
 * lines), else the error class the code threw ("ReferenceError", "TypeError", "NameError",
 * "IllegalStateException"), "panic" for another Rust or Go panic; undefined without a message.
 * Two failures of one test with different kinds are different failures: delta debugging's
 * "slippage", where a configuration breaks the test another way (a caller of a name that a
 * left-out change renames) and would be taken for the failure it is looking for.
 */
export function failureKind(message: string | null): string | undefined {
  if (message === null) return undefined;
  const text = normalizeOutput(message);
  const panic = /\bpanicked at [^\n]*\n\s*(\S+)?/.exec(text);
  if (panic) return panic[1]?.startsWith("assertion") ? "assertion" : "panic";
  if (/^panic: /m.test(text)) return "panic";
  if (/^\s*Error: expect\(/m.test(text)) return "assertion";
  const named = /(?<![\w$])((?:[A-Z][A-Za-z0-9_$]*)?(?:Error|Exception))\b/.exec(text);
  if (!named || /Assert|ComparisonFailure/.test(named[1]!)) return "assertion";
  return named[1]!;
}

/**
 * True when a failure with `message` is of a kind in `yours` (the kinds the test fails with on
 * your tree), or when either is unknown: a run with no message, a test never seen failing there.
 */
export function sameFailureKind(
  yours: ReadonlySet<string> | undefined,
  message: string | null,
): boolean {
  const kind = failureKind(message);
  return yours === undefined || kind === undefined || yours.has(kind);
}

/**
 * A line that says what went wrong: it starts with an error's name ("Error: ...", "TypeError",
 * "java.io.IOException", "error[E0308]", "fatal:"; pytest puts "E   " before it), or is npm's
 * "ERR!" or Rust's "panicked at". A line that only mentions one (node first prints the source
 * line, `throw new Error(...)`), or calls one (node's `triggerUncaughtException(` above an ES
 * module's uncaught error), is not.
 */
export const errorLine =
  /^\s*(?:E\s+)?(?:[\w.$]*(?:Error|Exception)|error|fatal)\b(?!\()|\bERR!|\bpanicked at\b/i;

/**
 * A line that marks a failure in a runner's or a linter's own words: AVA's and xo's "✘" and
 * "✖", uvu's "FAIL" and "✘", TAP's "not ok", go's "--- FAIL", "[fail]".
 */
export const failureMark = /^\s*(?:[✘✖✗×✕❌]|not ok\b|(?:--- )?FAIL(?:ED|URE)?\b|\[fail\])/;

/** A frame of a stack trace (JavaScript's "at f (file:1:2)", Python's 'File "x", line 3'). */
const stackFrame = /^\s*(?:at\s|File\s"|\.\.\.\s*\d+\s+more\b)/;

/** An absolute path, up to its last segment (kept): culprit's worktrees and yours differ there. */
const absolutePath = /(?:[A-Za-z]:)?(?:[\\/][^\s\\/'"`()[\]<>,:]+)+[\\/](?=[^\s\\/'"`()[\]<>,:]+)/g;

/**
 * The lines at the end of a failing run's output where an error's name is read (and what a run
 * record keeps of its output: src/machine/runs.ts). A runner's failure marks are read in the
 * whole output kept (64 KB): uvu prints its FAIL lines above a long diff and its totals (dset
 * trial), where an error's name may be a passing test's log line.
 */
export const lastLinesRead = 20;

/**
 * What a failing run keeps of its output (src/machine/runs.ts): its last lines (lastLinesRead),
 * and above them, when those lines name no error and mark no failure, the first line further up
 * that a runner marks as a failure with the two after it that are not blank (as plain text): the
 * report's excerpt starts there. chalk's `xo && c8 ava`: AVA's "✘ [fail]" line sat above c8's
 * coverage table, and the last lines kept held only the table. A line "…" stands for what is
 * left out between them (`--show-output` prints what is kept).
 */
const skipped = "…";

export function keptOutput(tail: string): string {
  const lines = tail.replace(/\n$/, "").split("\n");
  const last = lines.slice(-lastLinesRead);
  if (lines.length <= lastLinesRead) return last.join("\n");
  const said = (line: string) => failureMark.test(line) || errorLine.test(line);
  if (plainOutput(last.join("\n")).split("\n").some(said)) return last.join("\n");
  const above = plainOutput(lines.slice(0, -lastLinesRead).join("\n")).split("\n");
  const first = above.findIndex((line) => failureMark.test(line));
  if (first < 0) return last.join("\n");
  const after = above.slice(first + 1).filter((line) => line.trim() !== "");
  return [above[first]!, ...after.slice(0, 2), skipped, ...last].join("\n");
}

/**
 * How a run failed, from the last lines of its output, for a command judged by its exit code
 * alone (no report of its tests): the lines that say what went wrong (a runner's failure marks
 * anywhere in the output kept; without any, an error's name in its last lines), else the last
 * three, each with what differs from run to run of one failure replaced (failureSignature),
 * every number too, and paths cut to their last segment.
 * A set: the order of the lines is the runner's (parallel workers finish in any order). A hung
 * run is "(hung)", whatever it printed before the timer stopped it. Empty when it printed
 * nothing.
 *
 * Two sides that fail every run may not fail alike: your tree stops at a lint error where the
 * baseline gets through to its tests and fails there (chalk's `xo && c8 ava`), or your change
 * breaks a test beside one that already failed. The numbers go so that a count of passing tests
 * (yours adds some) or a value in an old assertion does not make an old failure new; a line of
 * a new failing test or step does.
 */
export function failureLines(run: {
  outcome: string;
  tail?: string;
  failureLines?: readonly string[];
}): ReadonlySet<string> {
  if (run.failureLines) return new Set(run.failureLines);
  if (run.outcome === "hang") return new Set(["(hung)"]);
  const kept = (lines: string[]) =>
    lines.map((line) => line.trim()).filter((line) => line !== "" && !stackFrame.test(line));
  const all = plainOutput(run.tail ?? "")
    .replace(/\n$/, "")
    .split("\n");
  const last = kept(all.slice(-lastLinesRead));
  // Where the runner marks its failures, an error's name is a detail of one, or a passing
  // test's log line (a check of an error path prints "Error: bad input"): the marks say it.
  const marks = kept(all).filter((line) => failureMark.test(line));
  const errors = last.filter((line) => errorLine.test(line));
  const chosen = marks.length > 0 ? marks : errors.length > 0 ? errors : last.slice(-3);
  return new Set(
    chosen.map((line) =>
      failureSignature(line.replace(absolutePath, ""))
        .replace(/\d+(?:\.\d+)?/g, "#")
        .replace(/<(?:line|duration|time|date|port|id|hex|uuid|tmp)>/g, "#")
        .replace(/#+/g, "#"),
    ),
  );
}

/** True when `run` failed the way `yours` says (every line of it is among the run's). */
export function failsTheWay(yours: ReadonlySet<string>, run: ReadonlySet<string>): boolean {
  for (const line of yours) if (!run.has(line)) return false;
  return true;
}
