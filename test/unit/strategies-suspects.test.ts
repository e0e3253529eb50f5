import { describe, expect, test } from "vitest";
import {
  automaticSuspects,
  type Change,
  defaultKeepGlobs,
  expandSuspects,
  globToRegExp,
  isKept,
  parseRawDiff,
  pathsNamedIn,
  SuspectNarrowing,
  splitSuspects,
  toRepoPath,
} from "../../src/strategies/suspects.js";

const zeros = "0".repeat(40);
const sha = (c: string) => c.repeat(40);

function change(path: string, status: Change["status"] = "M"): Change {
  return {
    path,
    status,
    headMode: status === "A" ? "000000" : "100644",
    headObject: status === "A" ? zeros : sha("a"),
  };
}

describe("the default keep globs: test files and their harness stay", () => {
  test.each([
    // [path, kept]
    ["test/new.test.mjs", true],
    ["test/fixtures/data.json", true],
    ["tests/test_api.py", true],
    ["pkg/tests/helpers.py", true],
    ["src/__tests__/cart.ts", true],
    ["spec/models/user_spec.rb", true],
    ["src/cart.test.ts", true],
    ["src/cart.spec.js", true],
    ["store/flush_test.go", true],
    ["src/cart_test.exs", true],
    ["app/test_views.py", true],
    ["conftest.py", true],
    ["pkg/conftest.py", true],
    ["culprit.config.json", true],
    ["pkg/culprit.config.json", false],
    ["src/cart.ts", false],
    ["src/testing.ts", false],
    ["src/latest/index.ts", false],
    ["contest.py", false],
    ["src/attest.js", false],
    ["test.js", false],
    ["specs.md", false],
    ["README.md", false],
    ["src/protest/x.ts", false],
    ["mytest/x.js", false],
  ])("%s -> kept %s", (path, kept) => {
    expect(isKept(path, defaultKeepGlobs)).toBe(kept);
  });
});

describe("keep globs (--keep)", () => {
  test.each([
    // [glob, path, matches]
    ["*.snap", "src/__snapshots__/a.snap", true],
    ["*.snap", "a.snap", true],
    ["*.snap", "a.snapshot", false],
    ["fixtures/", "test-data/fixtures/a.json", true],
    ["fixtures/", "fixtures", false],
    ["fixtures", "fixtures", true],
    ["src/gen/**", "src/gen/a/b.ts", true],
    ["src/gen/**", "lib/src/gen/a.ts", false],
    ["/package.json", "package.json", true],
    ["/package.json", "web/package.json", false],
    ["package.json", "web/package.json", true],
    ["**/mocks/*.ts", "src/deep/mocks/api.ts", true],
    ["**/mocks/*.ts", "mocks/api.ts", true],
    ["**/mocks/*.ts", "mocks/deeper/api.ts", false],
    ["data?.csv", "data1.csv", true],
    ["data?.csv", "data12.csv", false],
    ["a+b(c).txt", "a+b(c).txt", true],
  ])("%s on %s -> %s", (glob, path, matches) => {
    expect(globToRegExp(glob).test(path)).toBe(matches);
  });
});

describe("parseRawDiff", () => {
  test("reads status, HEAD's mode and object; skips submodules", () => {
    const out = [
      `:100644 100644 ${sha("a")} ${sha("b")} M`,
      "src/a b.ts",
      `:000000 100644 ${zeros} ${sha("c")} A`,
      "new\nline.txt",
      `:100755 000000 ${sha("d")} ${zeros} D`,
      "bin/tool",
      `:100644 120000 ${sha("e")} ${sha("f")} T`,
      "conf.json",
      `:160000 160000 ${sha("1")} ${sha("2")} M`,
      "vendor/sub",
      "",
    ].join("\0");
    expect(parseRawDiff(out)).toEqual([
      { path: "src/a b.ts", status: "M", headMode: "100644", headObject: sha("a") },
      { path: "new\nline.txt", status: "A", headMode: "000000", headObject: zeros },
      { path: "bin/tool", status: "D", headMode: "100755", headObject: sha("d") },
      { path: "conf.json", status: "T", headMode: "100644", headObject: sha("e") },
    ]);
  });

  test("empty output: no change", () => {
    expect(parseRawDiff("")).toEqual([]);
  });
});

describe("automatic suspects", () => {
  test("every change but test files, sorted", () => {
    const changes = [
      change("test/new.test.mjs", "A"),
      change("src/price.mjs"),
      change("README.md"),
      change("src/new.mjs", "A"),
      change("src/old.mjs", "D"),
      change("src/price.test.mjs"),
    ];
    expect(automaticSuspects(changes, defaultKeepGlobs)).toEqual([
      "README.md",
      "src/new.mjs",
      "src/old.mjs",
      "src/price.mjs",
    ]);
    expect(automaticSuspects(changes, [...defaultKeepGlobs, "*.md"])).toEqual([
      "src/new.mjs",
      "src/old.mjs",
      "src/price.mjs",
    ]);
  });
});

describe("expandSuspects (--suspect)", () => {
  const changes = [
    change("src/a.ts"),
    change("src/lib/b.ts", "A"),
    change("src/lib/b.test.ts", "A"),
    change("srcx/c.ts"),
    change("test/helper.ts"),
    change("conf", "D"),
    change("conf/x.json", "A"),
  ];
  test.each([
    [["src/a.ts"], ["src/a.ts"], []],
    [["src"], ["src/a.ts", "src/lib/b.ts"], []],
    [["src/lib"], ["src/lib/b.ts"], []],
    // A file named exactly is a suspect even when it is a test file.
    [["src/lib/b.test.ts"], ["src/lib/b.test.ts"], []],
    [["", "src/a.ts"], ["conf", "conf/x.json", "src/a.ts", "src/lib/b.ts", "srcx/c.ts"], []],
    [["README.md"], [], ["README.md"]],
    [["sr"], [], ["sr"]],
    // A folder with only test files changed names nothing to revert.
    [["test"], [], ["test"]],
    [["src/a.ts", "nope", "src/a.ts"], ["src/a.ts"], ["nope"]],
    // A file HEAD had, now a folder: both the deletion and what is under it.
    [["conf"], ["conf", "conf/x.json"], []],
  ])("%j -> %j, unmatched %j", (given, suspects, unmatched) => {
    expect(expandSuspects(changes, given, defaultKeepGlobs)).toEqual({ suspects, unmatched });
  });
});

describe("toRepoPath", () => {
  test.each([
    ["/r", "/r", "src/a.ts", "src/a.ts"],
    ["/r", "/r/src", "a.ts", "src/a.ts"],
    ["/r", "/r/src", "../lib/", "lib"],
    ["/r", "/r", ".", ""],
    ["/r", "/r", "./src/", "src"],
    ["/r", "/r", "/r/src/a.ts", "src/a.ts"],
    ["/r", "/r", "../x", null],
    ["/r", "/r/src", "../..", null],
    ["/r", "/r", "/elsewhere/a.ts", null],
    ["/r", "/r", "..foo/a", "..foo/a"],
  ])("root %s, cwd %s, %s -> %j", (root, cwd, given, expected) => {
    expect(toRepoPath(root, cwd, given)).toBe(expected);
  });
});

describe("splitSuspects: by folder first, then halves", () => {
  test.each([
    [[], []],
    [["a.ts"], []],
    [
      ["src/a.ts", "src/b.ts"],
      [["src/a.ts"], ["src/b.ts"]],
    ],
    [
      ["src/b.ts", "lib/a.ts", "lib/c.ts"],
      [["lib/a.ts", "lib/c.ts"], ["src/b.ts"]],
    ],
    // Parts of prose only last (tried in order, up to a cap).
    [
      ["README.md", "src/a.ts", "docs/x.md"],
      [["src/a.ts"], ["docs/x.md"], ["README.md"]],
    ],
    [
      [
        "benchmark/README.md",
        "profiler/requirements.txt",
        "scripts/use_setuptools.py",
        "src/tomli/_parser.py",
        "src/tomli/_re.py",
        "src/tomli/_helpers.py",
      ],
      [
        ["profiler/requirements.txt"],
        ["scripts/use_setuptools.py"],
        ["src/tomli/_helpers.py", "src/tomli/_parser.py", "src/tomli/_re.py"],
        ["benchmark/README.md"],
      ],
    ],
    [
      ["s/README.md", "s/a.py", "s/CHANGELOG.rst", "s/b.py"],
      [
        ["s/a.py", "s/b.py"],
        ["s/CHANGELOG.rst", "s/README.md"],
      ],
    ],
    [
      ["src/x/a.ts", "src/y/b.ts", "src/y/c.ts", "src/top.ts"],
      [["src/x/a.ts"], ["src/y/b.ts", "src/y/c.ts"], ["src/top.ts"]],
    ],
    [
      ["s/1", "s/2", "s/3", "s/4", "s/5"],
      [
        ["s/1", "s/2", "s/3"],
        ["s/4", "s/5"],
      ],
    ],
  ])("%j -> %j", (paths, parts) => {
    expect(splitSuspects(paths)).toEqual(parts);
  });
});

describe("SuspectNarrowing", () => {
  test("the whole set, then parts breadth first, each part once", () => {
    const n = new SuspectNarrowing(["src/a", "src/b", "lib/c", "lib/d"], 8);
    const tried: string[][] = [];
    let set = n.next();
    while (set) {
      tried.push(set);
      // Nothing can run: every set is split further.
      n.unrunnable(set);
      set = n.next();
    }
    expect(tried).toEqual([
      ["src/a", "src/b", "lib/c", "lib/d"],
      ["lib/c", "lib/d"],
      ["src/a", "src/b"],
      ["lib/c"],
      ["lib/d"],
      ["src/a"],
      ["src/b"],
    ]);
    expect(n.left).toBe(0);
  });

  test("stops at the cap and says what was left", () => {
    const paths = Array.from({ length: 16 }, (_, i) => `f${String(i).padStart(2, "0")}`);
    const n = new SuspectNarrowing(paths, 3);
    for (let set = n.next(); set; set = n.next()) n.unrunnable(set);
    expect(n.tried).toBe(3);
    expect(n.left).toBeGreaterThan(0);
    expect(n.hasNext()).toBe(false);
  });

  test("no suspects: nothing to try", () => {
    const n = new SuspectNarrowing([], 8);
    expect(n.next()).toBeNull();
  });

  test("a set reverting new files that cannot run: the set without them next, no set twice", () => {
    const n = new SuspectNarrowing(["src/discount.js", "src/lib.js"], 8);
    const tried: string[][] = [];
    for (let set = n.next(); set; set = n.next()) {
      tried.push(set);
      n.unrunnable(
        set,
        set.filter((p) => p === "src/discount.js"),
      );
    }
    // Before: [discount, lib], [discount], [lib]: the helper alone, which the new test needs.
    expect(tried).toEqual([["src/discount.js", "src/lib.js"], ["src/lib.js"], ["src/discount.js"]]);
    expect(n.left).toBe(0);
  });

  test("only new files in the set: its parts, as before", () => {
    const n = new SuspectNarrowing(["src/a.js", "src/b.js"], 8);
    const set = n.next()!;
    n.unrunnable(set, set);
    expect([n.next(), n.next(), n.next()]).toEqual([["src/a.js"], ["src/b.js"], null]);
  });
});

describe("pathsNamedIn: the files a runner says it could not load", () => {
  const added = [
    "src/discount.js",
    "src/discount.mjs",
    "src/shop/discount.py",
    "src/shop/promo/__init__.py",
    "test/helpers.js",
    "lib/index.ts",
  ];
  test.each([
    [
      "mocha",
      "mocha: Exception during run: Error: Cannot find module '../src/discount.js'",
      ["src/discount.js"],
    ],
    [
      "playwright",
      "playwright: Error: Cannot find module '../src/discount.js'",
      ["src/discount.js"],
    ],
    [
      "jest, without the extension",
      "Cannot find module '../src/discount' from 'test/discount.test.js'",
      ["src/discount.js", "src/discount.mjs"],
    ],
    [
      "pytest",
      "pytest: exit 2: ModuleNotFoundError: No module named 'shop.discount'",
      ["src/shop/discount.py"],
    ],
    [
      "a Python package",
      "E   ModuleNotFoundError: No module named 'shop.promo'",
      ["src/shop/promo/__init__.py"],
    ],
    [
      "node, absolute",
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/x/repo/src/discount.mjs' imported from /tmp/x/repo/test/discount.test.mjs",
      ["src/discount.mjs"],
    ],
    [
      "vitest, unquoted",
      "Error: Failed to load url ../src/discount.js (resolved id: ../src/discount.js) in /tmp/x/repo/test/d.test.js. Does the file exist?",
      ["src/discount.js"],
    ],
    ["a sibling", "Cannot find module './helpers'", ["test/helpers.js"]],
    ["a folder's index", "Cannot find module '../lib'", ["lib/index.ts"]],
    ["a package, not a file", "Cannot find module 'lodash'", []],
    ["a file of the same name elsewhere", "Cannot find module '../other/discount.js'", []],
    ["no file named", "pnpm: not found", []],
    // A crash at start-up that names a file, not a file that could not be loaded: maybe a flake.
    ["not a load failure", "Error: connect ECONNREFUSED at /tmp/x/repo/src/discount.js:10:5", []],
    [
      "not found, a path",
      "Error: ENOENT: no such file or directory, open 'src/discount.js'",
      ["src/discount.js"],
    ],
  ])("%s", (_, words, named) => {
    expect(pathsNamedIn(words, added)).toEqual(named);
  });
});
