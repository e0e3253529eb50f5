import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { runCulprit, type TestRepo } from "../repos/harness.js";
import { newTestCommand, newTestRepo } from "../repos/revert-scenarios.js";
import { checkCommand, preExistingRepo, regressionRepo } from "../repos/scenarios.js";

interface Pattern {
  regexp: string;
  file: number;
  line?: number;
  message: number;
  code?: number;
}
interface Matcher {
  owner: string;
  pattern: Pattern;
  severity: string;
}

const tasksPath = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "docs",
  "vscode",
  "tasks.json",
);
const tasks = JSON.parse(readFileSync(tasksPath, "utf8")) as {
  tasks: { args: string[]; problemMatcher: Matcher[] }[];
};
const task = tasks.tasks[0]!;
// VS Code compiles a problem matcher's regexp as a JavaScript RegExp.
const matchers = task.problemMatcher.map((m) => ({ ...m, re: new RegExp(m.pattern.regexp) }));

/** What VS Code would report for each line of output: file, line, message, severity. */
function problems(output: string) {
  const found: { file: string; line: string | undefined; message: string; severity: string }[] = [];
  for (const text of output.split("\n")) {
    for (const m of matchers) {
      const match = m.re.exec(text);
      if (!match) continue;
      found.push({
        file: match[m.pattern.file]!,
        line: m.pattern.line ? match[m.pattern.line] : undefined,
        message: match[m.pattern.message]!,
        severity: m.severity,
      });
      break;
    }
  }
  return found;
}

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

describe("docs/vscode/tasks.json's problem matchers read `--format line`", () => {
  test("the task runs culprit with --format line", () => {
    expect(task.args.slice(0, 3)).toEqual(["culprit", "--format", "line"]);
  });

  test("a selective revert's guilty file: an error on it, and the verdict line", () => {
    repo = newTestRepo();
    const result = runCulprit(repo, ["--format", "line", "--", ...newTestCommand]);
    expect(result.status).toBe(1);
    const test = "total counts quantities";
    expect(result.stdout).toBe(
      "culprit: regression: node --test test/new.test.mjs (current 3/3 failed, baseline 0/3 failed)\n" +
        `test/new.test.mjs:5: culprit: regression: ${test}\n` +
        "src/price.mjs:1: culprit: regression caused by changes here\n",
    );
    expect(problems(result.stdout)).toEqual([
      { file: "test/new.test.mjs", line: undefined, message: "regression", severity: "warning" },
      {
        file: "test/new.test.mjs",
        line: "5",
        message: `regression: ${test}`,
        severity: "error",
      },
      { file: "src/price.mjs", line: "1", message: "regression", severity: "error" },
    ]);
  });

  test("a stash baseline: one verdict line, on the command's last argument", () => {
    repo = regressionRepo();
    const result = runCulprit(repo, ["--format", "line", "--", ...checkCommand]);
    expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(problems(result.stdout)).toEqual([
      { file: "check.mjs", line: undefined, message: "regression", severity: "warning" },
    ]);
  });

  test("pre-existing: the verdict line, no file blamed", () => {
    repo = preExistingRepo();
    const result = runCulprit(repo, ["--format", "line", "--", ...checkCommand]);
    expect(result.status).toBe(0);
    expect(problems(result.stdout)).toEqual([
      { file: "check.mjs", line: undefined, message: "pre-existing", severity: "warning" },
    ]);
  });
});
