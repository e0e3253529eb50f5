import { afterEach, describe, expect, test } from "vitest";
import {
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

// vitest fails a run on an error thrown outside any test (a rejected promise nobody awaited, a
// --typecheck error), and its JSON report does not have it. Beside a test that already failed at
// HEAD nothing said the error was there: a new one read PRE-EXISTING, exit 0 (unjs/ufo trial).
// vitest's own lines about it are now an entry of the run, judged like a test.

const vitest = ["node", "node_modules/vitest/vitest.mjs", "run"];

const lib = (body: string) =>
  `export function withoutHost(url) {\n  ${body}\n  return url.replace(/^https?:\\/\\/[^/]+/, "");\n}\n`;

const tests = `import { expect, test } from "vitest";
import { withoutHost } from "../src/url.js";
test("strips the host", () => expect(withoutHost("https://a.b/c")).toBe("/c"));
test("an old failure", () => expect(1 + 1).toBe(3));
`;

interface Result {
  verdict: string;
  tests: { name: string; verdict: string; message: string | null }[];
}

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const missing = runnerMissing("vitest");
if (missing) console.log(`vitest unhandled-error case skipped: ${missing}`);

describe.skipIf(missing !== null)("vitest's unhandled errors, the real runner", () => {
  test("a new unhandled rejection beside an old failure: a regression, exit 1", () => {
    repo = jsProjectRepo(
      {
        "package.json": `${JSON.stringify({ name: "urls", private: true, type: "module" })}\n`,
        "src/url.js": lib("// no telemetry yet"),
        "test/url.test.js": tests,
      },
      "urls",
    );
    repo.write("src/url.js", lib('void Promise.reject(new Error("telemetry not configured"));'));
    const before = captureState(repo);
    const run = runCulprit(repo, ["--json", "--", ...vitest]);
    expect(run.status, run.stderr).toBe(1);
    const result = parseJsonOutput(run) as unknown as Result;
    expect(result.verdict).toBe("regression");
    expect(result.tests.map((t) => [t.name, t.verdict])).toEqual([
      ["unhandled errors", "regression"],
      ["an old failure", "pre-existing"],
    ]);
    expect(result.tests[0]!.message).toBe("Unhandled Rejection: Error: telemetry not configured");
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  }, 120_000);
});
