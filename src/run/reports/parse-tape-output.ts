import { reportMessages } from "./messages.js";
import {
  numberDuplicates,
  type PathContext,
  relativeFile,
  shapeMessage,
  withFailureLine,
} from "./shape-results.js";
import { placeTapeTests } from "./tape-files.js";
import type { ParsedTests, TestCaseResult } from "./types.js";

/** The files a run loaded (absolute, in tape's order) and a way to read them: each test's file is then told (tape-files.ts). */
export interface TapeSources {
  files: readonly string[];
  read: (path: string) => string | null;
}

// tape's TAP (tape 4 and 5, lib/results.js), read back from the run's log: a comment names each
// test (and each t.test subtest) as it starts, its assertions follow, a failing one with a YAML
// block that says what was expected and where; the plan line and the counts end the run:
//   TAP version 13
//   # enc keeps tildes
//   not ok 1 should be strictly equal
//     ---
//       operator: equal
//       expected: 'a~b'
//       actual:   'a_b'
//       at: Test.<anonymous> (/repo/test/enc.js:3:37)
//       stack: |-
//         Error: should be strictly equal
//     ...
//   # TODO a todo test
//   not ok 2 should be strictly equal # TODO
//   ok 3 later # SKIP
//
//   1..3
//   # tests 3
// A test fails when one of its assertions fails (a TODO's does not), is skipped when every one
// is a SKIP or a TODO (a `{ todo: true }` test), and passes otherwise (a test with no assertion of its own, a parent of subtests, passes).
// Each test's id is its file and name (`test/a.js::works`) when the files the run loaded tell
// which defines it (tape-files.ts); else its name, and two tests of one name are told apart by
// their order.
// What else the log holds (stderr, npm's lines, what tests print) is passed over.
const comment = /^# (.*)$/;
const assertion = /^(not ok|ok) \d+\b ?(?:- )?(.*?)(?: # (SKIP|TODO)\b.*)?$/i;
const plan = /^1\.\.\d+\s*$/;
const yamlStart = /^\s+---\s*$/;
const yamlEnd = /^\s+\.\.\.\s*$/;
const atLine = /^\s+at: .*?\(?((?:\/|file:\/\/|[A-Za-z]:\\)[^()]*?):(\d+):\d+\)?\s*$/;
const yamlField = /^\s+(expected|actual): /;
const blockScalar = /^[|>][-+]?$/;
/** An error's line in what node prints of an uncaught one: `ReferenceError: x is not defined`. */
const thrown = /^\s*(?:Uncaught )?(?:[A-Z]\w*)?(?:Error|Exception)\b(?::|$)/;
const stackFile = /^\s+at (?:.*\()?((?:\/|file:\/\/)[^():]+):\d+:\d+\)?$/;

interface Entry {
  test: TestCaseResult;
  asserted: number;
  skipped: number;
  /** The `at:` of its first failing assertion, as a stack frame (where in its file it failed). */
  at?: string;
}

/** The tests of tape's TAP in a run's log. */
export function parseTapeOutput(
  text: string,
  context: PathContext,
  sources?: TapeSources,
): ParsedTests {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const entries: Entry[] = [];
  let current: Entry | null = null;
  let finished = false;
  /** The last line of TAP seen: what follows it, when tape stopped, is what stopped it. */
  let lastTap = -1;
  const fail = (entry: Entry, message: string): void => {
    if (entry.test.status === "fail") return;
    entry.test.status = "fail";
    entry.test.message = shapeMessage(message, context.root);
  };
  const start = (name: string): Entry => {
    const entry: Entry = {
      test: { id: name, name, file: null, line: null, status: "pass", message: null },
      asserted: 0,
      skipped: 0,
    };
    entries.push(entry);
    return entry;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (plan.test(line)) {
      finished = true;
      break;
    }
    if (/^Bail out!/.test(line)) break;
    const titled = comment.exec(line);
    if (titled) {
      current = start(titled[1]!.trim());
      lastTap = i;
      continue;
    }
    const result = assertion.exec(line);
    if (!result) continue;
    lastTap = i;
    const [, ok, description, directive] = result;
    // At the end, tape fails each test that never called t.end() under the last comment: the
    // test it names is the one that failed.
    const unended = /^test exited without ending: (.*)$/.exec(description!.trim());
    // (A test queued after one that never ended never started: its comment was never printed.)
    const named = unended
      ? ([...entries].reverse().find((e) => e.test.name === unended[1]!.trim()) ??
        start(unended[1]!.trim()))
      : undefined;
    const entry = named ?? current ?? start(description!.trim() || "(unnamed)");
    entry.asserted += 1;
    if (directive !== undefined) entry.skipped += 1;
    if (ok!.toLowerCase() === "ok" || directive?.toUpperCase() === "TODO") continue;
    // A failing assertion: its YAML block, when it has one, says what and where.
    const detail: string[] = [];
    if (yamlStart.test(lines[i + 1] ?? "")) {
      let j = i + 2;
      for (; j < lines.length && !yamlEnd.test(lines[j]!); j++) {
        const at = atLine.exec(lines[j]!);
        if (at && entry.test.status !== "fail")
          entry.at ??= lines[j]!.replace(/^(\s+)at: /, "$1at ");
        if (at && entry.test.file === null) {
          const file = relativeFile(at[1]!, context);
          if (file !== null && !file.startsWith("/") && !file.includes("node_modules/")) {
            entry.test.file = file;
          }
        }
        const field = yamlField.exec(lines[j]!);
        if (!field) continue;
        const value = lines[j]!.slice(field[0].length).trim();
        if (!blockScalar.test(value)) {
          detail.push(`${field[1]}: ${value}`);
          continue;
        }
        // A value over several lines (`expected: |-`, then the lines, indented deeper).
        const indent = /^\s*/.exec(lines[j]!)![0].length;
        const block: string[] = [];
        while (j + 1 < lines.length && /^\s*/.exec(lines[j + 1]!)![0].length > indent) {
          block.push(lines[++j]!.trim());
        }
        detail.push(`${field[1]}: ${block.join(" ")}`);
      }
      i = j;
    }
    fail(entry, [description!.trim() || "failed", ...detail].join("\n"));
  }
  if (!finished) {
    // tape stopped before its plan line: a test threw (an uncaught error ends the process), the
    // last one started. What it said follows the TAP; the tests that ran before it keep their
    // outcomes, and the tests after it did not run. Nothing started: no report.
    if (current === null || !/^TAP version/m.test(text)) {
      return { ok: false, why: reportMessages.unfinishedLog("tape") };
    }
    const after = lines.slice(lastTap + 1);
    const error = after.find((line) => thrown.test(line))?.trim();
    fail(current, error ?? "tape stopped before the end of its run (an uncaught error?)");
    if (current.test.file === null) {
      for (const line of after) {
        const frame = stackFile.exec(line);
        if (!frame) continue;
        const file = relativeFile(frame[1]!, context);
        if (file !== null && !file.startsWith("/") && !file.includes("node_modules/")) {
          current.test.file = file;
          break;
        }
      }
    }
  }
  const places = sources
    ? placeTapeTests(
        entries.map((e) => e.test.name),
        sources.files,
        (path) => {
          const file = relativeFile(path, context);
          return file === null || file.startsWith("/") ? null : file;
        },
        sources.read,
      )
    : [];
  const tests = entries.map(({ test, asserted, skipped, at }, i) => {
    const place = places[i] ?? null;
    const placed = withFailureLine(
      place === null ? test : { ...test, id: `${place}::${test.name}`, file: test.file ?? place },
      at,
      context,
    );
    // Skipped: every assertion a SKIP or a TODO, or none made by a test tape printed as skipped
    // (`test("name", { skip: true }, ...)` prints `# SKIP name`).
    const skip = asserted > 0 ? skipped === asserted : /^SKIP /.test(test.name);
    return placed.status === "pass" && skip ? { ...placed, status: "skip" as const } : placed;
  });
  // A name printed more than once in one file (a loop) reads with its number in the report and
  // `--format line` too: "loop case #4", not the same "loop case" for two tests (qs trial).
  const numbered = numberDuplicates(tests).map((test) => {
    const number = / #\d+$/.exec(test.id)?.[0];
    return number && !test.name.endsWith(number) ? { ...test, name: test.name + number } : test;
  });
  return { ok: true, tests: numbered };
}
