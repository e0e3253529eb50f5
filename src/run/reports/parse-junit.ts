import { XMLParser, XMLValidator } from "fast-xml-parser";
import { normalizeOutput } from "../classify.js";
import { reportMessages } from "./messages.js";
import {
  existingFile,
  numberDuplicates,
  type PathContext,
  relativeFile,
  shapeMessage,
  withFailureLine,
} from "./shape-results.js";
import type { ParsedTests, TestCaseResult, TestStatus } from "./types.js";

/** How to read one JUnit XML file. */
export interface JunitOptions extends PathContext {
  /** What the reasons call the report: "the jest --json report", "the test report junit.xml". */
  label: string;
  /** Read it as pytest writes it (ids like pytest's node ids, 0-based lines); detected when absent. */
  pytest?: boolean;
  /**
   * The test's source file of a class the report names, when the report gives no file (Maven's
   * Surefire: `shop.LibTest` is `src/test/java/shop/LibTest.java` of its module); absolute.
   */
  classFile?: (classname: string) => string | null;
  /**
   * The file was written as --timeout stopped the run (pytest on SIGINT): it holds the tests
   * that ended, and pytest's nameless entry for the one it was in (left out). Marked partial.
   */
  stopped?: boolean;
}

// preserveOrder keeps document order (a retried test's last attempt comes last) and nesting.
type XmlNode = Record<string, unknown> & { ":@"?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function tagOf(node: XmlNode): string | null {
  for (const key of Object.keys(node)) if (key !== ":@") return key;
  return null;
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const value = node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function textOf(nodes: readonly XmlNode[]): string {
  let text = "";
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === "#text") text += String(node["#text"] ?? "");
    else if (tag === "stackTrace") text += textOf(childrenOf(node, tag));
  }
  return text;
}

interface RawCase {
  suites: string[];
  classname: string;
  name: string;
  file: string | null;
  line: number | null;
  status: TestStatus;
  message: string | null;
  /** The failure element's text (a stack, pytest's traceback), whatever the message shows. */
  body: string | null;
  collectionError: boolean;
}

// Only these decide a case's outcome. Surefire and nextest record retries that passed as
// flakyFailure/flakyError and retries that failed as rerunFailure/rerunError, next to the final
// outcome: https://maven.apache.org/surefire/maven-surefire-plugin/examples/rerun-failing-tests.html
const failureTags = new Set(["failure", "error"]);
// gotestsum writes message="Failed", pytest message="collection failure", with the output as
// the element's text.
const uninformative = /^\s*(?:failed|failure|error|test failure|collection failure|)\s*$/i;

/**
 * mocha's xunit writes the error's message, then its stack, which starts with the same message
 * after the error's name: "bad input\nError: bad input\n    at ...". The report showed both
 * (body-parser trial): the first copy goes when nothing else (a diff) stands between the two.
 */
function withoutRepeatedMessage(body: string): string {
  const lines = body.split("\n");
  const named = /^(?:[A-Za-z_$][\w$]*(?:Error|Exception)|Error)(?: \[[A-Z_]+\])?: (.*)$/;
  for (let k = 1; k < lines.length && k <= 20; k++) {
    const match = named.exec(lines[k]!);
    if (match?.[1] !== lines[0] || lines[0] === "") continue;
    const same = lines.slice(1, k).every((line, i) => line === lines[k + 1 + i]);
    return same ? lines.slice(k).join("\n") : body;
  }
  return body;
}

function failureMessage(failure: XmlNode, testcase: readonly XmlNode[]): string {
  const tag = tagOf(failure)!;
  const attrs = failure[":@"] ?? {};
  const attribute = attrs.message ?? "";
  if (!uninformative.test(attribute)) return attribute;
  const body = textOf(childrenOf(failure, tag));
  if (body.trim() !== "") return withoutRepeatedMessage(body);
  for (const stream of ["system-err", "system-out"]) {
    const output = testcase.find((node) => tagOf(node) === stream);
    if (output !== undefined) {
      const text = textOf(childrenOf(output, stream));
      if (text.trim() !== "") return text;
    }
  }
  return attribute.trim() !== "" ? attribute : (attrs.type ?? tag);
}

/**
 * An exception a test did not expect, as Surefire writes it: `<error message="no stock"
 * type="java.lang.IllegalStateException">`. The message alone read as a failed assertion, where
 * the console says `IllegalStateException: no stock`; the class's name goes first, as it does
 * for JavaScript and Python errors (isolate tells an error from an assertion by it). Only a
 * dotted class name (a JVM's or .NET's); a message that already names it stays.
 */
function withErrorClass(failure: XmlNode, message: string): string {
  const type = failure[":@"]?.type ?? "";
  if (tagOf(failure) !== "error" || !/^(?:[A-Za-z_][\w]*\.)+[A-Z][\w$]*$/.test(type))
    return message;
  const name = type.slice(type.lastIndexOf(".") + 1);
  return message.includes(name) ? message : `${name}: ${message}`;
}

function readCase(node: XmlNode, suites: string[], suiteFile: string | null): RawCase {
  const attrs = node[":@"] ?? {};
  const children = childrenOf(node, "testcase");
  const failure = children.find((child) => failureTags.has(tagOf(child) ?? ""));
  const skipped = children.some((child) => tagOf(child) === "skipped");
  const line = attrs.line !== undefined && /^\d+$/.test(attrs.line) ? Number(attrs.line) : null;
  const message =
    failure !== undefined ? withErrorClass(failure, failureMessage(failure, children)) : null;
  return {
    suites,
    classname: attrs.classname ?? "",
    name: attrs.name ?? "",
    // mocha writes file="undefined" for an error outside any test.
    file: (attrs.file === "undefined" ? undefined : attrs.file) ?? suiteFile,
    line,
    status: failure !== undefined ? "fail" : skipped ? "skip" : "pass",
    message,
    body: failure !== undefined ? textOf(childrenOf(failure, tagOf(failure)!)) : null,
    collectionError:
      failure !== undefined && (failure[":@"]?.message ?? "") === "collection failure",
  };
}

function collect(nodes: readonly XmlNode[], suites: string[], file: string | null, out: RawCase[]) {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === "testsuites") {
      collect(childrenOf(node, tag), suites, file, out);
    } else if (tag === "testsuite") {
      const attrs = node[":@"] ?? {};
      collect(childrenOf(node, tag), [...suites, attrs.name ?? ""], attrs.file ?? file, out);
    } else if (tag === "testcase") {
      out.push(readCase(node, suites, file));
    }
  }
}

function hasJunitElements(nodes: readonly XmlNode[]): boolean {
  return nodes.some((node) => {
    const tag = tagOf(node);
    return tag === "testsuites" || tag === "testsuite" || tag === "testcase";
  });
}

// pytest's junitxml names the suite "pytest" (junit_suite_name's default) inside <testsuites
// name="pytest tests">: https://docs.pytest.org/en/stable/reference/reference.html#confval-junit_suite_name
function looksLikePytest(nodes: readonly XmlNode[]): boolean {
  for (const node of nodes) {
    const tag = tagOf(node);
    const name = node[":@"]?.name;
    if (tag === "testsuites" && (name === "pytest tests" || looksLikePytest(childrenOf(node, tag))))
      return true;
    if (tag === "testsuite" && name === "pytest") return true;
  }
  return false;
}

// Suite names that only say which tool wrote the file.
const toolSuiteNames = new Set([
  "Mocha Tests",
  "vitest tests",
  "jest tests",
  "pytest",
  "pytest tests",
  "root",
]);

// Node's junit reporter writes classname="test" on every case; the describe blocks are the
// nested <testsuite>s: https://github.com/nodejs/node/blob/v20.x/lib/internal/test_runner/reporter/junit.js
function informativeClassname(classname: string): boolean {
  return classname !== "" && classname !== "test";
}

// The classes in a pytest classname ("tests.test_a.TestK" for tests/test_a.py): what follows the
// module, named from pytest's rootdir, which may sit below the tree root.
function classesOf(classname: string, file: string): string[] {
  const module = file.replace(/\.py$/, "").split("/");
  for (let start = 0; start < module.length; start++) {
    const tail = module.slice(start).join(".");
    if (classname === tail) return [];
    if (classname.startsWith(`${tail}.`)) return classname.slice(tail.length + 1).split(".");
  }
  return classname === "" ? [] : [classname];
}

function pytestCase(raw: RawCase, file: string | null, options: JunitOptions): TestCaseResult {
  if (raw.collectionError && raw.classname === "") {
    const where = file ?? raw.name;
    return {
      id: where,
      name: where,
      file,
      line: null,
      status: raw.status,
      message: shape(raw, options),
      kind: "file",
    };
  }
  const prefix = file ?? raw.classname;
  const classes = file === null ? [] : classesOf(raw.classname, file);
  const id = [prefix, ...classes, raw.name].filter((part) => part !== "").join("::");
  return {
    id,
    name: id,
    file,
    // pytest's location line is 0-based: https://docs.pytest.org/en/stable/reference/reference.html#pytest.Item.location
    line: raw.line === null ? null : raw.line + 1,
    status: raw.status,
    message: shape({ ...raw, message: setupErrorFirst(raw.message) }, options),
  };
}

/**
 * pytest's message for an error in a fixture: 'failed on setup with "file tests/x.py, line 24',
 * the test's source lines, then its "E" lines. The first two, all a report shows, named the file
 * and the def, not the cause ("fixture 'benchmark' not found": humanize trial): the "E" lines
 * come first.
 */
function setupErrorFirst(message: string | null): string | null {
  const match = /^failed on (setup|teardown) with "/.exec(message ?? "");
  if (message === null || match === null) return message;
  // Its lines may be coloured (--color=yes, or a terminal's environment): "#x1B[31mE ...".
  const errors = normalizeOutput(message.replace(/#x1B(?=\[)/g, "\x1b"))
    .split("\n")
    .filter((line) => /^E\s/.test(line))
    .map((line) => line.replace(/^E\s+/, ""));
  if (errors.length === 0) return message;
  return `failed on ${match[1]}: ${errors.join("\n")}\n${message}`;
}

function shape(raw: RawCase, options: JunitOptions): string | null {
  return raw.status === "fail" ? (shapeMessage(raw.message, options.root) ?? "failed") : null;
}

function genericCase(raw: RawCase, file: string | null, options: JunitOptions): TestCaseResult {
  const sameAsFile = (part: string) => part === raw.file || part === file;
  const byClass = informativeClassname(raw.classname);
  const idParts = byClass
    ? [sameAsFile(raw.classname) ? "" : raw.classname, raw.name]
    : [...raw.suites.filter((suite) => !toolSuiteNames.has(suite)), raw.name];
  const path = idParts.filter((part) => part !== "").join(" > ");
  const id = file === null ? path : `${file}::${path}`;

  const shown = (byClass ? [raw.classname, raw.name] : [...raw.suites, raw.name]).filter(
    (part) => part !== "" && !sameAsFile(part) && !toolSuiteNames.has(part),
  );
  // jest-junit repeats the describe titles in classname and name ("{classname} {title}").
  const name = shown
    .filter((part, i) => {
      const next = shown[i + 1];
      return next === undefined || (next !== part && !next.startsWith(`${part} `));
    })
    .join(" > ");
  const kind = mochaHookOrError(raw.name);
  return {
    id,
    name: name === "" ? raw.name : name,
    file,
    line: raw.line,
    status: raw.status,
    message: shape(raw, options),
    ...(kind ? { kind } : {}),
  };
}

/**
 * A case of a class whose source file is known (JUnit on the JVM): its id is the file and the
 * name, with the nested classes between (`src/test/java/shop/LibTest.java::Totals > adds` for
 * `shop.LibTest$Totals`); shown as the class and the name, as Maven prints it.
 */
function classFileCase(raw: RawCase, file: string, options: JunitOptions): TestCaseResult {
  const nested = raw.classname.split("$").slice(1);
  // A case without a name is the class's own failure (a @BeforeAll that threw): listed only
  // when it fails, it did not fail where the class's tests ran without it, and says nothing
  // where none ran (the class was not there). As a test it was new on your tree, and the
  // answer UNRUNNABLE (found in review).
  if (raw.name === "") {
    return {
      id: nested.length > 0 ? `${file}::${nested.join(" > ")}` : file,
      name: raw.classname,
      file,
      line: null,
      status: raw.status,
      message: shape(raw, options),
      kind: "file",
    };
  }
  return {
    id: `${file}::${[...nested, raw.name].join(" > ")}`,
    name: `${raw.classname} > ${raw.name}`,
    file,
    line: raw.line,
    status: raw.status,
    message: shape(raw, options),
  };
}

/**
 * mocha's entries that are not tests, listed only when they fail: a hook (`"before all" hook
 * for "uses setup"`, `"after each" hook: cleanup`), whose failure skips the tests under it, and
 * an error thrown outside any test. Not listed where they passed: a hook your change broke read
 * as a test the baseline never ran, and the verdict UNRUNNABLE, exit 2, where the baseline ran
 * it and passed (micromatch/picomatch trial).
 */
function mochaHookOrError(name: string): "suite" | "error" | undefined {
  if (/^"(before|after) (all|each)" hook\b/.test(name)) return "suite";
  if (name === "Uncaught error outside test suite") return "error";
  return undefined;
}

// A Go test with subtests (gotestsum's "TestX" next to "TestX/sub") fails whenever one of
// them does: its outcome is theirs, so it is left out.
function dropParents(cases: readonly RawCase[]): RawCase[] {
  const names = new Set(cases.map((raw) => `${raw.classname}\u0000${raw.name}`));
  const parents = new Set<string>();
  for (const raw of cases) {
    const slash = raw.name.lastIndexOf("/");
    for (let end = slash; end > 0; end = raw.name.lastIndexOf("/", end - 1)) {
      const parent = `${raw.classname}\u0000${raw.name.slice(0, end)}`;
      if (names.has(parent)) parents.add(parent);
    }
  }
  return cases.filter((raw) => !parents.has(`${raw.classname}\u0000${raw.name}`));
}

// Without a file attribute, a classname or suite name that is an existing file is the file
// (vitest's junit reporter names both after the test file).
function fileFromNames(raw: RawCase, context: PathContext): string | null {
  if (context.exists === undefined) return null;
  for (const name of [raw.classname, ...[...raw.suites].reverse()]) {
    if (!/[/\\]|\.[cm]?[jt]sx?$|\.py$/.test(name)) continue;
    const found = existingFile(name, context);
    if (found !== null) return found;
  }
  return null;
}

/** The tests of a JUnit XML report, in any of the common dialects (pure). */
export function parseJunit(xml: string, options: JunitOptions): ParsedTests {
  if (xml.trim() === "") return { ok: false, why: reportMessages.empty(options.label) };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const detail = `${valid.err.msg} at line ${valid.err.line}`;
    return { ok: false, why: reportMessages.badXml(options.label, detail) };
  }
  let nodes: XmlNode[];
  try {
    nodes = parser.parse(xml) as XmlNode[];
  } catch (error) {
    return { ok: false, why: reportMessages.badXml(options.label, (error as Error).message) };
  }
  if (!hasJunitElements(nodes)) return { ok: false, why: reportMessages.notJunit(options.label) };
  let raw: RawCase[] = [];
  collect(nodes, [], null, raw);
  // pytest, stopped by SIGINT in a test, writes an empty <testcase/> for it.
  if (options.stopped) raw = raw.filter((entry) => entry.name !== "" || entry.classname !== "");
  const pytest = options.pytest ?? looksLikePytest(nodes);
  const tests = dropParents(raw).map((entry) => {
    const file = relativeFile(entry.file, options) ?? fileFromNames(entry, options);
    const ofClass =
      file === null && !pytest && options.classFile
        ? relativeFile(options.classFile(entry.classname), options)
        : null;
    const test = ofClass
      ? classFileCase(entry, ofClass, options)
      : pytest
        ? pytestCase(entry, file, options)
        : genericCase(entry, file, options);
    return withFailureLine(test, entry.body || entry.message, options);
  });
  // One id listed more than once: distinct tests that share a name (tap-junit names each of
  // tape's assertions after its kind, "should be strictly equal"), numbered in report order, or
  // the attempts of a retried test (gotestsum --rerun-fails), each then a test of its own.
  // Keeping the last one dropped a failing assertion followed by a passing one of the same name
  // (a regression read PRE-EXISTING); choosing by the outcomes would give the same assertions
  // other ids on the two sides.
  return {
    ok: true,
    tests: numberDuplicates(tests),
    ...(options.stopped ? { partial: true as const } : {}),
  };
}
