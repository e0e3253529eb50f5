import { afterEach, describe, expect, test } from "vitest";
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
    expect(culpritRefs(repo)).toEqual([]);
  });
});
