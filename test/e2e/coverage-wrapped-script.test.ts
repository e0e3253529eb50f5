import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { mochaOldAndNewFailure, runnerMissing } from "../repos/runner-projects.js";

/*
 * A coverage wrapper around a package script: `npm run test-ci` where the script is `c8
 * --reporter=text npm test` (body-parser's and express's `test-ci`, with nyc), or `npx c8 npm
 * test` typed out. Judged by the exit code, an old failure beside a new one read PRE-EXISTING,
 * exit 0, in CI. The inner script's runner is planned, culprit's options passed on through both.
 * The real npm, c8 and mocha.
 */

const missing = runnerMissing("mocha");
if (missing) console.log(`coverage-wrapped-script: skipped: ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.skipIf(missing !== null).each([
  ["npm run test-ci (the script runs c8 ... npm test)", ["npm", "run", "test-ci"]],
  ["npx c8 npm test", ["npx", "c8", "--reporter=text", "npm", "test"]],
])(
  "%s: one old failure and one new one, judged per test",
  (_name, command) => {
    repo = mochaOldAndNewFailure(
      {
        ".gitignore": "node_modules\ncoverage/\n",
        "package.json": `${JSON.stringify({
          name: "wrapped",
          private: true,
          scripts: { test: "mocha test/", "test-ci": "c8 --reporter=text npm test" },
        })}\n`,
      },
      "tests, one already failing",
    );
    const { json, status } = attributeUntouched(repo, command, ["--no-cache"], {}, ["coverage"]);
    expect(json.verdict, String(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const tests = json["tests"] as { name: string; verdict: string }[];
    expect(Object.fromEntries(tests.map((t) => [t.name, t.verdict]))).toEqual({
      "old failure": "pre-existing",
      total: "regression",
    });
  },
  180_000,
);
