import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { mavenProjectDir } from "./maven-reports.js";
import { reportMessages } from "./messages.js";
import { uvuSources } from "./parse-uvu-output.js";
import { tapeFileArgs } from "./tape-files.js";

/** How a report is read: which parser, from which file (or from the run's log). */
export type ReportFormat =
  | "junit"
  | "pytest-junit"
  | "jest-json"
  | "node-events"
  | "go-json"
  | "cargo-output"
  | "unittest-output"
  | "tape-output"
  | "uvu-output"
  | "ava-tap"
  | "playwright-json"
  | "node-tap";

/** What culprit does to a runner's argv to get a report of each run (pure data). */
export type Rewrite =
  | {
      kind: "own";
      source: string;
      format: ReportFormat;
      argv: string[];
      /** The report file culprit asked for, in reportDir. */
      file: string;
      /** Files culprit writes in reportDir before the run (node's reporter module). */
      support: Record<string, string>;
      /** Environment the run needs for the report (Playwright names its file there). */
      env?: Record<string, string>;
    }
  | {
      kind: "theirs";
      source: string;
      format: ReportFormat;
      argv: string[];
      /** The report the user's own options write (absolute); never deleted, only read. */
      file: string;
      /** The path as the user wrote it, for the reasons. */
      shown: string;
    }
  | {
      kind: "log";
      source: string;
      format: ReportFormat;
      argv: string[];
      /** The test files (and patterns) the runner was given, from the folder it runs in: tape's TAP names no file. */
      files?: { patterns: string[]; cwd: string };
    }
  | {
      /**
       * Reports the runner writes where it always does, in the tree (Maven's Surefire: one file a
       * test class in each module's target folder), read from the files the run made or changed.
       */
      kind: "written";
      source: string;
      format: ReportFormat;
      argv: string[];
      /** The folder of the project the runner builds (src/run/reports/maven-reports.ts). */
      project: string;
    }
  | { kind: "none"; why: string };

/** The runner's part of the command: where its program word is and where culprit writes. */
export interface RewriteInput {
  /** The user's whole argv. */
  argv: readonly string[];
  /** Index of the runner's program word in argv (after launchers). */
  offset: number;
  /** Where the command runs (absolute), for the user's relative report paths. */
  cwd: string;
  /** The folder culprit owns for this run's report files. */
  reportDir: string;
  /** The major version of the vitest installed where the command runs, when known. */
  vitestMajor?: number | null;
}

/** The file name of the node:test reporter module culprit writes in reportDir. */
export const nodeReporterFile = "culprit-node-reporter.mjs";

// Values of an option given as `--name=value` or `--name value` (any of `names`), in order.
function optionValues(args: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === "--") break;
    for (const name of names) {
      if (word === name && args[i + 1] !== undefined) {
        values.push(args[i + 1]!);
        i++;
        break;
      }
      if (word.startsWith(`${name}=`)) {
        values.push(word.slice(name.length + 1));
        break;
      }
    }
  }
  return values;
}

function has(args: readonly string[], ...flags: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((word) => flags.includes(word));
}

// The argv with `extra` added to the runner's options: before a bare "--" (after which the
// runner takes positionals only), else at the end.
function append(input: RewriteInput, extra: readonly string[]): string[] {
  const argv = [...input.argv];
  const dashes = argv.indexOf("--", input.offset + 1);
  argv.splice(dashes === -1 ? argv.length : dashes, 0, ...extra);
  return argv;
}

// The argv with `extra` right after the program word (options that must precede the files).
function insertAfterProgram(input: RewriteInput, extra: readonly string[], skip = 0): string[] {
  const argv = [...input.argv];
  argv.splice(input.offset + 1 + skip, 0, ...extra);
  return argv;
}

function runnerArgs(input: RewriteInput): string[] {
  return input.argv.slice(input.offset + 1);
}

function theirs(input: RewriteInput, source: string, format: ReportFormat, shown: string): Rewrite {
  return {
    kind: "theirs",
    source,
    format,
    argv: [...input.argv],
    file: resolve(input.cwd, shown),
    shown,
  };
}

// vitest: its json reporter (jest's format) to a file, with --includeTaskLocation for lines; the
// junit reporter has no line, and its file is relative to vitest's root. vitest 1 and 2 have the
// setting but not its option, and stop on it (`CACError: Unknown option`: every run of
// reduxjs/redux-thunk's vitest 1.6 read "could not run"): there the tests go without lines.
// https://vitest.dev/guide/reporters.html#json-reporter
function rewriteVitest(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  const subcommand = args[0];
  if (subcommand === "bench" || subcommand === "init" || subcommand === "list") {
    return { kind: "none", why: reportMessages.vitestSubcommand(subcommand) };
  }
  const reporters = optionValues(args, ["--reporter"]);
  const outputs = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const match = /^--outputFile(?:\.(\w+))?(?:=(.*))?$/.exec(args[i]!);
    if (match === null) continue;
    const value = match[2] ?? args[++i];
    if (value !== undefined) outputs.set(match[1] ?? "", value);
  }
  const userFile = (reporter: string) =>
    reporters.includes(reporter)
      ? (outputs.get(reporter) ?? (reporters.length === 1 ? outputs.get("") : undefined))
      : undefined;
  const junit = userFile("junit");
  if (junit !== undefined) return theirs(input, "vitest junit", "junit", junit);
  const json = userFile("json");
  if (json !== undefined) return theirs(input, "vitest --reporter=json", "jest-json", json);
  if (outputs.size > 0) return { kind: "none", why: reportMessages.vitestOutputFile() };
  const file = join(input.reportDir, "vitest.json");
  const extra = [
    // Given a --reporter, vitest drops its default one: keep what the user sees.
    ...(reporters.length === 0 ? ["--reporter=default"] : []),
    "--reporter=json",
    `--outputFile.json=${file}`,
    ...(has(args, "--includeTaskLocation") || (input.vitestMajor ?? 3) < 3
      ? []
      : ["--includeTaskLocation"]),
  ];
  return {
    kind: "own",
    source: "vitest --reporter=json",
    format: "jest-json",
    argv: append(input, extra),
    file,
    support: {},
  };
}

// jest: --json to a file (the console reporter stays on stderr), --testLocationInResults for lines.
// https://jestjs.io/docs/cli#--json
function rewriteJest(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  const outputFile = optionValues(args, ["--outputFile"]).at(-1);
  if (outputFile !== undefined) {
    if (has(args, "--json")) return theirs(input, "jest --json", "jest-json", outputFile);
    return { kind: "none", why: reportMessages.jestOutputFile() };
  }
  const file = join(input.reportDir, "jest.json");
  const extra = [
    ...(has(args, "--json") ? [] : ["--json"]),
    `--outputFile=${file}`,
    ...(has(args, "--testLocationInResults") ? [] : ["--testLocationInResults"]),
  ];
  return {
    kind: "own",
    source: "jest --json",
    format: "jest-json",
    argv: append(input, extra),
    file,
    support: {},
  };
}

// Node options that take their value as the next word.
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
  "--test-name-pattern",
  "--test-skip-pattern",
  "--test-reporter",
  "--test-reporter-destination",
  "--test-concurrency",
  "--test-timeout",
  "--test-shard",
]);

/** Whether a script node runs is a uvu test file (it requires or imports uvu); false unread. */
function usesUvu(path: string): boolean {
  try {
    return /(?:require\(\s*|from\s*|import\s*\(\s*)["']uvu["']/.test(readFileSync(path, "utf8"));
  } catch {
    return false;
  }
}

// node --test: culprit's reporter (file and line of every test) to a file, next to a console
// reporter. Node pairs the nth --test-reporter with the nth --test-reporter-destination, and
// takes options only before the test files.
// https://nodejs.org/docs/latest-v20.x/api/test.html#multiple-reporters
function rewriteNode(input: RewriteInput, reporterSource: string): Rewrite {
  const args = runnerArgs(input);
  let end = 0;
  while (end < args.length && args[end]!.startsWith("-") && args[end] !== "--") {
    end += nodeValueOptions.has(args[end]!) ? 2 : 1;
  }
  const options = args.slice(0, end);
  if (!options.includes("--test")) {
    const script = args[end] === "--" ? args[end + 1] : args[end];
    return {
      kind: "none",
      why:
        script !== undefined && usesUvu(resolve(input.cwd, script))
          ? reportMessages.nodeUvuScript(script, dirname(script), basename(script))
          : reportMessages.nodeScript(),
    };
  }
  const reporters = optionValues(options, ["--test-reporter"]).length;
  const destinations = optionValues(options, ["--test-reporter-destination"]).length;
  const file = join(input.reportDir, "node-tests.jsonl");
  const reporter = join(input.reportDir, nodeReporterFile);
  const ours = [`--test-reporter=${reporter}`, `--test-reporter-destination=${file}`];
  let extra: string[];
  if (reporters === 0 && destinations === 0) {
    extra = ["--test-reporter=spec", "--test-reporter-destination=stdout", ...ours];
  } else if (reporters === 1 && destinations === 0) {
    // One reporter without a destination writes to stdout: say so, now that there are two.
    extra = [...ours, "--test-reporter-destination=stdout"];
  } else if (reporters === destinations) {
    extra = ours;
  } else {
    return { kind: "none", why: reportMessages.nodeReporters() };
  }
  // A loader that compiles the tests (`--import tsx`, `-r ts-node/register`) leaves node reading
  // each test's line in the compiled code: every test of a file was at line 1. Source maps give
  // the lines of your file (tsx's own CLI turns them on; node does not).
  const loaders = optionValues(options, [
    "--import",
    "--loader",
    "--experimental-loader",
    "-r",
    "--require",
  ]);
  if (
    /^(?:node|nodejs)$/.test(basename(input.argv[input.offset] ?? "")) &&
    loaders.length > 0 &&
    !options.includes("--enable-source-maps")
  ) {
    extra = ["--enable-source-maps", ...extra];
  }
  return {
    kind: "own",
    source: "node --test events",
    format: "node-events",
    argv: insertAfterProgram(input, extra),
    file,
    support: { [nodeReporterFile]: reporterSource },
  };
}

// pytest: --junitxml in the xunit1 family, the one with file and line attributes.
// https://docs.pytest.org/en/stable/how-to/output.html#creating-junitxml-format-files
function rewritePytest(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  const userFile = optionValues(args, ["--junitxml", "--junit-xml"]).at(-1);
  if (userFile !== undefined) return theirs(input, "pytest junitxml", "pytest-junit", userFile);
  if (args.includes("no:junitxml")) return { kind: "none", why: reportMessages.pytestNoJunit() };
  const file = join(input.reportDir, "pytest.xml");
  return {
    kind: "own",
    source: "pytest junitxml",
    format: "pytest-junit",
    argv: append(input, [`--junitxml=${file}`, "-o", "junit_family=xunit1"]),
    file,
    support: {},
  };
}

// mocha: its xunit reporter to a file. Mocha runs one reporter, so this one replaces the
// console's (the last --reporter wins): the log then shows only what the tests print.
// https://mochajs.org/#xunit
function rewriteMocha(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  const reporter = optionValues(args, ["--reporter", "-R"]).at(-1);
  const output = optionValues(args, ["--reporter-option", "--reporter-options", "-O"])
    .flatMap((value) => value.split(","))
    .map((pair) => /^output=(.+)$/.exec(pair)?.[1])
    .filter((value): value is string => value !== undefined)
    .at(-1);
  if (reporter === "xunit" && output !== undefined) {
    return theirs(input, "mocha xunit", "junit", output);
  }
  const file = join(input.reportDir, "mocha.xml");
  return {
    kind: "own",
    source: "mocha xunit",
    format: "junit",
    argv: append(input, ["--reporter", "xunit", "--reporter-option", `output=${file}`]),
    file,
    support: {},
  };
}

// go test: -json, read back from the run's log. https://pkg.go.dev/cmd/go#hdr-Testing_flags
function rewriteGo(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  if (args[0] !== "test") return { kind: "none", why: reportMessages.goSubcommand() };
  const json = args.some((word) => /^--?json(?:=true)?$/.test(word));
  return {
    kind: "log",
    source: "go test -json",
    format: "go-json",
    argv: json ? [...input.argv] : insertAfterProgram(input, ["-json"], 1),
  };
}

// cargo test: libtest's own lines, read back from the run's log.
function rewriteCargo(input: RewriteInput): Rewrite {
  let args = runnerArgs(input);
  if (args[0]?.startsWith("+")) args = args.slice(1);
  if (args[0] === "nextest") return { kind: "none", why: reportMessages.cargoNextest() };
  const split = args.indexOf("--");
  const cargoArgs = split === -1 ? args : args.slice(0, split);
  const harnessArgs = split === -1 ? [] : args.slice(split + 1);
  const format = optionValues(harnessArgs, ["--format"]).at(-1);
  if (format !== undefined && format !== "pretty") {
    return { kind: "none", why: reportMessages.cargoFormat(format) };
  }
  // cargo stops at the first test target that fails: the targets after it (tests/*.rs after a
  // failing unit test) never run. --no-fail-fast runs them all (see everyTest).
  // `-q` (cargo's, which it passes on to the harness, or the harness's own after `--`) prints a
  // dot a test, naming only the failing ones: taken out, as everyTest takes out --bail, or an
  // old failure in an earlier target hid the new one and read PRE-EXISTING (itoa trial).
  const quiet = new Set(["-q", "--quiet"]);
  const start = input.offset + 1;
  const argv = input.argv.filter((word, i) => i < start || !quiet.has(word));
  if (!cargoArgs.includes("--no-fail-fast")) {
    const sub = argv.findIndex((word, i) => i >= start && (word === "test" || word === "t"));
    if (sub > 0) argv.splice(sub + 1, 0, "--no-fail-fast");
  }
  // cargo prints each target's "Running ..." heading on stderr, and the test binary prints its
  // lines on stdout: two pipes, read in whatever order they come, put tests under the wrong
  // target. One pipe keeps the order: stderr joins stdout in the process itself (the argv is
  // the user's, unchanged, after `sh -c 'exec "$@" 2>&1' sh`).
  return {
    kind: "log",
    source: "cargo test output",
    format: "cargo-output",
    argv: mergingStderr(argv),
  };
}

// Playwright reads `--max-failures N` and `--retries N` only when N is not 0 (`parseInt(v) ?
// v : config`): 0 would leave the config's. A number no run reaches does mean "never stop".
const playwrightNoLimit = "2147483647";

// playwright test: its json reporter to a file named by PLAYWRIGHT_JSON_OUTPUT_FILE, next to the
// user's reporters (or `list`). A --reporter on the command line replaces the config's: an
// `html` reporter there, which after a failing run serves the report and waits for Ctrl-C, is
// not started (nor one given here: PLAYWRIGHT_HTML_OPEN=never). Every test runs: -x and a
// config's maxFailures would stop after the first failures (see everyTest), so the limit is
// raised past reach. Retries stay as configured: a test that failed and then passed on a retry
// is "flaky", read as a failure of that run (src/run/reports/parse-playwright-json.ts).
// https://playwright.dev/docs/test-reporters#json-reporter
function rewritePlaywright(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  if (args[0] !== "test") return { kind: "none", why: reportMessages.playwrightSubcommand() };
  const reporters = optionValues(args, ["--reporter"])
    .flatMap((value) => value.split(","))
    .filter((name) => name !== "" && name !== "json");
  const argv = [...input.argv];
  for (let i = input.offset + 2; i < argv.length && argv[i] !== "--"; ) {
    const word = argv[i]!;
    if (word === "--reporter" || word === "--max-failures") argv.splice(i, 2);
    else if (word.startsWith("--reporter=") || word.startsWith("--max-failures=") || word === "-x")
      argv.splice(i, 1);
    else i++;
  }
  const file = join(input.reportDir, "playwright.json");
  const dashes = argv.indexOf("--", input.offset + 1);
  argv.splice(
    dashes === -1 ? argv.length : dashes,
    0,
    `--reporter=${[...(reporters.length > 0 ? reporters : ["list"]), "json"].join(",")}`,
    `--max-failures=${playwrightNoLimit}`,
  );
  return {
    kind: "own",
    source: "playwright --reporter=json",
    format: "playwright-json",
    argv,
    file,
    support: {},
    // _FILE wins over every other way of naming the file (a CI's own PLAYWRIGHT_JSON_OUTPUT_FILE
    // included); _NAME is what Playwright before 1.47 reads.
    env: {
      PLAYWRIGHT_JSON_OUTPUT_FILE: file,
      PLAYWRIGHT_JSON_OUTPUT_NAME: file,
      PLAYWRIGHT_HTML_OPEN: "never",
    },
  };
}

// Options of `python -m unittest` (and its `discover`) that take a value: their value is no flag.
const unittestValueOptions = new Set([
  "-k",
  "-s",
  "--start-directory",
  "-p",
  "--pattern",
  "-t",
  "--top-level-directory",
  "--durations",
]);

// python -m unittest: -v lists every test with its outcome, and the failures follow with their
// tracebacks, read back from the run's log in one stream (as for cargo). unittest has no option
// that undoes -f/--failfast (see everyTest), so it is taken out, alone or among short flags
// (-vf); the -v goes last, where it wins over a -q.
function rewriteUnittest(input: RewriteInput): Rewrite {
  const argv = [...input.argv];
  for (let i = input.offset + 1; i < argv.length; ) {
    const word = argv[i]!;
    if (word === "--failfast") argv.splice(i, 1);
    else if (/^-[vqfcb]+$/.test(word) && word.includes("f")) {
      const rest = word.replace(/f/g, "");
      if (rest === "-") argv.splice(i, 1);
      else argv[i++] = rest;
    } else i += unittestValueOptions.has(word) ? 2 : 1;
  }
  argv.push("-v");
  return {
    kind: "log",
    source: "unittest -v output",
    format: "unittest-output",
    argv: mergingStderr(argv),
  };
}

/**
 * `argv` with its stderr joined to its stdout in the process itself: `sh -c 'exec "$@" 2>&1' sh
 * ARGV`. Variables before the program (`--shell "PYTHONPATH=src python3 -m unittest"`) go before
 * `sh`, which passes them on: after it, `exec` took `PYTHONPATH=src` for the program (exit 127,
 * "could not run": hukkin/tomli trial).
 */
function mergingStderr(argv: readonly string[]): string[] {
  let variables = 0;
  while (variables < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[variables]!)) variables++;
  return [
    ...argv.slice(0, variables),
    "sh",
    "-c",
    'exec "$@" 2>&1',
    "sh",
    ...argv.slice(variables),
  ];
}

// `tap` subcommands that run no tests (tap 18+; `tap run` and a bare `tap` do).
const tapOtherCommands = new Set([
  "plugin",
  "report",
  "replay",
  "repl",
  "build",
  "version",
  "versions",
  "config",
  "list",
  "node-options",
  "debug",
]);

// node-tap (tap 16 to 21): its raw TAP to a file (--output-file), beside whatever reporter the
// console has (tap's `base` at a terminal, TAP when piped, a .taprc's choice). The user's own
// --output-file is read instead. https://node-tap.org/cli/
function rewriteTap(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  if (args[0] !== undefined && tapOtherCommands.has(args[0])) {
    return { kind: "none", why: reportMessages.tapSubcommand(args[0]) };
  }
  // The last of `-o FILE`, `--output-file FILE`, `--output-file=FILE` and `-oFILE` (the value
  // attached), as tap reads them: the file it writes.
  let user: string | undefined;
  for (let i = 0; i < args.length && args[i] !== "--"; i++) {
    const word = args[i]!;
    if ((word === "-o" || word === "--output-file") && args[i + 1] !== undefined) user = args[++i];
    else if (word.startsWith("--output-file=")) user = word.slice("--output-file=".length);
    else if (/^-o[^-]/.test(word)) user = word.slice(2);
  }
  if (user !== undefined) return theirs(input, "tap --output-file", "node-tap", user);
  const file = join(input.reportDir, "tap.tap");
  return {
    kind: "own",
    source: "tap --output-file",
    format: "node-tap",
    argv: append(input, [`--output-file=${file}`]),
    file,
    support: {},
  };
}

// Maven's options that take the next word as their value (the rest take none, or attach it:
// `-Dname=value`, `-Pprofile`): https://maven.apache.org/ref/3.9.9/maven-embedder/cli.html
const mavenValued = new Set([
  "-f",
  "--file",
  "-s",
  "--settings",
  "-gs",
  "--global-settings",
  "-t",
  "--toolchains",
  "-gt",
  "--global-toolchains",
  "-P",
  "--activate-profiles",
  "-pl",
  "--projects",
  "-rf",
  "--resume-from",
  "-T",
  "--threads",
  "-l",
  "--log-file",
  "-b",
  "--builder",
  "-D",
  "--define",
]);

// The phases whose build runs Surefire (test and every phase after it), and the plugins' goals.
const mavenTestPhases = new Set([
  "test",
  "prepare-package",
  "package",
  "pre-integration-test",
  "integration-test",
  "post-integration-test",
  "verify",
  "install",
  "deploy",
]);
const mavenTestGoal =
  /(?:^|:)(?:maven-)?(?:surefire|failsafe)(?:-plugin)?(?::[^:\s]+)?:(?:test|integration-test)$/;

// mvn (or ./mvnw, mvnd): Surefire's XML reports, one a test class, where it writes them (each
// module's target/surefire-reports; no option moves them). At the first module whose tests
// failed Maven stopped (and with -fae it still skipped the modules that depend on it): an old
// failure in `core` hid a new one in `web`, PRE-EXISTING, exit 0. `maven.test.failure.ignore`
// lets every module run its tests (not with install or deploy: see below); Maven then exits 0
// for failing tests, so the plan says that the report's failures fail the run
// (`exitsZeroOnFailures`, also for your own testFailureIgnore), and a non-zero exit is a
// failure outside the tests (mavenBuildEntries).
// `-fae` (a `-ff` of yours taken out) goes on past a module that does not build; Surefire's
// skipAfterFailureCount is 0.
function rewriteMaven(input: RewriteInput): Rewrite {
  const args = runnerArgs(input);
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (mavenValued.has(word)) i++;
    else if (!word.startsWith("-")) words.push(word);
  }
  if (!words.some((word) => mavenTestPhases.has(word) || mavenTestGoal.test(word))) {
    return { kind: "none", why: reportMessages.mavenNoTests(words.join(" ")) };
  }
  const start = input.offset + 1;
  const failFast = new Set(["-ff", "--fail-fast"]);
  const argv = input.argv.filter((word, i) => i < start || !failFast.has(word));
  argv.push("-fae", "-Dsurefire.skipAfterFailureCount=0");
  // Not where the build goes on to install or deploy: a build whose tests failed (your tree's,
  // or the baseline's) would then be installed in your local repository, or deployed.
  const ships = words.some((word) =>
    /^(?:install|deploy)$|:(?:install|deploy)(?:-file)?$/.test(word),
  );
  if (!ships) argv.push("-Dmaven.test.failure.ignore=true");
  return {
    kind: "written",
    source: "Surefire XML reports",
    format: "junit",
    argv,
    project: mavenProjectDir(args, input.cwd),
  };
}

/** How to get a report from `runner` (a profile name) for this argv (pure). */
export function rewriteArgv(runner: string, input: RewriteInput, nodeReporter: string): Rewrite {
  switch (runner) {
    case "vitest":
      // `watch: true` in a vitest config made a bare `vitest` (no `run`) watch and never end:
      // every run hung until the timeout (unjs/defu trial); `--run` turns it off (`vitest
      // watch` on the command line is refused).
      return everyTest(input, rewriteVitest(input), ["--bail=0", "--run"], ["--bail", "--run"]);
    case "jest":
      return everyTest(input, rewriteJest(input), ["--bail=0"]);
    case "node":
      return rewriteNode(input, nodeReporter);
    case "pytest":
      return everyTest(input, rewritePytest(input), ["--maxfail=0"]);
    case "mocha":
      // `watch: true` in a .mocharc (or package.json's "mocha") made every run hang until the
      // timeout (body-parser trial); `--watch` on the command line is refused (selection.ts).
      return everyTest(input, rewriteMocha(input), ["--no-bail", "--no-watch"]);
    case "go":
      return rewriteGo(input);
    case "cargo":
      return rewriteCargo(input);
    case "unittest":
      return rewriteUnittest(input);
    case "playwright":
      return rewritePlaywright(input);
    case "maven":
      return rewriteMaven(input);
    case "tap":
      // --bail in a .taprc (or on the command line) stopped at the first failure.
      return everyTest(input, rewriteTap(input), ["--no-bail"]);
    case "tape":
      // tape's TAP, on stdout, read back from the run's log (a --junit of the user's, through a
      // converter, wins: see planRunReport).
      return {
        kind: "log",
        source: "tape TAP output",
        format: "tape-output",
        argv: [...input.argv],
        files: { patterns: tapeFileArgs(input.argv.slice(input.offset + 1)), cwd: input.cwd },
      };
    case "uvu":
      // uvu's console output, read back from the run's log: it names its failing tests only
      // (parse-uvu-output.ts), each file by its path from uvu's dir (`files.patterns[0]`).
      return {
        kind: "log",
        source: "uvu output",
        format: "uvu-output",
        argv: [...input.argv],
        files: {
          patterns: [uvuSources(input.argv.slice(input.offset + 1), input.cwd).dir],
          cwd: input.cwd,
        },
      };
    case "ava": {
      // AVA's TAP (--tap) on stdout, read back from the run's log: one line a test.
      const args = input.argv.slice(input.offset + 1);
      const end = args.indexOf("--");
      const own = end === -1 ? args : args.slice(0, end);
      const rewrite: Rewrite = {
        kind: "log",
        source: "AVA TAP output",
        format: "ava-tap",
        argv: [...input.argv],
        files: { patterns: avaFileArgs(own), cwd: input.cwd },
      };
      // --no-fail-fast wins over --fail-fast and a config's failFast: true, whose first failure
      // stopped the run (an old failure hid the new one: PRE-EXISTING, exit 0, over a regression).
      const tap = own.includes("--tap") || own.includes("-t") ? [] : ["--tap"];
      return everyTest(input, rewrite, [...tap, "--no-fail-fast"]);
    }
    default:
      return { kind: "none", why: reportMessages.buildStep(runner) };
  }
}

/**
 * The argv with the runner told to go on after a failure: what culprit judges is each test, and
 * a run that stops at the first failure (`pytest -x`, `jest --bail`, `mocha --bail`, the same
 * set in a config file) hides the tests after it. An old failure that comes first then hid the
 * new one on both sides: `pytest -x` read "pre-existing", exit 0, over a regression. The option
 * goes last among the runner's options, where it wins over the user's and the config's, except
 * vitest's, which refuses an option given twice: its `--bail` and `--run` (`drop`) are taken out
 * first.
 */
function everyTest(
  input: RewriteInput,
  rewrite: Rewrite,
  extra: string[],
  drop: readonly string[] = [],
): Rewrite {
  if (rewrite.kind === "none") return rewrite;
  const argv = [...rewrite.argv];
  for (let i = input.offset + 1; i < argv.length && argv[i] !== "--"; ) {
    const word = argv[i]!;
    if (drop.some((option) => word.startsWith(`${option}=`))) argv.splice(i, 1);
    else if (drop.includes(word)) argv.splice(i, /^\d+$/.test(argv[i + 1] ?? "") ? 2 : 1);
    else i++;
  }
  const dashes = argv.indexOf("--", input.offset + 1);
  argv.splice(dashes === -1 ? argv.length : dashes, 0, ...extra);
  return { ...rewrite, argv };
}

/** AVA's options that take a value (AVA 6's cli.js): the words after them name no file. */
const avaValued = new Set([
  "-m",
  "--match",
  "-T",
  "--timeout",
  "-c",
  "--concurrency",
  "--config",
  "--node-arguments",
  "--serial-after",
]);

/** The words of AVA's arguments that name files or patterns. */
function avaFileArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (avaValued.has(arg)) i++;
    else if (!arg.startsWith("-")) out.push(arg);
  }
  return out;
}
