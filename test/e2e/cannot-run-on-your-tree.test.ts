import { afterEach, describe, expect, test } from "vitest";
import {
  captureState,
  createRepo,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";

// Mid-refactor, the commonest way to break the tests is to stop them from running: a syntax
// error, an import that no longer resolves, for pytest a collection error (it stops the whole
// session). The command then "cannot run" on your tree. culprit used to stop there with
// UNRUNNABLE, exit 2, the baseline never tried (found on a real pytest project). It now runs the
// baseline: if the command runs there, your changes are what stops it, a regression.

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

interface Result {
  verdict: string;
  reason: string;
  runs: { side: string; outcome: string }[];
}

function nodeProject(): TestRepo {
  const r = createRepo();
  r.write("src/add.js", "exports.add = (a, b) => a + b;\n");
  r.write(
    "test/add.test.js",
    'const test = require("node:test");\nconst assert = require("node:assert");\nconst { add } = require("../src/add.js");\ntest("adds", () => assert.equal(add(1, 2), 3));\ntest("an old failure", () => assert.equal(add(1, 1), 3));\n',
  );
  r.commit("add");
  return r;
}

test("node --test: a syntax error in a source file is a regression, exit 1", () => {
  repo = nodeProject();
  repo.write("src/add.js", "exports.add = (a, b) => a + b +;\n");
  const before = captureState(repo);
  const run = runCulprit(repo, ["--json", "--", "node", "--test", "test/add.test.js"]);
  expect(run.status, run.stderr).toBe(1);
  const result = parseJsonOutput(run) as unknown as Result;
  expect(result.verdict).toBe("regression");
  expect(result.reason).toMatch(
    /^your changes stop the command before it runs: the command could not run on your tree \(3 of 3 attempts\), and it ran at the baseline \(0 of 3 runs passed\)$/,
  );
  expect(result.runs.filter((r) => r.side === "current").map((r) => r.outcome)).toEqual([
    "cannot-run",
    "cannot-run",
    "cannot-run",
  ]);
  // The old failure was never seen on your tree: no verdict of its own (it read "inconclusive,
  // fails 0/0 with your changes, 3/3 without").
  expect((result as unknown as { tests: unknown[] }).tests).toEqual([]);
  const line = runCulprit(repo, ["--format", "line", "--", "node", "--test", "test/add.test.js"]);
  expect(line.stdout.split("\n")[0]).toBe(
    "culprit: regression: node --test test/add.test.js (current could not run 3/3, baseline 3/3 failed)",
  );
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);

  // The report says what stopped it, in the runner's words.
  const human = runCulprit(repo, ["--", "node", "--test", "test/add.test.js"]);
  expect(human.stdout).toContain(
    "on your tree it could not run: node: SyntaxError: Unexpected token ';'",
  );

  // isolate says why it has nothing to take hunks away from, without running anything more.
  const isolate = runCulprit(repo, ["isolate", "--", "node", "--test", "test/add.test.js"]);
  expect(isolate.status).toBe(2);
  expect(isolate.stdout + isolate.stderr).toContain(
    "isolate names the hunks that make a test fail; first make the command run on your tree",
  );
  expect(captureState(repo)).toEqual(before);
});

test("a module missing on both sides: unrunnable, exit 2, both sides tried", () => {
  repo = nodeProject();
  repo.write(
    "test/add.test.js",
    'require("../src/not-there.js");\nconst test = require("node:test");\ntest("never", () => {});\n',
  );
  repo.commit("a test that cannot load");
  repo.write("src/add.js", "exports.add = (a, b) => b + a;\n");
  const before = captureState(repo);
  const run = runCulprit(repo, ["--json", "--", "node", "--test", "test/add.test.js"]);
  expect(run.status, run.stderr).toBe(2);
  const result = parseJsonOutput(run) as unknown as Result;
  expect(result.verdict).toBe("unrunnable");
  // The same reason on both sides: no selective revert is tried.
  expect(result.reason).toBe(
    "the command could not run on your tree (3 of 3 attempts), nor at the baseline (3 of 3 attempts)",
  );
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
});

const pytestMissing = runnerMissing("pytest");
if (pytestMissing) console.log(`pytest case skipped: ${pytestMissing}`);

describe.skipIf(pytestMissing !== null)("pytest", () => {
  test("a collection error your change causes (the session stops, exit 2) is a regression, exit 1", () => {
    repo = createRepo();
    repo.write("calc.py", "def add(a, b):\n    return a + b\n");
    repo.write(
      "test_calc.py",
      "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    );
    repo.write(".gitignore", "__pycache__/\n.pytest_cache/\n");
    repo.commit("calc");
    repo.write("calc.py", "def add(a, b:\n    return a + b\n");
    const before = captureState(repo);
    const run = runCulprit(repo, [
      "--json",
      "--",
      "python3",
      "-m",
      "pytest",
      "-q",
      "-p",
      "no:cacheprovider",
    ]);
    expect(run.status, run.stderr).toBe(1);
    const result = parseJsonOutput(run) as unknown as Result;
    expect(result.verdict).toBe("regression");
    expect(result.reason).toMatch(/^your changes stop the command before it runs/);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  });
});

// `npm test` whose script calls a tool that is not installed: the same "exit 127" on both sides.
// The cause is not in your changes: no selective revert is tried (a real project's tried 8, 24
// runs, before saying UNRUNNABLE).
test("the same reason on both sides: unrunnable after the first baseline, no revert tried", () => {
  repo = createRepo();
  repo.write(
    "package.json",
    `${JSON.stringify({ name: "p", scripts: { test: "no-such-tool-here && node t.js" } })}\n`,
  );
  repo.write("t.js", "process.exit(0);\n");
  repo.commit("p");
  repo.write("t.js", "process.exit(1);\n");
  const before = captureState(repo);
  const run = runCulprit(repo, ["--json", "--", "npm", "test"]);
  expect(run.status, run.stderr).toBe(2);
  const result = parseJsonOutput(run) as unknown as Result & { attempts: unknown[] };
  expect(result.verdict).toBe("unrunnable");
  expect(result.attempts).toHaveLength(1);
  expect(captureState(repo)).toEqual(before);
});
