import { type CommandLine, detectRunners } from "./detect-runner.js";
import { andChainPrograms, leadingSelection, scriptNamed } from "./package-scripts.js";
import type { TestCaseResult } from "./reports/types.js";
import { findProfile, type RunnerProfile, runnerProfiles } from "./runner-profiles.js";
import type { Outcome, RunResult } from "./types.js";

/** The parts of a run that decide its outcome. */
export interface ClassifyInput {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  spawnError?: string | null;
  /** The output tail the patterns are matched against. */
  tail: string;
}

/** How to tell "could not run" from "failed". */
export interface ClassifyOptions {
  /** The command, for runner detection (an argv or a `--shell` string). */
  command?: CommandLine;
  /** Force a runner profile by name instead of detecting it; "none" turns profiles off. */
  runner?: string;
  /** `--cannot-run-pattern`: output matching it means the run never reached the test. */
  cannotRunPattern?: RegExp;
  /** `--cannot-run-exit`: more exit codes that mean the same. */
  cannotRunExit?: readonly number[];
  /**
   * The text of the package script a pnpm command runs, read by the caller (pnpm's exit 1 for
   * the script's 127 is told from a failure by it: `pnpmHidesNotFound`).
   */
  script?: string;
}

/** An outcome and the rule that gave it. */
export interface Classification {
  outcome: Outcome;
  /** Human-readable rule, e.g. "exit 127 (command not found)" or "pytest: exit 5". */
  reason: string;
  /** The runner profiles that were applied. */
  runners: string[];
  /**
   * Set when "cannot-run" rests on a runner profile's words in the output only (not an exit
   * code, not --cannot-run-*): a suite where one file could not load says so while its other
   * tests ran, which the run's report can show.
   */
  byOutput?: true;
}

/** Exit codes that always mean "could not run" (`git bisect run` and POSIX shell conventions). */
export const cannotRunExitCodes: Readonly<Record<number, string>> = {
  125: "exit 125 (cannot run, as in git bisect run)",
  126: "exit 126 (not executable)",
  127: "exit 127 (command not found)",
};

// CSI (colours, cursor), OSC (titles, links), charset selection (`tput sgr0` ends with ESC ( B),
// other two-byte escapes, and the one-byte C1 CSI.
const ansiPattern =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()*+#][0-9A-Za-z]|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g;

/** The text patterns are matched against: ANSI escapes removed, CRLF and lone CR folded to LF. */
export function normalizeOutput(text: string): string {
  return text.replace(ansiPattern, "").replace(/\r\n?/g, "\n");
}

// Left once the escapes are gone: C0 controls but tab and newline, DEL, C1.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A command's output as plain text to print in a report: escapes (colours, cursor, links) and
 * control bytes removed, never a colour, a cursor move or a terminal title of the test's own.
 */
export function plainOutput(text: string): string {
  return normalizeOutput(text).replace(controls, "");
}

/**
 * A run's outcome once its report is read. "Could not run" that rests on the runner's words alone
 * (`byOutput`) yields to a report of tests that ran: a suite in which one file could not load (a
 * missing package, a syntax error) while the others ran failed, and that file is one of its
 * failing entries. Exit codes 125 to 127 and --cannot-run-* are never overruled.
 */
export function outcomeWithReport(
  result: Pick<RunResult, "outcome" | "cannotRunByOutput">,
  tests: readonly TestCaseResult[] | null,
): Outcome {
  if (result.outcome !== "cannot-run" || !result.cannotRunByOutput || tests === null)
    return result.outcome;
  const ran = tests.some((t) => !t.kind && (t.status === "pass" || t.status === "fail"));
  return ran ? "fail" : result.outcome;
}

/** Names of the known runner profiles, for `--runner` validation. */
export const runnerNames: readonly string[] = runnerProfiles.map((profile) => profile.name);

/** The profiles `options` select: forced by name, or detected from the command. */
export function selectProfiles(options: ClassifyOptions): RunnerProfile[] {
  if (options.runner === "none") return [];
  if (options.runner !== undefined) {
    const profile = findProfile(options.runner);
    if (profile === undefined) {
      throw new RangeError(
        `unknown runner "${options.runner}" (known: ${runnerNames.join(", ")}, none)`,
      );
    }
    return [profile];
  }
  return options.command === undefined ? [] : detectRunners(options.command);
}

// First line of the match, trimmed and capped, as evidence in the reason.
function evidence(text: string, pattern: RegExp): string | null {
  const flags = pattern.flags.replace(/[gy]/g, "");
  const match = new RegExp(pattern.source, flags).exec(text);
  if (match === null) return null;
  const start = text.lastIndexOf("\n", match.index) + 1;
  const end = text.indexOf("\n", match.index);
  let line = text.slice(start, end === -1 ? undefined : end).trim();
  // A frame of a Python traceback (unittest's createTests): the error it ends with says why
  // ("SyntaxError: invalid syntax"), not the frame (more-itertools trial).
  if (/^File ".*", line \d+/.test(line)) {
    const raised = /^[A-Za-z_][\w.]*(?:Error|Exception)\b.*$/m.exec(text.slice(start));
    if (raised) line = raised[0].trim();
  }
  // unittest's stand-in for a name that does not import ("ERROR: test_x
  // (unittest.loader._FailedTest.test_x)"): the last error of its traceback says why
  // ("ImportError: cannot import name 'g' from 'lib'"), not the stand-in (Python trial).
  if (/^ERROR: \S+ \(unittest\.loader\._FailedTest\./.test(line)) {
    const after = text.slice(end === -1 ? text.length : end + 1).replace(/^-+\n/, "");
    const section = after.split(/\n(?:=+|-+)\n/)[0] ?? "";
    const raised = [...section.matchAll(/^[A-Za-z_][\w.]*(?:Error|Exception)\b.*$/gm)].at(-1);
    if (raised) line = `${line.replace(/^ERROR: /, "").replace(/ \(.*$/, "")}: ${raised[0].trim()}`;
  }
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * npm, pnpm and yarn 1 saying that the script asked for (or the workspace) does not exist, for
 * the command `argv` (the manager's, its script not followed to a runner: then it exists). Only
 * that script's name counts: a script that runs `npm run lint && npm run unit` may miss `unit`,
 * which is a failure of the script. Null (nothing read) where several packages run
 * (`--workspaces`, `-r`, `--if-present`, two of `-w`/`--filter`): one of them missing the script
 * does not mean none ran.
 */
function packageManagerPatterns(argv: readonly string[]): RegExp[] | null {
  const manager = argv[0]?.split("/").pop() ?? "";
  if (!["npm", "pnpm", "yarn"].includes(manager)) return null;
  const several = ["--workspaces", "-ws", "--ws", "-r", "--recursive", "--if-present"];
  if (argv.some((word) => several.includes(word))) return null;
  const choosers = argv.filter((word) => /^(?:-w|--workspace|-F|--filter)(?:=|$)/.test(word));
  if (choosers.length > 1) return null;
  const chosen = leadingSelection(manager, argv);
  const name = chosen && scriptNamed(manager, [argv[0]!, ...argv.slice(chosen.consumed)])?.name;
  const patterns = [/^npm (?:ERR!|error) No workspaces found/m, /^error Unknown workspace "/m];
  if (!name) return patterns;
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return [
    ...patterns,
    new RegExp(`^npm (?:ERR!|error) Missing script: "${quoted}"`, "m"),
    new RegExp(`^\\s*ERR_PNPM_NO_SCRIPT\\s+Missing script: ${quoted}\\s*$`, "m"),
    new RegExp(`^error Command "${quoted}" not found\\.`, "m"),
  ];
}

/**
 * pnpm (9) exits 1 where its script exited 127, the shell's "command not found" (a tool the
 * script runs is not installed: `sh: 1: eslint: not found`); any other exit code it passes on
 * (npm and yarn 1 pass 127 on too). So `pnpm test` with eslint missing failed on both sides, and
 * read PRE-EXISTING, exit 0, where nothing was tested. The exit 127 it stands for, as a reason,
 * when pnpm is the command, the output has the shell's line saying it could not find a program,
 * and pnpm's last ELIFECYCLE line says so:
 * - ` ELIFECYCLE  Command failed.`, without the `with exit code N` it gives any other code (a
 *   script not named `test`; pnpm also prints it, exiting 1, for a script killed by SIGPIPE or
 *   SIGUSR1, which the shell's line rules out);
 * - ` ELIFECYCLE  Test failed. See above for more details.`, which the `test` script gets
 *   whatever its code, when the script is commands joined by `&&` only and the program not found
 *   is one of theirs before the last (`eslint . && mocha`, eslint missing): the shell ends such a
 *   script there, with 127. Not the last one: a test that spawns the runner's program with
 *   another PATH (`node: not found`) gets the same line from its own shell while the suite fails.
 * The shell's line is on stderr and pnpm's on stdout, read through two pipes: their order in the
 * output is not theirs, and is not looked at.
 * Null otherwise (a pnpm inside the script that failed so, under an outer pnpm that then failed
 * otherwise, ends with the outer one's line). Under npm or yarn, a pnpm in the script may have
 * failed so while the script went on (`pnpm lint; vitest run`): its line says nothing of how the
 * script ended.
 */
function pnpmHidesNotFound(
  argv: readonly string[],
  text: string,
  script: string | undefined,
): string | null {
  if (argv[0]?.split("/").pop() !== "pnpm") return null;
  // pnpm puts thin spaces (U+2009) around the word.
  const lines = text.match(/^[^\S\n]*ELIFECYCLE[^\S\n]+(?:Command|Test) failed\b.*$/gm);
  const last = lines?.[lines.length - 1]?.trim().replace(/\s+/g, " ");
  // dash (`sh: 1: X: not found`), bash (`bash: line 1: X: command not found`, older `bash: X:
  // command not found`), by name or path.
  const shellSaid = [
    ...text.matchAll(
      /^[^\S\n]*((?:\S*\/)?(?:ba|da)?sh: (?:line )?(?:\d+: )?(\S+): (?:command )?not found)[^\S\n]*$/gm,
    ),
  ];
  const why = (line: string) =>
    `pnpm: exit 1 for the script's exit 127 (command not found): ${line}`;
  if (last === "ELIFECYCLE Command failed.")
    return shellSaid.length > 0 ? why(shellSaid[0]![1]!) : null;
  if (last !== "ELIFECYCLE Test failed. See above for more details." || script === undefined)
    return null;
  const programs = andChainPrograms(script);
  if (!programs) return null;
  const before = new Set(programs.slice(0, -1));
  const found = shellSaid.find((match) => before.has(match[2]!));
  return found ? why(found[1]!) : null;
}

/** Classifies one run: pass, fail, cannot-run or hang (pure; a pass is never reclassified). */
export function classify(input: ClassifyInput, options: ClassifyOptions = {}): Classification {
  const profiles = selectProfiles(options);
  const runners = profiles.map((profile) => profile.name);
  const result = (outcome: Outcome, reason: string): Classification => ({
    outcome,
    reason,
    runners,
  });

  if (input.spawnError) return result("cannot-run", `could not start (${input.spawnError})`);
  if (input.timedOut) return result("hang", "timed out");
  if (input.exitCode === 0 && input.signal === null) return result("pass", "exit 0");

  const code = input.exitCode;
  if (code !== null) {
    const conventional = cannotRunExitCodes[code];
    if (conventional !== undefined) return result("cannot-run", conventional);
    if (options.cannotRunExit?.includes(code)) {
      return result("cannot-run", `exit ${code} (--cannot-run-exit)`);
    }
    const byCode = profiles.find((profile) => profile.cannotRunExitCodes.includes(code));
    if (byCode !== undefined) {
      const text = normalizeOutput(input.tail);
      const why = (byCode.whyPatterns ?? [])
        .map((pattern) => evidence(text, pattern))
        .find((line) => line !== null);
      const said = why ? `: ${why.replace(/^E\s+/, "")}` : "";
      return result("cannot-run", `${byCode.name}: exit ${code}${said}`);
    }
  }

  const text = normalizeOutput(input.tail);
  if (options.cannotRunPattern !== undefined) {
    const line = evidence(text, options.cannotRunPattern);
    if (line !== null) return result("cannot-run", `--cannot-run-pattern matched: ${line}`);
  }
  for (const profile of profiles) {
    for (const pattern of profile.cannotRunPatterns) {
      const line = evidence(text, pattern);
      if (line !== null)
        return { ...result("cannot-run", `${profile.name}: ${line}`), byOutput: true };
    }
  }
  // A package manager that found no script (or workspace) to run: a script the change adds
  // cannot run at the baseline, whatever it does on your tree.
  const command = options.command;
  // cross-env that could not start the command after it (it exits 1, not 127).
  const words = (typeof command === "string" ? command : (command ?? []).join(" ")).split(/\s+/);
  if (options.runner === undefined && words.some((word) => /(?:^|\/)cross-env$/.test(word))) {
    const line = evidence(text, /^Error: spawn \S+ ENOENT$/m);
    if (line !== null) return result("cannot-run", `cross-env: ${line}`);
  }
  if (options.runner === undefined && code === 1 && Array.isArray(command)) {
    const line = pnpmHidesNotFound(command, text, options.script);
    if (line !== null) return result("cannot-run", line);
  }
  const managerSays =
    options.runner === undefined && Array.isArray(command) ? packageManagerPatterns(command) : null;
  for (const pattern of managerSays ?? []) {
    const line = evidence(text, pattern);
    if (line !== null) {
      const manager = command![0]!.split("/").pop();
      return { ...result("cannot-run", `${manager}: ${line}`), byOutput: true };
    }
  }

  return result("fail", code !== null ? `exit ${code}` : `killed by ${input.signal ?? "a signal"}`);
}
