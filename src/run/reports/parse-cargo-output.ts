import { reportMessages } from "./messages.js";
import { numberDuplicates, type PathContext, relativeFile, shapeMessage } from "./shape-results.js";
import type { ParsedTests, TestCaseResult, TestStatus } from "./types.js";

// libtest's "pretty" format, as `cargo test` prints it (rust library/test/src/formatters/pretty.rs):
//      Running unittests src/lib.rs (target/debug/deps/fixture-bf07fdf98814b1a7)
//   running 3 tests
//   test tests::adds ... ok
//   test tests::breaks ... FAILED
//   test tests::slow ... ignored, needs a database
//   failures:
//   ---- tests::breaks stdout ----
//   thread 'tests::breaks' (23825) panicked at src/lib.rs:9:19:
//   ...
//   test result: FAILED. 1 passed; 1 failed; 1 ignored; ...
const runningLine = /^\s*Running (.+?)\s*$/;
const docTestsLine = /^\s*Doc-tests (\S+)\s*$/;
const startLine = /^running \d+ tests?$/;
const testLine = /^test (.+?) \.\.\. (ok|FAILED|ignored\b.*)$/;
const resultLine = /^test result: /;
const sectionLine = /^---- (.+) stdout ----$/;
const panicAt = /panicked at (?:'.*', )?(.+?):(\d+):\d+:?$/;

interface Target {
  /** "src/lib.rs (fixture)": the test target, named by its source and its binary. */
  id: string;
  /** "src/lib.rs": how a person knows it. */
  shown: string;
}

// "unittests src/lib.rs (target/debug/deps/fixture-bf07fdf98814b1a7)" -> src/lib.rs (fixture).
// The hash changes with the build; the binary's name tells two crates' src/lib.rs apart.
function targetOf(running: string): Target {
  const match = /^(?:(?:unittests|tests|benches|examples?) )?(.*?)\s*\(([^()]+)\)$/.exec(running);
  const binary = (match?.[2] ?? running).split(/[\\/]/).pop()!;
  const crate = binary.replace(/\.exe$/, "").replace(/-[0-9a-f]{16}$/, "");
  const path = match?.[1] ?? "";
  return path === "" ? { id: crate, shown: crate } : { id: `${path} (${crate})`, shown: path };
}

// A panic's backtrace and libtest's hints about it: noise in a message.
function dropBacktrace(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let inBacktrace = false;
  for (const line of lines) {
    if (line === "stack backtrace:") {
      inBacktrace = true;
      continue;
    }
    if (inBacktrace && /^\s+(?:\d+: |at )/.test(line)) continue;
    inBacktrace = false;
    if (/^note: (?:run with `RUST_BACKTRACE|Some details are omitted)/.test(line)) continue;
    kept.push(line);
  }
  return kept;
}

function statusOf(word: string): TestStatus {
  return word === "ok" ? "pass" : word === "FAILED" ? "fail" : "skip";
}

/**
 * The tests of a `cargo test` run, from its output (pure). `stopped`: the output of a run that
 * --timeout stopped, up to the timer: the tests that ended by then are read (a failure of the
 * binary it hung in has no message: libtest prints them once every test has ended), not the
 * one it hung in.
 */
export function parseCargoOutput(text: string, context: PathContext, stopped = false): ParsedTests {
  const tests: TestCaseResult[] = [];
  let target: Target = { id: "", shown: "" };
  let running = false;
  // After the test lines, libtest prints each captured output under "failures:" (and, with
  // --show-output, "successes:"), then repeats the heading over a list of the names.
  let part: "tests" | "failures" | "successes" | "list" = "tests";
  let section: { name: string; lines: string[] } | null = null;
  const sections = new Map<string, string[]>();
  const targetTests: TestCaseResult[] = [];

  const closeSection = () => {
    if (section !== null) sections.set(section.name, section.lines);
    section = null;
  };
  const closeTarget = () => {
    closeSection();
    for (const test of targetTests) {
      const name = test.id.slice(target.id.length + 2);
      const lines = test.status === "fail" ? sections.get(name) : undefined;
      if (lines !== undefined) {
        const body = dropBacktrace(lines);
        test.message = shapeMessage(body.join("\n"), context.root) ?? "failed";
        const where = body.map((line) => panicAt.exec(line)).find((match) => match !== null);
        const file = where ? relativeFile(where[1], context) : null;
        if (where && file !== null && !file.startsWith("/")) {
          test.file = file;
          test.line = Number(where[2]);
        }
      }
      tests.push(test);
    }
    targetTests.length = 0;
    sections.clear();
    running = false;
    part = "tests";
  };

  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const runningMatch = runningLine.exec(line);
    const docMatch = docTestsLine.exec(line);
    if ((runningMatch || docMatch) && !running) {
      target = docMatch
        ? { id: `doc-tests (${docMatch[1]})`, shown: `doc-tests ${docMatch[1]}` }
        : targetOf(runningMatch![1]!);
      continue;
    }
    if (startLine.test(line)) {
      running = true;
      continue;
    }
    if (!running) continue;
    if (resultLine.test(line)) {
      closeTarget();
      continue;
    }
    const test = testLine.exec(line);
    if (test !== null && part === "tests") {
      const name = test[1]!.replace(/ - should panic(?: with .*)?$/, "");
      const status = statusOf(test[2]!.split(",")[0]!);
      // A doc test is named after its line ("src/lib.rs - add (line 3)"), which edits move.
      const stable = target.id.startsWith("doc-tests") ? name.replace(/ \(line \d+\)$/, "") : name;
      targetTests.push({
        id: `${target.id}::${stable}`,
        name: `${target.shown} > ${name}`,
        file: null,
        line: null,
        status,
        message: status === "fail" ? "failed" : null,
      });
      continue;
    }
    if (line === "failures:" || line === "successes:") {
      closeSection();
      const heading = line === "failures:" ? "failures" : "successes";
      part = part === heading ? "list" : heading;
      continue;
    }
    const opened = sectionLine.exec(line);
    if (opened !== null && (part === "failures" || part === "successes")) {
      closeSection();
      if (part === "failures") section = { name: opened[1]!, lines: [] };
      continue;
    }
    if (section !== null) (section as { lines: string[] }).lines.push(line);
  }
  // Stopped, the run did not end by itself: whatever it had reported (a binary in the middle of
  // its tests, or one that hung before its first line) is as far as it went.
  const partial = stopped && targetTests.length + tests.length > 0;
  if (partial && running) {
    // libtest prints a failure's message once every test of the binary has ended: none here
    // (no message, rather than one that would read as the failure changing).
    for (const test of targetTests) if (test.status === "fail") test.message = null;
    closeTarget();
  }
  if (running)
    return { ok: false, why: reportMessages.unfinishedLog(target.shown || "cargo test") };
  return {
    ok: true,
    tests: numberDuplicates(tests),
    ...(partial ? { partial: true as const } : {}),
  };
}
