import { describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

/*
 * A Playwright project set up as `npm init playwright` sets one up, with the real runner (tests
 * that need no browser): `reporter: "html"`, which after a failing run serves the report and
 * waits for Ctrl-C; retries; two projects, so every test runs twice a run; and `maxFailures: 1`
 * with the old failure first, which stops the run before the new one. culprit's --reporter
 * replaces the config's (no server: the runs end), its --max-failures goes past the config's,
 * each test is judged per project, and a test that passed only on a retry failed that run.
 */
const missing = runnerMissing("playwright");
if (missing) console.log(`skipped the Playwright config case: ${missing}`);

const config = `const { defineConfig } = require("@playwright/test");
module.exports = defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 1,
  maxFailures: 1,
  reporter: "html",
  projects: [{ name: "first" }, { name: "second" }],
});
`;

const lib = (body: string) =>
  `module.exports = {\n  add: (a, b) => ${body},\n  money: (cents) => (cents / 100).toFixed(2),\n};\n`;

// In file order: the old failure (money) first, then the test the edit breaks (adds).
const spec = `const { test, expect } = require("@playwright/test");
const { add, money } = require("../src/lib.js");
test("formats money", () => { expect(money(123456)).toBe("1,234.56"); });
test("adds", () => { expect(add(2, 2)).toBe(4); });
test("passes on its retry", ({}, testInfo) => { expect(testInfo.retry).toBe(1); });
`;

describe.skipIf(missing !== null)("Playwright, configured as npm init playwright does", () => {
  test("html reporter, retries, two projects, maxFailures 1: regression, each test right", {
    timeout: 480_000,
  }, () => {
    const repo = jsProjectRepo(
      {
        "package.json": "{}\n",
        "playwright.config.js": config,
        "src/lib.js": lib("a + b"),
        "tests/shop.spec.js": spec,
        ".gitignore": "node_modules\ntest-results\nplaywright-report\n",
      },
      "a shop whose money test already fails",
    );
    try {
      repo.write("src/lib.js", lib("a + b + 1"));
      const { json, status } = attributeUntouched(
        repo,
        ["npx", "playwright", "test"],
        ["--timeout", "60s"],
        {},
        ["test-results", "playwright-report"],
      );
      const tests = json["tests"] as { name: string; verdict: string; file: string }[];
      expect(json["verdict"], JSON.stringify(tests)).toBe("regression");
      expect(status).toBe(1);
      expect(tests.map((t) => [t.name, t.verdict]).sort()).toEqual([
        ["[first] adds", "regression"],
        ["[first] formats money", "pre-existing"],
        // Failed, then passed on the config's retry ("flaky"): a failure of that run, each side.
        ["[first] passes on its retry", "pre-existing"],
        ["[second] adds", "regression"],
        ["[second] formats money", "pre-existing"],
        ["[second] passes on its retry", "pre-existing"],
      ]);
      expect(tests[0]!.file).toBe("tests/shop.spec.js");
    } finally {
      repo.cleanup();
    }
  });
});
