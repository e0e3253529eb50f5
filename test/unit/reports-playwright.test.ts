import { describe, expect, it } from "vitest";
import { parsePlaywrightJson } from "../../src/run/reports/parse-playwright-json.js";

// The shape of Playwright 1.65.1's JSON report, as `npx playwright test --reporter=json` wrote it
// for /repo/tests/shop.spec.js (messages as written, colours included); the e2e tests
// (runner-playwright*.test.ts) read the real thing.
const frame =
  '\n\n  1 | const { test, expect } = require("@playwright/test");\n> 2 | test("adds", () => { expect(add(2, 2)).toBe(4); });\n    |                                        ^\n  3 |\n    at /repo/tests/shop.spec.js:2:40';
const thrown =
  "Error: \u001b[2mexpect(\u001b[22m\u001b[31mreceived\u001b[39m\u001b[2m).\u001b[22mtoBe\u001b[2m(\u001b[22m\u001b[32mexpected\u001b[39m\u001b[2m) // Object.is equality\u001b[22m\n\nExpected: \u001b[32m4\u001b[39m\nReceived: \u001b[31m5\u001b[39m";

const spec = (title: string, line: number, test: object) => ({
  title,
  file: "shop.spec.js",
  line,
  tests: [{ projectName: "", ...test }],
});

const report = {
  config: { rootDir: "/repo/tests" },
  suites: [
    {
      title: "shop.spec.js",
      file: "shop.spec.js",
      specs: [
        spec("adds", 2, {
          status: "unexpected",
          expectedStatus: "passed",
          results: [
            {
              status: "failed",
              error: { message: thrown },
              errors: [{ message: `${thrown}${frame}` }],
            },
          ],
        }),
        spec("passes on its retry", 3, {
          status: "flaky",
          expectedStatus: "passed",
          results: [
            { status: "failed", error: { message: "Error: first try" }, errors: [] },
            { status: "passed", errors: [] },
          ],
        }),
        spec("fails as it should (test.fail)", 4, {
          status: "expected",
          expectedStatus: "failed",
          results: [{ status: "failed", errors: [] }],
        }),
        spec("skipped", 5, { status: "skipped", expectedStatus: "skipped", results: [] }),
      ],
      suites: [
        {
          title: "cart",
          file: "shop.spec.js",
          specs: [
            spec("two soft failures", 8, {
              status: "unexpected",
              expectedStatus: "passed",
              results: [
                {
                  status: "failed",
                  error: { message: "Error: one" },
                  errors: [{ message: `Error: one${frame}` }, { message: `Error: two${frame}` }],
                },
              ],
            }),
          ],
        },
      ],
    },
  ],
  errors: [
    {
      message: "Error: Cannot find module './missing'",
      location: { file: "/repo/tests/broken.spec.js", line: 1, column: 9 },
    },
  ],
};

describe("parsePlaywrightJson", () => {
  const parsed = parsePlaywrightJson(JSON.stringify(report), {
    cwd: "/repo",
    root: "/repo",
    label: "the report",
  });
  const tests = parsed.ok ? parsed.tests : [];

  it.each([
    [
      "tests/shop.spec.js::adds",
      "fail",
      2,
      "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 4\nReceived: 5",
    ],
    ["tests/shop.spec.js::passes on its retry", "fail", 3, "Error: first try"],
    ["tests/shop.spec.js::fails as it should (test.fail)", "pass", 4, null],
    ["tests/shop.spec.js::skipped", "skip", 5, null],
    ["tests/shop.spec.js::cart > two soft failures", "fail", 8, "Error: one\nError: two"],
    ["tests/broken.spec.js", "fail", 1, "Error: Cannot find module './missing'"],
  ])("%s: %s", (id, status, line, message) => {
    const test = tests.find((t) => t.id === id);
    expect(test, JSON.stringify(tests.map((t) => t.id))).toBeDefined();
    expect([test!.status, test!.line, test!.message]).toEqual([status, line, message]);
  });

  it("the source frame is never part of a message (its line numbers move with the file)", () => {
    for (const test of tests) expect(test.message ?? "").not.toMatch(/\d+ \|/);
  });

  it("a file that could not load is an entry where its error was thrown; nothing else is in the report", () => {
    expect(tests.find((t) => t.kind === "error")?.file).toBe("tests/broken.spec.js");
    expect(tests).toHaveLength(6);
  });

  it.each([
    ["", /is empty/],
    ["{", /not valid JSON/],
    ['{"config":{}}', /has no suites/],
  ])("%j: no tests, and why", (text, why) => {
    const result = parsePlaywrightJson(text, { cwd: "/repo", root: "/repo", label: "the report" });
    expect(result.ok ? "" : result.why).toMatch(why);
  });
});
