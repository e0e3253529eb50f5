import { describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

// A run that stops at the first failure (pytest -x, mocha --bail, jest --bail, vitest --bail)
// hides the tests after it. With an old failure first, the new one was never seen on either
// side: `pytest -x` read "PRE-EXISTING", exit 0, over a regression. culprit now tells the runner
// to go on (--maxfail=0, --no-bail, --bail=0), and each test is judged. Real runners, one
// repository each: an old failure that runs first, then the test the edit breaks. The JS runners
// start by their bins: npx reads the whole node_modules tree before it starts one, about 0.6 s of
// CPU a run here, and other files cover npx.

type Test = { name: string; verdict: string };

const cases: {
  runner: string;
  make: () => TestRepo;
  edit: (repo: TestRepo) => void;
  command: string[];
}[] = [
  {
    runner: "pytest",
    make: () => {
      const repo = createRepo();
      repo.write(".gitignore", "__pycache__/\n.pytest_cache/\n");
      repo.write("calc.py", "def add(a, b):\n    return a + b\n");
      repo.write(
        "test_calc.py",
        "from calc import add\n\ndef test_a_old():\n    assert 1 == 2\n\ndef test_b_adds():\n    assert add(1, 2) == 3\n",
      );
      repo.commit("calc, with a test that already fails");
      return repo;
    },
    edit: (repo) => repo.write("calc.py", "def add(a, b):\n    return a - b\n"),
    command: ["python3", "-m", "pytest", "-x", "-p", "no:cacheprovider"],
  },
  {
    runner: "unittest",
    make: () => {
      const repo = createRepo();
      repo.write(".gitignore", "__pycache__/\n");
      repo.write("calc.py", "def add(a, b):\n    return a + b\n");
      // unittest runs a class's tests in name order: the old failure first.
      repo.write(
        "test_calc.py",
        "import unittest\nfrom calc import add\n\nclass TestCalc(unittest.TestCase):\n    def test_a_old(self):\n        self.assertEqual(1, 2)\n\n    def test_b_adds(self):\n        self.assertEqual(add(1, 2), 3)\n",
      );
      repo.commit("calc, with a test that already fails");
      return repo;
    },
    edit: (repo) => repo.write("calc.py", "def add(a, b):\n    return a - b\n"),
    command: ["python3", "-m", "unittest", "-f", "test_calc"],
  },
  {
    runner: "mocha",
    make: () =>
      jsProjectRepo(
        {
          "src/calc.js": "exports.add = (a, b) => a + b;\n",
          "test/calc.spec.js": `const assert = require("node:assert");
const { add } = require("../src/calc.js");
describe("calc", () => {
  it("a old", () => { assert.strictEqual(1, 2); });
  it("b adds", () => { assert.strictEqual(add(1, 2), 3); });
});
`,
        },
        "calc, with a test that already fails",
      ),
    edit: (repo) => repo.write("src/calc.js", "exports.add = (a, b) => a - b;\n"),
    command: ["node_modules/.bin/mocha", "--bail", "test/"],
  },
  {
    runner: "jest",
    make: () =>
      jsProjectRepo(
        {
          "package.json": '{ "name": "calc", "private": true }\n',
          "src/calc.js": "exports.add = (a, b) => a + b;\n",
          // jest runs the larger file first (no timings yet): the old failure, then it bails.
          "test/a-old.test.js": `${"// padding\n".repeat(200)}test("a old", () => { expect(1).toBe(2); });\n`,
          "test/b-adds.test.js": `const { add } = require("../src/calc.js");\ntest("b adds", () => { expect(add(1, 2)).toBe(3); });\n`,
        },
        "calc, with a test that already fails",
      ),
    edit: (repo) => repo.write("src/calc.js", "exports.add = (a, b) => a - b;\n"),
    command: ["node_modules/.bin/jest", "--bail", "-i", "--ci", "test/"],
  },
  {
    runner: "vitest",
    make: () =>
      jsProjectRepo(
        {
          "package.json": '{ "name": "calc", "private": true, "type": "module" }\n',
          "src/calc.js": "export const add = (a, b) => a + b;\n",
          "test/a-old.test.js": `import { expect, test } from "vitest";\n${"// padding\n".repeat(200)}test("a old", () => { expect(1).toBe(2); });\n`,
          "test/b-adds.test.js": `import { expect, test } from "vitest";\nimport { add } from "../src/calc.js";\ntest("b adds", () => { expect(add(1, 2)).toBe(3); });\n`,
        },
        "calc, with a test that already fails",
      ),
    edit: (repo) => repo.write("src/calc.js", "export const add = (a, b) => a - b;\n"),
    // vitest refuses --bail twice: culprit takes the user's out and gives --bail=0.
    command: ["node_modules/.bin/vitest", "run", "--bail", "1", "--no-file-parallelism", "test/"],
  },
];

describe("a command that stops at the first failure: every test is still judged", () => {
  for (const c of cases) {
    const missing = runnerMissing(c.runner);
    if (missing) console.log(`skipped ${c.runner}: ${missing}`);
    test.skipIf(missing !== null)(
      `${c.command.slice(0, 5).join(" ")} ...`,
      () => {
        const repo = c.make();
        try {
          c.edit(repo);
          const { json, status } = attributeUntouched(repo, c.command);
          const tests = json["tests"] as Test[];
          expect(json.verdict, JSON.stringify(tests)).toBe("regression");
          expect(status).toBe(1);
          expect(tests).toHaveLength(2);
          expect(tests.find((t) => /a.old$/.test(t.name))?.verdict).toBe("pre-existing");
          expect(tests.find((t) => /b.adds$/.test(t.name))?.verdict).toBe("regression");
        } finally {
          repo.cleanup();
        }
      },
      180_000,
    );
  }
});
