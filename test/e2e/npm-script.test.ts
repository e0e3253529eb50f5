import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched, twoRuns } from "../repos/expect-untouched.js";
import {
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

// `culprit -- npm test`, the command people type first: npm runs the package's script, and when
// that script is one plain command of a runner culprit knows (here the real mocha), culprit asks
// for its report through npm (`npm test -- --reporter xunit ...`) and judges each test. Before,
// the command was judged as a whole: a suite with one old failure and one new one was
// "pre-existing" (found on jshttp/mime-types).

const missing = runnerMissing("mocha");
if (missing) console.log(`skipped: npm test running mocha (${missing})`);

let repo: TestRepo | null = null;
afterEach(() => {
  repo?.cleanup();
  repo = null;
});

describe.skipIf(missing !== null)("culprit -- npm test", () => {
  test("one old failure and one new one, each judged through npm's script", () => {
    repo = jsProjectRepo(
      {
        "package.json": '{ "scripts": { "test": "mocha test/" } }\n',
        "src/price.js": "exports.total = (a, b) => a + b;\nexports.round = Math.round;\n",
        "test/price.spec.js": `const assert = require("node:assert");
const price = require("../src/price.js");
describe("price", () => {
  it("adds", () => { assert.strictEqual(price.total(1, 2), 3); });
  it("rounds half down", () => { assert.strictEqual(price.round(2.5), 2); });
});
`,
      },
      "price, with a test that already fails",
    );
    repo.write("src/price.js", "exports.total = (a, b) => a - b;\nexports.round = Math.round;\n");
    const before = captureState(repo);
    const r = runCulprit(repo, ["--json", "--runs", "3", "--", "npm", "test"]);
    const json = parseJsonOutput(r) as ReturnType<typeof parseJsonOutput> & {
      tests: { name: string; verdict: string }[];
      perTest: { source: string | null };
    };
    expect(json.verdict, r.stderr).toBe("regression");
    expect(json.perTest.source).toBe("mocha xunit, through npm test");
    expect(json.tests.map((t) => [t.name, t.verdict])).toEqual([
      ["price > adds", "regression"],
      ["price > rounds half down", "pre-existing"],
    ]);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  });

  // cross-env sets variables and runs the rest, as env does (the real cross-env 10); a variable
  // before the runner is the shell's. Before, neither script was followed, and the run was
  // judged by npm's exit code: PRE-EXISTING.
  test.each([["cross-env PRICE_MODE=strict mocha test/"], ["PRICE_MODE=strict mocha test/"]])(
    "a script %j: judged per test too",
    (script) => {
      repo = jsProjectRepo(
        {
          "package.json": `${JSON.stringify({ scripts: { test: script } })}\n`,
          "src/price.js": "exports.total = (a, b) => a + b;\nexports.round = Math.round;\n",
          "test/price.spec.js": `const assert = require("node:assert");
const price = require("../src/price.js");
describe("price", () => {
  it("runs strict", () => { assert.strictEqual(process.env.PRICE_MODE, "strict"); });
  it("adds", () => { assert.strictEqual(price.total(1, 2), 3); });
  it("rounds half down", () => { assert.strictEqual(price.round(2.5), 2); });
});
`,
        },
        "price, with a test that already fails",
      );
      repo.write("src/price.js", "exports.total = (a, b) => a - b;\nexports.round = Math.round;\n");
      const before = captureState(repo);
      const r = runCulprit(repo, ["--json", ...twoRuns, "--", "npm", "test"]);
      const json = parseJsonOutput(r) as ReturnType<typeof parseJsonOutput> & {
        tests: { name: string; verdict: string }[];
        perTest: { source: string | null };
      };
      expect(json.verdict, r.stderr).toBe("regression");
      expect(json.perTest.source).toBe("mocha xunit, through npm test");
      expect(json.tests.map((t) => [t.name, t.verdict])).toEqual([
        ["price > adds", "regression"],
        ["price > rounds half down", "pre-existing"],
      ]);
      expect(captureState(repo)).toEqual(before);
    },
  );

  test("a script whose mocha finds no test file could not run: mocha's words, through npm", () => {
    repo = jsProjectRepo(
      {
        "package.json": '{ "scripts": { "test": "mocha spec/" } }\n',
        "src/price.js": "exports.total = (a, b) => a + b;\n",
      },
      "price, and a script pointing at a folder that is not there",
    );
    repo.write("src/price.js", "exports.total = (a, b) => a - b;\n");
    const before = captureState(repo);
    const r = runCulprit(repo, ["--json", "--runs", "2", "--", "npm", "test"]);
    // Judged as a failure, it read "pre-existing" (exit 1 on both sides).
    expect(parseJsonOutput(r).verdict, r.stderr).toBe("unrunnable");
    expect(captureState(repo)).toEqual(before);
    // The same without a report: the script's runner still classifies the run.
    const off = runCulprit(repo, [
      "--json",
      "--runs",
      "2",
      "--per-test",
      "off",
      "--",
      "npm",
      "test",
    ]);
    expect(parseJsonOutput(off).verdict, off.stderr).toBe("unrunnable");
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  });

  test("culprit bisect -- npm test: commits where mocha finds no test file are skipped, not failures", () => {
    const price = (op: string) => `exports.total = (a, b) => a ${op} b;\n`;
    const spec = `const assert = require("node:assert");
const price = require("../src/price.js");
describe("price", () => {
  it("adds", () => { assert.strictEqual(price.total(1, 2), 3); });
});
`;
    repo = jsProjectRepo(
      {
        "package.json": '{ "scripts": { "test": "mocha test/" } }\n',
        "src/price.js": price("+"),
        "test/price.spec.js": spec,
      },
      "the good end",
    );
    const r = repo;
    const good = r.git("rev-parse", "HEAD").trim();
    // The tests move to spec/ three commits before the script follows them: mocha finds no test
    // file there ("No test files found", exit 1), which judged as a failure named commit 1.
    r.remove("test");
    r.write("spec/price.spec.js", spec);
    r.commit("move the tests to spec/");
    for (const n of [2, 3, 4]) {
      r.write(`notes/${n}.md`, `note ${n}\n`);
      r.commit(`note ${n}`);
    }
    r.write("package.json", '{ "scripts": { "test": "mocha spec/" } }\n');
    r.commit("the script follows the tests");
    r.write("src/price.js", price("-"));
    r.commit("the culprit");
    const culprit = r.git("rev-parse", "HEAD").trim();
    r.write("notes/7.md", "note 7\n");
    r.commit("note 7");
    r.write("notes/wip.md", "uncommitted\n");
    const before = captureState(r);
    const out = runCulprit(r, ["bisect", "--good", good, "--json", "--", "npm", "test"]);
    const doc = JSON.parse(out.stdout) as {
      verdict: string;
      culprit: { sha: string } | null;
      tested: { sha: string; runs: { outcome: string }[] }[];
    };
    expect(doc.verdict, `${out.stdout}\n${out.stderr}`).toBe("culprit");
    expect(doc.culprit?.sha).toBe(culprit);
    const outcomes = doc.tested.flatMap((t) => t.runs.map((run) => run.outcome));
    expect(outcomes).toContain("cannot-run");
    expect(captureState(r)).toEqual(before);
  });
});

// mocha 12 words a test file that cannot load as " Exception during run: Error: Cannot find
// module ...": the runs of commits where a test needs a module committed only later could not
// run, and are skipped. Read as failures, they named the first of them (the patterns knew
// node's words at the start of a line only).
describe.skipIf(missing !== null)("culprit bisect, mocha 12: a test file that cannot load", () => {
  test("commits where a test needs a module not there yet are skipped, not blamed", () => {
    const price = (op: string) => `exports.total = (a, b) => a ${op} b;\n`;
    repo = jsProjectRepo(
      {
        "package.json": '{ "scripts": { "test": "mocha test/" } }\n',
        "src/price.js": price("+"),
        "test/price.spec.js": `const assert = require("node:assert");
const price = require("../src/price.js");
describe("price", () => {
  it("adds", () => { assert.strictEqual(price.total(1, 2), 3); });
});
`,
      },
      "the good end",
    );
    const r = repo;
    const good = r.git("rev-parse", "HEAD").trim();
    r.write(
      "test/tax.spec.js",
      `const assert = require("node:assert");
const tax = require("../src/tax.js");
describe("tax", () => {
  it("is 20%", () => { assert.strictEqual(tax.of(10), 2); });
});
`,
    );
    r.commit("a test for tax.js, which comes later");
    for (const n of [2, 3, 4]) {
      r.write(`notes/${n}.md`, `note ${n}\n`);
      r.commit(`note ${n}`);
    }
    r.write("src/tax.js", "exports.of = (amount) => amount / 5;\n");
    r.commit("tax.js");
    r.write("src/price.js", price("-"));
    r.commit("the culprit");
    const culprit = r.git("rev-parse", "HEAD").trim();
    r.write("notes/7.md", "note 7\n");
    r.commit("note 7");
    const before = captureState(r);
    const out = runCulprit(r, ["bisect", "--good", good, "--json", "--", "npx", "mocha", "test/"]);
    const doc = JSON.parse(out.stdout) as {
      verdict: string;
      culprit: { sha: string } | null;
      tested: { sha: string; runs: { outcome: string }[] }[];
    };
    expect(doc.verdict, `${out.stdout}\n${out.stderr}`).toBe("culprit");
    expect(doc.culprit?.sha).toBe(culprit);
    const outcomes = doc.tested.flatMap((t) => t.runs.map((run) => run.outcome));
    expect(outcomes).toContain("cannot-run");
    expect(captureState(r)).toEqual(before);
  });
});

// The everyday TypeScript project: `"test": "tsc -p tsconfig.json && node --test dist/test/"`
// (the real tsc). The build step comes first, npm appends to the runner, and node gets its
// reporter in NODE_OPTIONS. Before, a script with `&&` was judged by npm's exit code:
// PRE-EXISTING over a regression.
describe("culprit -- npm test, whose script builds, then runs node --test", () => {
  test("one old failure and one new one, each judged", () => {
    repo = jsProjectRepo(
      {
        "package.json": `${JSON.stringify({
          type: "module",
          scripts: { test: "tsc -p tsconfig.json && node --test dist/test/" },
        })}\n`,
        "tsconfig.json": `${JSON.stringify({
          compilerOptions: {
            target: "es2022",
            module: "nodenext",
            outDir: "dist",
            strict: true,
            types: ["node"],
          },
          include: ["src", "test"],
        })}\n`,
        ".gitignore": "node_modules\ndist\n",
        "src/cart.ts":
          "export const total = (a: number, b: number): number => a + b;\nexport const round = (x: number): number => Math.round(x);\n",
        "test/cart.test.ts": `import { test } from "node:test";
import assert from "node:assert";
import { round, total } from "../src/cart.js";
test("adds", () => assert.strictEqual(total(1, 2), 3));
test("rounds half down", () => assert.strictEqual(round(2.5), 2));
`,
      },
      "a TypeScript cart, with a test that already fails",
    );
    repo.write(
      "src/cart.ts",
      "export const total = (a: number, b: number): number => a - b;\nexport const round = (x: number): number => Math.round(x);\n",
    );
    // dist/ is the build's, ignored: the baseline's build may be left there (the report says so).
    const { json, stderr } = attributeUntouched(repo, ["npm", "test"], [...twoRuns], {}, ["dist"]);
    const tests = json["tests"] as { name: string; verdict: string }[];
    expect(json["verdict"], stderr).toBe("regression");
    expect((json["perTest"] as { source: string }).source).toBe(
      "node --test events, through npm test",
    );
    expect(tests.map((t) => [t.name, t.verdict])).toEqual([
      ["adds", "regression"],
      ["rounds half down", "pre-existing"],
    ]);
  });
});

// A script of `node --test`: node takes options only before the test files, where npm adds
// nothing, so culprit gives node its reporter in NODE_OPTIONS. Before, the run was judged by npm's
// exit code: one old failure and one new one, in a package of an npm workspace, read
// "pre-existing".
describe("culprit -- npm test, whose script is node --test", () => {
  const files = {
    "package.json": '{ "private": true, "workspaces": ["packages/*"] }\n',
    "packages/cart/package.json":
      '{ "name": "cart", "scripts": { "test": "node --test test/" } }\n',
    "packages/cart/src/cart.js": "exports.total = (a, b) => a + b;\nexports.round = Math.round;\n",
    "packages/cart/test/total.test.js": `const test = require("node:test");
const assert = require("node:assert");
const cart = require("../src/cart.js");
test("adds", () => assert.strictEqual(cart.total(1, 2), 3));
`,
    "packages/cart/test/round.test.js": `const test = require("node:test");
const assert = require("node:assert");
const cart = require("../src/cart.js");
test("rounds half down", () => assert.strictEqual(cart.round(2.5), 2));
test("rounds down", () => assert.strictEqual(cart.round(2.4), 2));
`,
  };

  test.each([
    ["in the package's folder", ["npm", "test"], "packages/cart", undefined, "npm test"],
    [
      "in the package's folder, with NODE_OPTIONS of the user's",
      ["npm", "test"],
      "packages/cart",
      "--no-deprecation",
      "npm test",
    ],
    ["from the top, -w NAME", ["npm", "test", "-w", "cart"], "", undefined, "npm test -w cart"],
    [
      "from the top, --workspace=PATH",
      ["npm", "test", "--workspace=packages/cart"],
      "",
      undefined,
      "npm test -w packages/cart",
    ],
  ])(
    "%s: one old failure and one new one, each judged",
    (_, command, folder, nodeOptions, shown) => {
      repo = jsProjectRepo(files, "cart, with a test that already fails");
      repo.write(
        "packages/cart/src/cart.js",
        "exports.total = (a, b) => a - b;\nexports.round = Math.round;\n",
      );
      const before = captureState(repo);
      const r = runCulprit(
        repo,
        ["--json", "--runs", "3", "--", ...command],
        { ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) },
        folder,
      );
      const json = parseJsonOutput(r) as ReturnType<typeof parseJsonOutput> & {
        tests: { name: string; verdict: string; file: string }[];
        perTest: { source: string | null };
      };
      expect(json.verdict, r.stderr).toBe("regression");
      expect(json.perTest.source).toBe(`node --test events, through ${shown}`);
      expect(json.tests.map((t) => [t.file, t.name, t.verdict])).toEqual([
        ["packages/cart/test/total.test.js", "adds", "regression"],
        ["packages/cart/test/round.test.js", "rounds half down", "pre-existing"],
      ]);
      expect(captureState(repo)).toEqual(before);
      expect(culpritRefs(repo)).toEqual([]);
    },
  );
});

// A script that only your package.json has (`npm run unit`): HEAD cannot run it, so the verdict
// rests on a selective revert of the code, and the old failure there is not settled (the other
// suspect, package.json, cannot go with it still running). The headline counted it as "already
// there" above a list that said inconclusive, and the note said npm's script gave no report,
// from HEAD's runs that never reached it, below tests read through that very script.
test("a script only your package.json has: the headline and the note say what the list says", () => {
  repo = jsProjectRepo(
    {
      "package.json": '{ "name": "hl", "private": true, "scripts": {} }\n',
      "src/a.js": "exports.add = (a, b) => a + b;\n",
      "test/a.test.js": `const test = require("node:test");
const assert = require("node:assert");
const { add } = require("../src/a");
test("adds", () => assert.strictEqual(add(2, 2), 4));
test("old", () => assert.strictEqual(0.1 + 0.2, 0.3));
`,
    },
    "add, with a test that always failed",
  );
  repo.write(
    "package.json",
    '{ "name": "hl", "private": true, "scripts": { "unit": "node --test test/" } }\n',
  );
  repo.write("src/a.js", "exports.add = (a, b) => a - b;\n");
  const { json, status } = attributeUntouched(repo, ["npm", "run", "unit"], ["--no-cache"]);
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const tests = json["tests"] as { name: string; verdict: string }[];
  expect(tests.map((t) => [t.name, t.verdict])).toEqual([
    ["adds", "regression"],
    ["old", "inconclusive"],
  ]);
  expect(json.reason).toBe(
    "caused by the changes in src/a.js: 1 test newly fails; 1 failing test is undecided",
  );
  expect((json["perTest"] as { note: string | null }).note).toBeNull();
});
