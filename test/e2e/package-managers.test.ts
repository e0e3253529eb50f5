import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { attributeUntouched, twoRuns } from "../repos/expect-untouched.js";
import { worktreeModules } from "../repos/runner-projects.js";
import { runnerKits, runnerRepo, writeAll } from "../repos/runner-scenarios.js";

/*
 * The suite with one old failure and one new, run the way most projects run it: through the
 * package manager's script, with the real pnpm 9 and yarn 1 (devDependencies, on PATH as a
 * project's would be). Before, only npm's scripts were read per test: `pnpm test` and `yarn
 * test` were judged by their exit code, and both sides failing read PRE-EXISTING, exit 0, over
 * the regression. pnpm test drops one `--` (culprit's options go after one), pnpm run passes
 * its args on as they are, yarn 1 appends them.
 */
const kit = runnerKits["mocha"]!;
// Each manager by its own package: node_modules/.bin/yarn is yarn 1's or yarn 4's
// (@yarnpkg/cli-dist, for the Plug'n'Play test), whichever npm linked last.
const bin = mkdtempSync(join(tmpdir(), "culprit-managers-"));
symlinkSync(join(worktreeModules, "pnpm", "bin", "pnpm.cjs"), join(bin, "pnpm"));
symlinkSync(join(worktreeModules, "yarn", "bin", "yarn.js"), join(bin, "yarn"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const env = { PATH: `${bin}:${join(worktreeModules, ".bin")}:${process.env["PATH"] ?? ""}` };

describe("package scripts of pnpm and yarn, with the real managers", () => {
  // The first at culprit's defaults, as a user runs it; the others at two runs a side (what
  // they test is the manager's words, not the statistics).
  test.each([
    [["pnpm", "test"], "mocha xunit, through pnpm test", []],
    [["pnpm", "run", "unit"], "mocha xunit, through pnpm run unit", twoRuns],
    [["pnpm", "test", "--", "test/"], "mocha xunit, through pnpm test", twoRuns],
    [["yarn", "test"], "mocha xunit, through yarn test", twoRuns],
    [["yarn", "unit"], "mocha xunit, through yarn unit", twoRuns],
  ])(
    "%j: regression, each test right",
    async (command, source, runs) => {
      const repo = runnerRepo({
        ...kit,
        files: {
          ...kit.files,
          "package.json": `${JSON.stringify({ scripts: { test: "mocha", unit: "mocha test/" } })}\n`,
        },
      });
      try {
        writeAll(repo, kit.bug);
        const { json, status } = attributeUntouched(repo, command, [...runs], env);
        const tests = json["tests"] as { name: string; verdict: string }[];
        expect(json["verdict"], JSON.stringify(tests)).toBe("regression");
        expect(status).toBe(1);
        expect(tests.map((t) => [t.name, t.verdict])).toEqual([
          ["lib > adds", "regression"],
          ["lib > formats money", "pre-existing"],
        ]);
        expect((json["perTest"] as { source: string }).source).toBe(source);
      } finally {
        repo.cleanup();
      }
    },
    180_000,
  );
});

// A script the change adds (`unit`): at HEAD the manager says it has no such script, which
// culprit reads as "the baseline cannot run this", and reverts only the files it suspects
// (package.json stays yours). Before, the manager's error counted as a failure of the baseline:
// PRE-EXISTING, exit 0, over the regression. A script no side has cannot run at all.
describe("a missing script is a baseline that cannot run, with the real managers", () => {
  test.each([[["npm", "run", "unit"]], [["pnpm", "run", "unit"]], [["yarn", "unit"]]])(
    "%j, a script the change adds: regression, found by reverting only the code",
    async (command) => {
      const repo = runnerRepo({
        ...kit,
        files: {
          ...kit.files,
          "package.json": `${JSON.stringify({ scripts: { test: "mocha" } })}\n`,
        },
      });
      try {
        writeAll(repo, kit.bug);
        repo.write(
          "package.json",
          `${JSON.stringify({ scripts: { test: "mocha", unit: "mocha test/" } })}\n`,
        );
        const { json, status } = attributeUntouched(repo, command, [...twoRuns], env);
        const tests = json["tests"] as { name: string; verdict: string }[];
        expect(json["verdict"], JSON.stringify(json["baselines"] ?? tests)).toBe("regression");
        expect(status).toBe(1);
        // The revert that runs keeps package.json (reverting it takes the script away): a test
        // still failing there may be failing because of package.json as far as any run can
        // tell, so it is inconclusive, not pre-existing (revert-part-not-the-cause.test.ts).
        expect(tests.map((t) => [t.name, t.verdict])).toEqual([
          ["lib > adds", "regression"],
          ["lib > formats money", "inconclusive"],
        ]);
      } finally {
        repo.cleanup();
      }
    },
    180_000,
  );

  test.each([[["npm", "run", "nosuch"]], [["pnpm", "run", "nosuch"]], [["yarn", "nosuch"]]])(
    "%j, a script no side has: the command cannot run",
    async (command) => {
      const repo = runnerRepo(kit);
      try {
        writeAll(repo, kit.bug);
        const { json } = attributeUntouched(repo, command, [...twoRuns], env);
        expect(json["verdict"]).toBe("unrunnable");
      } finally {
        repo.cleanup();
      }
    },
    180_000,
  );
});

// A tool the script runs that is not installed (`eslint . && mocha`, eslint missing): the shell
// exits 127, which npm and yarn pass on (culprit: the command could not run), but pnpm 9 exits 1
// (` ELIFECYCLE  Command failed.`, or `Test failed.` for the test script). Before, both sides
// failed alike: PRE-EXISTING, exit 0, where no test had run.
describe("a program the script runs is not installed, with the real pnpm: the command cannot run", () => {
  test.each([[["pnpm", "test"]], [["pnpm", "run", "unit"]]])(
    "%j: unrunnable, and why",
    async (command) => {
      const repo = runnerRepo({
        ...kit,
        files: {
          ...kit.files,
          "package.json": `${JSON.stringify({
            scripts: {
              test: "culprit-no-such-linter . && mocha",
              unit: "culprit-no-such-linter . && mocha test/",
            },
          })}\n`,
        },
      });
      try {
        writeAll(repo, kit.bug);
        const { json, status } = attributeUntouched(repo, command, [...twoRuns], env);
        expect(json["verdict"], JSON.stringify(json["reason"])).toBe("unrunnable");
        expect(status).toBe(2);
        const runs = json["runs"] as { outcome: string; why: string | null }[];
        expect(runs.length).toBeGreaterThan(0);
        for (const run of runs) {
          expect(run.outcome).toBe("cannot-run");
          expect(run.why).toContain("pnpm: exit 1 for the script's exit 127 (command not found)");
          expect(run.why).toContain("culprit-no-such-linter: not found");
        }
      } finally {
        repo.cleanup();
      }
    },
    180_000,
  );
});

// A monorepo's package, chosen the way each manager chooses one: pnpm's --filter (a name or
// ./path) and -C, yarn 1's `yarn workspace NAME`. Before, the words before the script were the
// manager's options to culprit, and the run was judged by its exit code: PRE-EXISTING.
describe("a workspace package chosen by the manager, with the real managers", () => {
  test.each([
    [["pnpm", "--filter", "cart", "test"], "mocha xunit, through pnpm --filter cart test"],
    [
      ["pnpm", "-F", "./packages/cart", "run", "unit"],
      "mocha xunit, through pnpm -F ./packages/cart run unit",
    ],
    [["pnpm", "-C", "packages/cart", "test"], "mocha xunit, through pnpm -C packages/cart test"],
    [["yarn", "workspace", "cart", "test"], "mocha xunit, through yarn workspace cart test"],
  ])(
    "%j: regression, each test right",
    async (command, source) => {
      const files: Record<string, string> = {
        "package.json": `${JSON.stringify({ private: true, workspaces: ["packages/*"] })}\n`,
        "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
      };
      for (const [path, content] of Object.entries(kit.files))
        files[`packages/cart/${path}`] = content;
      // yarn 1 knows a workspace only with a version.
      files["packages/cart/package.json"] = `${JSON.stringify({
        name: "cart",
        version: "1.0.0",
        scripts: { test: "mocha", unit: "mocha test/" },
      })}\n`;
      const repo = runnerRepo({ ...kit, files });
      try {
        writeAll(
          repo,
          Object.fromEntries(
            Object.entries(kit.bug).map(([path, c]) => [`packages/cart/${path}`, c]),
          ),
        );
        const { json, status } = attributeUntouched(repo, command, [...twoRuns], env);
        const tests = json["tests"] as { name: string; verdict: string }[];
        expect(json["verdict"], JSON.stringify(tests)).toBe("regression");
        expect(status).toBe(1);
        expect(tests.map((t) => [t.name, t.verdict])).toEqual([
          ["lib > adds", "regression"],
          ["lib > formats money", "pre-existing"],
        ]);
        expect((json["perTest"] as { source: string }).source).toBe(source);
      } finally {
        repo.cleanup();
      }
    },
    180_000,
  );
});
