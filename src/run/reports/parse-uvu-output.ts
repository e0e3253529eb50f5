import { join, resolve } from "node:path";
import { normalizeOutput } from "../classify.js";
import { reportMessages } from "./messages.js";
import {
  numberDuplicates,
  type PathContext,
  relativeFile,
  shapeMessage,
  withFailureLine,
} from "./shape-results.js";
import type { ParsedTests, TestCaseResult } from "./types.js";

// uvu 0.5's console output (dist/index.js), read back from the run's log. Its bin sets
// FORCE_COLOR=1 unless given --no-color, so the log is coloured even through a pipe: the colours
// are taken out first (normalizeOutput). As uvu 0.5.6 prints it (`uvu test`, colours taken out):
//   math.test.js                                       the file, relative to uvu's dir
//    math  • ✘ •   (2 / 3)                           a suite: a mark a test, passed / run
//
//      FAIL  math  "multiplies"                        each failure, after its suite's line
//       Expected values to be strictly equal:  (is)
//
//           ++7    (Expected)
//           --6    (Actual)
//
//       at Object.handler (/repo/test/math.test.js:5:35)
//   ...
//   throws.test.js
//   ✘ •   (1 / 2)                                      the file's unnamed suite (uvu's `test`)
//
//      FAIL  "throws a TypeError"
//       Cannot read properties of null (reading 'x')
//   ...
//     Total:     10
//     Passed:    6
//     Skipped:   1
//     Duration:  5.32ms
// A passing test is a dot, never named. So the report holds the failing tests only, each marked
// `onlyWhenFailing` (src/machine/evidence.ts): absent from the whole report of a run that ran its
// file, a test passed there; a passing entry for each file the run ran (kind "file") says which
// files those are. A test your tree adds to a file that was there before is then read as passing
// at the baseline (no run there names the tests it has); a test file your tree adds ran in no
// baseline run: the test is new there, as for the other runners.
// A test your tree adds to a file that was there before would read as passing at the baseline:
// each file's entry lists the titles its source gives literally (`titles`), and a test whose
// title your tree's file gives and the baseline's does not was not there (new), unless its title
// is made as it runs (a template, a loop), where the file's text cannot tell.
// uvu names no failure for a suite whose `before` hook threw, or whose test threw something that
// is not an Error (it stops the suite, exit code untouched): its line says `(0 / 2)` and no FAIL
// follows. Those tests are one entry of the suite (kind "suite"), failing in the runs where its
// line counts more tests not passed than it names, so that a hook your change breaks beside an
// old failure is seen. A run without its totals (`--bail`, a test whose promise never settles:
// "Exiting early before testing is finished.", a crash) has no report, unless it hung: then its
// suites that ended are read, as far as they went.

/** Where uvu looked for the files it names: its dir (first positional) from its --cwd. */
export interface UvuSources {
  /** The folder the file lines are relative to (absolute). */
  dir: string;
  /** Reads a test file (null when it cannot be read), for the line that defines each test. */
  read?: (path: string) => string | null;
}

const fileLine = /^\S.*\.(?:[cm]?[jt]s|[jt]sx)$/;
/** The end of a suite's line: passed / run. Its start names the suite (` name  `), if it has one. */
const suiteEnd = /\((\d+) \/ (\d+)\)$/;
const suiteLine = /^ (\S(?:.*?\S)?) {2}(?:[•✘] )* {2}\(\d+ \/ \d+\)$/;
/** The line of a file's unnamed suite (uvu's `test`): its marks alone. */
const unnamedSuiteLine = /^(?:[•✘] )* {2}\(\d+ \/ \d+\)$/;
const failLine = /^ {3}FAIL {2}(?:(.*?) {2})?"(.*)"$/;
const totalLine = /^ {2}Total: +(\d+)$/;
/** A call whose first argument is a string: `name("title",`, `name.only('title',` (the title: 2). */
const literalTitle =
  /(?:^|[^\w$.])[A-Za-z_$][\w$]*(?:\.only|\.skip)?\s*\(\s*(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1\s*,/g;
const passedLine = /^ {2}Passed: +(\d+)$/;

interface Failure {
  test: TestCaseResult;
  raw: string[];
  /** The test's own title, as its source gives it. */
  title: string;
}

/** The tests uvu's console output names (its failing ones), as explained above. */
export function parseUvuOutput(
  text: string,
  context: PathContext,
  sources?: UvuSources,
  /** The output ends where --timeout fired: the suites that ended are read. */
  stopped = false,
): ParsedTests {
  const lines = normalizeOutput(text).split("\n");
  const failures: Failure[] = [];
  const suites: TestCaseResult[] = [];
  /** Each suite entry's name as its source gives it (`suite("name")`). */
  const suiteTitles = new Map<string, string>();
  const files = new Map<string, TestCaseResult>();
  let file: string | null = null;
  let suitesInFile = 0;
  let open: Failure | null = null;
  let total: number | null = null;
  let passed: number | null = null;
  let ended = 0;
  /** Tests not passed that the suites' entries stand for (counted by their lines, not named). */
  let unnamedTests = 0;
  /** Failures named since the last suite's line, by suite name: they belong to it. */
  let named = 0;
  let lastSuite: { name: string; notPassed: number } | null = null;
  const closeSuite = () => {
    if (lastSuite === null) return;
    const missing = lastSuite.notPassed - named;
    if (missing > 0) {
      unnamedTests += missing;
      const id = `${file === null ? "" : `${file}::`}${lastSuite.name}`;
      suites.push({
        id,
        name: lastSuite.name,
        file,
        line: null,
        status: "fail",
        message: `uvu: ${missing} of its tests did not pass, and uvu named no failure (a hook that threw, or a throw of something not an Error)`,
        kind: "suite",
      });
      suiteTitles.set(id, lastSuite.name);
    }
    lastSuite = null;
    named = 0;
  };
  for (const line of lines) {
    if (open !== null) {
      // A failure's lines: its message and diff, indented, and blank lines between.
      if (line === "" || /^ {4}/.test(line)) {
        open.raw.push(line);
        continue;
      }
      open = null;
    }
    const failed = failLine.exec(line);
    if (failed) {
      const suite = failed[1] ?? "";
      const title = failed[2]!;
      const name = suite === "" ? title : `${suite} > ${title}`;
      open = {
        test: {
          id: file === null ? name : `${file}::${name}`,
          name,
          file,
          line: null,
          status: "fail",
          message: null,
          onlyWhenFailing: true,
        },
        raw: [],
        title,
      };
      failures.push(open);
      named += 1;
      continue;
    }
    const total_ = totalLine.exec(line);
    if (total_) {
      closeSuite();
      total = Number(total_[1]);
      continue;
    }
    const passed_ = passedLine.exec(line);
    if (passed_ && total !== null) {
      passed = Number(passed_[1]);
      continue;
    }
    const counts = suiteEnd.exec(line);
    if (counts) {
      closeSuite();
      suitesInFile += 1;
      ended += 1;
      // A suite's line broken by what a test printed names no suite: its number in the file.
      const name =
        suiteLine.exec(line)?.[1] ?? (unnamedSuiteLine.test(line) ? "" : `#${suitesInFile}`);
      lastSuite = { name: name === "" ? "(tests)" : name, notPassed: +counts[2]! - +counts[1]! };
      continue;
    }
    if (sources && fileLine.test(line)) {
      const path = join(sources.dir, line);
      if (context.exists?.(path) === false) continue;
      closeSuite();
      const shown = relativeFile(path, context);
      file = shown !== null && !shown.startsWith("/") ? shown : null;
      suitesInFile = 0;
      if (file !== null)
        files.set(file, {
          id: file,
          name: file,
          file,
          line: null,
          status: "pass",
          message: null,
          kind: "file",
        });
    }
  }
  closeSuite();
  const finished = total !== null && passed !== null;
  if (!finished && !(stopped && ended > 0)) {
    return { ok: false, why: reportMessages.unfinishedLog("uvu") };
  }
  // The line that defines each test: `Name("title", ...)` (a suite's test, by whatever name the
  // file gives the suite) or `test("title", ...)`, `.only` too; a suite's `suite("name")`. Found
  // on one line only, else left unknown.
  const sourceText = new Map<string, string | null>();
  const sourceOf = (file: string | null): string | null => {
    if (file === null || !sources?.read) return null;
    let text = sourceText.get(file);
    if (text === undefined) {
      text = sources.read(join(context.root, file));
      sourceText.set(file, text);
    }
    return text;
  };
  /**
   * A file's literal titles (a call whose first argument is a string) and the lines each is
   * given at, read once a file: the line that defines a failing test, and the titles its entry
   * lists (a failing test on your tree whose title the baseline's file does not give is one your
   * change added to the file: evidence.ts).
   */
  const titlesByFile = new Map<string, Map<string, number[]>>();
  const titlesOf = (file: string | null): Map<string, number[]> | null => {
    const text = sourceOf(file);
    if (text === null) return null;
    let titles = titlesByFile.get(file!);
    if (titles === undefined) {
      titles = new Map();
      // Lines counted as the matches go (in order): the line of each title's opening quote.
      let line = 1;
      let counted = 0;
      for (const match of text.matchAll(literalTitle)) {
        const at = match.index! + match[0].indexOf(match[1]!);
        for (let i = counted; i < at; i++) if (text.charCodeAt(i) === 10) line += 1;
        counted = at;
        const title = match[2]!;
        if (!title.includes("${")) titles.set(title, [...(titles.get(title) ?? []), line]);
      }
      titlesByFile.set(file!, titles);
    }
    return titles;
  };
  /** Where one title is given, on one line only; else unknown. */
  const definedAt = (lines: readonly number[] | undefined): number | null =>
    lines !== undefined && new Set(lines).size === 1 ? lines[0]! : null;
  const tests = failures.map(({ test, raw, title }) =>
    withFailureLine(
      {
        ...test,
        line: definedAt(titlesOf(test.file)?.get(title)),
        message: shapeMessage(raw.join("\n"), context.root) ?? "failed",
      },
      raw.join("\n"),
      context,
    ),
  );
  // A suite's entry at its `suite("name")`.
  const suiteCall = (title: string) =>
    new RegExp(`\\bsuite\\s*\\(\\s*(['"\`])${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\1`);
  const placedSuites = suites.map((entry) => {
    const title = suiteTitles.get(entry.id);
    const text = title === undefined ? null : sourceOf(entry.file);
    if (title === undefined || text === null) return entry;
    const call = suiteCall(title);
    const found = text.split("\n").flatMap((line, i) => (call.test(line) ? [i + 1] : []));
    return found.length === 1 ? { ...entry, line: found[0]! } : entry;
  });
  const titled = [...files.values()].map((entry) => {
    const titles = titlesOf(entry.file);
    return titles === null ? entry : { ...entry, titles: [...titles.keys()] };
  });
  const listed: TestCaseResult[] = [...numberDuplicates(tests), ...placedSuites, ...titled];
  // Tests that did not pass beyond those named and counted by their suites' lines (a suite's
  // line broken by what a test printed): one entry of the run.
  const unnamed =
    finished && total! - passed! - tests.length - unnamedTests > 0
      ? [
          {
            id: "uvu: tests not named",
            name: "uvu: tests that did not pass, unnamed",
            file: null,
            line: null,
            status: "fail" as const,
            message: `uvu: Total ${total}, Passed ${passed}, and ${tests.length} failures named`,
            kind: "check" as const,
          },
        ]
      : [];
  return { ok: true, tests: [...listed, ...unnamed], ...(finished ? {} : { partial: true }) };
}

/** uvu's dir, as its bin resolves it: `uvu [dir] [pattern] -C cwd`, from where it runs. */
export function uvuSources(args: readonly string[], cwd: string): UvuSources {
  const { dir, cwd: from } = uvuArgs(args);
  return { dir: resolve(cwd, from ?? ".", dir ?? ".") };
}

// uvu's options (bin.js, sade over mri): -i/--ignore, -r/--require and -C/--cwd take a value;
// -c/--color (default true) is a boolean; -b/--bail has no default, so mri gives it the next word
// when that is no option (`uvu -b tests` runs every file under ".", as uvu itself does).
const valued = new Set(["-i", "--ignore", "-r", "--require", "-C", "--cwd", "-b", "--bail"]);

function uvuArgs(args: readonly string[]): { dir?: string; cwd?: string } {
  const positional: string[] = [];
  let cwd: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    const [name, attached] = word.startsWith("--") ? word.split(/=(.*)/s, 2) : [word, undefined];
    if (!word.startsWith("-") || word === "-") {
      positional.push(word);
      continue;
    }
    let value = attached;
    if (value === undefined && valued.has(name!)) {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("-")) {
        value = next;
        i++;
      }
    }
    if (name === "-C" || name === "--cwd") cwd = value;
  }
  return {
    ...(positional[0] !== undefined ? { dir: positional[0] } : {}),
    ...(cwd ? { cwd } : {}),
  };
}
