import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { reportMessages } from "./messages.js";
import { numberDuplicates, type PathContext, relativeFile, shapeMessage } from "./shape-results.js";
import { readYaml } from "./tap-yaml.js";
import { definedNames } from "./tape-files.js";
import type { ParsedTests, TestCaseResult } from "./types.js";

// AVA's TAP (`ava --tap`, AVA 6's lib/reporters/tap.js through supertap): one line a test, in the
// order tests end (AVA runs files at once), its title prefixed by its file when the run has more
// than one ("a › adds" for test/a.js, "sub › c › deep" for test/sub/c.test.js: the path below the
// files' common folder, its extension, ".spec", ".test" and "test-" taken off); a failure's YAML
// says what the assertion saw:
//   TAP version 13
//   ok 1 - a › later # SKIP
//   not ok 2 - a › someday # TODO
//   not ok 3 - a › adds
//     ---
//       name: AssertionError
//       assertion: t.is()
//       details:
//         'Difference (- actual, + expected):': |-
//           - 2
//           + 3
//       message: ''
//       at: 'ExecutionContext.is (file:///repo/node_modules/ava/lib/assert.js:309:16)'
//     ...
//   not ok 4 - Error [ERR_MODULE_NOT_FOUND]: Cannot find module '...' imported from ...
//   not ok 5 - test/e.mjs exited with a non-zero exit code: 1
//
//   1..3
// A test file that crashed (an uncaught error, a file that cannot load) is no test: it prints
// its error's first line as a "test", then "<file> exited with a non-zero exit code"; that file
// fails as a whole, with the error, as node --test's file-level failures do.
const assertion = /^(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/;
const plan = /^1\.\.\d+\s*$/;
const yamlStart = /^\s+---\s*$/;
const crashedFile = /^(.+?) (?:exited with a non-zero exit code: \d+|exited due to \S+)$/;
const noTests =
  /^No tests found in (.+?)(?:, make sure to import "ava" at the top of your test file)?$/;
/** An error's first line, as AVA titles an uncaught one: `Error [ERR_X]: ...`, `TypeError: ...`, or a SyntaxError's `/path/file.js:2`. */
const crashTitle =
  /^(?:(?:[A-Z]\w*)?(?:Error|Exception)\b(?: \[\w+\])?:|(?:\/|file:\/\/|[A-Za-z]:\\)\S*:\d+$)/;
const fileExtension = /\.(?:[cm]?[jt]sx?)$/;

/** What AVA's run was given: its file arguments, when culprit knows them (for a one-file run, whose titles have no prefix). */
export interface AvaFiles {
  patterns: readonly string[];
  cwd: string;
}

/** The tests of AVA's TAP in a run's log. */
export function parseAvaTap(text: string, context: PathContext, given?: AvaFiles): ParsedTests {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const tests: TestCaseResult[] = [];
  let finished = false;
  let crash: string | null = null;
  const place = placer(context, given);
  // Tests whose titles have no file prefix and were not placed (a run of one file, not named).
  const unprefixed: number[] = [];
  let prefixed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (plan.test(line)) {
      finished = true;
      break;
    }
    const result = assertion.exec(line);
    if (!result) continue;
    const [, ok, title, directive] = result;
    const fields: Record<string, string> = {};
    // Lines before its YAML: what the test logged (t.log's "#   " lines), or the source line and
    // the error of a file that cannot load (`import {add} ...`, `^^^`, `SyntaxError: ...`).
    let next = i + 1;
    while (
      next < lines.length &&
      next - i <= 40 &&
      !yamlStart.test(lines[next]!) &&
      !assertion.test(lines[next]!) &&
      !plan.test(lines[next]!)
    )
      next++;
    if (yamlStart.test(lines[next] ?? "")) i = readYaml(lines, next + 1, fields);
    // AVA 5 names the details `values` and the assertion without `t.` and `()`.
    if (fields["details"] === undefined && fields["values"] !== undefined)
      fields["details"] = fields["values"];
    if (fields["assertion"] && /^\w+$/.test(fields["assertion"]))
      fields["assertion"] = `t.${fields["assertion"]}()`;
    const description = title!.trim();
    const fileCrash = crashedFile.exec(description) ?? noTests.exec(description);
    if (ok === "not ok" && fileCrash) {
      const file = relativeFile(fileCrash[1]!, context) ?? fileCrash[1]!;
      tests.push({
        id: file,
        name: file,
        file,
        line: null,
        status: "fail",
        message: shapeMessage(crash ?? description, context.root),
        kind: "file",
      });
      crash = null;
      continue;
    }
    if (ok === "not ok" && directive === undefined && crashTitle.test(description)) {
      crash = errorLine(fields) ?? description;
      continue;
    }
    const where = place(description);
    if (description.includes(" › ")) prefixed = true;
    else if (where.file === null) unprefixed.push(tests.length);
    const status =
      directive !== undefined
        ? "skip"
        : ok === "ok"
          ? "pass"
          : ("fail" as TestCaseResult["status"]);
    tests.push({
      id: where.file === null ? description : `${where.file}::${where.title}`,
      name: where.title,
      file: where.file ?? fileOfFailure(fields, context),
      line: null,
      status,
      message: status === "fail" ? shapeMessage(failureMessage(fields), context.root) : null,
    });
  }
  if (!finished) {
    // AVA 6.4's TAP reporter throws on its own timeout (dumpError, from writeTimeout).
    const timedOut = /\bTapReporter\.writeTimeout\b/.test(text);
    return {
      ok: false,
      why: timedOut ? reportMessages.avaTimeout : reportMessages.unfinishedLog("ava"),
    };
  }
  if (unprefixed.length > 0 && !prefixed) {
    // No title had a prefix: the run ran one test file. It is the file that defines its tests'
    // titles, so that a test's id is the same whether one file ran (a project with one test
    // file, the baseline of a change that adds a second) or several.
    const file = definingFile(
      unprefixed.map((k) => tests[k]!.name),
      given?.cwd ?? context.cwd,
      context,
    );
    if (file !== null)
      for (const k of unprefixed)
        tests[k] = { ...tests[k]!, id: `${file}::${tests[k]!.name}`, file };
  }
  return { ok: true, tests: numberDuplicates(tests) };
}

/** AVA's test modifiers: `test.serial(`, `test.failing.only(`... define a test of their title. */
const avaModifiers = ["only", "skip", "todo", "serial", "failing", "cb", "before", "after"];

/** The titles a test file's source defines (none when it cannot be read). */
function titlesIn(path: string): Set<string> {
  try {
    return new Set(definedNames(readFileSync(path, "utf8"), avaModifiers));
  } catch {
    return new Set();
  }
}

/** A folder's entries (none when it cannot be read). */
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
/** Folders no test file of AVA's is in. */
const notTests = new Set(["node_modules", "fixtures", "helpers", "coverage", "dist", "build"]);

/**
 * The test file of a one-file run that defines the most of `titles` (when one file does), among
 * the files AVA's default patterns can name below the project's folder: test.js, test-*.js,
 * *.test.js, *.spec.js, or any file in a test/, tests/ or __tests__/ folder.
 */
function definingFile(titles: readonly string[], cwd: string, context: PathContext): string | null {
  const project = projectDir(cwd, context.root, listDir);
  const wanted = new Set(titles);
  const counts = new Map<string, number>();
  let budget = 5000;
  const walk = (dir: string, inTestFolder: boolean) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (--budget < 0) return;
      if (entry.name.startsWith(".") || (entry.name.startsWith("_") && entry.name !== "__tests__"))
        continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!notTests.has(entry.name))
          walk(path, inTestFolder || ["test", "tests", "__tests__"].includes(entry.name));
        continue;
      }
      if (!entry.isFile() || !fileExtension.test(entry.name)) continue;
      const stem = entry.name.replace(fileExtension, "");
      if (!inTestFolder && !/^test(?:-.+)?$|\.(?:test|spec)$/.test(stem)) continue;
      const found = [...titlesIn(path)].filter((title) => wanted.has(title)).length;
      if (found > 0) counts.set(path, found);
    }
  };
  walk(project, false);
  const best = Math.max(0, ...counts.values());
  const files = [...counts].filter(([, n]) => n === best).map(([path]) => path);
  if (files.length !== 1) return null;
  const file = relativeFile(files[0]!, context);
  return file === null || file.startsWith("/") ? null : file;
}

/** A thrown error's line (`ReferenceError: x is not defined`), from AVA's details (`ReferenceError {\n message: '...' }`) or its own name and message. */
function errorLine(fields: Record<string, string>): string | null {
  // (A message over several lines is a template: `...␊ ...`, its first line is enough.)
  const thrown =
    /^(?:.*:\n)?\s*(\w*(?:Error|Exception)\w*) \{\n(?:\s+\w+: .*\n|\s+['\]].*\n)*?\s*message: (['`])((?:(?!\2)[^␊\n])*)/m.exec(
      fields["details"] ?? "",
    );
  if (thrown) return `${thrown[1]}: ${thrown[3]!.replace(/''/g, "'")}`;
  const name = fields["name"];
  // (A folded value's lines are one line; node's require stack is not the message.)
  const message = (fields["message"] ?? "")
    .split(/\s*\bRequire stack:/)[0]!
    .replace(/\s*\n\s*/g, " ");
  if (name && name !== "AssertionError" && message) return `${name}: ${message}`;
  return null;
}

/** What a failing test's YAML says: the error it threw, else the assertion, its message and what it saw. */
function failureMessage(fields: Record<string, string>): string {
  const thrown = errorLine(fields);
  if (thrown) return thrown;
  let head = [fields["assertion"], fields["message"]]
    .filter((s) => s !== undefined && s !== "")
    .join(": ");
  // The diff's label goes on the first line, so that the lines shown under a test are the diff.
  let diff = false;
  let lines = (fields["details"] ?? "").split("\n").filter((line) => {
    const legend = /^Difference (\(- actual, \+ expected\)):$/.exec(line);
    if (legend) head = `${head || "failed"} ${legend[1]}`;
    if (legend) diff = true;
    return !legend && line !== "";
  });
  // An object's diff (t.deepEqual, t.snapshot) is mostly the lines that are the same: its
  // changed lines are what a reader wants, and the report shows a test's first lines only
  // (camelcase trial: a snapshot's diff showed "{" and nothing changed).
  const changed = lines.filter((line) => /^[-+]\s/.test(line));
  if (diff && changed.length > 0 && changed.length < lines.length)
    lines = changed.map((line) => line.replace(/^([-+])\s+/, "$1 "));
  return [head || "failed", ...lines].join("\n");
}

/** The test's file from its failure's `at:` when that is a file of the tree (a thrown error; an assertion's is AVA's own). */
function fileOfFailure(fields: Record<string, string>, context: PathContext): string | null {
  const at = /((?:\/|file:\/\/)[^():']+):\d+(?::\d+)?/.exec(fields["at"] ?? "");
  if (!at) return null;
  // (AVA 5 writes a file of the project as `file://test.js:2:21`, relative.)
  const file = relativeFile(at[1]!.replace(/^file:\/\//, ""), context);
  return file === null || file.startsWith("/") || file.includes("node_modules/") ? null : file;
}

/**
 * Where a printed title's test is: its prefix ("sub › c") is its file's path below the run's
 * common folder with the extension, ".spec", ".test" and "test-" taken off; found below the
 * folder the run ran in (or its project's) or one of the usual test folders: the one file that
 * matches, or of several the one that defines the title. A title without a prefix is the one
 * file's of a one-file run (placed after the run is read: `definingFile`).
 */
function placer(
  context: PathContext,
  given: AvaFiles | undefined,
): (title: string) => { file: string | null; title: string } {
  const listings = new Map<string, string[]>();
  const list = (dir: string): string[] => {
    let names = listings.get(dir);
    if (names === undefined) {
      names = listDir(dir);
      listings.set(dir, names);
    }
    return names;
  };
  const found = new Map<string, string[]>();
  const sources = new Map<string, Set<string>>();
  const definer = (files: readonly string[], title: string): string | null => {
    const defining = files.filter((file) => {
      let names = sources.get(file);
      if (names === undefined) {
        names = titlesIn(join(context.root, file));
        sources.set(file, names);
      }
      return names.has(title);
    });
    return defining.length === 1 ? defining[0]! : null;
  };
  const single = singleFile(given, context);
  // A title's prefix is below the folder AVA ran in, or below its project's (the nearest
  // package.json's) when it ran in a subfolder of it (`cd test && npx ava`).
  const cwd = given?.cwd ?? context.cwd;
  const roots = [...new Set([cwd, projectDir(cwd, context.root, list)])];
  return (printed) => {
    // A run of one named file prints no prefix: a title holding " › " is the title.
    if (single !== null) return { file: single, title: printed };
    const parts = printed.split(" › ");
    if (parts.length === 1) return { file: null, title: printed };
    for (let k = parts.length - 1; k >= 1; k--) {
      const prefix = parts.slice(0, k);
      const key = prefix.join("/");
      let files = found.get(key);
      if (files === undefined) {
        files = findFiles(prefix, roots, list, context);
        found.set(key, files);
      }
      const title = parts.slice(k).join(" › ");
      // Two files of one prefix (foo.test.js and foo.spec.js, both "foo"): the one that
      // defines the title, when only one does.
      const file = files.length === 1 ? files[0]! : definer(files, title);
      if (file !== null) return { file, title };
    }
    return { file: null, title: printed };
  };
}

/** The nearest folder from `cwd` up to `root` that holds a package.json, else `cwd`. */
function projectDir(cwd: string, root: string, list: (dir: string) => string[]): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (list(dir).includes("package.json")) return dir;
    const rel = relative(root, dir);
    if (rel === "" || rel.startsWith("..") || dirname(dir) === dir) return cwd;
  }
}

function findFiles(
  prefix: readonly string[],
  roots: readonly string[],
  list: (dir: string) => string[],
  context: PathContext,
): string[] {
  const matches = new Set<string>();
  for (const [cwd, base] of roots.flatMap((root) =>
    ["", "test", "tests", "__tests__", "spec", "src", "source"].map((b) => [root, b] as const),
  )) {
    const dir = join(cwd, base, ...prefix.slice(0, -1));
    const last = prefix[prefix.length - 1]!;
    const candidates = [dir, join(dir, "__tests__")];
    for (const folder of candidates) {
      for (const name of list(folder)) {
        if (!fileExtension.test(name)) continue;
        const stem = name
          .replace(fileExtension, "")
          .replace(/\.spec/, "")
          .replace(/\.test/, "")
          .replace(/test-/g, "");
        if (stem === last) matches.add(join(folder, name));
      }
    }
  }
  return [...matches]
    .map((path) => relativeFile(path, context))
    .filter((file): file is string => file !== null && !file.startsWith("/"))
    .sort();
}

/** The one file a run was given, when it was given one existing file and no pattern. */
function singleFile(given: AvaFiles | undefined, context: PathContext): string | null {
  if (given === undefined || given.patterns.length !== 1) return null;
  const path = join(given.cwd, given.patterns[0]!);
  if (/[*?[{]/.test(given.patterns[0]!)) return null;
  try {
    if (!statSync(path).isFile()) return null;
  } catch {
    return null;
  }
  const file = relativeFile(path, context);
  return file === null || file.startsWith("/") ? null : file;
}
