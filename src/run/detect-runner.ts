import { type RunnerProfile, runnerProfiles } from "./runner-profiles.js";

/** The user's command: an argv (no shell) or a `--shell` string. */
export type CommandLine = readonly string[] | string;

/** One simple command of a command line, with launchers (npx, env, uv run...) peeled off. */
export interface CommandSegment {
  /** The program's base name, e.g. "vitest" for `./node_modules/.bin/vitest`. */
  program: string;
  args: readonly string[];
}

const shells = new Set(["sh", "bash", "dash", "zsh", "ksh"]);
// Launchers that run their first non-option argument as the program.
const plainLaunchers = new Set(["npx", "bunx", "pnpx", "time", "nice", "nohup", "command", "exec"]);
// Package managers that run a binary given after an optional verb (`pnpm exec vitest`, `yarn jest`).
const packageRunners = new Set(["pnpm", "yarn", "bun"]);
const packageVerbs = new Set(["exec", "dlx", "run", "x"]);
// Python environment managers: `uv run pytest`, `poetry run pytest`.
const envRunners = new Set(["uv", "poetry", "pipenv", "pdm", "hatch", "rye"]);

function basename(word: string): string {
  const slash = word.lastIndexOf("/");
  return slash === -1 ? word : word.slice(slash + 1);
}

function isAssignment(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

// Coverage tools that run the rest of their argv as the command (`c8 --100 mocha test/`,
// `nyc --reporter=lcov tape 'test/*.js'`), by the options that take the next word as their value
// (from `c8 --help` 10.1 and nyc's README; a boolean option takes none). Both take these:
const coverageValueOptions = [
  "-r",
  "--reporter",
  "--report-dir",
  "--temp-directory",
  "-n",
  "--include",
  "-x",
  "--exclude",
  "-e",
  "--extension",
  "--branches",
  "--functions",
  "--lines",
  "--statements",
];
const coverageWrappers: Record<string, ReadonlySet<string>> = {
  c8: new Set([
    ...coverageValueOptions,
    ...["-o", "--reports-dir", "--src", "-c", "--config", "--resolve", "--wrapper-length"],
  ]),
  // nyc's -c is --cache, which takes no value.
  nyc: new Set([
    ...coverageValueOptions,
    ...["-t", "--temp-dir", "--cache-dir", "--parser-plugins", "-i", "--require", "--cwd"],
    "--nycrc-path",
  ]),
};

// coverage.py's `coverage run` options that take a value (from `coverage run --help`, 7.x; each
// also takes it after `=`). `-m` is not one: it says the program is a module.
const coverageRunValueOptions = new Set([
  "--concurrency",
  "--context",
  "--data-file",
  "--debug",
  "--include",
  "--omit",
  "--rcfile",
  "--save-signal",
  "--source",
]);

/** Drops a coverage wrapper's options, and the value after each that takes one. */
function dropWrapperOptions(words: string[], valued: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < words.length && words[i]!.startsWith("-")) {
    const word = words[i]!;
    i += !word.includes("=") && valued.has(word) ? 2 : 1;
  }
  return words.slice(i);
}

function dropOptions(words: string[]): string[] {
  let i = 0;
  while (i < words.length && words[i]!.startsWith("-")) i++;
  return words.slice(i);
}

// Node options that take their value as the next word (`node -r ts-node/register x.js`).
const nodeValueOptions = new Set([
  "-r",
  "--require",
  "--import",
  "--loader",
  "--experimental-loader",
  "-C",
  "--conditions",
  "--input-type",
  "--title",
  "--inspect-port",
  "--env-file",
  "--disable-warning",
  "--watch-path",
  "--stack-trace-limit",
]);
// Node options after which the next word is code or test files, not a script to peel.
const nodeScriptOptions = new Set(["-e", "--eval", "-p", "--print", "--test", "-c", "--check"]);
// Test runners launched as `node <their bin>`: the bin's name, without extension.
const nodeLaunchedBins = new Set([
  "mocha",
  "_mocha",
  "jest",
  "vitest",
  "tape",
  "uvu",
  "ava",
  "tsc",
  "vue-tsc",
  "tsgo",
]);

function withoutExtension(name: string): string {
  return name.replace(/\.(?:[cm]?js)$/, "");
}

// `node [options] <path>` where <path> is a test runner's bin inside node_modules
// (`node_modules/.bin/mocha`, `/abs/node_modules/jest/bin/jest.js`,
// `node_modules/vitest/vitest.mjs`): the runner's name and the index of <path>.
function nodeLaunchedRunner(args: readonly string[]): { program: string; index: number } | null {
  let i = 0;
  while (i < args.length) {
    const word = args[i]!;
    if (word === "--") {
      i++;
      break;
    }
    if (!word.startsWith("-")) break;
    if (nodeScriptOptions.has(word)) return null;
    i += nodeValueOptions.has(word) ? 2 : 1;
  }
  const script = args[i];
  if (script === undefined) return null;
  const parts = script.split("/");
  const inModules = parts.lastIndexOf("node_modules");
  if (inModules === -1 || inModules === parts.length - 1) return null;
  const name = withoutExtension(parts[parts.length - 1]!);
  // uvu's bin is `uvu/bin.js`, as uvu itself tells its CLI (dist/index.js: `uvu[\\/]bin\.js`).
  if (name === "bin" && parts[parts.length - 2] === "uvu" && parts.length - 2 === inModules + 1)
    return { program: "uvu", index: i };
  return nodeLaunchedBins.has(name) ? { program: name, index: i } : null;
}

/**
 * Where the command a coverage wrapper runs starts (`nyc --reporter=text npm test`: at `npm`),
 * or null when `words` is no c8 or nyc command (pure).
 */
export function coverageWrapped(words: readonly string[]): number | null {
  const valued = coverageWrappers[basename(words[0] ?? "")];
  if (valued === undefined) return null;
  const rest = dropWrapperOptions(words.slice(1), valued);
  return rest.length === 0 ? null : words.length - rest.length;
}

/** One simple command with launchers peeled off, and where its program word is in the input. */
export interface LocatedProgram extends CommandSegment {
  /** Index in the input words of the program word (the runner's bin for `node <bin>`). */
  offset: number;
}

/** Peels launchers off one simple command's words; null when nothing is left. */
function peel(input: readonly string[]): LocatedProgram | null {
  // Every step keeps a suffix of the input, so the program word sits at input.length - words.length.
  let words = [...input];
  const done = (program: string, args: readonly string[]): LocatedProgram => ({
    program,
    args,
    offset: input.length - args.length - 1,
  });
  for (;;) {
    while (words.length > 0 && isAssignment(words[0]!)) words = words.slice(1);
    const first = words[0];
    if (first === undefined) return null;
    const program = basename(first);
    const rest = words.slice(1);
    // `cross-env NODE_ENV=test jest`: variables, then the command, as env takes them.
    if (program === "env" || program === "cross-env" || plainLaunchers.has(program)) {
      words = dropOptions(rest);
    } else if (coverageWrappers[program] !== undefined) {
      words = dropWrapperOptions(rest, coverageWrappers[program]!);
    } else if (program === "coverage" && rest[0] === "run") {
      // `coverage run --include=x -m pytest tests` (more-itertools' Makefile: `-m unittest`):
      // the module, as `python -m` runs it, or the script (`coverage run x.py`). `-m` only says
      // which of the two the first word is.
      let i = 1;
      while (i < rest.length && rest[i]!.startsWith("-")) {
        const word = rest[i]!;
        i += !word.includes("=") && coverageRunValueOptions.has(word) ? 2 : 1;
      }
      words = rest.slice(i);
    } else if (program === "npm" && (rest[0] === "exec" || rest[0] === "x")) {
      words = dropOptions(rest.slice(1));
    } else if (packageRunners.has(program)) {
      const afterVerb = rest[0] !== undefined && packageVerbs.has(rest[0]) ? rest.slice(1) : rest;
      words = dropOptions(afterVerb);
    } else if (envRunners.has(program) && rest[0] === "run") {
      words = dropOptions(rest.slice(1));
    } else if (/^python(?:\d+(?:\.\d+)*)?$/.test(program) && rest.includes("-m")) {
      const module = rest[rest.indexOf("-m") + 1];
      if (module === undefined) return done(program, rest);
      words = [module, ...rest.slice(rest.indexOf("-m") + 2)];
    } else if (program === "node" || program === "nodejs") {
      const launched = nodeLaunchedRunner(rest);
      if (launched === null) return done(program, rest);
      return done(launched.program, rest.slice(launched.index + 1));
    } else {
      return done(program, rest);
    }
  }
}

function toSegment(input: readonly string[]): CommandSegment | null {
  const peeled = peel(input);
  return peeled === null ? null : { program: peeled.program, args: peeled.args };
}

/** The program an argv runs once launchers are peeled off, and the index of its word in the argv (pure). */
export function locateProgram(argv: readonly string[]): LocatedProgram | null {
  return peel(argv);
}

// Splits a shell string into simple commands. Deliberately crude (quotes are
// dropped, not parsed): it only has to find which test runner is called.
function splitShell(script: string): string[][] {
  return script
    .split(/&&|\|\||[;|&\n()]/)
    .map((part) =>
      part
        .trim()
        .split(/\s+/)
        .map((word) => word.replace(/^['"]|['"]$/g, ""))
        .filter((word) => word !== ""),
    )
    .filter((words) => words.length > 0);
}

/** Splits a command line into its simple commands, launchers peeled off (pure). */
export function commandSegments(command: CommandLine): CommandSegment[] {
  let parts: string[][];
  if (typeof command === "string") {
    parts = splitShell(command);
  } else if (
    command.length >= 3 &&
    shells.has(basename(command[0]!)) &&
    command[1] === "-c" &&
    command[2] !== undefined
  ) {
    parts = splitShell(command[2]);
  } else {
    parts = [[...command]];
  }
  return parts.map(toSegment).filter((segment): segment is CommandSegment => segment !== null);
}

/** Every runner profile that applies to the command, in table order (pure). */
export function detectRunners(
  command: CommandLine,
  profiles: readonly RunnerProfile[] = runnerProfiles,
): RunnerProfile[] {
  const segments = commandSegments(command);
  return profiles.filter((profile) =>
    segments.some(
      (segment, index) =>
        (!profile.buildStep || index < segments.length - 1) && profile.detect(segment),
    ),
  );
}

/** The name of the test runner the command calls (its last matching simple command), or null (pure). */
export function detectRunner(
  command: CommandLine,
  profiles: readonly RunnerProfile[] = runnerProfiles,
): string | null {
  const segments = commandSegments(command);
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    const found = profiles.find(
      (profile) => (!profile.buildStep || i < segments.length - 1) && profile.detect(segment),
    );
    if (found !== undefined) return found.name;
  }
  return null;
}
