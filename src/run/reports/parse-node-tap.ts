import { reportMessages } from "./messages.js";
import {
  failureLine,
  numberDuplicates,
  type PathContext,
  relativeFile,
  shapeMessage,
} from "./shape-results.js";
import { readYaml } from "./tap-yaml.js";
import type { ParsedTests, TestCaseResult, TestStatus } from "./types.js";

/*
 * node-tap's raw TAP (`tap --output-file FILE`: tap 16 to 21), whatever reporter the console has
 * =================================================================================================
 *
 * Each test file is a subtest of the run, named by its path from where tap ran; each `t.test`
 * is a subtest of its file, or of its parent test, indented four spaces a level. A subtest
 * opens with a comment and closes with its own point at its parent's indent; what a test
 * asserts are points inside it, a failing one with a YAML block that says where (`at:`: tap 18+
 * writes fileName and lineNumber, tap 16 file and line) and what (`diff`, `found`/`wanted`):
 *
 *   # Subtest: test/add.test.js
 *       # Subtest: adds
 *           not ok 1 - should be equal
 *             ---
 *             at:
 *               fileName: test/add.test.js
 *               lineNumber: 3
 *             diff: |
 *               -3
 *               +-1
 *             ...
 *           1..1
 *       not ok 1 - adds # time=20.158ms
 *       ok 2 - skipped # SKIP not now
 *       1..2
 *   not ok 1 - test/add.test.js # time=33.077ms
 *
 * A test is a subtest with no subtest of its own (its id: file, then the names of its parents
 * and its own, "test/add.test.js::parent > adds"). A parent that fails by its own assertions, or
 * fails when none of its subtests does (a thrown error, a plan not met) is a failure outside any
 * test (`kind: "suite"`). A file of assertions and no subtest is one test, the file; a file that
 * fails with no failing test in it (it did not load: tap's TAP says only "no tests found" and the
 * exit code, the error went to the console) is a file failure (`kind: "file"`), and so is an
 * error tap caught at a file's top level (a `t.before` hook that threw, before the file declared
 * its tests): such an error is no assertion. A point with a SKIP or TODO directive and no
 * subtest body is a test skipped; a failing TODO assertion fails nothing. A file that ran to its
 * plan with nothing failing passed, even when tap never printed its closing point (tap 21 prints
 * its run-level `timeout!` there); a file that timed out before tap printed any of it fails by
 * that `timeout!`, and a file whose header alone was printed did not run.
 *
 * tap's own TAP goes wrong in places, and is read as it means: a point closes the open subtest
 * only when it names it (after a teardown's error, tap prints the finished subtest's point again
 * inside the next one, then that error, then a header without a name that goes on with the open
 * one); an error caught on a subtest that already ended fails that subtest.
 */

/** One subtest (the run itself at the root, a file, a test), as the TAP nests them. */
interface Node {
  name: string;
  children: Node[];
  /**
   * Its own failing points (TODOs left out), in order: what, where (`at:`), and the stack, whose
   * frames name the test's own line when the assertion is in a helper.
   */
  failures: Array<{ text: string; at: Place | null; stack: string[] }>;
  /** Its own assertions, any outcome (not the errors tap caught on it: see `caughtError`). */
  asserted: number;
  /**
   * The last line of its body so far is a plan line (`1..N`): tap prints one there when the
   * body ran to its end (a `t.plan` prints one first, which the next line clears).
   */
  planned: boolean;
  /** A point with a SKIP or TODO directive and no body: a subtest skipped, or an assertion (see subtestsOf). */
  bodiless?: boolean;
  /** Its closing point: null until seen (a run cut short leaves some open). */
  result: { ok: boolean; directive: "SKIP" | "TODO" | null; yaml: Yaml } | null;
}

interface Place {
  file: string;
  line: number;
}

const subtestHeader = /^# Subtest(?:: (.*))?$/;
const point = /^(not ok|ok)\b(?: \d+)?(?: -)?(?: (.*?))?(?: # (SKIP|TODO)\b.*?)?(?: # time=\S+)?$/i;
const plan = /^1\.\.\d+\b/;
const yamlStart = /^---\s*$/;

function node(name: string): Node {
  return { name, children: [], failures: [], asserted: 0, planned: false, result: null };
}

/**
 * A name as the test gave it: without the duration tap adds (`adds # time=20.158ms`), and with
 * TAP's escapes undone (`a \\# b` is `a # b`).
 */
function bareName(text: string | undefined): string {
  return (text ?? "")
    .replace(/ # time=\S+$/, "")
    .trim()
    .replace(/\\([#\\])/g, "$1");
}

/** A point's YAML block: its top-level fields (src/run/reports/tap-yaml.ts). */
type Yaml = Record<string, string>;

/** A field's lines (a value over several lines, or a mapping's `key: value` lines). */
function linesOf(yaml: Yaml, name: string): string[] | null {
  const value = yaml[name];
  return value === undefined ? null : value.split("\n");
}

/** Where an assertion failed: its `at:` (tap 18+: fileName, lineNumber; tap 16: file, line). */
function placeOf(yaml: Yaml): Place | null {
  const at = linesOf(yaml, "at");
  if (at === null) return null;
  const value = (name: string) =>
    at
      .find((line) => line.startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const file = value("fileName") ?? value("file");
  const line = Number(value("lineNumber") ?? value("line"));
  return file !== undefined && Number.isInteger(line) && line > 0 ? { file, line } : null;
}

/** What a failing assertion says: its description (the error's type before a thrown one's), then what differs. */
function failureText(description: string, yaml: Yaml): string {
  const type = yaml["type"];
  const lines = [type && !description.startsWith(type) ? `${type}: ${description}` : description];
  const diff = linesOf(yaml, "diff");
  if (diff !== null) {
    // The diff's own header and hunk lines say nothing of the values.
    lines.push(
      ...diff.filter((line) => !/^(?:(?:---|\+\+\+) (?:expected|actual)|@@ .* @@)$/.test(line)),
    );
  } else {
    // What was found and what was wanted (tap's own assertions), or a thrown AssertionError's
    // actual and expected (node:assert).
    for (const name of ["found", "wanted", "pattern", "actual", "expected"]) {
      const value = linesOf(yaml, name);
      if (value !== null) lines.push(`${name}: ${value.join(" ")}`);
    }
  }
  return lines.join("\n");
}

/** The tree of subtests of node-tap's TAP; null when the text holds no TAP of tap's. */
function parseTree(text: string): Node | null {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const root = node("");
  /** stack[d]: the subtest whose body is at depth d (four spaces a level). */
  const stack: Node[] = [root];
  let seen = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const indent = /^ */.exec(raw)![0].length;
    const line = raw.slice(indent);
    if (indent % 4 !== 0) continue;
    const depth = indent / 4;
    if (depth >= stack.length) continue;
    if (/^Bail out!/.test(line)) break;
    if (plan.test(line)) {
      stack[depth]!.planned = true;
      continue;
    }
    const header = subtestHeader.exec(line);
    if (header) {
      seen = true;
      const parent = stack[depth]!;
      parent.planned = false;
      stack.length = depth + 1;
      const open = parent.children.at(-1);
      // A header without a name while a subtest is still open here: tap goes on printing that
      // subtest's body (after a teardown's error printed in the middle of it), not a new one.
      if (header[1] === undefined && open !== undefined && open.result === null) {
        stack.push(open);
        continue;
      }
      const child = node(bareName(header[1]));
      parent.children.push(child);
      stack.push(child);
      continue;
    }
    const result = point.exec(line);
    if (!result) continue;
    seen = true;
    stack[depth]!.planned = false;
    // Its YAML block: from `---` on the next line, two spaces in, to its `...`.
    const yaml: Yaml = {};
    const inner = " ".repeat(indent + 2);
    if (lines[i + 1]?.startsWith(inner) && yamlStart.test(lines[i + 1]!.slice(inner.length)))
      i = readYaml(lines, i + 2, yaml);
    const [, okWord, description, directiveWord] = result;
    const ok = okWord!.toLowerCase() === "ok";
    const directive = (directiveWord?.toUpperCase() ?? null) as "SKIP" | "TODO" | null;
    const parent = stack[depth]!;
    stack.length = depth + 1;
    // tap 21's run-level `timeout!` for a file whose time expired, printed where the last file's
    // closing point should be (that point never comes): it closes nothing, and the file it names
    // has failed already by its own point.
    const expired = yaml["expired"];
    if (depth === 0 && expired !== undefined && expired !== parent.children.at(-1)?.name) {
      // A file that timed out before tap printed anything of it (several files at once): it
      // fails here, with what tap said.
      const timedOut = parent.children.find((child) => child.name === expired);
      if (timedOut === undefined) {
        const file = node(expired);
        file.result = {
          ok: false,
          directive: null,
          yaml: { message: "timed out (tap's --timeout)" },
        };
        parent.children.push(file);
      }
      continue;
    }
    const name = bareName(description);
    // The point that closes the last subtest opened here: its own name (a name of several lines
    // is cut to its first in the header); another point is an assertion of `parent`, a subtest
    // skipped (no body), or the same point printed twice (tap does, after a hook's error).
    const open = parent.children.at(-1);
    if (open !== undefined && open.result === null && name.startsWith(open.name)) {
      open.result = { ok, directive, yaml };
      continue;
    }
    if (parent.children.some((child) => child.result !== null && child.name === name)) {
      if (!ok) for (const child of parent.children) if (child.name === name) markFailed(child);
      continue;
    }
    if (directive !== null && bareName(description) !== "") {
      const skipped = node(bareName(description));
      skipped.result = { ok, directive, yaml };
      skipped.bodiless = true;
      parent.children.push(skipped);
      continue;
    }
    // An error tap caught on the test (a hook that threw, code at a file's top level) says so
    // (`tapCaught:`, or `test:` naming what it was caught on): it is no assertion of the test.
    // Caught on a subtest that already ended (its teardown threw), it is that subtest's.
    const caughtOn = yaml["test"];
    const caughtError = yaml["tapCaught"] !== undefined || caughtOn !== undefined;
    const owner =
      [...parent.children].reverse().find((child) => child.name === caughtOn && child.result) ??
      parent;
    if (!caughtError) owner.asserted += 1;
    if (!ok && directive !== "TODO") {
      owner.failures.push({
        text: failureText(name || "failed", yaml),
        at: placeOf(yaml),
        stack: linesOf(yaml, "stack") ?? [],
      });
      if (owner !== parent) markFailed(owner);
    }
  }
  return seen ? root : null;
}

/** A subtest whose point said ok, failed after all (an error caught on it once it ended). */
function markFailed(test: Node): void {
  if (test.result?.ok && test.result.directive === null)
    test.result = { ...test.result, ok: false };
}

/** Nothing of it was printed: a file tap named and never ran (a run cut short, or killed). */
function empty(test: Node): boolean {
  return (
    test.result === null &&
    test.children.length === 0 &&
    test.asserted === 0 &&
    test.failures.length === 0 &&
    !test.planned
  );
}

/**
 * A node's subtests. A point with a directive and no body is a subtest skipped (`t.test(name, {
 * skip })`) beside other subtests, or in a node with no assertion; in a test of assertions and
 * no other subtest, it is one of its assertions (`t.ok(x, "later", { todo: true })`).
 */
function subtestsOf(test: Node): Node[] {
  const real = test.children.some((child) => !child.bodiless);
  return real || test.asserted === 0 ? test.children : [];
}

function statusOf(test: Node): TestStatus {
  const result = test.result;
  // No point closed it: it failed, unless it reached its plan with nothing failing in it (a
  // point tap never printed, see `expired`).
  if (result === null) {
    const clean =
      test.planned &&
      test.failures.length === 0 &&
      test.children.every((child) => statusOf(child) !== "fail");
    return clean ? "pass" : "fail";
  }
  if (result.directive !== null) return "skip";
  return result.ok ? "pass" : "fail";
}

/** A failing node's message: its first failing assertion's, else its own point's. */
function messageOf(test: Node, root: string): string {
  const first = test.failures[0]?.text;
  if (first !== undefined) return shapeMessage(first, root) ?? "failed";
  if (test.result === null) return "did not end (tap stopped before it did)";
  const { message: said, exitCode: exit, signal } = test.result.yaml;
  const why =
    said ??
    (signal !== undefined && signal !== "null"
      ? `killed by ${signal}`
      : exit !== undefined && exit !== "null" && exit !== "0"
        ? `exit code ${exit}`
        : "failed");
  return shapeMessage(why, root) ?? "failed";
}

/** How to read one raw TAP file of node-tap's. */
export interface NodeTapOptions extends PathContext {
  /** What the reasons call the report: "the tap --output-file report". */
  label: string;
}

/** The tests of node-tap's raw TAP (pure). */
export function parseNodeTap(text: string, context: NodeTapOptions): ParsedTests {
  if (text.trim() === "") return { ok: false, why: reportMessages.empty(context.label) };
  const root = parseTree(text);
  if (root === null) return { ok: false, why: reportMessages.unfinished(context.label) };
  const tests: TestCaseResult[] = [];
  for (const fileNode of root.children) {
    // A file whose header alone was printed did not run here: no entry (it is not observed).
    if (empty(fileNode)) continue;
    const file = relativeFile(fileNode.name, context);
    const place = (at: Place | null): number | undefined => {
      if (at === null || file === null) return undefined;
      return relativeFile(at.file, context) === file ? at.line : undefined;
    };
    /** Where a failure was in the test's own file: its `at:`, else the first stack frame there (an assertion in a helper). */
    const failedIn = (failure: Node["failures"][number] | undefined): number | undefined => {
      if (failure === undefined) return undefined;
      const frames = failure.stack.map((frame) => `    at ${frame}`).join("\n");
      return place(failure.at) ?? failureLine(frames, file, context);
    };
    const entry = (
      test: Node,
      path: readonly string[],
      kind?: "suite" | "file",
    ): TestCaseResult => {
      const status = kind ? "fail" : statusOf(test);
      const name = path.length > 0 ? path.join(" > ") : (file ?? fileNode.name);
      const own = place(test.result ? placeOf(test.result.yaml) : null);
      const failedAt = status === "fail" ? failedIn(test.failures[0]) : undefined;
      return {
        id: path.length > 0 ? `${file ?? fileNode.name}::${name}` : (file ?? fileNode.name),
        name,
        file,
        line: own ?? null,
        status,
        message: status === "fail" ? messageOf(test, context.root) : null,
        ...(kind ? { kind } : {}),
        ...(failedAt !== undefined ? { failedAt: { line: failedAt } } : {}),
      };
    };
    const before = tests.length;
    const walk = (test: Node, path: readonly string[]): void => {
      for (const child of subtestsOf(test)) {
        const at = [...path, child.name || "(unnamed)"];
        if (subtestsOf(child).length === 0) {
          tests.push(entry(child, at));
          continue;
        }
        const start = tests.length;
        walk(child, at);
        const childFailed = tests.slice(start).some((t) => t.status === "fail");
        if (statusOf(child) === "fail" && (child.failures.length > 0 || !childFailed)) {
          tests.push(entry(child, at, "suite"));
        }
      }
    };
    if (subtestsOf(fileNode).length === 0 && fileNode.asserted > 0) {
      // A file of assertions only: the file is its one test.
      tests.push(entry(fileNode, []));
      continue;
    }
    walk(fileNode, []);
    const failedInside = tests.slice(before).some((t) => t.status === "fail");
    if (statusOf(fileNode) === "fail" && (fileNode.failures.length > 0 || !failedInside)) {
      tests.push(entry(fileNode, [], "file"));
    }
  }
  return { ok: true, tests: numberDuplicates(tests) };
}
