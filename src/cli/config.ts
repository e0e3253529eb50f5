import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { UsageError } from "../errors.js";
import { runnerNames } from "../run/index.js";
import { type CliOptions, defaults, parseDuration } from "./parse-args.js";

/** Defaults a repository may set in culprit.config.json or package.json's "culprit" key. */
export interface FileConfig {
  runs?: number;
  maxRuns?: number;
  /** A duration like the flag's ("90s", "5m") or a number of seconds. */
  timeout?: string | number;
  killAfter?: string | number;
  confidence?: number;
  margin?: number;
  keep?: string[];
  suspects?: string[];
  runner?: string;
  cannotRunPattern?: string;
  cannotRunExit?: number[];
  /** Changed files above which culprit asks before touching the tree (on a TTY). */
  confirmAbove?: number;
  /** true: both sides run in worktrees (as `--worktree`); or which ignored paths to copy in. */
  worktree?: boolean | { copy?: string[] };
  /** Runs at the same time (as `--jobs`). */
  jobs?: number;
  /** false: the command's exit code alone (as `--per-test off`). */
  perTest?: boolean;
  /** Where the runner writes a JUnit XML report (as `--junit`), relative to the repository's top. */
  junit?: string;
  /** false: no result cache (as `--no-cache`). */
  cache?: boolean;
  /** Environment variables whose values key the result cache. */
  cacheEnv?: string[];
}

const isDuration = (v: unknown): boolean => {
  if (typeof v === "number") return Number.isFinite(v) && v > 0;
  if (typeof v !== "string") return false;
  try {
    parseDuration(v, "config");
    return true;
  } catch {
    return false;
  }
};
const isStrings = (v: unknown): boolean =>
  Array.isArray(v) && v.every((x) => typeof x === "string" && x !== "");

/** Each known key with what it must be (the error message says it). */
const known: Record<keyof FileConfig, [(v: unknown) => boolean, string]> = {
  runs: [(v) => Number.isInteger(v) && (v as number) >= 1, "a whole number of at least 1"],
  maxRuns: [(v) => Number.isInteger(v) && (v as number) >= 1, "a whole number of at least 1"],
  timeout: [isDuration, 'a duration like "90s" or "5m", or seconds'],
  killAfter: [isDuration, 'a duration like "5s", or seconds'],
  confidence: [(v) => typeof v === "number" && v >= 0.5 && v < 1, "a number in [0.5, 1)"],
  margin: [(v) => typeof v === "number" && v >= 0 && v < 1, "a number in [0, 1)"],
  keep: [isStrings, "a list of globs"],
  suspects: [isStrings, "a list of paths"],
  runner: [
    (v) => typeof v === "string" && (v === "none" || runnerNames.includes(v)),
    `one of ${runnerNames.join(", ")}, none`,
  ],
  cannotRunPattern: [
    (v) => {
      if (typeof v !== "string") return false;
      try {
        new RegExp(v, "m");
        return true;
      } catch {
        return false;
      }
    },
    "a regular expression (a string)",
  ],
  cannotRunExit: [
    (v) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255),
    "a list of exit codes (0-255)",
  ],
  confirmAbove: [(v) => Number.isInteger(v) && (v as number) >= 0, "a whole number"],
  cache: [(v) => typeof v === "boolean", "true or false"],
  worktree: [
    (v) =>
      typeof v === "boolean" ||
      (v !== null &&
        typeof v === "object" &&
        !Array.isArray(v) &&
        Object.keys(v).every((k) => k === "copy") &&
        ((v as { copy?: unknown }).copy === undefined ||
          isStrings((v as { copy?: unknown }).copy))),
    'true, false, or { "copy": [globs of ignored paths to copy instead of link] }',
  ],
  jobs: [(v) => Number.isInteger(v) && (v as number) >= 1, "a whole number of at least 1"],
  perTest: [(v) => typeof v === "boolean", "true or false"],
  junit: [(v) => typeof v === "string" && v !== "", "a path"],
  cacheEnv: [isStrings, "a list of environment variable names"],
};

/** Validates a parsed config object (pure); a UsageError names the bad key. */
export function validateConfig(raw: unknown, source: string): FileConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UsageError(`culprit: ${source} must be a JSON object.`);
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key === "$schema") continue;
    const rule = known[key as keyof FileConfig];
    if (!rule) {
      throw new UsageError(
        `culprit: unknown key "${key}" in ${source} (known: ${Object.keys(known).join(", ")}).`,
      );
    }
    if (!rule[0](value)) {
      throw new UsageError(
        `culprit: invalid "${key}" in ${source}: ${JSON.stringify(value)} (expected ${rule[1]}).`,
      );
    }
  }
  const { $schema: _, ...config } = raw as FileConfig & { $schema?: unknown };
  return config;
}

/**
 * Reads culprit.config.json, else package.json's "culprit" key, at the repository root. A bad
 * culprit.config.json or "culprit" key is a UsageError naming it; a package.json that does not
 * parse is not culprit's business (the project's own tools will say so): no config then.
 */
export function loadConfig(root: string): FileConfig {
  const file = join(root, "culprit.config.json");
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new UsageError(
        `culprit: culprit.config.json is not valid JSON: ${(error as Error).message}`,
      );
    }
    return validateConfig(parsed, "culprit.config.json");
  }
  const pkg = join(root, "package.json");
  if (!existsSync(pkg)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(pkg, "utf8"));
  } catch {
    return {};
  }
  if (parsed && typeof parsed === "object" && "culprit" in parsed)
    return validateConfig((parsed as { culprit: unknown }).culprit, 'package.json "culprit"');
  return {};
}

const seconds = (v: string | number, what: string): number =>
  typeof v === "number" ? Math.round(v * 1000) : parseDuration(v, what);

/**
 * The options with the config's defaults for what the command line did not give (flags win).
 * Pure. Throws a UsageError when the result is inconsistent (maxRuns below runs).
 */
export function applyConfig(options: CliOptions, config: FileConfig, root: string): CliOptions {
  const given = options.given;
  const out: CliOptions = { ...options };
  if (config.runs !== undefined && !given.has("runs")) out.runs = config.runs;
  if (config.maxRuns !== undefined && !given.has("maxRuns")) out.maxRuns = config.maxRuns;
  else if (!given.has("maxRuns")) out.maxRuns = Math.max(defaults.maxRuns, out.runs);
  if (config.timeout !== undefined && !given.has("timeout"))
    out.timeoutMs = seconds(config.timeout, "timeout");
  out.timeoutChosen = given.has("timeout") || config.timeout !== undefined;
  if (config.killAfter !== undefined && !given.has("killAfter"))
    out.killAfterMs = seconds(config.killAfter, "killAfter");
  if (config.confidence !== undefined && !given.has("confidence"))
    out.confidence = config.confidence;
  if (config.margin !== undefined && !given.has("margin")) out.margin = config.margin;
  if (config.keep !== undefined && !given.has("keep")) out.keep = [...config.keep];
  if (
    config.suspects !== undefined &&
    !given.has("suspects") &&
    out.strategy !== "stash" &&
    out.strategy !== "reset"
  )
    // Relative to the repository's top, wherever culprit runs from.
    out.suspects = config.suspects.map((p) => (isAbsolute(p) ? p : join(root, p)));
  if (config.runner !== undefined && !given.has("runner")) out.runner = config.runner;
  if (config.cannotRunPattern !== undefined && !given.has("cannotRunPattern"))
    out.cannotRunPattern = new RegExp(config.cannotRunPattern, "m");
  if (config.cannotRunExit !== undefined && !given.has("cannotRunExit"))
    out.cannotRunExit = [...config.cannotRunExit];
  if (config.confirmAbove !== undefined) out.confirmAbove = config.confirmAbove;
  if (config.cache !== undefined && !given.has("cache")) out.cache = config.cache;
  if (config.jobs !== undefined && !given.has("jobs")) out.jobs = config.jobs;
  if (config.perTest !== undefined && !given.has("perTest")) out.perTest = config.perTest;
  if (config.junit !== undefined && !given.has("junit"))
    out.junit = isAbsolute(config.junit) ? config.junit : join(root, config.junit);
  if (config.worktree !== undefined && !given.has("worktree"))
    out.worktree = config.worktree !== false;
  if (typeof config.worktree === "object") out.shareCopy = [...(config.worktree.copy ?? [])];
  if (out.jobs > 1) out.worktree = true;
  if (config.cacheEnv !== undefined && !given.has("cacheEnv")) out.cacheEnv = [...config.cacheEnv];
  if (out.maxRuns < out.runs) {
    throw new UsageError(
      `culprit: maxRuns (${out.maxRuns}) must be at least runs (${out.runs}) (from the config and the flags).`,
    );
  }
  return out;
}
