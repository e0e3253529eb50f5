import { describe, expect, it } from "vitest";
import {
  classify,
  detectRunner,
  detectRunners,
  locateProgram,
  normalizeOutput,
} from "../../src/run/index.js";

// Runners started through node and the path of their bin (issue 9: `node node_modules/.bin/mocha`
// was taken as plain node, so mocha's "No test files found" counted as a failure).
describe("runners launched as node <their bin>", () => {
  const table: Array<[string[], string, number, string?]> = [
    [["node", "node_modules/.bin/mocha", "test/a.spec.js"], "mocha", 1],
    [["node", "./node_modules/.bin/mocha"], "mocha", 1],
    [["node", "./node_modules/mocha/bin/mocha.js", "--color"], "mocha", 1],
    [["node", "node_modules/mocha/bin/_mocha"], "mocha", 1, "_mocha"],
    [["node", "/abs/path/node_modules/jest/bin/jest.js", "--ci"], "jest", 1],
    [["node", "node_modules/jest-cli/bin/jest.js"], "jest", 1],
    [["node", "node_modules/vitest/vitest.mjs", "run"], "vitest", 1],
    [["nodejs", "node_modules/.bin/vitest", "run"], "vitest", 1],
    [["node", "--require", "ts-node/register", "node_modules/.bin/mocha"], "mocha", 3],
    [["node", "-r", "ts-node/register", "--inspect", "node_modules/.bin/jest"], "jest", 4],
    [["node", "--import=tsx", "node_modules/.bin/mocha", "x.ts"], "mocha", 2],
    [["env", "CI=1", "node", "node_modules/.bin/mocha"], "mocha", 3],
    [["npx", "mocha", "test/"], "mocha", 1],
    [["npx", "uvu", "tests"], "uvu", 1],
    [["node_modules/.bin/uvu", "tests"], "uvu", 0],
    [["node", "node_modules/.bin/uvu", "-r", "tsm", "tests"], "uvu", 1],
    [["node", "node_modules/uvu/bin.js", "tests"], "uvu", 1],
    [["python3", "-X", "dev", "-m", "pytest", "-q"], "pytest", 4],
    [["uv", "run", "pytest"], "pytest", 2],
    // coverage.py's `coverage run`, a module after `-m` (more-itertools' Makefile: judged by the
    // exit code, an old failure beside a new one read PRE-EXISTING, exit 0).
    [["coverage", "run", "--include=more_itertools/*.py", "-m", "unittest"], "unittest", 4],
    [["coverage", "run", "--source", "pkg", "-p", "-m", "pytest", "-m", "slow"], "pytest", 6],
    [["python3", "-m", "coverage", "run", "-m", "pytest"], "pytest", 5],
  ];
  it.each(table)("%j is %s, its word at %i", (argv, runner, offset, program = runner) => {
    expect(detectRunner(argv)).toBe(runner);
    expect(locateProgram(argv)).toMatchObject({ program, offset });
  });

  const stillNode: string[][] = [
    ["node", "test/x.js"],
    ["node", "--test"],
    ["node", "--test", "node_modules/.bin/mocha"],
    ["node", "-e", "require('node_modules/.bin/mocha')"],
    ["node", "node_modules/some-lib/cli.js"],
    ["node", "scripts/mocha.js"],
  ];
  it.each(stillNode)("%j stays node", (...argv) => {
    expect(detectRunner(argv)).toBe("node");
    expect(detectRunners(argv).map((profile) => profile.name)).toEqual(["node"]);
  });
});

describe("colours before the patterns", () => {
  const table: Array<[string, string, string]> = [
    ["SGR colour", "\x1b[31mError: No test files found\x1b[39m\n", "Error: No test files found\n"],
    ["bold and colour", "\x1b[1m\x1b[31mNo test files found\x1b[0m", "No test files found"],
    ["tput sgr0 (ESC ( B)", "\x1b(B\x1b[mError: No test files found", "Error: No test files found"],
    ["OSC title", "\x1b]0;mocha\x07Error: No test files found", "Error: No test files found"],
    ["cursor hide", "\x1b[?25lError: No test files found\x1b[?25h", "Error: No test files found"],
  ];
  it.each(table)("%s", (_name, raw, clean) => {
    expect(normalizeOutput(raw)).toBe(clean);
    const run = { exitCode: 1, signal: null, timedOut: false, tail: raw };
    expect(classify(run, { command: ["node", "node_modules/.bin/mocha", "x.js"] }).outcome).toBe(
      "cannot-run",
    );
  });
});
