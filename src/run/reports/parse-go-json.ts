import { reportMessages } from "./messages.js";
import { shapeMessage } from "./shape-results.js";
import type { ParsedTests, TestCaseResult, TestStatus } from "./types.js";

// `go test -json` writes test2json events, one JSON object a line:
// https://pkg.go.dev/cmd/test2json (Action: start, run, pause, cont, pass, bench, fail, output, skip).
interface GoEvent {
  Action?: unknown;
  Package?: unknown;
  Test?: unknown;
  Output?: unknown;
}

interface Entry {
  output: string[];
  outcome: TestStatus | null;
}

// test2json's framing lines, which carry durations and no message.
const framing =
  /^\s*(?:=== (?:RUN|PAUSE|CONT|NAME)\b|--- (?:FAIL|PASS|SKIP):|(?:FAIL|ok|PASS)(?:\s|$))/;

function entryFor(map: Map<string, Entry>, key: string): Entry {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = { output: [], outcome: null };
    map.set(key, entry);
  }
  return entry;
}

function settle(entry: Entry, action: string): void {
  // With -count=N a test runs N times: one failure fails it (go test has no retries).
  if (action === "fail") entry.outcome = "fail";
  else if (entry.outcome !== "fail") entry.outcome = action === "skip" ? "skip" : "pass";
}

function message(entry: Entry, root: string): string {
  const text = entry.output
    .join("")
    .split("\n")
    .filter((line) => !framing.test(line))
    .join("\n");
  return shapeMessage(text, root) ?? "failed";
}

/** The tests of a `go test -json` run, from its output (pure); lines that are not events are skipped. */
export function parseGoJson(text: string, root: string): ParsedTests {
  const tests = new Map<string, Entry>();
  const packages = new Map<string, Entry>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    let event: GoEvent;
    try {
      event = JSON.parse(line) as GoEvent;
    } catch {
      continue;
    }
    const action = typeof event.Action === "string" ? event.Action : "";
    const pkg = typeof event.Package === "string" ? event.Package : "";
    if (pkg === "") continue;
    const test = typeof event.Test === "string" ? event.Test : null;
    const entry = test === null ? entryFor(packages, pkg) : entryFor(tests, `${pkg}\u0000${test}`);
    if (action === "output" && typeof event.Output === "string") entry.output.push(event.Output);
    else if (action === "pass" || action === "fail" || action === "skip") settle(entry, action);
  }
  for (const [name, entry] of packages) {
    if (entry.outcome === null) return { ok: false, why: reportMessages.unfinishedLog(name) };
  }

  const keys = [...tests.keys()];
  // A test with subtests passes or fails with them: its outcome is theirs.
  const parents = new Set<string>();
  for (const key of keys) {
    for (
      let end = key.lastIndexOf("/");
      end > key.indexOf("\u0000");
      end = key.lastIndexOf("/", end - 1)
    ) {
      if (tests.has(key.slice(0, end))) parents.add(key.slice(0, end));
    }
  }
  const results: TestCaseResult[] = [];
  const failedPackages = new Set<string>();
  for (const [key, entry] of tests) {
    if (parents.has(key)) continue;
    const [pkg, test] = key.split("\u0000") as [string, string];
    if (entry.outcome === null) return { ok: false, why: reportMessages.unfinishedLog(test) };
    if (entry.outcome === "fail") failedPackages.add(pkg);
    results.push({
      id: `${pkg}::${test}`,
      name: `${pkg} > ${test}`,
      file: null,
      line: null,
      status: entry.outcome,
      message: entry.outcome === "fail" ? message(entry, root) : null,
    });
  }
  // A package that failed with no failing test: a panic in TestMain or init, a build error.
  for (const [pkg, entry] of packages) {
    if (entry.outcome !== "fail" || failedPackages.has(pkg)) continue;
    results.push({
      id: pkg,
      name: pkg,
      file: null,
      line: null,
      status: "fail",
      message: message(entry, root),
      kind: "file",
    });
  }
  return { ok: true, tests: results };
}
