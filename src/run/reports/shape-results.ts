import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeOutput } from "../classify.js";
import type { TestCaseResult } from "./types.js";

/** Where a run happened, to turn the paths a report gives into paths relative to the tree root. */
export interface PathContext {
  /** Where the command ran (absolute). */
  cwd: string;
  /** Top of the work tree (absolute). */
  root: string;
  /** Whether an absolute path exists; lets a relative path be found against cwd or one of its parents up to root. */
  exists?: (path: string) => boolean;
}

const maxLines = 10;
const maxLineLength = 400;

// A stack frame: JavaScript ("    at fn (file.js:1:2)", "    at file:///x.js:1:2", "    at new
// Promise (<anonymous>)", and the last one before an uncaught error's own properties, "    at
// fn (file.js:1:2) {") and Java ("\tat com.x.Y.z(Y.java:12)").
const stackFrame =
  /^\s+at (?:.*[:(]\d+\)?|.*\((?:native|<anonymous>|index \d+)\)|\S+:\d+:\d+)(?: \{)?$/;

// Go's test framing ("=== RUN   TestX", "--- FAIL: TestX (0.00s)"), in go test output and in
// gotestsum's JUnit: it names the test and its duration, not the failure.
const goFraming = /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\s|--- (?:FAIL|PASS|SKIP): )/;

// What joins the stacks of an asynchronous error's steps: supertest's "----" (expressjs/express
// trial: the line after the message was "----"), bluebird's "From previous event:". A frame
// only when it follows a stack frame.
const stackJoin = /^\s*(?:-{3,}|From previous event:)$/;

/** A failure message as culprit shows and compares it: ANSI and stack frames out, the tree root's path out, at most ~10 lines. */
export function shapeMessage(text: string | null | undefined, root?: string): string | null {
  if (text === null || text === undefined) return null;
  // pytest's JUnit writes the escape character, which XML 1.0 cannot hold, as the text "#x1B":
  // its coloured diffs (--color=yes, with Pygments) came out as "#x1B[91m- 13th#x1B[39;49;00m".
  let clean = normalizeOutput(text.replace(/#x1B(?=\[)/g, "\x1b"));
  if (root !== undefined && root !== "" && root !== "/") {
    const prefix = root.endsWith("/") ? root : `${root}/`;
    clean = clean.split(`file://${prefix}`).join("").split(prefix).join("");
  }
  const lines = clean
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""))
    .filter(
      (line, i, all) =>
        !stackFrame.test(line) &&
        !goFraming.test(line) &&
        !(i > 0 && stackJoin.test(line) && stackFrame.test(all[i - 1]!)),
    )
    .filter((line, i, all) => line !== "" || all[i - 1] !== "");
  const indent = Math.min(
    ...lines.filter((line) => line !== "").map((line) => /^[ \t]*/.exec(line)![0].length),
  );
  const kept = lines
    .map((line) => line.slice(indent))
    .map((line) => (line.length > maxLineLength ? `${line.slice(0, maxLineLength - 3)}...` : line));
  while (kept.length > 0 && kept[0] === "") kept.shift();
  kept.length = Math.min(kept.length, maxLines);
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  if (kept.length === 0) return null;
  return kept.join("\n");
}

function toSlashes(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/**
 * A path from a report, relative to the tree root when it is inside it, else as reported.
 * A relative path is taken against cwd, or against the first of cwd's parents (up to the root)
 * where it exists: pytest and jest-junit write paths relative to their own root folder.
 */
export function relativeFile(
  reported: string | null | undefined,
  context: PathContext,
): string | null {
  if (reported === null || reported === undefined || reported.trim() === "") return null;
  let path = reported.trim();
  if (path.startsWith("file://")) {
    try {
      path = fileURLToPath(path);
    } catch {
      return path;
    }
  }
  const absolute = isAbsolute(path) ? path : findRelative(path, context);
  const fromRoot = relative(context.root, absolute);
  if (fromRoot === "" || fromRoot.startsWith("..") || isAbsolute(fromRoot)) return toSlashes(path);
  return toSlashes(fromRoot);
}

// cwd, then its parents up to the root: the first folder where `path` exists, else cwd.
function findRelative(path: string, context: PathContext): string {
  const fromCwd = resolve(context.cwd, path);
  if (context.exists === undefined) return fromCwd;
  return searchRelative(path, context, context.exists) ?? fromCwd;
}

function searchRelative(
  path: string,
  context: PathContext,
  exists: (path: string) => boolean,
): string | null {
  let folder = context.cwd;
  for (;;) {
    const candidate = join(folder, path);
    if (exists(candidate)) return candidate;
    if (!inside(folder, context.root) || relative(context.root, folder) === "") return null;
    folder = dirname(folder);
  }
}

/** A relative path that names an existing file (from cwd or one of its parents up to the root), relative to the root; else null. */
export function existingFile(path: string, context: PathContext): string | null {
  if (context.exists === undefined || isAbsolute(path)) return null;
  const found = searchRelative(path, context, context.exists);
  return found === null ? null : relativeFile(found, context);
}

function inside(path: string, folder: string): boolean {
  const fromFolder = relative(folder, path);
  return fromFolder === "" || (!fromFolder.startsWith("..") && !isAbsolute(fromFolder));
}

/** Gives distinct tests that share an id (two tests with one title in one suite) ids " #2", " #3"... in report order. */
export function numberDuplicates(tests: readonly TestCaseResult[]): TestCaseResult[] {
  const total = new Map<string, number>();
  for (const test of tests) total.set(test.id, (total.get(test.id) ?? 0) + 1);
  const seen = new Map<string, number>();
  return tests.map((test) => {
    const count = (seen.get(test.id) ?? 0) + 1;
    seen.set(test.id, count);
    if (total.get(test.id) === 1) return test;
    // Told apart by order only: in a run that reports them another number of times, "#3" is
    // another test, failing at another line, so none keeps where it failed.
    const { failedAt: _, ...placeless } = test;
    return count === 1 ? placeless : { ...placeless, id: `${test.id} #${count}` };
  });
}

/** The lines (1-based) that define a test of title `title`: `it("title"`, `def title(`... */
function definitionLines(lines: readonly string[], title: string): number[] {
  const name = title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const definition = new RegExp(
    `\\b(?:it|test|specify)(?:\\.(?:only|skip|todo|concurrent|sequential|fails|serial|failing|cb))*\\s*\\(\\s*(['"\`])${name}\\1|\\b(?:def|func|fn|fun|void)\\s+${name}\\s*[(<]`,
  );
  return lines.flatMap((line, i) => (definition.test(line) ? [i + 1] : []));
}

/**
 * Tests a report places in a file but at no line (mocha's xunit has no line numbers: the report
 * and `--format line` said `test/json.js:1` for every test, body-parser trial), at the line that
 * defines them: the one `it("title"` / `test(` / `specify(`, or `def` / `func` / `fn name(` (and
 * a JUnit test method's `void name(`, Kotlin's `fun name(`), when
 * exactly one line of the file does. Each file is read once; a title found on no line or on
 * several (two describes with an `it("works")` each) leaves the line unknown.
 */
export function withDefinitionLines(
  tests: readonly TestCaseResult[],
  context: PathContext,
  read: (path: string) => string | null,
): TestCaseResult[] {
  const sources = new Map<string, string[] | null>();
  return tests.map((test) => {
    if (test.file === null || test.line !== null || test.kind !== undefined) return test;
    let lines = sources.get(test.file);
    if (lines === undefined) {
      const text = isAbsolute(test.file) ? null : read(join(context.root, test.file));
      lines = text === null ? null : text.split("\n");
      sources.set(test.file, lines);
    }
    if (lines === null) return test;
    // The test's own title is the name's last part, unless a title holds " > " itself
    // (`it("a > b")`, or a describe's title ending in " >", micromatch/picomatch trial: the name
    // then reads "glob base > > matches"): longer tails, a leading "> " dropped, until one is
    // found on some line.
    const parts = test.name.split(" > ");
    for (let k = 1; k <= parts.length; k++) {
      const title = parts.slice(-k).join(" > ").replace(/^> /, "").trim();
      if (title === "") continue;
      // A JUnit parameterized case, `doubles(int)[2]`, is defined by its method, `doubles`.
      const method = /^([A-Za-z_$][\w$]*)\([^()]*\)(?:\[\d+\])?$/.exec(title)?.[1];
      const found = definitionLines(lines, title);
      if (found.length === 0 && method !== undefined) {
        const defined = definitionLines(lines, method);
        if (defined.length === 1) return { ...test, line: defined[0]! };
      }
      if (found.length === 0) continue;
      return found.length === 1 ? { ...test, line: found[0]! } : test;
    }
    return test;
  });
}

// A JavaScript stack frame's place: "    at fn (/x/a.test.js:12:5)", "    at /x/a.test.js:12:5",
// "    at async /x/a.test.js:12:5", "    at file:///x/a.test.mjs:12:5"; a path may hold spaces
// and parentheses (a Next.js route group, "app/(auth)/login.test.js").
const jsFramePlace =
  /^\s*at (?:(?:async )?(?:new )?[^()]*? \((.+):(\d+):\d+\)|(?:async )?(\S.*?):(\d+):\d+)(?: \{)?$/;
// pytest's long traceback ("tests/test_a.py:12: in test_b", "tests/test_a.py:14: AssertionError")
// and Python's own ('  File "/x/tests/test_a.py", line 12, in test_b').
const pythonPlace = /^(?:(\S.*?\.py):(\d+):(?: |$)|\s*File "(.+)", line (\d+))/;
// A JVM frame: "\tat shop.LibTest.adds(LibTest.java:9)" (a class loader's or module's name may
// come first: "app//shop.LibTest...", "mod@1.0/shop..."). It names the file's base name only;
// the class's package says where.
const jvmFramePlace =
  /^\s*at (?:[\w.$@-]*\/)*((?:[A-Za-z_$][\w$]*\.)*)[\w$]+\.[\w$<>-]+\(([\w$-]+\.(?:java|kt|groovy|scala)):(\d+)\)$/;

/**
 * The line of `file` (a test's own file, relative to the tree root) where a failure happened, from
 * the stack or traceback in its raw message: JavaScript's first frame in that file (the
 * innermost: the assertion, not the test runner's call), Python's last (Python lists the
 * innermost last). Undefined when no frame names the file.
 */
export function failureLine(
  text: string | null | undefined,
  file: string | null,
  context: PathContext,
): number | undefined {
  if (text === null || text === undefined || file === null) return undefined;
  const isTestFile = (path: string) =>
    path === file ||
    (!path.startsWith("node:") && !path.startsWith("<") && relativeFile(path, context) === file);
  let python: number | undefined;
  for (const line of normalizeOutput(text).split("\n")) {
    const js = jsFramePlace.exec(line);
    if (js) {
      if (isTestFile(js[1] ?? js[3]!)) return Number(js[2] ?? js[4]);
      continue;
    }
    const jvm = jvmFramePlace.exec(line);
    if (jvm) {
      // The innermost frame of the test's own source file: its package's folders, then its name.
      const path = `${jvm[1]!.replaceAll(".", "/")}${jvm[2]!}`;
      if (file === path || file.endsWith(`/${path}`)) return Number(jvm[3]);
      continue;
    }
    const py = pythonPlace.exec(line);
    if (py && isTestFile(py[1] ?? py[3]!)) python = Number(py[2] ?? py[4]);
  }
  return python;
}

/** `test` with `failedAt` set from its failure's raw message (failureLine), when it names a line. */
export function withFailureLine(
  test: TestCaseResult,
  raw: string | null | undefined,
  context: PathContext,
): TestCaseResult {
  if (test.status !== "fail") return test;
  const line = failureLine(raw, test.file, context);
  return line === undefined ? test : { ...test, failedAt: { line } };
}

/**
 * The hash of the file each failure happened in (`failedAt.file`), as the run's tree has it: two
 * failures' lines compare only within one same version of the test file (a configuration without
 * your edit of the test has the assertion at another line).
 */
export function withFailureFile(
  tests: readonly TestCaseResult[],
  context: PathContext,
  hash: (path: string) => string | null,
): TestCaseResult[] {
  return tests.map((test) => {
    if (test.failedAt === undefined || test.file === null || isAbsolute(test.file)) return test;
    const file = hash(join(context.root, test.file));
    return file === null ? test : { ...test, failedAt: { line: test.failedAt.line, file } };
  });
}
