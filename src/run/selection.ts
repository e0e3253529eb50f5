import { locateProgram } from "./detect-runner.js";
import { runnerProfiles } from "./runner-profiles.js";

/** Why a command would not run the same tests on both sides, and which option says so. */
export interface SelectionHazard {
  /** The runner's profile name (jest, vitest, pytest, mocha, node). */
  runner: string;
  /** The option as the user wrote it. */
  option: string;
  /** changes: tests chosen from git's changes; last-run: from the last run; watch: never ends. */
  kind: "changes" | "last-run" | "watch";
  /** The environment variable the option came from (PYTEST_ADDOPTS), when not the command. */
  from?: string;
}

/**
 * Variables whose words a runner reads as options of its command line: `PYTEST_ADDOPTS=--lf`
 * is `pytest --lf` (https://docs.pytest.org/en/stable/reference/reference.html#envvar-PYTEST_ADDOPTS).
 */
const optionVariables: Record<string, string> = { pytest: "PYTEST_ADDOPTS" };

// Options (and `--name=value` forms) that choose a runner's tests from something the two sides
// do not share, by runner. From each runner's CLI reference:
// https://jestjs.io/docs/cli, https://vitest.dev/guide/cli, https://docs.pytest.org/en/stable/how-to/cache.html,
// https://mochajs.org/#-watch-w, https://nodejs.org/docs/latest-v20.x/api/test.html#watch-mode,
const hazards: Record<string, Record<string, SelectionHazard["kind"]>> = {
  jest: {
    "-o": "changes",
    "--onlyChanged": "changes",
    "--changedSince": "changes",
    "-f": "last-run",
    "--onlyFailures": "last-run",
    "--watch": "watch",
    "--watchAll": "watch",
  },
  vitest: { "--changed": "changes", "--watch": "watch", "-w": "watch" },
  pytest: {
    "--lf": "last-run",
    "--last-failed": "last-run",
    "--sw": "last-run",
    "--stepwise": "last-run",
    "--sw-skip": "last-run",
    "--stepwise-skip": "last-run",
  },
  mocha: { "--watch": "watch", "-w": "watch" },
  // https://playwright.dev/docs/test-cli
  playwright: { "--only-changed": "changes", "--last-failed": "last-run", "--ui": "watch" },
  node: { "--watch": "watch" },
  // https://github.com/avajs/ava/blob/main/docs/05-command-line.md
  ava: { "--watch": "watch", "-w": "watch" },
};

/**
 * The first option of `words` (a command's argv, or the words of the npm script it runs) that
 * makes its runner pick different tests on the two sides, or never end: `jest -o` runs the tests
 * of the files git sees changed, and at the baseline, where culprit has set the changes aside,
 * it runs none (a regression read as "the baseline could not run"); `pytest --lf` runs what
 * failed in the run before, so each run chooses the next one's tests; a watch mode never exits.
 * Null for anything else (pure).
 */
export function selectionHazard(
  words: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): SelectionHazard | null {
  const program = locateProgram(words);
  if (program === null) return null;
  const runner = runnerProfiles.find((profile) => profile.detect(program))?.name;
  const options = runner === undefined ? undefined : hazards[runner];
  if (runner === undefined || options === undefined) return null;
  // vitest's subcommands: `vitest watch` and `vitest dev` watch.
  if (runner === "vitest" && (program.args[0] === "watch" || program.args[0] === "dev")) {
    return { runner, option: program.args[0], kind: "watch" };
  }
  const first = (
    args: readonly string[],
  ): { option: string; kind: SelectionHazard["kind"] } | null => {
    for (const word of args) {
      if (word === "--") break;
      const name = word.startsWith("--") ? word.split("=")[0]! : word;
      const kind = options[name];
      // `--watchAll=false` (a CI idiom) and `--watch=false` turn the option off.
      if (kind !== undefined && /^--[^=]+=(?:false|0)$/.test(word)) continue;
      if (kind !== undefined) return { option: word, kind };
    }
    return null;
  };
  const inCommand = first(program.args);
  if (inCommand) return { runner, ...inCommand };
  const variable = optionVariables[runner];
  const fromEnv = variable ? first(shlexSplit(env[variable] ?? "")) : null;
  return fromEnv && variable ? { runner, ...fromEnv, from: variable } : null;
}

/**
 * The words of a variable as pytest reads PYTEST_ADDOPTS: Python's `shlex.split` (POSIX mode, no
 * comments), so that `-k "slow --lf"` is two words and names no `--lf`. Quotes group and are
 * dropped, a backslash outside quotes takes the next character as it is, and inside double quotes
 * only before `"` or `\\`. An unclosed quote (pytest stops with an error) splits on spaces (pure).
 */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  // The word being read, and whether one is (a quoted "" is a word).
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) word += text[++i]!;
      else word += c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      [word, inWord] = ["", false];
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === "\\") word += text[++i] ?? "";
      else word += c;
    }
  }
  if (quote !== null) return text.split(/\s+/).filter(Boolean);
  if (inWord) words.push(word);
  return words;
}
