import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { expect } from "vitest";
import { leftWorktrees } from "./fault-matrix.js";
import { captureState, createRepo, culpritRefs, type TestRepo } from "./harness.js";
import { readJournal } from "./journal.js";

/*
 * Repositories for `culprit isolate`: four source files of 40 lines, each with three changed
 * lines far enough apart to be three hunks (12 in all), and a node check that fails on a marker.
 */

/** The files every scenario changes, in diff order. */
export const isolateFiles = ["src/alpha.js", "src/beta.js", "src/gamma.js", "src/delta.js"];

/** The lines changed in each file (1-based): three hunks a file. */
export const changedLines = [5, 20, 35];

function source(name: string, edits: Record<number, string> = {}): string {
  const lines: string[] = [];
  for (let i = 1; i <= 40; i++) lines.push(edits[i] ?? `// ${name} line ${i}`);
  return `${lines.join("\n")}\n`;
}

/** The check the scenarios run: `node check.js`. */
export const isolateCommand = ["node", "check.js"];

/**
 * A committed baseline and a dirty tree with 12 changed hunks in 4 files. `markers` puts a
 * marker comment at a file's hunk (file index, hunk index) instead of the harmless edit; the
 * check fails when every marker named in `failWhen` is present.
 */
export function isolateRepo(options: {
  markers: [file: number, hunk: number, marker: string][];
  failWhen: string[];
  /** Extra committed files and their contents at the baseline, and the user's tree. */
  base?: Record<string, string>;
  work?: Record<string, string>;
  check?: string;
}): TestRepo {
  const repo = createRepo();
  const check =
    options.check ??
    [
      'const { readFileSync } = require("node:fs");',
      'const text = ["alpha", "beta", "gamma", "delta"].map((n) => readFileSync("src/" + n + ".js", "utf8")).join("");',
      `const failWhen = ${JSON.stringify(options.failWhen)};`,
      "if (failWhen.every((m) => text.includes(m))) {",
      '  console.error("check: broken");',
      "  process.exit(1);",
      "}",
      "",
    ].join("\n");
  repo.write("check.js", check);
  repo.write(".gitignore", "node_modules/\n");
  isolateFiles.forEach((path) => {
    repo.write(path, source(path));
  });
  for (const [path, content] of Object.entries(options.base ?? {})) repo.write(path, content);
  repo.commit("baseline");
  isolateFiles.forEach((path, f) => {
    const edits: Record<number, string> = {};
    changedLines.forEach((line, h) => {
      const marker = options.markers.find(([mf, mh]) => mf === f && mh === h)?.[2];
      edits[line] = marker ? `// ${marker}` : `// ${path} line ${line}, edited`;
    });
    repo.write(path, source(path, edits));
  });
  for (const [path, content] of Object.entries(options.work ?? {})) repo.write(path, content);
  return repo;
}

/**
 * A configuration that waits, judged by the exit code (`node check.js`): src/alpha.js's change makes the check wait
 * (`wait`: a timer that never ends, or 12 s) unless src/delta.js's change is there too; the
 * guilty change is in src/beta.js.
 */
export function waitingRepo(wait: string): TestRepo {
  return isolateRepo({
    markers: [
      [0, 0, "WAIT"],
      [1, 1, "BUG"],
      [3, 2, "DONE"],
    ],
    failWhen: [],
    check: [
      'const { readFileSync } = require("node:fs");',
      'const text = ["alpha", "beta", "gamma", "delta"].map((n) => readFileSync("src/" + n + ".js", "utf8")).join("");',
      "const check = () => process.exit(text.includes('BUG') ? 1 : 0);",
      `if (text.includes("WAIT") && !text.includes("DONE")) ${wait};`,
      "else check();",
      "",
    ].join("\n"),
  });
}

/** schema/isolate.schema.json, compiled once. */
const validateIsolate = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(
    readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schema", "isolate.schema.json"),
      "utf8",
    ),
  ) as object,
);

/** `culprit isolate --json`'s document, checked against its schema (culprit's output on failure). */
export function parseIsolateJson<T>(result: { stdout: string; stderr: string }): T {
  try {
    const doc = JSON.parse(result.stdout) as T;
    expect(validateIsolate(doc), JSON.stringify(validateIsolate.errors, null, 2)).toBe(true);
    return doc;
  } catch (error) {
    throw new Error(`${String(error)}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/**
 * The repository byte-identical to `before`, and nothing of culprit's left: worktrees, journal,
 * refs (but for the residue refs `residue` matches: what a test wrote, kept by design).
 */
export function expectIsolateUntouched(
  repo: TestRepo,
  before: Record<string, string>,
  residue?: RegExp,
): void {
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
  expect(culpritRefs(repo).filter((ref) => !residue?.test(ref))).toEqual([]);
}
