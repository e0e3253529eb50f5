import { reportMessages } from "./messages.js";
import {
  existingFile,
  failureLine,
  type PathContext,
  relativeFile,
  shapeMessage,
} from "./shape-results.js";
import type { ParsedTests, TestCaseResult, TestStatus } from "./types.js";

// Python's unittest with -v (Lib/unittest/runner.py, TextTestResult), stderr and stdout in one
// stream. A test's line, its outcome at its end or, after a docstring or what the test printed,
// on a later line:
//   test_adds (tests.test_lib.TestLib.test_adds) ... ok
//   test_doc (tests.test_lib.TestLib.test_doc)
//   First doc line. ... FAIL
//   test_prints (tests.test_lib.TestLib.test_prints) ... hello from the test
//   ok
//   test_sub (tests.test_lib.TestLib.test_sub) ...
//     test_sub (tests.test_lib.TestLib.test_sub) (i=1) ... FAIL
//     test_sub (tests.test_lib.TestLib.test_sub) [msg] (i=2) ... FAIL     (subTest("msg", i=2))
//   skipped 'reason' / expected failure / unexpected success / ERROR
// Then a section per failure, error and unexpected success, which is what decides those:
//   ======================================================================
//   FAIL: test_doc (tests.test_lib.TestLib.test_doc)
//   First doc line.
//   ----------------------------------------------------------------------
//   Traceback (most recent call last):
//     File "/repo/tests/test_lib.py", line 26, in test_doc
//   AssertionError: False is not true
// Errors outside a test: "ERROR: setUpClass (tests.test_lib.TestLib)", "ERROR: setUpModule
// (tests.test_lib)", and a module that could not be imported: "ERROR: tests.test_broken
// (unittest.loader._FailedTest.tests.test_broken)". The run ends with "Ran N tests in Xs".
// Python before 3.11 names the class only: "test_adds (tests.test_lib.TestLib)".
const testStart = /^ {0,2}(\w+) \(([\w.]+)\)( \[.*?\](?: \(.*\))?| \(.*\))?(?: \.\.\. (.*))?$/;
const outcomeAtEnd =
  /(?:^|\.\.\. |\s)(ok|FAIL|ERROR|skipped(?: .*)?|expected failure|unexpected success)$/;
const ruleLine = /^={70}$/;
const dashLine = /^-{70}$/;
const sectionHead =
  /^(FAIL|ERROR|UNEXPECTED SUCCESS): (\S+) \(([\w.]+)\)( \[.*?\](?: \(.*\))?| \(.*\))?$/;
const ranLine = /^Ran \d+ tests? in /;
const frameLine = /^\s*File "([^"]+)", line (\d+), in (\S+)$/;
const failedImport = "unittest.loader._FailedTest";
const fixtures = new Set(["setUpClass", "tearDownClass", "setUpModule", "tearDownModule"]);

/**
 * A doctest's failure (doctest.DocTestSuite, run by unittest): "AssertionError: Failed doctest
 * test for m.f", a frame-like line, dashes, then doctest's own report. Its example, what was
 * expected and what came are what say it ("failed" was all the report had: more-itertools
 * trial); other exceptions are left as they are.
 */
function doctestFailure(exception: readonly string[]): readonly string[] {
  if (!/^AssertionError: Failed doctest test for /.test(exception[0] ?? "")) return exception;
  const at = exception.indexOf("Failed example:");
  if (at === -1) return exception;
  const block = (from: number) => {
    const out: string[] = [];
    for (let i = from; i < exception.length && /^\s/.test(exception[i]!); i++)
      out.push(exception[i]!.trim());
    return out;
  };
  const example = block(at + 1);
  const expected = exception.indexOf("Expected:", at);
  const got = exception.findIndex((l, i) => i > at && /^Got(?::| nothing$)/.test(l));
  const lines = [`Failed example: ${example.join(" ")}`];
  if (expected !== -1) {
    const value = block(expected + 1);
    lines.push(value.length === 1 ? `Expected: ${value[0]}` : ["Expected:", ...value].join("\n"));
  }
  if (got !== -1) {
    const value = exception[got] === "Got nothing" ? ["nothing"] : block(got + 1);
    lines.push(value.length === 1 ? `Got: ${value[0]}` : ["Got:", ...value].join("\n"));
  } else {
    // An exception raised by the example: its last line says which.
    const raised = exception.slice(at).find((l) => /^\s*\w+(?:Error|Exception)\b/.test(l));
    if (raised) lines.push(raised.trim());
  }
  return lines.join("\n").split("\n");
}

/** The test's dotted id: the method's full name (3.11+ prints it; earlier, the class only). */
function dottedId(method: string, owner: string): string {
  return owner === method || owner.endsWith(`.${method}`) ? owner : `${owner}.${method}`;
}

function statusOf(word: string): TestStatus {
  if (word === "ok" || word === "expected failure") return "pass";
  if (word.startsWith("skipped")) return "skip";
  return "fail";
}

/** The module's file, relative to the tree root, when it exists (a.b.test_c -> a/b/test_c.py). */
function moduleFile(module: string, context: PathContext): string | null {
  const base = module.split(".").join("/");
  return existingFile(`${base}.py`, context) ?? existingFile(`${base}/__init__.py`, context);
}

interface Entry {
  test: TestCaseResult;
  /** The module the test is in (for its file). */
  module: string;
  method: string;
}

/** The tests of a `python -m unittest -v` run, from its output (pure but for file lookups). */
export function parseUnittestOutput(text: string, context: PathContext): ParsedTests {
  const entries = new Map<string, Entry>();
  const order: string[] = [];
  const entryFor = (id: string, module: string, method: string): Entry => {
    let entry = entries.get(id);
    if (entry === undefined) {
      entry = {
        test: { id, name: id, file: null, line: null, status: "pass", message: null },
        module,
        method,
      };
      entries.set(id, entry);
      order.push(id);
    }
    return entry;
  };
  // module.Class.method: the module is what is left of the class and the method.
  const testEntry = (method: string, owner: string): Entry => {
    const id = dottedId(method, owner);
    const parts = id.split(".");
    return entryFor(id, parts.length >= 3 ? parts.slice(0, -2).join(".") : parts[0]!, method);
  };
  // A subtest (`with self.subTest(i=1)`), named only when it fails: "module.Class.method (i=1)".
  // Its test fails with it only where the test's own code failed (its line, or a section of its
  // own): one old failing subtest no longer hides a new one your change breaks (it read
  // PRE-EXISTING, the test failing on both sides). Absent, it passed where its test ran.
  const subtestEntry = (parent: Entry, label: string): Entry => {
    const entry = entryFor(`${parent.test.id} ${label.trim()}`, parent.module, parent.method);
    entry.test.onlyWhenFailing = true;
    entry.test.within = parent.test.id;
    return entry;
  };
  // setUpClass (module.Class), setUpModule (module): a failure around the tests, one entry
  // whether its -v line or its section names it.
  const fixtureEntry = (method: string, owner: string): Entry => {
    const module = method.endsWith("Module") ? owner : owner.split(".").slice(0, -1).join(".");
    const entry = entryFor(`${owner} (${method})`, module, method);
    entry.test.kind = "suite";
    return entry;
  };
  // Python before 3.11 ends a test whose subtests failed with nothing, not even a newline: the
  // next test's line follows on the same line ("test_sub (m.T) ... test_next (m.T) ... ok").
  const lines = text
    .replace(/ \.\.\. (?=\w+ \([\w.]+\)(?: \[[^\]\n]*\])?(?: \([^)\n]*\))? \.\.\. )/g, " ... \n")
    .split("\n")
    .map((line) => line.replace(/\r$/, ""));
  let finished = false;
  // The test whose outcome is still to come (after its docstring or its output).
  let open: Entry | null = null;
  let index = 0;
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (ruleLine.test(line) || dashLine.test(line)) break;
    if (ranLine.test(line)) {
      finished = true;
      break;
    }
    const start = testStart.exec(line);
    if (start !== null && !start[2]!.startsWith(failedImport)) {
      const [, method, owner, subtest, rest] = start;
      const entry = fixtures.has(method!)
        ? fixtureEntry(method!, owner!)
        : testEntry(method!, owner!);
      const outcome = rest === undefined ? null : outcomeAtEnd.exec(rest);
      if (subtest !== undefined) {
        // A subtest's own line: printed when it failed (or was skipped), a test of its own.
        if (outcome !== null && statusOf(outcome[1]!) === "fail")
          subtestEntry(entry, subtest).test.status = "fail";
        open = null;
        continue;
      }
      open = entry;
      if (outcome !== null) {
        entry.test.status = statusOf(outcome[1]!);
        open = null;
      }
      continue;
    }
    const outcome = outcomeAtEnd.exec(line);
    if (outcome !== null && open !== null) {
      if (open.test.status !== "fail") open.test.status = statusOf(outcome[1]!);
      open = null;
    }
  }
  // The sections: failures, errors and unexpected successes, with their tracebacks.
  let section: { entry: Entry; body: string[] } | null = null;
  const closeSection = () => {
    if (section === null) return;
    const { entry, body } = section;
    // Python 3.11+ marks the failing expression under a frame's source line (~~~^^^): noise.
    const traceback = body
      .slice(Math.max(0, body.findIndex((l) => dashLine.test(l)) + 1))
      .filter((l) => !/^\s*[~^]+\s*$/.test(l));
    entry.test.status = "fail";
    if (entry.test.message === null) {
      // The exception's lines: from the first line at the margin after the last traceback's
      // header (its frames are indented; a message may hold a frame-like line, as doctest's).
      let header = -1;
      traceback.forEach((l, i) => {
        if (l.startsWith("Traceback (most recent call")) header = i;
      });
      let start = header === -1 ? -1 : traceback.findIndex((l, i) => i > header && /^\S/.test(l));
      if (start === -1) {
        // No header: what follows the last frame's source line.
        let last = -1;
        traceback.forEach((l, i) => {
          if (frameLine.test(l)) last = i;
        });
        start = last === -1 ? 0 : last + 2;
      }
      const exception = doctestFailure(traceback.slice(start));
      const shown = shapeMessage(exception.join("\n"), context.root);
      entry.test.message = shown ?? "failed";
      for (const l of traceback) {
        const frame = frameLine.exec(l);
        if (frame === null || frame[3] !== entry.method) continue;
        const file = relativeFile(frame[1], context);
        if (file !== null && !file.startsWith("/")) {
          entry.test.file = file;
          entry.test.line = Number(frame[2]);
        }
      }
      const at = failureLine(traceback.join("\n"), entry.test.file, context);
      if (at !== undefined) entry.test.failedAt = { line: at };
    }
    section = null;
  };
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (ranLine.test(line)) {
      finished = true;
      break;
    }
    if (ruleLine.test(line)) {
      closeSection();
      continue;
    }
    const head: RegExpExecArray | null = section === null ? sectionHead.exec(line) : null;
    if (head !== null) {
      const [, kind, method, owner, subtest]: (string | undefined)[] = head;
      let entry: Entry;
      if (owner!.startsWith(failedImport)) {
        // A module that could not be imported: a failure of its file, not of a test.
        entry = entryFor(method!, method!, method!);
        entry.test.kind = "file";
      } else if (fixtures.has(method!)) {
        entry = fixtureEntry(method!, owner!);
      } else if (subtest !== undefined) {
        entry = subtestEntry(testEntry(method!, owner!), subtest);
      } else {
        entry = testEntry(method!, owner!);
      }
      section = { entry, body: [] };
      if (kind === "UNEXPECTED SUCCESS") entry.test.message = "unexpected success";
      continue;
    }
    if (section !== null) {
      if (
        dashLine.test(line) &&
        section.body.some((l) => dashLine.test(l)) &&
        ranLine.test(lines[index + 1] ?? "")
      ) {
        // The dashes before "Ran N tests": the last section ends here (doctest's report has
        // dashes of its own inside a section).
        closeSection();
        continue;
      }
      section.body.push(line);
    }
  }
  closeSection();
  if (!finished) return { ok: false, why: reportMessages.unfinishedLog("unittest") };
  const tests: TestCaseResult[] = [];
  // Thousands of tests share a few modules: each is looked up once.
  const files = new Map<string, string | null>();
  for (const id of order) {
    const { test, module } = entries.get(id)!;
    if (test.file === null) {
      if (!files.has(module)) files.set(module, moduleFile(module, context));
      test.file = files.get(module)!;
    }
    if (test.status !== "fail") test.message = null;
    else test.message ??= "failed";
    tests.push(test);
  }
  return { ok: true, tests };
}
