import { afterEach, expect, test } from "vitest";
import { captureState, runCulprit, type TestRepo } from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

/*
 * mocha lists a hook (`"before all" hook for "uses setup"`) only when it fails, and then skips
 * the tests under it. A hook your change broke was read as a test the baseline never ran: the
 * verdict was UNRUNNABLE, exit 2, though the baseline ran it 3 times and it passed (found trying
 * culprit on micromatch/picomatch). Real mocha, through its xunit report; beside an old failure
 * of another test, the everyday case.
 */

const missing = runnerMissing("mocha");
if (missing) console.log(`mocha hook cases skipped: ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const hookTest = (hook: string) =>
  [
    'const assert = require("assert");',
    'const strip = require("../lib");',
    'describe("setup", () => {',
    "  let v;",
    `  ${hook}(() => { v = strip("./x"); assert.strictEqual(v, "x"); });`,
    '  it("uses setup", () => { assert.strictEqual(v, "x"); });',
    "});",
    'describe("old", () => {',
    '  it("was already failing", () => { assert.strictEqual(1, 2); });',
    "});",
    "",
  ].join("\n");

test.skipIf(missing !== null).each([["before"], ["beforeEach"]])(
  "a %s hook your change broke: REGRESSION exit 1, the old failure pre-existing",
  (hook) => {
    repo = jsProjectRepo(
      {
        "lib.js": "module.exports = (s) => s.slice(2);\n",
        "test/a.js": hookTest(hook),
        "package.json": '{ "name": "hooks", "version": "1.0.0" }\n',
      },
      "init",
    );
    repo.write("lib.js", "module.exports = (s) => s.slice(1);\n");
    const before = captureState(repo);
    const r = runCulprit(repo, ["--json", "--no-cache", "--", "npx", "mocha", "test/a.js"]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.verdict).toBe("regression");
    const verdicts = Object.fromEntries(
      json.tests.map((t: { name: string; verdict: string }) => [t.name, t.verdict]),
    );
    const hookName = Object.keys(verdicts).find((name) => name.includes("hook for"));
    expect(hookName, JSON.stringify(verdicts)).toMatch(/^setup > "before (all|each)" hook for/);
    expect(verdicts[hookName!]).toBe("regression");
    expect(verdicts["old > was already failing"]).toBe("pre-existing");
    expect(captureState(repo)).toEqual(before);
  },
  90_000,
);
