import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
import { worktreeModules } from "../repos/runner-projects.js";

// vitest 1 and 2 have no --includeTaskLocation option (vitest 3 added it) and stop on it:
// `CACError: Unknown option`. culprit added it to every vitest command, so on reduxjs/redux-thunk
// (vitest 1.6) every run read "could not run" and a regression was UNRUNNABLE, exit 2. The real
// vitest 2.1.9 is installed by npm ci in the workspace test/runners/vitest2 (its own
// node_modules: the root's vitest stays the suite's).

const vitest2 = join(worktreeModules, "..", "test", "runners", "vitest2", "node_modules", "vitest");
const missing = existsSync(join(vitest2, "vitest.mjs"))
  ? null
  : "vitest 2 is not installed (npm ci installs it in test/runners/vitest2)";
if (missing) console.log(`vitest 2 case skipped: ${missing}`);

const lib = (body: string) => `export const add = (a, b) => ${body};\n`;
const tests = `import { expect, test } from "vitest";
import { add } from "../src/add.js";
test("adds", () => expect(add(1, 2)).toBe(3));
test("an old failure", () => expect(1 + 1).toBe(3));
`;

interface Result {
  verdict: string;
  tests: { name: string; verdict: string; file: string | null; line: number | null }[];
}

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

describe.skipIf(missing !== null)("vitest 2, the real runner", () => {
  test("one old failure and a new one: judged per test, a regression, exit 1", () => {
    repo = createRepo();
    repo.write(".gitignore", "node_modules\n");
    repo.write("package.json", `${JSON.stringify({ private: true, type: "module" })}\n`);
    repo.write("src/add.js", lib("a + b"));
    repo.write("test/add.test.js", tests);
    repo.commit("adds");
    // The project's own node_modules holds vitest 2 (its dependencies resolve from there).
    mkdirSync(join(repo.dir, "node_modules"));
    symlinkSync(vitest2, join(repo.dir, "node_modules", "vitest"));
    repo.write("src/add.js", lib("a - b"));
    // Byte-identical but for vitest's own results cache (node_modules/.vite), no ref left.
    const run = attributeUntouched(
      repo,
      ["node", "node_modules/vitest/vitest.mjs", "run"],
      [],
      {},
      ["node_modules/.vite"],
    );
    expect(run.status, run.stderr).toBe(1);
    const result = run.json as unknown as Result;
    expect(result.verdict).toBe("regression");
    expect(result.tests.map((t) => [t.name, t.verdict, t.file])).toEqual([
      ["adds", "regression", "test/add.test.js"],
      ["an old failure", "pre-existing", "test/add.test.js"],
    ]);
  }, 120_000);
});
