import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { applyConfig, loadConfig, validateConfig } from "../../src/cli/config.js";
import { isCI, useColor } from "../../src/cli/environment.js";
import { type CliOptions, parseArgs } from "../../src/cli/parse-args.js";
import { progressText } from "../../src/cli/progress.js";
import { UsageError } from "../../src/errors.js";

function options(args: string[]): CliOptions {
  const command = parseArgs([...args, "--", "node", "t.js"]);
  if (command.kind !== "attribute") throw new Error("not attribute");
  return command.options;
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
function root(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "culprit-config-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("parseArgs reports which options were given", () => {
  test.each([
    [[], []],
    [["--runs", "5"], ["runs"]],
    [
      ["--timeout=90s", "--keep", "x/"],
      ["keep", "timeout"],
    ],
    [
      ["--base", "HEAD~2", "--format", "line"],
      ["base", "format"],
    ],
  ])("%j", (args, given) => {
    expect([...options(args).given].sort()).toEqual(given);
  });

  test("--json is --format json; --format line; contradictions are usage errors", () => {
    expect(options(["--json"]).format).toBe("json");
    expect(options(["--format", "line"]).format).toBe("line");
    expect(options([]).format).toBe("human");
    expect(() => options(["--format", "xml"])).toThrow(UsageError);
    expect(() => options(["--json", "--format", "line"])).toThrow(UsageError);
  });

  test("--base, --yes, --more, --verbose, --show-output", () => {
    expect(options(["--base", "merge-base:origin/main"]).base).toBe("merge-base:origin/main");
    expect(options(["-y", "--more", "4", "-v", "--show-output"])).toMatchObject({
      yes: true,
      more: 4,
      verbose: true,
      showOutput: true,
    });
    expect(() => options(["--base", ""])).toThrow(UsageError);
    expect(() => options(["--base", "x", "--strategy", "stash"])).toThrow(UsageError);
  });
});

describe("config: culprit.config.json or package.json's culprit key; flags win", () => {
  test("culprit.config.json fills what the flags did not give", () => {
    const r = root({
      "culprit.config.json": JSON.stringify({
        runs: 5,
        timeout: "90s",
        killAfter: 2,
        confidence: 0.99,
        keep: ["fixtures/"],
        runner: "node",
        cannotRunPattern: "SKIP",
        cannotRunExit: [3],
        confirmAbove: 50,
      }),
    });
    const merged = applyConfig(options(["--runs", "4"]), loadConfig(r), r);
    expect(merged).toMatchObject({
      runs: 4,
      maxRuns: 20,
      timeoutMs: 90_000,
      killAfterMs: 2_000,
      confidence: 0.99,
      keep: ["fixtures/"],
      runner: "node",
      cannotRunExit: [3],
      confirmAbove: 50,
      timeoutChosen: true,
    });
    expect(merged.cannotRunPattern?.test("SKIP")).toBe(true);
  });

  test("the timeout is the user's choice when a flag or the config gives it, not by default", () => {
    const empty = root({});
    const withTimeout = root({ "culprit.config.json": JSON.stringify({ timeout: 300 }) });
    const chosen = (args: string[], r: string) =>
      applyConfig(options(args), loadConfig(r), r).timeoutChosen;
    expect(chosen([], empty)).toBe(false);
    expect(chosen(["--timeout", "300"], empty)).toBe(true);
    expect(chosen([], withTimeout)).toBe(true);
  });

  test("package.json's culprit key, suspects relative to the repository's top", () => {
    const r = root({
      "package.json": JSON.stringify({ name: "x", culprit: { suspects: ["src"] } }),
    });
    expect(applyConfig(options([]), loadConfig(r), r).suspects).toEqual([join(r, "src")]);
    expect(applyConfig(options(["--suspect", "lib"]), loadConfig(r), r).suspects).toEqual(["lib"]);
  });

  test("a package.json that does not parse is not culprit's business", () => {
    const r = root({ "package.json": "{ not json" });
    expect(loadConfig(r)).toEqual({});
  });

  test.each([
    [{ runs: 0 }, /invalid "runs"/],
    [{ timeout: "soon" }, /invalid "timeout"/],
    [{ runner: "gradle" }, /invalid "runner"/],
    [{ cannotRunPattern: "(" }, /invalid "cannotRunPattern"/],
    [{ colour: true }, /unknown key "colour"/],
  ])("bad culprit.config.json %j: a usage error naming the key", (config, message) => {
    const r = root({ "culprit.config.json": JSON.stringify(config) });
    expect(() => loadConfig(r)).toThrow(message);
  });

  test("a bad culprit key in package.json names it; unparseable culprit.config.json too", () => {
    expect(() => validateConfig({ margin: 2 }, 'package.json "culprit"')).toThrow(
      /invalid "margin" in package.json "culprit"/,
    );
    const r = root({ "culprit.config.json": "{" });
    expect(() => loadConfig(r)).toThrow(/culprit.config.json is not valid JSON/);
  });

  test("maxRuns below runs after merging is a usage error", () => {
    expect(() => applyConfig(options(["--max-runs", "3"]), { runs: 5 }, "/r")).toThrow(UsageError);
  });
});

describe("environment", () => {
  test.each([
    [{}, false],
    [{ CI: "true" }, true],
    [{ CI: "1" }, true],
    [{ CI: "false" }, false],
    [{ CI: "0" }, false],
  ])("isCI(%j) = %s", (env, expected) => {
    expect(isCI(env)).toBe(expected);
  });

  test.each([
    [true, {}, true],
    [false, {}, false],
    [true, { CI: "true" }, false],
    [false, { CI: "true", FORCE_COLOR: "1" }, true],
    [true, { NO_COLOR: "1", FORCE_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
  ])("useColor(tty %s, %j) = %s", (tty, env, expected) => {
    expect(useColor(tty, env)).toBe(expected);
  });
});

describe("the spinner's line", () => {
  test("phase, run, side, glyphs and an ETA from the mean run duration", () => {
    const text = progressText(
      {
        phase: "probe-current",
        marks: { current: ["✗", "✗"], baseline: [] },
        durations: [2000, 4000],
        running: { side: "current", index: 3 },
      },
      3,
    );
    // 1 current run and 3 baseline runs still due, 3 s each.
    expect(text).toBe("current run 3  current ✗✗  ~3s a run, ETA 12s+");
  });

  test("the baseline row once it runs", () => {
    const text = progressText(
      {
        phase: "enter-baseline",
        marks: { current: ["✗", "✗", "✗"], baseline: ["✓"] },
        durations: [1000, 1000, 1000, 1000],
        running: { side: "baseline", index: 2 },
      },
      3,
    );
    expect(text).toBe("baseline run 2  current ✗✗✗  baseline ✓  ~1s a run, ETA 2s+");
  });
});
