import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { classify, type Outcome } from "../../src/run/index.js";
import { andChainPrograms, pnpmScriptText } from "../../src/run/package-scripts.js";

/*
 * pnpm 9 exits 1 where its script exited 127 (the shell's "command not found"), and passes any
 * other code on. The tails are pnpm 9.15's own words, as it printed them here (`node
 * node_modules/pnpm/bin/pnpm.cjs run unit` with `"unit": "nosuch-x"`, and so on), with the thin
 * spaces (U+2009) it puts around ELIFECYCLE.
 */
const notFound =
  "\n> x@ unit /p\n> nosuch-x\n\nsh: 1: nosuch-x: not found\n\u2009ELIFECYCLE\u2009 Command failed.\n";
const failedWith1 =
  "\n> x@ unit /p\n> exit 1\n\n\u2009ELIFECYCLE\u2009 Command failed with exit code 1.\n";
const testNotFound =
  "\n> x@ test /p\n> eslint . && mocha\n\nsh: 1: eslint: not found\n\u2009ELIFECYCLE\u2009 Test failed. See above for more details.\n";
const testFailed =
  "\n> x@ test /p\n> eslint . && mocha\n\n  2 passing\n  1 failing\n\u2009ELIFECYCLE\u2009 Test failed. See above for more details.\n";

describe("classify: pnpm's exit 1 for its script's 127", () => {
  const table: Array<[string, string[], number, string, string | undefined, Outcome]> = [
    [
      "a script not named test, its program not found",
      ["pnpm", "run", "unit"],
      1,
      notFound,
      undefined,
      "cannot-run",
    ],
    ["the same by `pnpm unit`", ["pnpm", "unit"], 1, notFound, undefined, "cannot-run"],
    [
      "the same by its path",
      ["/usr/local/bin/pnpm", "run", "unit"],
      1,
      notFound,
      undefined,
      "cannot-run",
    ],
    [
      "in colour, at a terminal (FORCE_COLOR): as pnpm printed it under `script`",
      ["pnpm", "run", "unit"],
      1,
      "sh: 1: nosuch-x: not found\r\n\x1b[41m\x1b[30m\u2009ELIFECYCLE\u2009\x1b[39m\x1b[49m \x1b[31mCommand failed.\x1b[39m\r\n",
      undefined,
      "cannot-run",
    ],
    ["a script that exited 1", ["pnpm", "run", "unit"], 1, failedWith1, undefined, "fail"],
    [
      "`Command failed.` with exit 143: a signal, not a 127",
      ["pnpm", "run", "unit"],
      143,
      notFound,
      undefined,
      "fail",
    ],
    [
      "pnpm test, the && chain's eslint not found",
      ["pnpm", "test"],
      1,
      testNotFound,
      "eslint . && mocha",
      "cannot-run",
    ],
    [
      "pnpm test under bash (script-shell)",
      ["pnpm", "test"],
      1,
      testNotFound.replace("sh: 1: eslint: not found", "bash: line 1: eslint: command not found"),
      "eslint . && mocha",
      "cannot-run",
    ],
    ["pnpm test whose tests failed", ["pnpm", "test"], 1, testFailed, "eslint . && mocha", "fail"],
    [
      "pnpm test, no script read: nothing told",
      ["pnpm", "test"],
      1,
      testNotFound,
      undefined,
      "fail",
    ],
    [
      "pnpm test, `;` goes on after the missing program",
      ["pnpm", "test"],
      1,
      testNotFound,
      "eslint .; mocha",
      "fail",
    ],
    [
      "pnpm test, `||` goes on after it",
      ["pnpm", "test"],
      1,
      testNotFound,
      "eslint . || mocha",
      "fail",
    ],
    [
      "pnpm test, a test's own child not found (not a program of the script)",
      ["pnpm", "test"],
      1,
      testNotFound.replace("eslint: not found", "convert: not found"),
      "eslint . && mocha",
      "fail",
    ],
    [
      "pnpm test, a test's own child could not find the runner's program (another PATH)",
      ["pnpm", "test"],
      1,
      "\n> x@ test /p\n> tsc && node --test\n\n/bin/sh: 1: node: not found\nnot ok 1 - spawns without PATH\n# tests 1\n# fail 1\n\u2009ELIFECYCLE\u2009 Test failed. See above for more details.\n",
      "tsc && node --test",
      "fail",
    ],
    [
      "`Command failed.` with no shell's line: pnpm's exit 1 for a SIGPIPE too",
      ["pnpm", "run", "unit"],
      1,
      "\n> x@ unit /p\n> yes | head -1\n\ny\n\u2009ELIFECYCLE\u2009 Command failed.\n",
      undefined,
      "fail",
    ],
    [
      "the shell's line after pnpm's (stderr and stdout, two pipes: their order is not theirs)",
      ["pnpm", "run", "unit"],
      1,
      "\n> x@ unit /p\n> nosuch-x\n\n\u2009ELIFECYCLE\u2009 Command failed.\nsh: 1: nosuch-x: not found\n",
      undefined,
      "cannot-run",
    ],
    [
      "pnpm test, the shell's line after pnpm's",
      ["pnpm", "test"],
      1,
      "\n> x@ test /p\n> eslint . && mocha\n\n\u2009ELIFECYCLE\u2009 Test failed. See above for more details.\nsh: 1: eslint: not found\n",
      "eslint . && mocha",
      "cannot-run",
    ],
    [
      "pnpm test, the chain's last program not found: not told from a test's child that could not find it",
      ["pnpm", "test"],
      1,
      testNotFound.replace("eslint: not found", "mocha: not found"),
      "eslint . && mocha",
      "fail",
    ],
    [
      "pnpm's warning after its ELIFECYCLE line does not count",
      ["pnpm", "run", "unit"],
      1,
      `${notFound}\u2009WARN\u2009 Local package.json exists, but node_modules missing, did you mean to install?\n`,
      undefined,
      "cannot-run",
    ],
    [
      "npm test running a pnpm that failed so: npm's exit says nothing of it",
      ["npm", "test"],
      1,
      notFound,
      undefined,
      "fail",
    ],
    [
      "a pnpm inside the script failed so, then the outer one with exit code 1",
      ["pnpm", "run", "ci"],
      1,
      `${notFound}\n  1 failing\n\u2009ELIFECYCLE\u2009 Command failed with exit code 1.\n`,
      undefined,
      "fail",
    ],
  ];
  it.each(table)("%s", (_, command, exitCode, tail, script, outcome) => {
    const result = classify(
      { exitCode, signal: null, timedOut: false, tail },
      { command, ...(script !== undefined ? { script } : {}) },
    );
    expect(result.outcome, result.reason).toBe(outcome);
    if (outcome === "cannot-run")
      expect(result.reason).toMatch(
        /^pnpm: exit 1 for the script's exit 127 \(command not found\): \S*sh: /,
      );
  });

  it("--runner forced: only that runner's words count", () => {
    const result = classify(
      { exitCode: 1, signal: null, timedOut: false, tail: notFound },
      { command: ["pnpm", "run", "unit"], runner: "mocha" },
    );
    expect(result.outcome).toBe("fail");
  });
});

describe("andChainPrograms: the programs of a script of && only", () => {
  const table: Array<[string, string[] | null]> = [
    ["eslint . && vitest run", ["eslint", "vitest"]],
    ["NODE_ENV=test mocha 'test/**/*.js'", ["mocha"]],
    ['tsc -p . && CI=1 FORCE=1 node --test "dist/"', ["tsc", "node"]],
    ["mocha", ["mocha"]],
    ["eslint .; mocha", null],
    ["eslint . || mocha", null],
    ["mocha | tee out.txt", null],
    ["mocha > out.txt", null],
    ["server & mocha", null],
    ["mocha $ARGS", null],
    ['mocha "$ARGS"', null],
    ["(cd app && mocha)", null],
    ["tsc &&", null],
    ["&& mocha", null],
    ["mocha # comment", null],
    ["mocha 'unclosed", null],
  ];
  it.each(table)("%s", (script, programs) => {
    expect(andChainPrograms(script)).toEqual(programs);
  });
});

describe("pnpmScriptText: the script pnpm runs, from the nearest package.json", () => {
  const root = mkdtempSync(join(tmpdir(), "culprit-pnpm-script-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify({ scripts: { test: "mocha", unit: "eslint . && mocha" } }),
  );
  mkdirSync(join(root, "src", "deep"), { recursive: true });
  mkdirSync(join(root, "app"));
  writeFileSync(
    join(root, "app", "package.json"),
    JSON.stringify({ scripts: { test: "vitest run" } }),
  );

  const table: Array<[string, string, string[], string | undefined]> = [
    ["pnpm test", "", ["pnpm", "test"], "mocha"],
    ["pnpm t", "", ["pnpm", "t"], "mocha"],
    [
      "pnpm run unit, from a folder below",
      "src/deep",
      ["pnpm", "run", "unit"],
      "eslint . && mocha",
    ],
    [
      "pnpm unit: a bare name is not read (it may be one of pnpm's own commands)",
      "",
      ["pnpm", "unit"],
      undefined,
    ],
    ["pnpm -C app test", "", ["pnpm", "-C", "app", "test"], "vitest run"],
    [
      "pnpm --filter app test: the package is pnpm's to find",
      "",
      ["pnpm", "--filter", "app", "test"],
      undefined,
    ],
    ["no such script", "", ["pnpm", "run", "e2e"], undefined],
    ["npm test: not pnpm", "", ["npm", "test"], undefined],
  ];
  it.each(table)("%s", (_, cwd, argv, script) => {
    expect(pnpmScriptText(join(root, cwd), argv)).toBe(script);
  });
});
