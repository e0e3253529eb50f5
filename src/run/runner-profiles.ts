import type { CommandSegment } from "./detect-runner.js";

/** What a test runner prints (or exits with) when it never reached the tests. */
export interface RunnerProfile {
  /** Name used by `--runner`. */
  name: string;
  /** One line for help text and docs. */
  description: string;
  /** True when this simple command (launchers peeled off) calls the runner. */
  detect: (segment: CommandSegment) => boolean;
  /** Applies only before another command (`tsc && node --test`): alone, its errors are the failure under test. */
  buildStep?: boolean;
  /** Exit codes that mean the runner could not run the tests. */
  cannotRunExitCodes: readonly number[];
  /** Matched against the output tail (ANSI colours stripped, CRLF folded). */
  cannotRunPatterns: readonly RegExp[];
  /**
   * After a cannot-run exit code, the line that says why, added to the reason (its first match;
   * a leading `E ` of pytest's taken off): "pytest: exit 2: ModuleNotFoundError: No module named
   * 'tomli'", where "pytest: exit 2" sent you to the log (hukkin/tomli trial).
   */
  whyPatterns?: readonly RegExp[];
}

// `node --test` relays a file's stderr as TAP comments ("# "), so the Node
// patterns accept that prefix.

/**
 * Node refusing to load a module (CommonJS and ESM), as node, node --test and mocha print it
 * (mocha 12 after " Exception during run: " for a test file, "✖ ERROR: " for a --require).
 */
const nodeModulePatterns: readonly RegExp[] = [
  /^(?:# | Exception during run: |✖ ERROR: )?Error: Cannot find module '[^'\n]+'\n(?:# )?(?:Require stack:|[ \t]+at (?:Function\.)?Module\._resolveFilename)/m,
  /^(?:# | Exception during run: |✖ ERROR: )?Error \[ERR_(?:MODULE_NOT_FOUND|UNSUPPORTED_DIR_IMPORT|UNKNOWN_FILE_EXTENSION|PACKAGE_PATH_NOT_EXPORTED|REQUIRE_ESM)\]: /m,
  // A SyntaxError raised while compiling or linking a module, i.e. before any test ran
  // (a SyntaxError thrown by JSON.parse inside a test has other frames).
  /^(?:# )?SyntaxError: [^\n]*\n(?:# )?[ \t]+at (?:async )?(?:wrapSafe|internalCompileFunction|compileFunction|compileSourceTextModule|\w*Loader\.moduleStrategy|ModuleJob\._instantiate|new ModuleWrap)\b/m,
];

function programIs(...names: string[]): (segment: CommandSegment) => boolean {
  return (segment) => names.includes(segment.program);
}

/** The runner profiles, in detection order (rules as data; see docs for samples). */
export const runnerProfiles: readonly RunnerProfile[] = [
  {
    name: "pytest",
    description:
      "pytest: exit 2/3/4/5 (interrupted, internal error, usage, no tests), collection errors",
    detect: programIs("pytest", "py.test"),
    cannotRunExitCodes: [2, 3, 4, 5],
    whyPatterns: [/^E {2,}[A-Za-z_][\w.]*(?:Error|Exception|Exit)\b.*$/m, /^ERROR: .+$/m],
    cannotRunPatterns: [
      /^_+ ERROR collecting \S/m,
      /^ImportError while importing test module /m,
      /^ERROR: file or directory not found: /m,
    ],
  },
  {
    name: "unittest",
    description:
      'python -m unittest: exit 5 (no tests ran, Python 3.12+), "Start directory is not importable"',
    detect: programIs("unittest"),
    cannotRunExitCodes: [5],
    cannotRunPatterns: [
      /^ImportError: Start directory is not importable: /m,
      // A name given on the command line that does not import, does not exist or does not parse:
      // unittest runs a stand-in test that fails (a test among others that ran is overruled by
      // the report).
      /^ERROR: \S+ \(unittest\.loader\._FailedTest\.[^)\n]+\)$/m,
      /^ {2}File "[^"\n]*[/\\]unittest[/\\]main\.py", line \d+, in createTests$/m,
      /^\S.*: error: unrecognized arguments: /m,
    ],
  },
  {
    name: "vitest",
    description:
      'vitest: "Cannot find module/package", "Failed to load", transform errors, "No test files found", "Startup Error", a --project not found, an unknown option, a coverage provider not installed',
    detect: programIs("vitest"),
    cannotRunExitCodes: [],
    cannotRunPatterns: [
      /^(?:Error|SyntaxError): Cannot find (?:module|package) '[^'\n]+' imported from /m,
      /^Error: Failed to load url \S/m,
      /^Error: Failed to resolve import "[^"\n]+" from "[^"\n]+"\. Does the file exist\?/m,
      /^Error: Transform failed with \d+ errors?:/m,
      /^No test files found, exiting with code \d+/m,
      /^failed to load config from \S/im,
      // Before any test: a --project your change adds, the config throwing, an unknown option.
      /^⎯+ Startup Error ⎯+$/m,
      /^Error: No projects matched the filter "/m,
      /^CACError: Unknown option `/m,
      // --coverage without its provider (@vitest/coverage-v8) installed: no test runs.
      /^\s*MISSING DEPENDENCY\s+Cannot find dependency '[^'\n]+'/m,
      // A CommonJS module requiring one that is not there.
      /^Error: Cannot find module '[^'\n]+'\nRequire stack:/m,
    ],
  },
  {
    name: "jest",
    description:
      'jest: "Test suite failed to run", "Cannot find module ... from ...", "No tests found", an unknown option, a config refused or throwing',
    detect: programIs("jest"),
    cannotRunExitCodes: [],
    cannotRunPatterns: [
      /^\s*● Test suite failed to run$/m,
      /^\s*Cannot find module '[^'\n]+' from '[^'\n]+'/m,
      /^No tests found, exiting with code \d+/m,
      // Before any test: an unknown option, a config jest refuses or that throws.
      /^● Unrecognized CLI Parameter:$/m,
      /^● Validation Error:$/m,
      /^\w*Error: [^\n]*\n\s+at [^\n]*[/\\]jest\.config\.[cm]?[jt]s:\d+/m,
      /^\s+at (?:readInitialOptions|readConfigFileAndSetRootDir|resolveConfigPath) \(\S*jest-config[/\\]/m,
    ],
  },
  {
    name: "node",
    description:
      'node and node --test: "Cannot find module", ERR_MODULE_NOT_FOUND, a SyntaxError before any test, "Could not find"',
    detect: programIs("node", "nodejs", "tsx"),
    cannotRunExitCodes: [],
    cannotRunPatterns: [
      ...nodeModulePatterns,
      /^Could not find '[^'\n]+'$/m,
      // An option node does not know (exit 9); a TypeScript file tsx cannot transform.
      /^(?:\S*[/\\])?node: bad option: /m,
      /^(?:# )?Error \[TransformError\]: Transform failed with \d+ errors?:/m,
    ],
  },
  {
    name: "mocha",
    description:
      'mocha: "No test files found", Node\'s module-loading errors, a SyntaxError before any test',
    detect: programIs("mocha", "_mocha"),
    cannotRunExitCodes: [],
    cannotRunPatterns: [
      /^(?:Error: )?No test files found\b/m,
      ...nodeModulePatterns,
      // mocha 12: an ES module test file that does not parse; a config it cannot read.
      /^ Exception during run: SyntaxError\[ @[^\]\n]+ \]: /m,
      /^Error: Unable to read\/parse [^\n]+: /m,
    ],
  },
  {
    name: "tape",
    description: "tape: Node's module-loading errors, a SyntaxError before any test",
    detect: programIs("tape"),
    cannotRunExitCodes: [],
    // tape requires every file before any test runs: one that cannot load stops them all, with
    // node's own words (a failure inside a test is TAP: "not ok", its error indented in YAML).
    cannotRunPatterns: nodeModulePatterns,
  },
  {
    name: "uvu",
    description:
      "uvu: Node's module-loading errors, a SyntaxError before any test, a -r module not found",
    detect: programIs("uvu"),
    cannotRunExitCodes: [],
    // uvu requires every file before any test runs: one that cannot load stops them all, with
    // node's own words; a `-r` module it cannot require, and a dir that is not there (a folder
    // of tests your change adds, at the baseline), with its own (uvu 0.5.6's parse, then exit 1).
    cannotRunPatterns: [
      ...nodeModulePatterns,
      /^Error: Cannot find module "[^"\n]+"\n\s+at /m,
      /^Error: ENOENT: no such file or directory, scandir '[^'\n]+'\s*$/,
    ],
  },
  {
    name: "tap",
    description: 'node-tap: "No test files found", "No valid test files found matching"',
    detect: programIs("tap"),
    cannotRunExitCodes: [],
    // tap runs each file in a process of its own: one that cannot load fails as that file, in
    // the report (a file failure), while the others run. Nothing runs when no file is found
    // (tap 18+; tap 16 fails the missing file as a test file).
    cannotRunPatterns: [/^No test files found$/m, /^No valid test files found matching /m],
  },
  {
    name: "ava",
    description:
      "ava: Node's module-loading errors and a SyntaxError in a test file, no test files found",
    detect: programIs("ava"),
    cannotRunExitCodes: [],
    // AVA runs each file in a worker: one that cannot load is reported in its TAP as an error's
    // line, then "<file> exited with a non-zero exit code"; with --tap, no files found is an
    // empty plan (its own words are printed without --tap only).
    cannotRunPatterns: [
      /^not ok \d+ - Error(?: \[ERR_[A-Z_]+\])?: Cannot find module '[^'\n]+'/m,
      /^not ok \d+ - Error \[ERR_(?:UNSUPPORTED_DIR_IMPORT|UNKNOWN_FILE_EXTENSION|PACKAGE_PATH_NOT_EXPORTED|REQUIRE_ESM)\]: /m,
      /^not ok \d+ - \S+:\d+\n\s+---\n\s+name: SyntaxError$/m,
      /(?:^|\n)1\.\.0\n# tests 0\n# pass 0\n# fail 0\s*$/,
      /^\s*✘ Couldn’t find any files to test$/m,
      /^\s*✘ Based on your configuration, \d+ test files? (?:was|were) found, but did not match the filters:$/m,
      ...nodeModulePatterns,
    ],
  },
  {
    name: "playwright",
    description:
      'playwright test: "No tests found", a test file that cannot load, a project not found, an unknown option, a config that cannot load',
    detect: (segment) => segment.program === "playwright" && segment.args[0] === "test",
    cannotRunExitCodes: [],
    // A test file that cannot load stops the whole run: Playwright prints the error and runs
    // nothing, then "Error: No tests found." when it was the only file.
    cannotRunPatterns: [
      /^Error: No tests found\.?$/m,
      // An ES module's missing import, as Playwright's loader words it (no error code).
      /^Error: Cannot find module '[^'\n]+' imported from \S/m,
      ...nodeModulePatterns,
      // The command or the config, before any test: a project that is not there (one your
      // changes add, at the baseline), an option Playwright does not know, a config file that
      // is missing, does not parse, or throws.
      /^Error: Project\(s\) .* not found\b/m,
      /^error: (?:unknown option|unknown command|missing required argument|option '[^'\n]+' argument missing)\b/m,
      /^Error: \S+ does not exist$/m,
      /^SyntaxError: \S*playwright\.config\.[cm]?[jt]s: /m,
      /^\s+at .*playwright\.config\.[cm]?[jt]s:\d+:\d+\)?$/m,
      // A config Playwright refuses; a file that does not parse among others (nothing runs).
      /^Error: \S*playwright\.config\.[cm]?[jt]s: /m,
      /^SyntaxError: \S+\.[cm]?[jt]sx?: [^\n]*\(\d+:\d+\)\n\n\s+at \S+:\d+$/m,
    ],
  },
  {
    name: "go",
    description: 'go test: "[build failed]", "[setup failed]", "no Go files", module set-up errors',
    detect: (segment) => segment.program === "go" && segment.args[0] === "test",
    cannotRunExitCodes: [],
    cannotRunPatterns: [
      /^FAIL\s+\S+\s+\[(?:build|setup) failed\]$/m,
      /\bno Go files in \S/,
      /^go: cannot find main module\b/m,
      /^go: updates to go\.mod needed\b/m,
      /\bmissing go\.sum entry for module providing package\b/,
    ],
  },
  {
    name: "cargo",
    description:
      'cargo test: "could not compile", missing manifest or test target, unresolvable dependencies',
    detect: (segment) => {
      const args = segment.args[0]?.startsWith("+") ? segment.args.slice(1) : segment.args;
      // `cargo t` is cargo's own alias of `cargo test`.
      return (
        segment.program === "cargo" &&
        (args[0] === "test" || args[0] === "t" || args[0] === "nextest")
      );
    },
    cannotRunExitCodes: [],
    cannotRunPatterns: [
      /^error: could not compile `[^`\n]+`/m,
      /^error: could not find `Cargo\.toml` in /m,
      /^error: failed to (?:parse|load) manifest\b/m,
      /^error: no (?:test|bin|example|bench) target named /m,
      /^error: no matching package named /m,
      // An option cargo or the test harness does not know; a manifest that does not parse; a
      // build script that fails; a path dependency that is not there.
      /^error: unexpected argument '[^'\n]+' found$/m,
      /^error: Unrecognized option: '/m,
      /^error: [^\n]*\n --> \S*Cargo\.toml:\d+:\d+$/m,
      /^error: failed to run custom build command for `/m,
      /^error: failed to get `[^`\n]+` as a dependency of package `/m,
    ],
  },
  {
    name: "maven",
    description:
      'mvn test (and ./mvnw, mvnd): a compilation error, a POM or dependency Maven cannot resolve, "No tests matching pattern", an unknown phase or option',
    detect: programIs("mvn", "mvnw", "mvnd"),
    cannotRunExitCodes: [],
    // Maven prints every error of the build as "[ERROR] ..." (coloured at a terminal, stripped
    // before these are matched), and exits 1 for all of them: a test that fails is Surefire's
    // "There are test failures", anything before the tests is one of these.
    cannotRunPatterns: [
      /^\[ERROR\] COMPILATION ERROR :?\s*$/m,
      /^\[ERROR\] Failed to execute goal org\.apache\.maven\.plugins:maven-compiler-plugin:\S+:(?:test)?[cC]ompile /m,
      /^\[ERROR\] The goal you specified requires a project to execute but there is no POM in this directory/m,
      /^\[ERROR\] (?:Failed to execute goal on project \S+: )?Could not resolve dependencies for project /m,
      /^\[ERROR\] \s*Non-resolvable (?:parent|import) POM/m,
      /^\[ERROR\] \s*(?:Malformed|Non-parseable) POM /m,
      /^\[ERROR\] Unknown lifecycle phase "/m,
      /^Unable to parse command line options: /m,
      // A plugin (or what it needs, Surefire's provider) not in the local repository, offline:
      // "Failed to execute goal ...: Execution default-test of goal ... failed: Plugin ... or one
      // of its dependencies could not be resolved".
      /^\[ERROR\] .*?\b(?:Plugin \S+ or one of its dependencies could not be resolved|Error resolving version for plugin )/m,
      // -Dtest naming a class the baseline does not have (a new test class).
      /No tests matching pattern "[^"\n]*" were executed!/,
      /^\[ERROR\] Failed to execute goal \S+ \([^)\n]*\) on project \S+: No tests were executed!/m,
    ],
  },
  {
    name: "tsc",
    description: 'tsc as a build step before the tests ("tsc && node --test"): "error TS"',
    detect: programIs("tsc", "vue-tsc", "tsgo"),
    buildStep: true,
    cannotRunExitCodes: [],
    cannotRunPatterns: [/(?:^|\): | - )error TS\d+: /m],
  },
];

/** The profile called `name`, or undefined. */
export function findProfile(name: string): RunnerProfile | undefined {
  return runnerProfiles.find((profile) => profile.name === name);
}
