import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulpritAsync,
  type TestRepo,
} from "../repos/harness.js";
import { worktreeModules } from "../repos/runner-projects.js";

/*
 * Test first: a new function and the test of it, together in your tree, and the test fails (the
 * function is wrong). At HEAD the test is not there; with the code reverted (your test kept) it
 * fails another way: `isValidPath is not a function`, a TypeError, where yours fails an
 * assertion. The code you wrote is what the test needs, and what fails it: a regression caused
 * by it. culprit answered PRE-EXISTING, "the failure lies elsewhere", exit 0.
 * The other way round stays pre-existing: a test that already failed at HEAD with a TypeError
 * and fails an assertion now was failing before your changes (it fails otherwise, and says so).
 */

type Doc = {
  verdict: string;
  strategy: string;
  tests: {
    name: string;
    verdict: string;
    failureChanged: boolean;
    baselineMessage: string | null;
  }[];
};

function append(repo: TestRepo, path: string, text: string): void {
  repo.write(path, readFileSync(join(repo.dir, path), "utf8") + text);
}

const pathsSource = 'export function parse(str) {\n  return str.split("/").filter(Boolean);\n}\n';
const validSource = "export function isValidPath(str) {\n  return str.length > 1;\n}\n";

function project(runner: "node" | "vitest"): { repo: TestRepo; command: string[] } {
  const repo = createRepo();
  const header =
    runner === "node"
      ? 'import { test } from "node:test";\nimport assert from "node:assert";\n'
      : 'import { test } from "vitest";\nimport assert from "node:assert";\n';
  repo.write("src/paths.mjs", pathsSource);
  repo.write(
    "test/paths.test.mjs",
    `${header}import * as paths from "../src/paths.mjs";\ntest("parses", () => assert.deepStrictEqual(paths.parse("/a/b"), ["a", "b"]));\n`,
  );
  if (runner === "vitest") {
    repo.write("package.json", '{ "type": "module" }\n');
    repo.write(".gitignore", "node_modules\n");
    repo.symlink(worktreeModules, "node_modules");
  }
  repo.commit("paths");
  const command =
    runner === "node" ? ["node", "--test", "test/"] : ["npx", "vitest", "run", "test/"];
  return { repo, command };
}

async function attribute(repo: TestRepo, command: string[]) {
  const before = captureState(repo);
  const result = await runCulpritAsync(repo, ["--json", "--no-cache", "--", ...command]);
  let doc: Doc;
  try {
    doc = JSON.parse(result.stdout) as Doc;
  } catch {
    throw new Error(`stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
  return { result, doc };
}

for (const runner of ["node", "vitest"] as const) {
  for (const where of ["in the tracked test file", "in a new test file"] as const) {
    test.concurrent(`${runner}: a new function and its failing test ${where}: REGRESSION, exit 1`, async () => {
      const { repo, command } = project(runner);
      try {
        repo.write("src/paths.mjs", pathsSource + validSource);
        const newTest =
          'test("accepts the root path", () => assert.strictEqual(paths.isValidPath("/"), true));\n';
        if (where === "in the tracked test file") append(repo, "test/paths.test.mjs", newTest);
        else
          repo.write(
            "test/valid.test.mjs",
            (runner === "node"
              ? 'import { test } from "node:test";\n'
              : 'import { test } from "vitest";\n') +
              'import assert from "node:assert";\nimport * as paths from "../src/paths.mjs";\n' +
              newTest,
          );
        const { result, doc } = await attribute(repo, command);
        expect(doc.verdict, result.stderr).toBe("regression");
        expect(result.status).toBe(1);
        expect(doc.strategy).toBe("selective-revert");
        const test = doc.tests.find((t) => t.name.includes("accepts the root path"))!;
        expect(test.verdict).toBe("regression");
        expect(test.failureChanged).toBe(true);
        expect(test.baselineMessage).toMatch(/TypeError: .*isValidPath is not a function/);
      } finally {
        repo.cleanup();
      }
    }, 120_000);
  }
}

test.concurrent("node: a test that already failed at HEAD with a TypeError, an assertion now: PRE-EXISTING", async () => {
  const { repo, command } = project("node");
  try {
    // At HEAD: the test calls a function that does not exist yet.
    append(
      repo,
      "test/paths.test.mjs",
      'test("accepts the root path", () => assert.strictEqual(paths.isValidPath("/"), true));\n',
    );
    repo.commit("a test first");
    repo.write("src/paths.mjs", pathsSource + validSource);
    const { result, doc } = await attribute(repo, command);
    expect(doc.verdict, result.stderr).toBe("pre-existing");
    expect(result.status).toBe(0);
    const test = doc.tests.find((t) => t.name.includes("accepts the root path"))!;
    expect(test.verdict).toBe("pre-existing");
    expect(test.failureChanged).toBe(true);
  } finally {
    repo.cleanup();
  }
}, 120_000);
