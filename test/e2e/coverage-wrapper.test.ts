import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { jsProjectRepo, runnerMissing, worktreeModules } from "../repos/runner-projects.js";

// A coverage tool in front of the runner, the real c8 (a devDependency): `c8 mocha test/`, and a
// project's own `npm test` of that shape (yargs/yargs-parser: `c8 --reporter=text
// --reporter=html mocha test/*.mjs`; remark: `c8 --100 node --test`). culprit knew no report
// for `c8` and judged the command by its exit code: one old failure and one new one read
// PRE-EXISTING, exit 0. c8 and nyc are peeled off like npx: the runner behind them is found,
// and its report asked for as without them.

const missing =
  runnerMissing("mocha") ??
  (existsSync(join(worktreeModules, ".bin", "c8"))
    ? null
    : "c8 is not in node_modules (npm ci first)");
if (missing) console.log(`coverage-wrapper: skipped: ${missing}`);

const spec = `const assert = require("node:assert");
const { total } = require("../src/price");
describe("price", () => {
  it("adds", () => assert.strictEqual(total(1, 2), 3));
  it("old", () => assert.strictEqual(0.1 + 0.2, 0.3));
});
`;
const nodeTest = `const test = require("node:test");
const assert = require("node:assert");
const { total } = require("../src/price");
test("adds", () => assert.strictEqual(total(1, 2), 3));
test("old", () => assert.strictEqual(0.1 + 0.2, 0.3));
`;

describe.skipIf(missing !== null)("a coverage tool in front of the runner", () => {
  test.concurrent.each([
    ["npx c8 mocha test/", ["npx", "c8", "mocha", "test/"], "test/price.spec.js", spec, ""],
    [
      "npm test, its script c8 --reporter=text --100 mocha test/",
      ["npm", "test"],
      "test/price.spec.js",
      spec,
      "c8 --reporter=text --100 mocha test/",
    ],
    [
      "npx c8 -r text node --test test/",
      ["npx", "c8", "-r", "text", "node", "--test", "test/"],
      "test/price.test.js",
      nodeTest,
      "",
    ],
  ])("%s: each test judged", async (_name, command, file, body, script) => {
    const repo = jsProjectRepo(
      {
        "package.json": `{ "name": "price", "private": true, "scripts": { "test": "${script}" } }\n`,
        "src/price.js": "exports.total = (a, b) => a + b;\n",
        [file]: body,
      },
      "price, with a test that always failed",
    );
    try {
      repo.write(".gitignore", "node_modules\ncoverage/\n");
      repo.commit("coverage is built");
      repo.write("src/price.js", "exports.total = (a, b) => a - b;\n");
      const { json, status } = attributeUntouched(repo, command, ["--no-cache"], {}, ["coverage"]);
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      const tests = json["tests"] as { name: string; verdict: string }[];
      expect(tests.map((t) => [t.name.replace(/^price > /, ""), t.verdict])).toEqual([
        ["adds", "regression"],
        ["old", "pre-existing"],
      ]);
    } finally {
      repo.cleanup();
    }
  });
});
