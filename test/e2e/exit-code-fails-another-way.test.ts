import { describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulprit,
  runCulpritAsync,
  type TestRepo,
} from "../repos/harness.js";
import { commitSeries, parseBisectJson } from "../repos/history.js";
import { expectIsolateUntouched, parseIsolateJson } from "../repos/isolate.js";
import { expectValidResult } from "../repos/result-schema.js";

/*
 * A command culprit cannot add a test report to (a script of steps, a runner it has no reader
 * for) is judged by its exit code, and one that fails on both sides read PRE-EXISTING, exit 0,
 * however the two failed: chalk's `xo && c8 ava` stopped at a lint error your change made, where
 * the baseline got through to an old test failure; a check your change broke beside an old one
 * (JS trial). Now the way your tree fails (the lines of its output that say what went wrong) is
 * judged too. Real node scripts: a linter and a checker of the project's own, each printing its
 * failures as xo and uvu do ("✖ ...").
 */

const lint = `import { readFileSync } from "node:fs";
const lines = readFileSync("src/index.mjs", "utf8").split("\\n");
let errors = 0;
lines.forEach((line, i) => {
  if (/^\\s*var /.test(line)) {
    console.log(\`  src/index.mjs:\${i + 1}:3\\n  ✖  \${i + 1}:3  Unexpected var, use let or const instead.  no-var\`);
    errors++;
  }
});
if (errors > 0) {
  console.log(\`\\n  \${errors} error\`);
  process.exit(1);
}
`;

// The project's checks: a table of name, call and expected value; each failure is a line.
const check = `import { checks } from "./checks.mjs";
let failed = 0;
for (const [name, run, expected] of checks) {
  const got = run();
  if (got === expected) continue;
  failed++;
  console.log(\`  ✖ \${name}: expected \${expected}, got \${got}\`);
}
console.log(\`\\n  \${checks.length - failed} passed, \${failed} failed (\${Date.now() % 97} ms)\`);
process.exit(failed > 0 ? 1 : 0);
`;

const source = (add: string) =>
  `export function add(a, b) {\n${add}}\nexport function mul(a, b) {\n  return a * b;\n}\nexport function neg(a) {\n  return -a;\n}\n`;

const checks = (...rows: string[]) =>
  `import { add, mul, neg } from "./src/index.mjs";\nexport const checks = [\n${rows.map((r) => `  ${r},\n`).join("")}];\n`;

const addRow = '["add", () => add(1, 2), 3]';
// Old failures: the expected values are wrong, at HEAD already.
const mulRow = '["mul", () => mul(2, 3), 7]';
const negRow = '["neg", () => neg(2), 2]';

/** Your change: a `var` the lint refuses (the sum named). */
const breakTheLint = (repo: TestRepo) =>
  repo.write("src/index.mjs", source("  var sum = a + b;\n  return sum;\n"));

function project(...rows: string[]): TestRepo {
  const repo = createRepo();
  repo.write("lint.mjs", lint);
  repo.write("check.mjs", check);
  repo.write("checks.mjs", checks(...rows));
  repo.write("src/index.mjs", source("  return a + b;\n"));
  repo.write("package.json", `${JSON.stringify({ type: "module", private: true })}\n`);
  repo.commit("a project whose mul check always failed");
  repo.write("notes.txt", "an untracked note\n");
  return repo;
}

type Doc = {
  verdict: string;
  reason: string;
  exitCode: number;
  statistics: {
    pValue: number;
    failureWay: {
      current: { runs: number; failures: number };
      baseline: { runs: number; failures: number };
      lines: string[];
    } | null;
  };
};

const steps = ["--shell", "node lint.mjs && node check.mjs"];

describe("a command judged by its exit code, failing on both sides", () => {
  test("your tree stops at a lint error, the baseline at an old failing check: REGRESSION", () => {
    const repo = project(addRow, mulRow);
    try {
      breakTheLint(repo);
      const { json, status, stderr } = attributeUntouched(repo, [], ["--no-cache", ...steps]);
      const doc = json as unknown as Doc;
      expect(doc.verdict, stderr).toBe("regression");
      expect(status).toBe(1);
      expect(doc.reason).toMatch(
        /^your changes make it fail another way: 3\/3 runs with them failed as your tree does, 0\/3 without your changes \(3 failed otherwise\): p = 0\.016$/,
      );
      expect(doc.statistics.failureWay).toEqual({
        current: { runs: 3, failures: 3 },
        baseline: { runs: 3, failures: 0 },
        lines: ["✖ #:# Unexpected var, use let or const instead. no-var"],
      });
      expectValidResult(json);
      // As a user reads it: both failures, side by side.
      const human = runCulprit(repo, ["--no-cache", ...steps]);
      expect(human.status).toBe(1);
      expect(human.stdout).toMatch(/last failure on your tree ended with:\n.*no-var/);
      expect(human.stdout).toContain(
        "failing with your changes only:\n    | ✖ #:# Unexpected var, use let or const instead. no-var\n",
      );
      expect(human.stdout).toMatch(
        /last failure without your changes .*:\n(.*\n)*.*✖ mul: expected 7, got 6/,
      );
    } finally {
      repo.cleanup();
    }
  }, 120_000);

  test("your change breaks a check beside the old one: REGRESSION", () => {
    const repo = project(addRow, mulRow);
    try {
      repo.write("src/index.mjs", source("  return a - b;\n"));
      const { json, status, stderr } = attributeUntouched(
        repo,
        ["node", "check.mjs"],
        ["--no-cache"],
      );
      const doc = json as unknown as Doc;
      expect(doc.verdict, stderr).toBe("regression");
      expect(status).toBe(1);
      expect(doc.statistics.failureWay?.baseline.failures).toBe(0);
      expectValidResult(json);
    } finally {
      repo.cleanup();
    }
  }, 120_000);

  test.each([
    [
      "the old failure only, beside checks your change adds (its counts and timings move)",
      (repo: TestRepo) =>
        repo.write("checks.mjs", checks(addRow, '["add 0", () => add(0, 0), 0]', mulRow)),
    ],
    [
      "your change fixes one of two old failures",
      (repo: TestRepo) =>
        repo.write("src/index.mjs", source("  return a + b;\n").replace("return -a", "return a")),
    ],
  ])(
    "%s: PRE-EXISTING",
    (_name, change) => {
      const repo = project(addRow, mulRow, negRow);
      try {
        change(repo);
        const { json, status, stderr } = attributeUntouched(
          repo,
          ["node", "check.mjs"],
          ["--no-cache"],
        );
        const doc = json as unknown as Doc;
        expect(doc.verdict, stderr).toBe("pre-existing");
        expect(status).toBe(0);
        expect(doc.statistics.failureWay).toBeNull();
        expectValidResult(json);
      } finally {
        repo.cleanup();
      }
    },
    120_000,
  );

  // isolate judged every configuration "fail" by the exit code, the baseline too: NOT
  // REPRODUCED after 20 calibration runs. Now a configuration that fails as the baseline does
  // passes (as far as your failure goes).
  test("culprit isolate names the hunk that breaks the lint, not the one beside it", () => {
    const repo = project(addRow, mulRow);
    try {
      breakTheLint(repo);
      repo.write("checks.mjs", `${checks(addRow, mulRow)}// the checks, as a table\n`);
      const before = captureState(repo);
      const result = runCulprit(repo, ["isolate", "--json", "--no-cache", ...steps]);
      const doc = parseIsolateJson<{
        verdict: string;
        target: { kind: string };
        hunks: { file: string }[];
      }>(result);
      expect(doc.verdict, result.stderr).toBe("isolated");
      expect(doc.target.kind).toBe("failure-way");
      expect(doc.hunks.map((h) => h.file)).toEqual(["src/index.mjs"]);
      expect(result.status).toBe(0);
      expectIsolateUntouched(repo, before);
    } finally {
      repo.cleanup();
    }
  }, 180_000);

  // bisect: the command failed at both ends (the old check), and bisect answered FAILS AT THE
  // GOOD END TOO, exit 2. It now follows the way the bad end fails.
  test("culprit bisect finds the commit that broke the lint, the old failing check set aside", async () => {
    const repo = project(addRow, mulRow);
    try {
      const shas = commitSeries(repo, 8, (i) => {
        if (i !== 5) return null;
        breakTheLint(repo);
        return "add: name the sum";
      });
      repo.write("scratch.txt", "the user's own work\n");
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, [
        "bisect",
        "--json",
        "--good",
        shas[0]!,
        ...steps,
      ]);
      const doc = parseBisectJson<{
        verdict: string;
        culprit: { sha: string } | null;
        followedWay: boolean;
      }>(result.stdout);
      expect(doc.verdict, result.stderr).toBe("culprit");
      expect(doc.culprit?.sha).toBe(shas[5]);
      expect(doc.followedWay).toBe(true);
      expect(result.status).toBe(0);
      expect(captureState(repo)).toEqual(before);
      expect(culpritRefs(repo)).toEqual([]);
    } finally {
      repo.cleanup();
    }
  }, 180_000);

  test("--per-test off: the exit code alone, as asked", () => {
    const repo = project(addRow, mulRow);
    try {
      breakTheLint(repo);
      const { json, status } = attributeUntouched(
        repo,
        [],
        ["--no-cache", "--per-test", "off", ...steps],
      );
      expect((json as unknown as Doc).verdict).toBe("pre-existing");
      expect(status).toBe(0);
    } finally {
      repo.cleanup();
    }
  }, 120_000);
});
