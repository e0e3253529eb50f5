import { describe, expect, it } from "vitest";
import { selectionHazard, shlexSplit } from "../../src/run/selection.js";

describe("selectionHazard: options that would not run the same tests on both sides", () => {
  const table: [string[], string | null][] = [
    [["npx", "jest", "-o"], "jest -o changes"],
    [["jest", "--onlyChanged", "src/"], "jest --onlyChanged changes"],
    [["jest", "--changedSince=main"], "jest --changedSince=main changes"],
    [["jest", "--changedSince", "main"], "jest --changedSince changes"],
    [["node", "node_modules/.bin/jest", "--onlyFailures"], "jest --onlyFailures last-run"],
    [["jest", "--watchAll"], "jest --watchAll watch"],
    // Turned off: a CI idiom (found on tj/commander.js).
    [["npx", "jest", "--watchAll=false", "tests/a.test.js"], null],
    [["jest", "--watch=false", "--onlyChanged=false"], null],
    [["vitest", "run", "--watch=false"], null],
    [["jest", "--watchAll=false", "--watch"], "jest --watch watch"],
    [["jest", "--lastCommit"], null],
    [["jest", "test/", "--", "-o"], null],
    [["npx", "vitest", "--changed"], "vitest --changed changes"],
    [["vitest", "run", "--changed=HEAD~1"], "vitest --changed=HEAD~1 changes"],
    [["vitest", "watch"], "vitest watch watch"],
    [["vitest", "dev", "src"], "vitest dev watch"],
    [["vitest", "run", "-w"], "vitest -w watch"],
    [["vitest", "run", "test/"], null],
    [["vitest", "related", "src/a.ts"], null],
    [["python3", "-m", "pytest", "--lf"], "pytest --lf last-run"],
    [["pytest", "--last-failed", "-q"], "pytest --last-failed last-run"],
    [["uv", "run", "pytest", "--sw"], "pytest --sw last-run"],
    [["pytest", "--ff"], null],
    [["pytest", "-x", "tests"], null],
    [["mocha", "-w", "test/"], "mocha -w watch"],
    [["node", "--test", "--watch", "test/"], "node --watch watch"],
    [["node", "--test", "test/"], null],
    [["npx", "ava", "--watch"], "ava --watch watch"],
    [["ava", "-w", "test/a.js"], "ava -w watch"],
    [["ava", "--match", "adds*"], null],
    [["npx", "playwright", "test", "--only-changed"], "playwright --only-changed changes"],
    [["playwright", "test", "--only-changed=main"], "playwright --only-changed=main changes"],
    [["npx", "playwright", "test", "--last-failed"], "playwright --last-failed last-run"],
    [["playwright", "test", "--ui"], "playwright --ui watch"],
    [["playwright", "test", "--project=chromium", "cart"], null],
    [["go", "test", "./..."], null],
    [["make", "test"], null],
    [[], null],
  ];
  it.each(table)("%j", (argv, expected) => {
    const hazard = selectionHazard(argv);
    expect(hazard && `${hazard.runner} ${hazard.option} ${hazard.kind}`).toBe(expected);
  });
});

describe("selectionHazard: a runner's options from its environment variable", () => {
  // PYTEST_ADDOPTS is read by pytest as options of its command line: `--lf` there is `pytest
  // --lf` (humanize trial: each run chose the next one's tests, and the report asked for more runs).
  const table: [string[], Record<string, string>, string | null][] = [
    [
      ["python", "-m", "pytest", "tests"],
      { PYTEST_ADDOPTS: "--lf" },
      "pytest --lf last-run PYTEST_ADDOPTS",
    ],
    [["pytest"], { PYTEST_ADDOPTS: "-q   --sw" }, "pytest --sw last-run PYTEST_ADDOPTS"],
    [["pytest", "--lf"], { PYTEST_ADDOPTS: "--sw" }, "pytest --lf last-run -"],
    [["pytest", "tests"], { PYTEST_ADDOPTS: "-q -p no:cacheprovider" }, null],
    [["pytest", "tests"], {}, null],
    // Another runner does not read pytest's variable.
    [["npx", "jest"], { PYTEST_ADDOPTS: "--lf" }, null],
    // pytest splits it as a shell would: inside quotes, `--lf` is part of a -k expression.
    [["pytest"], { PYTEST_ADDOPTS: '-k "slow --lf"' }, null],
    [["pytest"], { PYTEST_ADDOPTS: "-k 'not slow' --lf" }, "pytest --lf last-run PYTEST_ADDOPTS"],
  ];
  it.each(table)("%j with %j", (argv, env, expected) => {
    const hazard = selectionHazard(argv, env);
    expect(hazard && `${hazard.runner} ${hazard.option} ${hazard.kind} ${hazard.from ?? "-"}`).toBe(
      expected,
    );
  });
});

describe("shlexSplit: PYTEST_ADDOPTS's words, as pytest reads them", () => {
  // Reference values: Python 3's shlex.split(text) (POSIX mode), which pytest applies to the
  // variable (_pytest/config/__init__.py: `self._validate_args(shlex.split(env_addopts), ...)`).
  const table: [string, string[]][] = [
    ["--lf", ["--lf"]],
    ['-k "not slow" --lf', ["-k", "not slow", "--lf"]],
    ['-k "foo --lf"', ["-k", "foo --lf"]],
    ["-k 'a --sw b'", ["-k", "a --sw b"]],
    ["-x\\ --lf", ["-x --lf"]],
    ["  -q   --lf  ", ["-q", "--lf"]],
    ['-k "a\\" --lf"', ["-k", 'a" --lf']],
    ['""', [""]],
    ["-p no:cacheprovider", ["-p", "no:cacheprovider"]],
    ["-k a\\ b", ["-k", "a b"]],
    ['-k "a\\b"', ["-k", "a\\b"]],
    ["", []],
  ];
  it.each(table)("%j", (text, words) => {
    expect(shlexSplit(text)).toEqual(words);
  });

  it("an unclosed quote (pytest stops with an error): split on spaces", () => {
    expect(shlexSplit('-k "slow --lf')).toEqual(["-k", '"slow', "--lf"]);
  });
});
