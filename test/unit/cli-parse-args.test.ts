import { describe, expect, test } from "vitest";
import { defaults, parseArgs, parseDuration } from "../../src/cli/parse-args.js";
import { canPrompt } from "../../src/cli/pick-suspects.js";
import { UsageError } from "../../src/errors.js";

describe("parseArgs", () => {
  test.each([
    [["--", "npm", "test"], { argv: ["npm", "test"], runs: 3, maxRuns: 20, timeoutMs: 300_000 }],
    [["--runs", "5", "--", "x"], { runs: 5, maxRuns: 20 }],
    [["--runs=30", "--", "x"], { runs: 30, maxRuns: 30 }],
    [["--max-runs", "8", "--", "x"], { maxRuns: 8 }],
    [
      ["--timeout", "90s", "--kill-after", "2", "--", "x"],
      { timeoutMs: 90_000, killAfterMs: 2_000 },
    ],
    [["--timeout=5m", "--", "x"], { timeoutMs: 300_000 }],
    [["--confidence", "0.99", "--margin", "0", "--", "x"], { confidence: 0.99, margin: 0 }],
    [["--json", "-q", "--", "x"], { json: true, quiet: true }],
    [["--shell", "npm test && echo ok"], { shell: "npm test && echo ok", argv: [] }],
    [
      ["--cannot-run-exit", "3,4", "--runner", "pytest", "--", "x"],
      { cannotRunExit: [3, 4], runner: "pytest" },
    ],
    [["--", "x"], { strategy: "auto", suspects: [], keep: [] }],
    [["--strategy", "revert", "--", "x"], { strategy: "revert" }],
    [["--strategy=stash", "--", "x"], { strategy: "stash" }],
    [["--suspect", "src/a.ts", "--suspect=lib", "--", "x"], { suspects: ["src/a.ts", "lib"] }],
    // --suspect takes the paths that follow it, up to the next option.
    [
      ["--suspect", "a.ts", "b dir/", "c.ts", "--json", "--", "x"],
      { suspects: ["a.ts", "b dir/", "c.ts"], json: true },
    ],
    [["--keep", "*.snap", "--keep", "fixtures/", "--", "x"], { keep: ["*.snap", "fixtures/"] }],
    // Options after -- belong to the command.
    [["--", "node", "--test", "--json"], { argv: ["node", "--test", "--json"], json: false }],
  ])("%j", (args, expected) => {
    const command = parseArgs(args);
    expect(command.kind).toBe("attribute");
    if (command.kind === "attribute") expect(command.options).toMatchObject(expected);
  });

  test("a regex option is compiled", () => {
    const command = parseArgs(["--cannot-run-pattern", "ModuleNotFound", "--", "x"]);
    expect(
      command.kind === "attribute" && command.options.cannotRunPattern?.test("ModuleNotFoundError"),
    ).toBe(true);
  });

  test.each([
    [["recover"], { kind: "recover", json: false }],
    [["status", "--json"], { kind: "status", json: true }],
    [["--help"], { kind: "help" }],
    [["-V"], { kind: "version" }],
  ])("subcommand %j", (args, expected) => {
    expect(parseArgs(args)).toEqual(expected);
  });

  test.each([
    [[], /no command given/],
    [["--"], /no command given/],
    [["npm", "test"], /put the command after --/],
    [["--bogus", "--", "x"], /unknown option --bogus/],
    [["--runs", "0", "--", "x"], /--runs expects a whole number of at least 1/],
    [["--runs", "abc", "--", "x"], /--runs expects/],
    [["--runs"], /--runs needs a value/],
    [
      ["--runs", "10", "--max-runs", "5", "--", "x"],
      /--max-runs \(5\) must be at least --runs \(10\)/,
    ],
    [["--confidence", "1", "--", "x"], /--confidence expects a number in \[0.5, 1\)/],
    [["--timeout", "soon", "--", "x"], /--timeout expects a duration/],
    [["--cannot-run-pattern", "(", "--", "x"], /not a valid regular expression/],
    [["--cannot-run-exit", "300", "--", "x"], /--cannot-run-exit expects exit codes/],
    [["--shell", "x", "--", "y"], /either --shell STRING or a command/],
    [["recover", "--runs", "3"], /recover takes no command/],
    [["bisect", "--format", "line", "--", "x"], /culprit bisect has no --format line/],
    // Revisions given as `git bisect start` takes them (fs-extra trial): not taken for a command.
    [
      ["bisect", "62a4e72", "HEAD", "--", "npx", "mocha"],
      /takes its revisions as --good and --bad \(HEAD when left out\), as in: culprit bisect --good <rev> --bad <rev> -- npx mocha$/,
    ],
    [["recover", "--suspect", "a"], /recover takes no command/],
    [
      ["--strategy", "bisect", "--", "x"],
      /--strategy expects auto, reset, stash, revert, not "bisect"/,
    ],
    [["--suspect", "--", "x"], /--suspect needs a value/],
    [["--suspect=", "--", "x"], /--suspect needs a value/],
    [["--keep"], /--keep needs a value/],
    [
      ["--strategy", "stash", "--suspect", "a", "--", "x"],
      /do not apply with --strategy reset or stash/,
    ],
    [
      ["--strategy", "stash", "--keep", "*.md", "--", "x"],
      /do not apply with --strategy reset or stash/,
    ],
    [
      ["--strategy", "reset", "--suspect", "a", "--", "x"],
      /do not apply with --strategy reset or stash/,
    ],
  ])("%j is a usage error", (args, message) => {
    expect(() => parseArgs(args)).toThrow(UsageError);
    expect(() => parseArgs(args)).toThrow(message);
  });
});

describe("parseDuration", () => {
  test.each([
    ["300", 300_000],
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["250ms", 250],
    ["1.5s", 1_500],
  ])("%s", (text, ms) => {
    expect(parseDuration(text, "--timeout")).toBe(ms);
  });

  test("defaults match DESIGN.md", () => {
    expect(defaults).toEqual({
      runs: 3,
      maxRuns: 20,
      confidence: 0.95,
      margin: 0.1,
      timeoutMs: 300_000,
      killAfterMs: 5_000,
    });
  });
});

describe("canPrompt: the suspect checkbox is for a person at a terminal", () => {
  test.each([
    [true, true, {}, true],
    [true, true, { CI: "" }, true],
    [true, true, { CI: "0" }, true],
    [true, true, { CI: "true" }, false],
    [true, true, { CI: "1" }, false],
    [false, true, {}, false],
    [true, false, {}, false],
  ])("stdin TTY %s, stderr TTY %s, env %j -> %s", (stdinIsTTY, stderrIsTTY, env, expected) => {
    expect(canPrompt({ stdinIsTTY, stderrIsTTY, env })).toBe(expected);
  });
});

describe("parseArgs: culprit isolate", () => {
  test.each([
    [
      ["isolate", "--", "npm", "test"],
      { lines: false, patch: undefined },
      { argv: ["npm", "test"] },
    ],
    [
      ["isolate", "--lines", "--patch", "g.patch", "--base", "HEAD~1", "--jobs", "2", "--", "x"],
      { lines: true, patch: "g.patch" },
      { base: "HEAD~1", jobs: 2, worktree: true },
    ],
    [["isolate", "--format", "line", "--", "x"], {}, { format: "line" }],
  ])("%j", (args, own, options) => {
    const command = parseArgs(args);
    expect(command.kind).toBe("isolate");
    if (command.kind === "isolate") {
      expect(command).toMatchObject(own);
      expect(command.options).toMatchObject(options);
    }
  });

  test.each([
    [["isolate", "npm", "test"], /culprit isolate -- npm test/],
    [["--lines", "--", "x"], /options of culprit isolate/],
    [["--patch", "p", "--", "x"], /options of culprit isolate/],
    [["isolate", "--patch", " ", "--", "x"], /--patch needs a file name/],
    [["isolate", "--strategy", "revert", "--", "x"], /--strategy and --suspect do not apply/],
    [["isolate", "--good", "HEAD", "--", "x"], /options of culprit bisect/],
  ])("%j is a usage error", (args, message) => {
    expect(() => parseArgs(args)).toThrow(UsageError);
    expect(() => parseArgs(args)).toThrow(message);
  });
});
