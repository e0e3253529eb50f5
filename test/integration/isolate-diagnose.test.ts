import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diagnose, missingFromOutput } from "../../src/isolate/diagnose.js";
import { type Diff, diffTreeArgs, parseDiff } from "../../src/isolate/hunks.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * What a "?" configuration's output says it missed (src/isolate/diagnose.ts). The messages are
 * recorded from the real tools on this machine (node 20, Python 3.11, TypeScript 5 from tap's
 * node_modules, javac 17, rustc), each for a name or a module the configuration lacks.
 */
/** The diff of everything in the repository's work tree (staged by it) against HEAD. */
function stagedDiff(repo: TestRepo): Diff {
  repo.git("add", "-A");
  const userTree = repo.git("write-tree").trim();
  const baseTree = repo.git("rev-parse", "HEAD^{tree}").trim();
  const raw = spawnSync("git", diffTreeArgs(baseTree, userTree), { cwd: repo.dir, env: repo.env });
  return parseDiff(raw.stdout);
}

const recorded: [string, string, { names: string[]; modules: string[] }][] = [
  ["node, CommonJS", "ReferenceError: slugify is not defined", { names: ["slugify"], modules: [] }],
  [
    "node, a method gone",
    "TypeError: text.slugify is not a function",
    { names: ["slugify"], modules: [] },
  ],
  ["node, require", "Error: Cannot find module './slug'", { names: [], modules: ["slug"] }],
  [
    "node, ESM export",
    "SyntaxError: The requested module './text.mjs' does not provide an export named 'slugify'",
    { names: ["slugify"], modules: [] },
  ],
  [
    "node, ESM module",
    "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/diag/slug.js' imported from /tmp/diag/e.mjs",
    { names: [], modules: ["slug"] },
  ],
  [
    "python, NameError",
    "NameError: name 'slugify' is not defined",
    { names: ["slugify"], modules: [] },
  ],
  [
    "python, ImportError",
    "ImportError: cannot import name 'slugify' from 'text' (/tmp/diag/text.py)",
    { names: ["slugify"], modules: [] },
  ],
  [
    "python, no module",
    "ModuleNotFoundError: No module named 'shop.slug'",
    { names: [], modules: ["slug"] },
  ],
  [
    "tsc, a name",
    "t.ts(1,18): error TS2304: Cannot find name 'slugify'.",
    { names: ["slugify"], modules: [] },
  ],
  [
    "tsc, an export",
    `u.ts(1,10): error TS2305: Module '"./text2"' has no exported member 'slugify'.`,
    { names: ["slugify"], modules: [] },
  ],
  [
    "javac",
    'A.java:1: error: cannot find symbol\nclass A { String f() { return Text.slugify("a"); } }\n                                  ^\n  symbol:   method slugify(String)\n  location: class Text',
    { names: ["slugify"], modules: [] },
  ],
  [
    "rustc",
    "error[E0425]: cannot find function `slugify` in this scope\n --> m.rs:1:13",
    { names: ["slugify"], modules: [] },
  ],
  ["go", "./page.go:7:9: undefined: slugify", { names: ["slugify"], modules: [] }],
  [
    "an assertion names nothing",
    "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n'a-b' !== 'a b'",
    { names: [], modules: [] },
  ],
];

describe("the names and modules a run's output says are missing", () => {
  test.each(recorded)("%s", (_, output, expected) => {
    expect(missingFromOutput(output)).toEqual(expected);
  });
});

describe("what a configuration that cannot run needs, on a real diff", () => {
  let repo: TestRepo;
  let diff: Diff;
  beforeAll(() => {
    repo = createRepo();
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `// line ${i + 1}\n`).join("");
    repo.write("src/page.js", `const text = require("./text.js");\n${lines(20)}`);
    repo.write("src/text.js", `${lines(20)}module.exports = {};\n`);
    repo.write("src/other.js", `${lines(20)}`);
    repo.commit("baseline");
    // slugify: defined by a key of an object literal (no definition hints.ts reads), used by
    // page.js; a new module slug.js required by other.js; a hunk that uses neither.
    repo.write(
      "src/page.js",
      `const text = require("./text.js");\nconst title = text.slugify("A B");\n${lines(20)}`,
    );
    repo.write(
      "src/text.js",
      `${lines(20)}module.exports = {\n  slugify: (s) => s.toLowerCase().replace(/ /g, "-"),\n};\n`,
    );
    repo.write("src/slug.js", "module.exports = 1;\n");
    repo.write("src/other.js", `require("./slug");\n${lines(20)}// the end\n`);
    diff = stagedDiff(repo);
  });
  afterAll(() => repo.cleanup());

  const ids = () => diff.units.map((u) => u.id);

  test("the diff's units", () => {
    expect(ids()).toEqual([
      "src/other.js#1",
      "src/other.js#2",
      "src/page.js#1",
      "src/slug.js#new",
      "src/text.js#1",
    ]);
  });

  test("a name: the units that use it need the one left out that brings it in", () => {
    const config = new Set(["src/page.js#1", "src/other.js#2"]);
    const output = "TypeError: text.slugify is not a function\n    at Object.<anonymous>";
    expect(diagnose(diff, config, missingFromOutput(output))).toEqual([
      { what: "slugify", needs: new Map([["src/page.js#1", ["src/text.js#1"]]]) },
    ]);
  });

  test("a module: the units that name it need the new file left out", () => {
    const config = new Set(["src/other.js#1", "src/page.js#1", "src/text.js#1"]);
    const output = "Error: Cannot find module './slug'\nRequire stack:\n- /repo/src/other.js";
    expect(diagnose(diff, config, missingFromOutput(output))).toEqual([
      { what: "module slug", needs: new Map([["src/other.js#1", ["src/slug.js#new"]]]) },
    ]);
  });

  test("what your own tree's failure names too: nothing; a name nothing left out brings in: no need", () => {
    const config = new Set(["src/page.js#1"]);
    const output = "ReferenceError: slugify is not defined";
    expect(diagnose(diff, config, missingFromOutput(output), new Set(["slugify"]))).toEqual([]);
    expect(diagnose(diff, config, missingFromOutput("AssertionError: 1 !== 2"))).toEqual([]);
    // Named still, with every unit in: its users are listed, with nothing left out to need (what
    // they were said to need did not bring it in: the search drops those hints). The key of
    // the object literal is one of them: no definition of it can be read.
    expect(diagnose(diff, new Set(ids()), missingFromOutput(output))).toEqual([
      {
        what: "slugify",
        needs: new Map([
          ["src/page.js#1", []],
          ["src/text.js#1", []],
        ]),
      },
    ]);
  });
});

describe("what is not read as missing", () => {
  test.each([
    [
      "the environment's own names",
      "ReferenceError: window is not defined\nTypeError: fetch(...).then is not a function",
    ],
    ["a test global", "t.ts(3,1): error TS2304: Cannot find name 'describe'."],
  ])("%s", (_, output) => {
    expect(missingFromOutput(output)).toEqual({ names: [], modules: [] });
  });

  test("a folder's own module is named by its folder; one without a folder by itself", () => {
    const output = [
      "Error: Cannot find module './slug/index.js'",
      "ModuleNotFoundError: No module named 'shop.slug.__init__'",
      "ModuleNotFoundError: No module named 'main'",
      "Error: Cannot find module './index'",
    ].join("\n");
    expect(missingFromOutput(output)).toEqual({ names: [], modules: ["slug", "index", "main"] });
  });

  test("a name after 64 KB of dotted text (a pattern for the dotted prefix took 13 s on it)", () => {
    expect(missingFromOutput(`${"a.".repeat(32_000)}bee is not a function`)).toEqual({
      names: ["bee"],
      modules: [],
    });
  });
});

describe("a name's provider when no definition can be read: a line that binds it (found in review)", () => {
  let repo: TestRepo;
  let diff: Diff;
  beforeAll(() => {
    repo = createRepo();
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `# line ${i + 1}\n`).join("");
    for (const f of ["a", "b", "c", "d"]) repo.write(`${f}.py`, lines(20));
    repo.commit("baseline");
    // a.py uses slugify; b.py binds it on self; c.py mentions it in a ternary; d.py as a keyword.
    repo.write("a.py", `x = shop.slugify("A B")\n${lines(20)}`);
    repo.write("b.py", `${lines(20)}self.slugify = make_slugger("-")\n`);
    repo.write("c.py", `${lines(20)}y = slugify if ok else None\n`);
    repo.write("d.py", `${lines(20)}run(slugify=True)\n`);
    diff = stagedDiff(repo);
  });
  afterAll(() => repo.cleanup());

  test("self.slugify = ... is one, and so is a keyword argument (a limit); a ternary is not", () => {
    const output = "AttributeError: 'Shop' object has no attribute 'slugify'";
    const [missing] = diagnose(diff, new Set(["a.py#1"]), missingFromOutput(output));
    expect(missing!.needs.get("a.py#1")).toEqual(["b.py#1", "d.py#1"]);
  });
});
