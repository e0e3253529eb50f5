import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";

/*
 * A test file your change renames or moves (`git mv`, or a plain `mv`: the old path deleted, the
 * new one untracked) reports its tests under the new path on your tree and the old one at the
 * baseline. Before, an old failure in it read as a test new to your tree, "it needs a baseline
 * that has it": UNRUNNABLE, exit 2 (noticed on the p-map trial, every runner). Real runners:
 * node --test (ids `file::test`), pytest (`file::Class::test`), unittest (`tests.test_lib.T.test`).
 */

type Test = { name: string; file: string | null; verdict: string };
const testsOf = (json: Record<string, unknown>) =>
  (json["tests"] as Test[]).map((t) => [t.file, t.name.replace(/.*(::|\.|> )/, ""), t.verdict]);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const lib = (add: string) =>
  `export const add = (a, b) => ${add};\nexport const money = (c) => (c / 100).toFixed(2);\n`;
const nodeTests = `import assert from "node:assert/strict";
import { test } from "node:test";
import { add, money } from "../src/lib.mjs";
test("adds", () => assert.equal(add(2, 2), 4));
test("formats money", () => assert.equal(money(123456), "1,234.56"));
`;

function nodeRepo(): TestRepo {
  const r = createRepo();
  r.write("src/lib.mjs", lib("a + b"));
  r.write("test/lib.test.mjs", nodeTests);
  r.commit("a shop whose money test already fails");
  return r;
}

describe("a test file your change renames, node --test", () => {
  test("git mv alone: the old failure is pre-existing, exit 0 (it was UNRUNNABLE, exit 2)", () => {
    repo = nodeRepo();
    repo.git("mv", "test/lib.test.mjs", "test/shop.test.mjs");
    const { json, status } = attributeUntouched(repo, ["node", "--test", "test/"]);
    expect(json.verdict, JSON.stringify(json["tests"])).toBe("pre-existing");
    expect(status).toBe(0);
    expect(testsOf(json)).toEqual([["test/shop.test.mjs", "formats money", "pre-existing"]]);
  });

  test("the command names the renamed file, nothing else changed: it runs under its old name at HEAD, pre-existing, exit 0", () => {
    repo = nodeRepo();
    repo.git("mv", "test/lib.test.mjs", "test/shop.test.mjs");
    const { json, status } = attributeUntouched(repo, ["node", "--test", "test/shop.test.mjs"]);
    // It was UNRUNNABLE, exit 2: HEAD has no test/shop.test.mjs, and only test files changed.
    expect(json.verdict, String(json["reason"])).toBe("pre-existing");
    expect(status).toBe(0);
    expect(json["strategy"]).toBe("baseline-reset");
    expect(testsOf(json)).toEqual([["test/shop.test.mjs", "formats money", "pre-existing"]]);
    const attempts = json["attempts"] as { ranAs?: { word: string; as: string }[] }[];
    expect(attempts.map((a) => a.ranAs)).toEqual([
      [{ word: "test/shop.test.mjs", as: "test/lib.test.mjs" }],
    ]);
  });

  test("the command names the renamed file beside a regression: HEAD decides each test", () => {
    repo = nodeRepo();
    repo.git("mv", "test/lib.test.mjs", "test/shop.test.mjs");
    repo.write("src/lib.mjs", lib("a + b + 1"));
    const { json, status } = attributeUntouched(repo, ["node", "--test", "./test/shop.test.mjs"]);
    expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
    expect(status).toBe(1);
    // Before, HEAD could not run it, and a selective revert that kept the test file decided.
    expect(json["strategy"]).toBe("baseline-reset");
    expect(testsOf(json)).toEqual([
      ["test/shop.test.mjs", "adds", "regression"],
      ["test/shop.test.mjs", "formats money", "pre-existing"],
    ]);
  });

  test("the command names a folder your change renamed whole: it runs under its old name at HEAD", () => {
    repo = nodeRepo();
    repo.git("mv", "test", "spec");
    const { json, status } = attributeUntouched(repo, ["node", "--test", "spec/"]);
    expect(json.verdict, String(json["reason"])).toBe("pre-existing");
    expect(status).toBe(0);
    expect(testsOf(json)).toEqual([["spec/lib.test.mjs", "formats money", "pre-existing"]]);
    const attempts = json["attempts"] as { ranAs?: { word: string; as: string }[] }[];
    expect(attempts.map((a) => a.ranAs)).toEqual([[{ word: "spec/", as: "test/" }]]);
  });

  test("the command names a new folder your change gathered files into from two: the reason says so, and what to run", () => {
    repo = nodeRepo();
    repo.write(
      "more/other.test.mjs",
      nodeTests.replace("../src/", "../src/").replace("adds", "adds too"),
    );
    repo.commit("more tests");
    repo.write("spec/.keep", "");
    repo.git("mv", "test/lib.test.mjs", "spec/lib.test.mjs");
    repo.git("mv", "more/other.test.mjs", "spec/other.test.mjs");
    repo.remove("spec/.keep");
    const { json, status } = attributeUntouched(repo, ["node", "--test", "spec/"]);
    expect(json.verdict).toBe("unrunnable");
    expect(status).toBe(2);
    // It said "name the files to revert with --suspect", which reverted nothing that helped.
    expect(json["reason"]).toContain("the command names spec, which the baseline does not have");
    expect(json["reason"]).toContain("run the whole suite (or a folder the baseline has)");
  });

  test("npm test, your change renames spec/ to test/ and the script follows: HEAD runs its own script (a new test/ made the word `test` read as a path the baseline lacks)", () => {
    repo = createRepo();
    repo.write("src/lib.mjs", lib("a + b"));
    repo.write("spec/lib.test.mjs", nodeTests);
    repo.write(
      "package.json",
      '{"name":"x","version":"1.0.0","scripts":{"test":"node --test spec/"}}\n',
    );
    repo.commit("a shop whose money test already fails");
    repo.git("mv", "spec", "test");
    repo.write(
      "package.json",
      '{"name":"x","version":"1.0.0","scripts":{"test":"node --test test/"}}\n',
    );
    repo.write("src/lib.mjs", lib("a + b + 1"));
    const { json, status } = attributeUntouched(repo, ["npm", "test"]);
    expect(json.verdict, String(json["reason"])).toBe("regression");
    expect(status).toBe(1);
    expect(json["strategy"]).toBe("baseline-reset");
    expect(testsOf(json)).toEqual([
      ["test/lib.test.mjs", "adds", "regression"],
      ["test/lib.test.mjs", "formats money", "pre-existing"],
    ]);
  });

  test("a plain mv into a new folder beside a regression: each test right", () => {
    repo = nodeRepo();
    repo.remove("test/lib.test.mjs");
    repo.write("test/unit/money.test.mjs", nodeTests.replace("../src/", "../../src/"));
    repo.write("src/lib.mjs", lib("a + b + 1"));
    const { json, status } = attributeUntouched(repo, ["node", "--test", "test/"]);
    expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
    expect(status).toBe(1);
    // Decided at HEAD: before, both tests read as new there and a selective revert decided.
    expect(json["strategy"]).toBe("baseline-reset");
    expect(testsOf(json)).toEqual([
      ["test/unit/money.test.mjs", "adds", "regression"],
      ["test/unit/money.test.mjs", "formats money", "pre-existing"],
    ]);
  });
});

const python = `def money(cents):\n    return f"{cents / 100:.2f}"\n`;
const pyTests = `import unittest
from shop import money


class T(unittest.TestCase):
    def test_money(self):
        self.assertEqual(money(123456), "1,234.56")

    def test_cents(self):
        self.assertEqual(money(5), "0.05")
`;

function pythonRepo(): TestRepo {
  const r = createRepo();
  r.write(".gitignore", "__pycache__/\n");
  r.write("shop.py", python);
  r.write("tests/__init__.py", "");
  r.write("tests/test_lib.py", pyTests);
  r.commit("a shop whose money test already fails");
  r.git("mv", "tests/test_lib.py", "tests/test_shop.py");
  return r;
}

const pytestMissing = runnerMissing("pytest");
if (pytestMissing) console.log(`skipped the renamed pytest file: ${pytestMissing}`);
const unittestMissing = runnerMissing("unittest");
if (unittestMissing) console.log(`skipped the renamed unittest file: ${unittestMissing}`);

describe("a Python test file your change renames", () => {
  test.skipIf(pytestMissing !== null)("pytest: the old failure is pre-existing, exit 0", () => {
    repo = pythonRepo();
    const { json, status } = attributeUntouched(repo, [
      "python3",
      "-m",
      "pytest",
      "-q",
      "-p",
      "no:cacheprovider",
      "tests",
    ]);
    expect(json.verdict, JSON.stringify(json["tests"])).toBe("pre-existing");
    expect(status).toBe(0);
    expect(testsOf(json)).toEqual([["tests/test_shop.py", "test_money", "pre-existing"]]);
  });

  test.skipIf(unittestMissing !== null)("unittest's dotted ids: pre-existing, exit 0", () => {
    repo = pythonRepo();
    const { json, status } = attributeUntouched(repo, ["python3", "-m", "unittest", "-v"]);
    expect(json.verdict, JSON.stringify(json["tests"])).toBe("pre-existing");
    expect(status).toBe(0);
    expect((json["tests"] as Test[]).map((t) => [t.name, t.verdict])).toEqual([
      ["tests.test_shop.T.test_money", "pre-existing"],
    ]);
  });
});
