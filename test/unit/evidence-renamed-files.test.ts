import { describe, expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { holdsRenamed, parseRenames, wordsAtOldNames } from "../../src/git/renames.js";
import { Evidence, withRenamedFiles } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";
import type { TestCaseResult } from "../../src/run/reports/types.js";

const entry = (id: string, file: string | null, name = id): TestCaseResult => ({
  id,
  name,
  file,
  line: 3,
  status: "fail",
  message: "boom",
});

describe("parseRenames: git diff-tree -z -M --name-status", () => {
  test.each([
    ["nothing", "", []],
    ["one rename", "R100\0test/a.js\0test/b.js\0", [["test/a.js", "test/b.js"]]],
    [
      "a rename with changes beside other statuses",
      "M\0src/x.js\0R087\0t/old.py\0t/unit/new.py\0A\0n.js\0",
      [["t/old.py", "t/unit/new.py"]],
    ],
    ["a copy is not a rename", "C075\0a.js\0b.js\0R100\0c.js\0d.js\0", [["c.js", "d.js"]]],
    ["odd bytes in a path", "R100\0a b\tc.js\0ü/d.js\0", [["a b\tc.js", "ü/d.js"]]],
  ])("%s", (_, out, expected) => {
    expect([...parseRenames(out)]).toEqual(expected);
  });
});

describe("holdsRenamed: a path the command names is, or holds, a renamed file's new path", () => {
  const renames = new Map([["test/lib.test.js", "spec/shop.test.js"]]);
  test.each([
    ["the file", "spec/shop.test.js", true],
    ["its folder", "spec", true],
    ["its folder, with a slash", "spec/", true],
    ["a folder whose name begins the same", "spe", false],
    ["another file", "spec/other.test.js", false],
  ])("%s", (_, path, expected) => {
    expect(holdsRenamed(renames, path)).toBe(expected);
  });
});

describe("wordsAtOldNames: the command's words where a file it names has its old name", () => {
  const renames = new Map([
    ["test/lib.test.mjs", "test/shop.test.mjs"],
    ["tests/test_lib.py", "tests/unit/test_shop.py"],
  ]);
  test.each([
    [
      "the file",
      "",
      ["node", "--test", "test/shop.test.mjs"],
      ["node", "--test", "test/lib.test.mjs"],
    ],
    [
      "with ./",
      "",
      ["node", "--test", "./test/shop.test.mjs"],
      ["node", "--test", "./test/lib.test.mjs"],
    ],
    [
      "from the test folder",
      "test",
      ["node", "--test", "shop.test.mjs"],
      ["node", "--test", "lib.test.mjs"],
    ],
    [
      "from another folder",
      "src",
      ["node", "--test", "../test/shop.test.mjs"],
      ["node", "--test", "../test/lib.test.mjs"],
    ],
    [
      "a pytest node id",
      "",
      ["pytest", "tests/unit/test_shop.py::TestX::test_a"],
      ["pytest", "tests/test_lib.py::TestX::test_a"],
    ],
    ["a folder", "", ["node", "--test", "test/"], ["node", "--test", "test/"]],
    [
      "an option that looks like the path",
      "",
      ["x", "--test/shop.test.mjs"],
      ["x", "--test/shop.test.mjs"],
    ],
    [
      "the old name itself",
      "",
      ["node", "--test", "test/lib.test.mjs"],
      ["node", "--test", "test/lib.test.mjs"],
    ],
    [
      "outside the repository",
      "",
      ["node", "../test/shop.test.mjs"],
      ["node", "../test/shop.test.mjs"],
    ],
  ])("%s", (_, cwd, argv, expected) => {
    const at = wordsAtOldNames(argv, renames, cwd);
    expect(at.argv).toEqual(expected);
    expect(at.renamed.map((w) => [w.word, w.as])).toEqual(
      argv.flatMap((word, i) => (word === expected[i] ? [] : [[word, expected[i]]])),
    );
  });
});

describe("wordsAtOldNames: a folder your change renamed whole", () => {
  const renames = new Map([
    ["test/a.test.mjs", "spec/a.test.mjs"],
    ["test/unit/b.test.mjs", "spec/unit/b.test.mjs"],
    ["more/c.test.mjs", "mixed/c.test.mjs"],
    ["test/d.test.mjs", "mixed/d.test.mjs"],
  ]);
  const folders = {
    missing: new Set(["spec", "spec/unit", "mixed"]),
    gone: new Set(["test", "test/unit", "more"]),
  };
  test.each([
    ["the folder, as a path", "", "spec/", "test/"],
    // A bare word may be an npm script or an option's value (`mocha --reporter spec`).
    ["a bare word", "", "spec", "spec"],
    ["with ./", "", "./spec/", "./test/"],
    ["a folder inside it", "", "spec/unit", "test/unit"],
    ["from inside it (the baseline makes the folder, empty)", "spec", ".", "../test"],
    ["a folder gathered from two", "", "mixed/", "mixed/"],
    ["a folder the baseline has", "", "test/", "test/"],
  ])("%s", (_, cwd, word, expected) => {
    expect(wordsAtOldNames(["node", "--test", word], renames, cwd, folders).argv[2]).toBe(expected);
  });
  test("not without the baseline lacking it", () => {
    expect(wordsAtOldNames(["node", "--test", "spec/"], renames, "").argv[2]).toBe("spec/");
  });
  test("not when the old folder is still in your tree (a part of it moved)", () => {
    const partly = { missing: folders.missing, gone: new Set(["more"]) };
    expect(wordsAtOldNames(["node", "--test", "spec/"], renames, "", partly).argv[2]).toBe("spec/");
  });
});

describe("withRenamedFiles: a baseline's entries as your tree names their files", () => {
  const renames = new Map([
    ["test/lib.test.js", "test/shop.test.js"],
    ["tests/test_lib.py", "tests/unit/test_shop.py"],
  ]);
  test.each([
    [
      "file::test (node, jest, AVA, tape)",
      entry("test/lib.test.js::suite > adds", "test/lib.test.js", "suite > adds"),
      ["test/shop.test.js::suite > adds", "suite > adds", "test/shop.test.js"],
    ],
    [
      "a file-level entry (a file that could not load)",
      entry("test/lib.test.js", "test/lib.test.js"),
      ["test/shop.test.js", "test/shop.test.js", "test/shop.test.js"],
    ],
    [
      "pytest: its name is its id",
      entry("tests/test_lib.py::T::test_money", "tests/test_lib.py"),
      [
        "tests/unit/test_shop.py::T::test_money",
        "tests/unit/test_shop.py::T::test_money",
        "tests/unit/test_shop.py",
      ],
    ],
    [
      "unittest from the top: the dotted module",
      entry("tests.test_lib.T.test_money", "tests/test_lib.py"),
      [
        "tests.unit.test_shop.T.test_money",
        "tests.unit.test_shop.T.test_money",
        "tests/unit/test_shop.py",
      ],
    ],
    [
      "unittest started in tests/ (-s tests): the module from there",
      entry("test_lib.T.test_money", "tests/test_lib.py"),
      ["unit.test_shop.T.test_money", "unit.test_shop.T.test_money", "tests/unit/test_shop.py"],
    ],
    [
      "a file not renamed stays",
      entry("test/other.test.js::adds", "test/other.test.js", "adds"),
      ["test/other.test.js::adds", "adds", "test/other.test.js"],
    ],
    [
      "an id that does not name the file stays (a Go package), its file follows",
      entry("example.com/shop::TestAdds", "test/lib.test.js", "TestAdds"),
      ["example.com/shop::TestAdds", "TestAdds", "test/shop.test.js"],
    ],
    ["no file: stays", entry("(command)", null), ["(command)", "(command)", null]],
    [
      "a name that only begins like the file stays",
      entry("test/lib.test.jsx::adds", "test/lib.test.js", "test/lib.test.jsx"),
      ["test/lib.test.jsx::adds", "test/lib.test.jsx", "test/shop.test.js"],
    ],
  ])("%s", (_, given, [id, name, file]) => {
    const [out] = withRenamedFiles([given], renames);
    expect([out!.id, out!.name, out!.file]).toEqual([id, name, file]);
    expect(out!.line).toBe(3);
    expect(out!.message).toBe("boom");
  });
});

describe("a test new to the baseline whose name ran there in another file", () => {
  // A file moved and rewritten beyond git's rename detection, or two files that swapped names.
  const run = (
    side: "current" | "baseline",
    index: number,
    tests: [id: string, name: string, file: string][],
  ): RunRecord => ({
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: "fail",
    exitCode: 1,
    signal: null,
    durationMs: 100,
    hangRetried: false,
    logPath: null,
    tests: {
      source: "node --test events",
      entries: tests.map(([id, name, file]) => ({ ...entry(id, file, name), line: 2 })),
    },
  });
  const reasonOf = (
    current: [string, string, string][],
    baseline: [string, string, string][],
  ): string => {
    const evidence = new Evidence();
    for (const i of [1, 2, 3]) evidence.add(run("current", i, current));
    for (const i of [1, 2, 3]) evidence.add(run("baseline", i, baseline));
    evidence.decide(1, defaultCompareOptions);
    const [result] = evidence.testResults();
    expect(result!.verdict).toBe("new");
    return result!.reason;
  };
  test.each([
    [
      "file::name",
      [["test/b.test.js::adds", "adds", "test/b.test.js"]],
      [["test/a.test.js::adds", "adds", "test/a.test.js"]],
      " (a test of this name ran there, in test/a.test.js)",
    ],
    [
      "pytest: the name after the file",
      [["tests/test_b.py::T::test_x", "tests/test_b.py::T::test_x", "tests/test_b.py"]],
      [["tests/test_a.py::T::test_x", "tests/test_a.py::T::test_x", "tests/test_a.py"]],
      " (a test of this name ran there, in tests/test_a.py)",
    ],
    [
      "no namesake: as before",
      [["test/b.test.js::adds", "adds", "test/b.test.js"]],
      [["test/a.test.js::subtracts", "subtracts", "test/a.test.js"]],
      "",
    ],
  ] as const)("%s", (_, current, baseline, hint) => {
    const reason = reasonOf(
      current.map((t) => [...t]),
      baseline.map((t) => [...t]),
    );
    expect(reason).toBe(
      `fails 3/3 with your changes and never ran at this baseline: it needs a baseline that has it${hint}`,
    );
  });
});
