import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  packageScriptRunner,
  packageScriptWords,
  planReport,
  type ReportRequest,
} from "../../src/run/index.js";

const base = { cwd: "/home/me/shop", root: "/home/me/shop", reportDir: "/r" };
const reporter = [
  "--test-reporter=/r/culprit-node-reporter.mjs",
  "--test-reporter-destination=/r/node-tests.jsonl",
];

// A runner read from its log: stderr joins stdout in the process, so that the lines keep their order.
const oneStream = ["sh", "-c", 'exec "$@" 2>&1', "sh"];

function plan(request: Partial<ReportRequest> & { argv: string[] }) {
  return planReport({ ...base, ...request });
}

/** What culprit adds to a mocha command run from /r's plans: its xunit report, every test, no watch. */
const mochaAdded = [
  "--reporter",
  "xunit",
  "--reporter-option",
  "output=/r/mocha.xml",
  "--no-bail",
  "--no-watch",
];

describe("planReport: the argv each runner is run with", () => {
  const table: Array<[string, string[], string, string[]]> = [
    [
      "vitest: a json reporter next to the default one",
      ["npx", "vitest", "run", "test/cart.test.ts"],
      "vitest --reporter=json",
      [
        "npx",
        "vitest",
        "run",
        "test/cart.test.ts",
        "--reporter=default",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    [
      "vitest: the user's reporter stays, no default added",
      ["vitest", "run", "--reporter=dot"],
      "vitest --reporter=json",
      [
        "vitest",
        "run",
        "--reporter=dot",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    [
      "vitest: the user's own junit file is read, every test run",
      ["vitest", "run", "--reporter=junit", "--outputFile.junit=out/junit.xml"],
      "vitest junit",
      [
        "vitest",
        "run",
        "--reporter=junit",
        "--outputFile.junit=out/junit.xml",
        "--bail=0",
        "--run",
      ],
    ],
    [
      "vitest --bail N: taken out (vitest refuses it twice), --bail=0 instead",
      ["vitest", "run", "--bail", "1", "cart", "--bail=3"],
      "vitest --reporter=json",
      [
        "vitest",
        "run",
        "cart",
        "--reporter=default",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    [
      "vitest --run given: taken out, culprit's at the end (vitest refuses an option twice)",
      ["vitest", "--run", "--reporter=dot"],
      "vitest --reporter=json",
      [
        "vitest",
        "--reporter=dot",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    [
      "vitest through node and its bin",
      ["node", "node_modules/vitest/vitest.mjs", "run"],
      "vitest --reporter=json",
      [
        "node",
        "node_modules/vitest/vitest.mjs",
        "run",
        "--reporter=default",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    [
      "jest: --json to a file, with locations",
      ["npx", "jest", "--ci"],
      "jest --json",
      [
        "npx",
        "jest",
        "--ci",
        "--json",
        "--outputFile=/r/jest.json",
        "--testLocationInResults",
        "--bail=0",
      ],
    ],
    [
      "jest: --json already there",
      ["jest", "--json", "cart"],
      "jest --json",
      [
        "jest",
        "--json",
        "cart",
        "--outputFile=/r/jest.json",
        "--testLocationInResults",
        "--bail=0",
      ],
    ],
    [
      "jest: the user's own --json --outputFile is read",
      ["jest", "--json", "--outputFile", "results.json"],
      "jest --json",
      ["jest", "--json", "--outputFile", "results.json", "--bail=0"],
    ],
    [
      "jest --bail: a later --bail=0 wins (also over the config's bail)",
      ["jest", "--bail", "cart"],
      "jest --json",
      [
        "jest",
        "--bail",
        "cart",
        "--json",
        "--outputFile=/r/jest.json",
        "--testLocationInResults",
        "--bail=0",
      ],
    ],
    [
      "node --test: spec on stdout and culprit's reporter, before the files",
      ["node", "--test", "test/"],
      "node --test events",
      [
        "node",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        ...reporter,
        "--test",
        "test/",
      ],
    ],
    [
      "node --test: the user's one reporter gets stdout as its destination",
      ["node", "--test", "--test-reporter=dot", "test/"],
      "node --test events",
      [
        "node",
        ...reporter,
        "--test-reporter-destination=stdout",
        "--test",
        "--test-reporter=dot",
        "test/",
      ],
    ],
    [
      "node -r ts-node/register with --enable-source-maps already: not twice",
      ["node", "--enable-source-maps", "-r", "ts-node/register", "--test", "test/a.test.ts"],
      "node --test events",
      [
        "node",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        ...reporter,
        "--enable-source-maps",
        "-r",
        "ts-node/register",
        "--test",
        "test/a.test.ts",
      ],
    ],
    [
      "node --test: the user's paired reporters stay",
      [
        "node",
        "--test",
        "--test-reporter",
        "tap",
        "--test-reporter-destination",
        "out.tap",
        "test/",
      ],
      "node --test events",
      [
        "node",
        ...reporter,
        "--test",
        "--test-reporter",
        "tap",
        "--test-reporter-destination",
        "out.tap",
        "test/",
      ],
    ],
    [
      "node --test with --import before it: source maps on, for the tests' lines",
      ["env", "CI=1", "node", "--import", "tsx", "--test", "test/a.test.ts"],
      "node --test events",
      [
        "env",
        "CI=1",
        "node",
        "--enable-source-maps",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        ...reporter,
        "--import",
        "tsx",
        "--test",
        "test/a.test.ts",
      ],
    ],
    [
      "tsx --test: node's options pass through tsx",
      ["npx", "tsx", "--test", "test/a.test.ts"],
      "node --test events",
      [
        "npx",
        "tsx",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        ...reporter,
        "--test",
        "test/a.test.ts",
      ],
    ],
    [
      "pytest: junitxml in the xunit1 family (file and line)",
      ["python3", "-m", "pytest", "-q", "tests"],
      "pytest junitxml",
      [
        "python3",
        "-m",
        "pytest",
        "-q",
        "tests",
        "--junitxml=/r/pytest.xml",
        "-o",
        "junit_family=xunit1",
        "--maxfail=0",
      ],
    ],
    [
      "pytest -x through uv: a later --maxfail=0 runs every test",
      ["uv", "run", "pytest", "-x"],
      "pytest junitxml",
      [
        "uv",
        "run",
        "pytest",
        "-x",
        "--junitxml=/r/pytest.xml",
        "-o",
        "junit_family=xunit1",
        "--maxfail=0",
      ],
    ],
    [
      "pytest: the user's --junitxml is read, not a second one added",
      ["pytest", "--junitxml", "reports/junit.xml", "tests"],
      "pytest junitxml",
      ["pytest", "--junitxml", "reports/junit.xml", "tests", "--maxfail=0"],
    ],
    [
      "mocha through node: xunit to a file",
      ["node", "node_modules/.bin/mocha", "test/"],
      "mocha xunit",
      ["node", "node_modules/.bin/mocha", "test/", ...mochaAdded],
    ],
    [
      "mocha: options go before a bare --",
      ["mocha", "test/", "--", "--server-port=1"],
      "mocha xunit",
      ["mocha", "test/", ...mochaAdded, "--", "--server-port=1"],
    ],
    [
      "mocha: the user's xunit file is read",
      ["mocha", "-R", "xunit", "-O", "suiteName=shop,output=out.xml", "--bail"],
      "mocha xunit",
      [
        "mocha",
        "-R",
        "xunit",
        "-O",
        "suiteName=shop,output=out.xml",
        "--bail",
        "--no-bail",
        "--no-watch",
      ],
    ],
    [
      "playwright test: json next to list, no run stopped at a failure",
      ["npx", "playwright", "test", "tests/cart.spec.ts"],
      "playwright --reporter=json",
      [
        "npx",
        "playwright",
        "test",
        "tests/cart.spec.ts",
        "--reporter=list,json",
        "--max-failures=2147483647",
      ],
    ],
    [
      "playwright test: the user's reporters kept (one list), -x and --max-failures out",
      [
        "playwright",
        "test",
        "-x",
        "--reporter",
        "dot",
        "--reporter=html,json",
        "--max-failures",
        "3",
        "--project=chromium",
        "--",
        "cart",
      ],
      "playwright --reporter=json",
      [
        "playwright",
        "test",
        "--project=chromium",
        "--reporter=dot,html,json",
        "--max-failures=2147483647",
        "--",
        "cart",
      ],
    ],
    [
      "go test: -json after test",
      ["go", "test", "./...", "-run", "TestFlush"],
      "go test -json",
      ["go", "test", "-json", "./...", "-run", "TestFlush"],
    ],
    [
      "go test -json already",
      ["go", "test", "-json", "./..."],
      "go test -json",
      ["go", "test", "-json", "./..."],
    ],
    [
      "cargo test: stderr joins stdout in the process (one pipe keeps the order)",
      ["cargo", "test", "--no-fail-fast"],
      "cargo test output",
      ["sh", "-c", 'exec "$@" 2>&1', "sh", "cargo", "test", "--no-fail-fast"],
    ],
    [
      "cargo with a toolchain and harness options",
      ["cargo", "+nightly", "test", "--", "--nocapture"],
      "cargo test output",
      [
        "sh",
        "-c",
        'exec "$@" 2>&1',
        "sh",
        "cargo",
        "+nightly",
        "test",
        "--no-fail-fast",
        "--",
        "--nocapture",
      ],
    ],
    // -q names only the failing tests (a dot for each that passed): taken out, cargo's and the
    // harness's, and --no-fail-fast added all the same (itoa trial: an old failure in the unit
    // tests hid the new one in tests/test.rs, and read PRE-EXISTING, exit 0).
    [
      "cargo test -q: -q taken out, --no-fail-fast in",
      ["cargo", "test", "-q", "--offline"],
      "cargo test output",
      ["sh", "-c", 'exec "$@" 2>&1', "sh", "cargo", "test", "--no-fail-fast", "--offline"],
    ],
    [
      "libtest's own -q and --quiet, after --",
      ["cargo", "test", "--quiet", "--", "-q", "--exact", "t"],
      "cargo test output",
      ["sh", "-c", 'exec "$@" 2>&1', "sh", "cargo", "test", "--no-fail-fast", "--", "--exact", "t"],
    ],
    [
      "cargo t, cargo's alias of test",
      ["cargo", "t", "--offline"],
      "cargo test output",
      ["sh", "-c", 'exec "$@" 2>&1', "sh", "cargo", "t", "--no-fail-fast", "--offline"],
    ],
    [
      // A first failure stopped AVA (--fail-fast, or failFast: true in its config): an old failure
      // hid the new one on both sides (camelcase trial).
      "tap: its raw TAP to a file, beside the console's reporter, and every test run",
      ["npx", "tap", "--bail", "test/a.test.js"],
      "tap --output-file",
      ["npx", "tap", "--bail", "test/a.test.js", "--output-file=/r/tap.tap", "--no-bail"],
    ],
    [
      "tap run: the same",
      ["tap", "run", "-R", "terse"],
      "tap --output-file",
      ["tap", "run", "-R", "terse", "--output-file=/r/tap.tap", "--no-bail"],
    ],
    [
      "tap: the user's own --output-file is read, not replaced",
      ["tap", "-o", "out.tap"],
      "tap --output-file",
      ["tap", "-o", "out.tap", "--no-bail"],
    ],
    [
      "tap: the last of the user's output files, as tap reads them",
      ["tap", "-oa.tap", "-o", "b.tap"],
      "tap --output-file",
      ["tap", "-oa.tap", "-o", "b.tap", "--no-bail"],
    ],
    [
      "tap: the user's -oFILE too",
      ["tap", "-oout.tap", "test/"],
      "tap --output-file",
      ["tap", "-oout.tap", "test/", "--no-bail"],
    ],
    // Maven: Surefire's reports where it writes them; every module's tests run (a module whose
    // tests fail stopped the others, and -fae still skipped those that depend on it), -fae for
    // a module that does not build (a -ff of yours taken out), and Surefire never stops.
    [
      "mvn test: Surefire's reports, every module's tests",
      ["mvn", "-q", "test"],
      "Surefire XML reports",
      [
        "mvn",
        "-q",
        "test",
        "-fae",
        "-Dsurefire.skipAfterFailureCount=0",
        "-Dmaven.test.failure.ignore=true",
      ],
    ],
    [
      "./mvnw verify -ff: the fail-fast taken out",
      ["./mvnw", "-ff", "-pl", "core", "verify"],
      "Surefire XML reports",
      [
        "./mvnw",
        "-pl",
        "core",
        "verify",
        "-fae",
        "-Dsurefire.skipAfterFailureCount=0",
        "-Dmaven.test.failure.ignore=true",
      ],
    ],
    // A build that goes on to install or deploy is not told to go on past failing tests: it
    // would install (or deploy) a build whose tests failed, the baseline's too.
    [
      "mvn install: every module as far as Maven goes, nothing installed that failed",
      ["mvn", "-q", "clean", "install"],
      "Surefire XML reports",
      ["mvn", "-q", "clean", "install", "-fae", "-Dsurefire.skipAfterFailureCount=0"],
    ],
    [
      "mvn surefire:test, a plugin goal",
      ["mvn", "-Dtest=LibTest", "org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test"],
      "Surefire XML reports",
      [
        "mvn",
        "-Dtest=LibTest",
        "org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test",
        "-fae",
        "-Dsurefire.skipAfterFailureCount=0",
        "-Dmaven.test.failure.ignore=true",
      ],
    ],
    [
      "ava: TAP, and every test run",
      ["npx", "ava", "--fail-fast", "test/a.js"],
      "AVA TAP output",
      ["npx", "ava", "--fail-fast", "test/a.js", "--tap", "--no-fail-fast"],
    ],
    [
      "ava: the user's --tap stays, a node argument after -- stays last",
      ["npx", "ava", "-t", "--", "--flag"],
      "AVA TAP output",
      ["npx", "ava", "-t", "--no-fail-fast", "--", "--flag"],
    ],
    [
      "python -m unittest: -v last (it lists every test), one pipe",
      ["python3", "-m", "unittest"],
      "unittest -v output",
      [...oneStream, "python3", "-m", "unittest", "-v"],
    ],
    [
      "unittest discover, -q and -f given: failfast out, -v after -q",
      ["python3", "-m", "unittest", "discover", "-s", "tests", "-q", "-f"],
      "unittest -v output",
      [...oneStream, "python3", "-m", "unittest", "discover", "-s", "tests", "-q", "-v"],
    ],
    [
      "unittest: f among short flags goes, -k's value stays",
      ["uv", "run", "python", "-m", "unittest", "-bfc", "-k", "-f", "--failfast", "tests.test_x"],
      "unittest -v output",
      [
        ...oneStream,
        "uv",
        "run",
        "python",
        "-m",
        "unittest",
        "-bc",
        "-k",
        "-f",
        "tests.test_x",
        "-v",
      ],
    ],
  ];

  it.each(table)("%s", (_name, argv, source, rewritten) => {
    const result = plan({ argv });
    expect(result.kind).toBe("report");
    if (result.kind !== "report") return;
    expect(result.source).toBe(source);
    expect(result.argv).toEqual(rewritten);
    // Playwright names its report file in the environment, and never serves an html report.
    expect(result.env).toEqual(
      source.startsWith("playwright")
        ? {
            PLAYWRIGHT_JSON_OUTPUT_FILE: "/r/playwright.json",
            PLAYWRIGHT_JSON_OUTPUT_NAME: "/r/playwright.json",
            PLAYWRIGHT_HTML_OPEN: "never",
          }
        : {},
    );
  });

  it("--runner forces the profile the program matches", () => {
    expect(plan({ argv: ["npx", "vitest", "run"], runner: "vitest" })).toMatchObject({
      kind: "report",
    });
  });

  it("--junit PATH reads the user's file for any command, argv or shell, unchanged", () => {
    expect(plan({ argv: ["make", "check"], junitPath: "out/junit.xml" })).toMatchObject({
      kind: "report",
      source: "--junit out/junit.xml",
      argv: ["make", "check"],
    });
    expect(plan({ argv: [], shell: "npm test && echo done", junitPath: "j.xml" })).toMatchObject({
      kind: "report",
      source: "--junit j.xml",
    });
    expect(plan({ argv: ["npx", "vitest", "run"], junitPath: "j.xml" })).toMatchObject({
      argv: ["npx", "vitest", "run"],
    });
  });
});

describe("planReport: a --shell string of a runner, after build steps, gets the runner's report", () => {
  // node --test's flags, as for an argv: the spec reporter kept on stdout, culprit's added.
  const flags = `--test-reporter=spec --test-reporter-destination=stdout ${reporter.join(" ")}`;
  const table: Array<[string, string, string | null, string[] | undefined]> = [
    ["the runner alone", "node --test test/", `node ${flags} --test test/`, undefined],
    [
      "a glob stays the shell's",
      "node --test test/*.test.mjs",
      `node ${flags} --test test/*.test.mjs`,
      undefined,
    ],
    [
      "a variable for the runner, as the shell sets it",
      "FOO=1 node --test test/",
      `FOO=1 node ${flags} --test test/`,
      undefined,
    ],
    [
      "a build step first: classified as the whole string",
      "tsc -p . && node --test dist/",
      `tsc -p . && node ${flags} --test dist/`,
      ["sh", "-c", "tsc -p . && node --test dist/"],
    ],
    ["a pipe", "node --test test/ | cat", null, undefined],
    ["quotes", 'node --test "test dir/"', null, undefined],
    ["a step that is not a build", "eslint . && node --test test/", null, undefined],
    ["two commands with ;", "tsc; node --test test/", null, undefined],
    // The shell's && read by the splitter pnpm's check shares (package-scripts.ts): a word glued
    // to it is left to the shell, as before the two shared it.
    ["an && glued to a word", "tsc -p .&& node --test dist/", null, undefined],
  ];
  it.each(table)("%s", (_name, shell, expected, classifyAs) => {
    const planned = plan({ argv: [], shell });
    if (expected === null) {
      expect(planned).toMatchObject({
        kind: "none",
        why: expect.stringMatching(/^a shell command/),
      });
      return;
    }
    expect(planned).toMatchObject({
      kind: "report",
      source: "node --test events",
      shell: expected,
    });
    if (planned.kind === "report" && classifyAs) expect(planned.classifyAs).toEqual(classifyAs);
  });

  // Runners read from their log get `sh -c 'exec "$@" 2>&1' sh ARGV`: a variable before the
  // program goes before that sh, which passes it on (after it, exec ran `PYTHONPATH=src` as the
  // program: exit 127, UNRUNNABLE; hukkin/tomli trial).
  it.each([
    [
      "PYTHONPATH=src python3 -m unittest tests.test_m",
      "unittest -v output",
      `PYTHONPATH=src sh -c 'exec "$@" 2>&1' sh python3 -m unittest tests.test_m -v`,
    ],
    [
      "RUSTFLAGS=-Dwarnings A=1 cargo test",
      "cargo test output",
      `RUSTFLAGS=-Dwarnings A=1 sh -c 'exec "$@" 2>&1' sh cargo test --no-fail-fast`,
    ],
  ])("a variable before a runner read from its log: %s", (shell, source, expected) => {
    expect(plan({ argv: [], shell })).toMatchObject({ kind: "report", source, shell: expected });
  });
});

describe("planReport: `sh -c SCRIPT` as an argv is planned as --shell SCRIPT, run by that shell", () => {
  // As an argv, culprit judged it by its exit code only: an old failure beside a new one read
  // PRE-EXISTING where --shell, planned per test, said REGRESSION.
  const flags = `--test-reporter=spec --test-reporter-destination=stdout ${reporter.join(" ")}`;
  it.each([
    ["sh", "node --test test/", `node ${flags} --test test/`],
    ["/bin/bash", "tsc -p . && node --test dist/", `tsc -p . && node ${flags} --test dist/`],
  ])("%s -c %j", (shell, script, planned) => {
    const got = plan({ argv: [shell, "-c", script] });
    expect(got).toMatchObject({
      kind: "report",
      source: "node --test events",
      argv: [shell, "-c", planned],
    });
    expect(got.kind === "report" && got.shell).toBe(undefined);
  });
});

describe("planReport: judged by the exit code, and why", () => {
  const table: Array<[string, Partial<ReportRequest> & { argv: string[] }, RegExp]> = [
    [
      "a --shell string",
      { argv: [], shell: "npm test" },
      /^a shell command \(--shell, or sh -c\) is a script.*--junit PATH/,
    ],
    ["sh -c as an argv, a pipe", { argv: ["sh", "-c", "pytest -q | tee log"] }, /^a shell command/],
    [
      "sh -c with positional parameters",
      { argv: ["sh", "-c", 'pytest -q "$1"', "sh", "tests/"] },
      /^a shell command/,
    ],
    [
      "npm test",
      { argv: ["npm", "test"] },
      /^`npm` runs a script, where culprit cannot add a test report: pass --junit PATH/,
    ],
    ["npm run test", { argv: ["npm", "run", "test"] }, /^`npm` runs a script/],
    ["yarn test", { argv: ["yarn", "test"] }, /^`yarn` runs a script/],
    ["make", { argv: ["make", "check"] }, /^`make` runs a script/],
    [
      "an unknown program",
      { argv: ["./run-tests.sh"] },
      /^culprit knows no test report for `run-tests.sh`: pass --junit PATH/,
    ],
    [
      "--runner none",
      { argv: ["npx", "vitest"], runner: "none" },
      /^--runner none turns runner profiles off/,
    ],
    [
      "--runner for another program",
      { argv: ["npx", "vitest"], runner: "jest" },
      /^--runner jest does not match the program `vitest`/,
    ],
    [
      "node running a script",
      { argv: ["node", "test/check.js"] },
      /^`node` without --test runs a script/,
    ],
    [
      "node reporters that do not pair up",
      { argv: ["node", "--test", "--test-reporter=dot", "--test-reporter=spec"] },
      /do not pair up/,
    ],
    [
      "vitest with the user's --outputFile",
      { argv: ["vitest", "run", "--outputFile=x.json"] },
      /already sets --outputFile/,
    ],
    ["vitest bench", { argv: ["vitest", "bench"] }, /^`vitest bench` runs no tests/],
    ["tap replay", { argv: ["npx", "tap", "replay"] }, /^`tap replay` runs no tests/],
    ["mvn compile", { argv: ["mvn", "-P", "test", "compile"] }, /^`mvn compile` runs no tests/],
    ["mvn alone", { argv: ["mvn", "-q"] }, /^`mvn` without a phase or goal runs no tests/],
    [
      "jest --outputFile without --json",
      { argv: ["jest", "--outputFile=x.json"] },
      /sets --outputFile without --json/,
    ],
    [
      "pytest without its junitxml plugin",
      { argv: ["pytest", "-p", "no:junitxml"] },
      /junitxml plugin off/,
    ],
    [
      "libtest --format json",
      { argv: ["cargo", "test", "--", "--format", "json"] },
      /^`--format json` replaces the test lines/,
    ],
    [
      "cargo nextest",
      { argv: ["cargo", "nextest", "run"] },
      /^cargo nextest writes JUnit XML only when configured/,
    ],
    ["tsc", { argv: ["npx", "tsc", "--noEmit"] }, /^`tsc` builds, it runs no tests/],
  ];

  it.each(table)("%s", (_name, request, why) => {
    const result = plan(request);
    expect(result.kind).toBe("none");
    if (result.kind === "none") expect(result.why).toMatch(why);
  });
});

// A uvu test file run by plain node prints uvu's lines without the file line uvu's bin adds: the
// hint to use `node --test` was wrong for it; it names the uvu command that runs the file.
describe("planReport: node running a uvu test file as a script", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-node-uvu-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "test"));
  writeFileSync(join(dir, "test", "enc.test.js"), 'const { test } = require("uvu");\n');
  writeFileSync(join(dir, "test", "esm.test.mjs"), 'import { suite } from "uvu";\n');
  writeFileSync(join(dir, "check.js"), 'require("node:assert");\n');
  it.each([
    [
      ["node", "test/enc.test.js"],
      /^`node test\/enc\.test\.js` runs a uvu test file as a script.*\(`npx uvu test enc\.test\.js`\)/,
    ],
    [["node", "--", "test/esm.test.mjs"], /\(`npx uvu test esm\.test\.mjs`\)/],
    [["node", "check.js"], /^`node` without --test runs a script/],
    [["node", "not-there.js"], /^`node` without --test runs a script/],
  ])("%j", (argv, why) => {
    const planned = planReport({ cwd: dir, root: dir, reportDir: "/r", argv });
    expect(planned.kind).toBe("none");
    if (planned.kind === "none") expect(planned.why).toMatch(why);
  });
});

describe("planReport: a package script under a coverage wrapper (c8, nyc)", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-wrapped-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      scripts: {
        test: "mocha test/",
        "test-ci": "nyc --reporter=lcovonly --reporter=text npm test",
        "test-cov": "nyc --reporter=html npm test && echo done",
        loop: "nyc npm run loop",
      },
    }),
  );
  const at = (argv: string[]) => planReport({ cwd: dir, root: dir, reportDir: "/r", argv });
  const added = mochaAdded;
  it.each<[string, string[], string[] | null]>([
    [
      "nyc npm test",
      ["nyc", "--reporter=text", "npm", "test"],
      ["nyc", "--reporter=text", "npm", "test", "--", ...added],
    ],
    ["npx c8 npm test", ["npx", "c8", "npm", "test"], ["npx", "c8", "npm", "test", "--", ...added]],
    // npm hands the outer's args to the end of test-ci's script, where `npm test` needs its `--`.
    ["npm run test-ci", ["npm", "run", "test-ci"], ["npm", "run", "test-ci", "--", "--", ...added]],
    ["npm run test-ci with args of the user's", ["npm", "run", "test-ci", "--", "x"], null],
    ["a script with more than the wrapped script", ["npm", "run", "test-cov"], null],
    ["a script that runs itself: not followed for ever", ["npm", "run", "loop"], null],
  ])("%s", (_name, argv, expected) => {
    const planned = at(argv);
    if (expected === null) expect(planned.kind).toBe("none");
    else expect(planned).toMatchObject({ kind: "report", argv: expected });
  });
});

describe("planReport: npm, pnpm and yarn scripts, through the script's runner", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-npm-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scripts = {
    test: "mocha test/",
    unit: "vitest run --reporter=dot",
    env: "NODE_ENV=test mocha",
    chain: "tsc && mocha",
    built: "npm run build:types && mocha test/",
    bundled: "esbuild src/index.ts --bundle --outfile=dist/index.js && mocha test/",
    commented: "mocha test/ # the unit tests",
    crossEnv: "cross-env CI=1 mocha test/",
    lintFirst: "eslint . && mocha",
    runnerFirst: "mocha && tsc",
    background: "tsc & mocha",
    quoted: "mocha 'test/**/*.js'",
    expanded: 'mocha "$TESTS"',
    lint: "eslint .",
    tap: "tap --no-coverage",
    lab: "lab -t 100",
    uvu: "uvu tests",
    lintThenUvu: "eslint . && uvu tests",
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify({ scripts }));
  mkdirSync(join(dir, "test", "unit"), { recursive: true });
  const at = (argv: string[], cwd = dir) => planReport({ cwd, root: dir, reportDir: "/r", argv });
  // Through npm: after the `--` npm passes them on behind.
  const mocha = ["--", ...mochaAdded];

  const table: Array<[string, string[], string | null, string[] | RegExp]> = [
    ["npm test", ["npm", "test"], "mocha xunit, through npm test", ["npm", "test", ...mocha]],
    ["npm t", ["npm", "t"], "mocha xunit, through npm test", ["npm", "t", ...mocha]],
    [
      "the user's -- args stay, culprit's after them",
      ["npm", "test", "--", "--grep", "cart"],
      "mocha xunit, through npm test",
      ["npm", "test", "--", "--grep", "cart", ...mocha.slice(1)],
    ],
    [
      "npm run NAME with a vitest script",
      ["npm", "run", "unit"],
      "vitest --reporter=json, through npm run unit",
      [
        "npm",
        "run",
        "unit",
        "--",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    ["pnpm test", ["pnpm", "test"], "mocha xunit, through pnpm test", ["pnpm", "test", ...mocha]],
    [
      "pnpm test -- args: pnpm drops the --, culprit's after the user's",
      ["pnpm", "test", "--", "--grep", "cart"],
      "mocha xunit, through pnpm test",
      ["pnpm", "test", "--", "--grep", "cart", ...mocha.slice(1)],
    ],
    [
      "pnpm run NAME: at the end, as pnpm passes them on",
      ["pnpm", "run", "unit"],
      "vitest --reporter=json, through pnpm run unit",
      [
        "pnpm",
        "run",
        "unit",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    [
      "pnpm run NAME -- x: pnpm passes the -- on, after which no option is one",
      ["pnpm", "run", "unit", "--", "x"],
      null,
      /^`pnpm` runs a script/,
    ],
    ["pnpm test --silent: pnpm's own option", ["pnpm", "test", "--silent"], null, /`pnpm` runs/],
    [
      "yarn test",
      ["yarn", "test"],
      "mocha xunit, through yarn test",
      ["yarn", "test", ...mocha.slice(1)],
    ],
    [
      "yarn test -- args: yarn 1 drops the --",
      ["yarn", "test", "--", "--grep", "cart"],
      "mocha xunit, through yarn test",
      ["yarn", "test", "--", "--grep", "cart", ...mocha.slice(1)],
    ],
    [
      "yarn NAME",
      ["yarn", "unit"],
      "vitest --reporter=json, through yarn unit",
      [
        "yarn",
        "unit",
        "--reporter=json",
        "--outputFile.json=/r/vitest.json",
        "--includeTaskLocation",
        "--bail=0",
        "--run",
      ],
    ],
    ["yarn install is yarn's", ["yarn", "install"], null, /runs a script|knows no test report/],
    ["yarn access is yarn's", ["yarn", "access"], null, /runs a script|knows no test report/],
    [
      "yarn run with yarn's options before the name: not ours to guess",
      ["yarn", "run", "--silent", "test"],
      null,
      /runs a script|knows no test report/,
    ],
    [
      "a variable before the runner: the shell sets it, the options go at the end",
      ["npm", "run", "env"],
      "mocha xunit, through npm run env",
      ["npm", "run", "env", ...mocha],
    ],
    [
      "a build step, then the runner: npm appends to the runner",
      ["npm", "run", "chain"],
      "mocha xunit, through npm run chain",
      ["npm", "run", "chain", ...mocha],
    ],
    [
      "a build script, then the runner",
      ["npm", "run", "built"],
      "mocha xunit, through npm run built",
      ["npm", "run", "built", ...mocha],
    ],
    [
      "a linter first (it may stop the script): the script quoted",
      ["npm", "run", "lintFirst"],
      null,
      /^`npm run lintFirst` runs `eslint \. && mocha`, where culprit cannot add a test report \(it follows a script to one runner, after build steps only\): pass --junit PATH/,
    ],
    [
      "a bundler with --option=value first",
      ["npm", "run", "bundled"],
      "mocha xunit, through npm run bundled",
      ["npm", "run", "bundled", ...mocha],
    ],
    [
      "a # comment would take in the options",
      ["npm", "run", "commented"],
      null,
      /runs `.*`, where culprit cannot add a test report \(it follows a script to one runner, after build steps only\)/,
    ],
    [
      "cross-env",
      ["npm", "run", "crossEnv"],
      "mocha xunit, through npm run crossEnv",
      ["npm", "run", "crossEnv", ...mocha],
    ],
    [
      "the runner first (the options would go to tsc)",
      ["npm", "run", "runnerFirst"],
      null,
      /runs `.*`, where culprit cannot add a test report \(it follows a script to one runner, after build steps only\)/,
    ],
    [
      "a command in the background",
      ["npm", "run", "background"],
      null,
      /runs `.*`, where culprit cannot add a test report \(it follows a script to one runner, after build steps only\)/,
    ],
    [
      // A quoted glob (the runner's to expand): npm runs the script as written, with culprit's
      // options appended (ljharb/qs: `tape 'test/**/*.js'` was judged by its exit code).
      "a quoted word: the script runs as written",
      ["npm", "run", "quoted"],
      "mocha xunit, through npm run quoted",
      ["npm", "run", "quoted", ...mocha],
    ],
    [
      "a quote in double quotes with a $: the shell's business",
      ["npm", "run", "expanded"],
      null,
      /runs `.*`, where culprit cannot add a test report \(it follows a script to one runner, after build steps only\)/,
    ],
    ["npm's own options", ["npm", "test", "--silent"], null, /^`npm` runs a script/],
    ["no such script", ["npm", "run", "absent"], null, /^`npm` runs a script/],
    [
      "a script of no runner",
      ["npm", "run", "lint"],
      null,
      /^`npm run lint` runs `eslint \.`, where culprit cannot add a test report/,
    ],
    // node-semver's `npm test` was `tap`, before culprit read tap's TAP: the script said
    // nothing of it ("`npm` runs a script"). hapi's lab stands for such a runner now.
    [
      "a runner culprit has no report for",
      ["npm", "run", "lab"],
      null,
      /^`npm run lab` runs `lab -t 100`, where culprit cannot add a test report/,
    ],
    // Running lab itself is judged by its exit code too: "or run the test runner itself" sent
    // you there (and so it did for uvu, before culprit read uvu's output).
    [
      "a runner culprit has no report for: no hint to run it itself",
      ["npm", "run", "lab"],
      null,
      /^(?!.*run the test runner itself).*\(it has none for the programs it runs\): pass --junit PATH/,
    ],
    [
      "npm run NAME with a uvu script: uvu's output, the argv as typed",
      ["npm", "run", "uvu"],
      "uvu output, through npm run uvu",
      ["npm", "run", "uvu"],
    ],
    [
      "a linter, then uvu: run uvu itself",
      ["npm", "run", "lintThenUvu"],
      null,
      /^`npm run lintThenUvu` runs `eslint \. && uvu tests`, where .*: pass --junit PATH .*, or run the test runner itself$/,
    ],
    [
      "npm run NAME with a tap script",
      ["npm", "run", "tap"],
      "tap --output-file, through npm run tap",
      ["npm", "run", "tap", "--", "--output-file=/r/tap.tap", "--no-bail"],
    ],
  ];
  it.each(table)("%s", (_, argv, source, expected) => {
    const planned = at(argv);
    if (Array.isArray(expected)) {
      expect(planned).toMatchObject({ kind: "report", source, argv: expected });
    } else {
      expect(planned.kind).toBe("none");
      expect(planned.kind === "none" ? planned.why : "").toMatch(expected);
    }
  });

  it("a run is classified by the script's runner (mocha's 'No test files found')", () => {
    expect(at(["npm", "test", "--", "--grep", "cart"])).toMatchObject({
      classifyAs: ["mocha", "test/", "--grep", "cart"],
    });
  });

  it.each([
    ["a .yarnrc.yml beside the package", ".yarnrc.yml", "nodeLinker: node-modules\n", ""],
    [
      "a .yarnrc.yml at the monorepo's root",
      ".yarnrc.yml",
      "nodeLinker: node-modules\n",
      "packages/a",
    ],
    [
      "a packageManager of yarn 4 at the root",
      "package.json",
      '{"packageManager":"yarn@4.5.0"}',
      "packages/a",
    ],
  ])("yarn 2 and later (%s): judged by the exit code, as before", (_, name, content, sub) => {
    const berry = mkdtempSync(join(tmpdir(), "culprit-berry-"));
    try {
      mkdirSync(join(berry, sub), { recursive: true });
      writeFileSync(join(berry, name), content);
      writeFileSync(join(berry, sub, "package.json"), JSON.stringify({ scripts }));
      const cwd = join(berry, sub);
      const planned = planReport({ cwd, root: berry, reportDir: "/r", argv: ["yarn", "test"] });
      expect(planned.kind).toBe("none");
    } finally {
      rmSync(berry, { recursive: true, force: true });
    }
  });

  it("from a folder below the package: npm's package.json, found upwards", () => {
    expect(at(["npm", "test"], join(dir, "test", "unit"))).toMatchObject({
      kind: "report",
      argv: ["npm", "test", ...mocha],
    });
  });
});

describe("planReport: node --test through a package script: culprit's options in NODE_OPTIONS", () => {
  // node takes options only before the test files, where npm puts nothing: the options go in
  // NODE_OPTIONS (double-quoted where they hold a space, after the user's own).
  const dir = mkdtempSync(join(tmpdir(), "culprit-npm-node-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scripts = {
    test: "node --test test/",
    own: "NODE_OPTIONS=--no-warnings node --test test/",
    ts: "node --import tsx --test test/",
    dot: "node --test --test-reporter=dot test/",
    two: "node --test --test-reporter=dot --test-reporter=tap --test-reporter-destination=stdout test/",
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify({ scripts }));
  const reportDir = "/r/with space";
  const ours = [
    `"--test-reporter=/r/with space/culprit-node-reporter.mjs"`,
    `"--test-reporter-destination=/r/with space/node-tests.jsonl"`,
  ];
  const table: Array<[string, string[], string | undefined, string | null]> = [
    [
      "npm test",
      ["npm", "test"],
      undefined,
      ["--test-reporter=spec", "--test-reporter-destination=stdout", ...ours].join(" "),
    ],
    [
      "the user's NODE_OPTIONS first",
      ["npm", "test"],
      '--max-old-space-size=4096 --require "./my setup.js"',
      [
        '--max-old-space-size=4096 --require "./my setup.js"',
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        ...ours,
      ].join(" "),
    ],
    [
      "a loader: source maps too",
      ["npm", "run", "ts"],
      undefined,
      [
        "--enable-source-maps",
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        ...ours,
      ].join(" "),
    ],
    [
      "the script's own reporter keeps stdout (NODE_OPTIONS' reporters come first)",
      ["npm", "run", "dot"],
      undefined,
      [...ours, "--test-reporter-destination=stdout"].join(" "),
    ],
    ["two reporters, one destination: not ours to pair", ["npm", "run", "two"], undefined, null],
    [
      "the script's own NODE_OPTIONS= would replace culprit's",
      ["npm", "run", "own"],
      undefined,
      null,
    ],
  ];
  it.each(table)("%s", (_, argv, own, expected) => {
    const saved = process.env["NODE_OPTIONS"];
    if (own === undefined) delete process.env["NODE_OPTIONS"];
    else process.env["NODE_OPTIONS"] = own;
    try {
      const planned = planReport({ cwd: dir, root: dir, reportDir, argv });
      if (expected === null) {
        expect(planned.kind).toBe("none");
        return;
      }
      expect(planned).toMatchObject({
        kind: "report",
        argv,
        env: { NODE_OPTIONS: expected },
      });
      if (planned.kind === "report")
        expect(planned.source).toMatch(/^node --test events, through /);
    } finally {
      if (saved === undefined) delete process.env["NODE_OPTIONS"];
      else process.env["NODE_OPTIONS"] = saved;
    }
  });
});

describe("planReport: npm's -w, the script of one workspace", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-npm-ws-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ workspaces: ["packages/*", "tools/lint"], scripts: { test: "eslint ." } }),
  );
  for (const [folder, name] of <[string, string][]>[
    ["packages/cart", "cart"],
    ["packages/shop", "@acme/shop"],
    ["tools/lint", "lint"],
  ]) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(
      join(dir, folder, "package.json"),
      JSON.stringify({ name, scripts: { test: "mocha test/" } }),
    );
  }
  const mocha = mochaAdded;
  const table: Array<[string, string[], string, string | null]> = [
    ["-w NAME", ["npm", "test", "-w", "cart"], "", "npm test -w cart"],
    ["-w a scoped NAME", ["npm", "test", "-w", "@acme/shop"], "", "npm test -w @acme/shop"],
    [
      "--workspace=PATH",
      ["npm", "test", "--workspace=packages/cart"],
      "",
      "npm test -w packages/cart",
    ],
    ["-w ./PATH", ["npm", "run", "test", "-w", "./tools/lint"], "", "npm run test -w ./tools/lint"],
    [
      "-w . in the workspace's folder",
      ["npm", "test", "-w", "."],
      "packages/cart",
      "npm test -w .",
    ],
    [
      "a PATH is read from cwd, as npm does",
      ["npm", "test", "-w", "packages/cart"],
      "packages/cart",
      null,
    ],
    ["no such workspace", ["npm", "test", "-w", "nope"], "", null],
    ["every workspace", ["npm", "test", "--workspaces"], "", null],
    ["two workspaces", ["npm", "test", "-w", "cart", "-w", "lint"], "", null],
    ["another option of npm's", ["npm", "test", "-w", "cart", "--silent"], "", null],
  ];
  it.each(table)("%s", (_, argv, folder, shown) => {
    const planned = planReport({ cwd: join(dir, folder), root: dir, reportDir: "/r", argv });
    if (shown === null) {
      expect(planned.kind).toBe("none");
      return;
    }
    expect(planned).toMatchObject({ kind: "report", source: `mocha xunit, through ${shown}` });
    if (planned.kind === "report") expect(planned.argv).toEqual([...argv, "--", ...mocha]);
  });
});

describe("planReport: pnpm's --filter and -C, yarn 1's workspace: one package chosen up front", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-pnpm-ws-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "pnpm-workspace.yaml"),
    "# the packages\npackages:\n  - 'packages/*'\n  - \"tools/lint\" # one folder\n  - '!**/fixtures/**'\n",
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ private: true, workspaces: ["packages/*"], scripts: { test: "eslint ." } }),
  );
  for (const [folder, name] of <[string, string][]>[
    ["packages/cart", "cart"],
    ["packages/shop", "@acme/shop"],
    ["tools/lint", "lint"],
  ]) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(
      join(dir, folder, "package.json"),
      JSON.stringify({
        name,
        // yarn 1 takes a workspace only with a version: @acme/shop has none.
        ...(name === "@acme/shop" ? {} : { version: "1.0.0" }),
        scripts: { test: "mocha test/", unit: "mocha test/unit" },
      }),
    );
  }
  const mocha = mochaAdded;
  const table: Array<[string, string[], string | null, string[] | null]> = [
    ["pnpm --filter NAME", ["pnpm", "--filter", "cart", "test"], "pnpm --filter cart test", ["--"]],
    [
      "pnpm -F a scoped NAME",
      ["pnpm", "-F", "@acme/shop", "test"],
      "pnpm -F @acme/shop test",
      ["--"],
    ],
    ["pnpm --filter=NAME", ["pnpm", "--filter=lint", "test"], "pnpm --filter=lint test", ["--"]],
    [
      "pnpm -F ./PATH run NAME",
      ["pnpm", "-F", "./packages/cart", "run", "unit"],
      "pnpm -F ./packages/cart run unit",
      [],
    ],
    ["pnpm -C PATH", ["pnpm", "-C", "packages/shop", "test"], "pnpm -C packages/shop test", ["--"]],
    ["a glob chooses a set", ["pnpm", "-F", "@acme/*", "test"], null, null],
    ["a package and its dependents", ["pnpm", "-F", "cart...", "test"], null, null],
    ["every package", ["pnpm", "-r", "test"], null, null],
    ["two filters", ["pnpm", "-F", "cart", "-F", "lint", "test"], null, null],
    ["no such package", ["pnpm", "-F", "nope", "test"], null, null],
    ["yarn workspace NAME", ["yarn", "workspace", "cart", "test"], "yarn workspace cart test", []],
    ["yarn workspace, no such NAME", ["yarn", "workspace", "nope", "test"], null, null],
    ["yarn workspace, no version", ["yarn", "workspace", "@acme/shop", "test"], null, null],
    [
      "yarn workspace, a -- yarn passes on",
      ["yarn", "workspace", "cart", "test", "--", "x"],
      null,
      null,
    ],
  ];
  it.each(table)("%s", (_, argv, shown, dashes) => {
    const planned = planReport({ cwd: dir, root: dir, reportDir: "/r", argv });
    if (shown === null || dashes === null) {
      expect(planned.kind).toBe("none");
      return;
    }
    expect(planned).toMatchObject({ kind: "report", source: `mocha xunit, through ${shown}` });
    if (planned.kind === "report") expect(planned.argv).toEqual([...argv, ...dashes, ...mocha]);
  });
});

describe("planReport: a workspace as the managers find it, or none", () => {
  // Checked against npm 11, pnpm 9 and yarn 1: the package each runs, or its refusal.
  const dir = mkdtempSync(join(tmpdir(), "culprit-ws-edge-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, value: unknown) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), typeof value === "string" ? value : JSON.stringify(value));
  };
  const scripts = { test: "mocha test/" };
  write("package.json", { workspaces: ["packages/*", "!packages/old"], scripts });
  write("pnpm-workspace.yaml", "packages:\n  - packages/*\n  - '!**/old/**'\n");
  write("packages/a/package.json", { name: "b", version: "1.0.0", scripts });
  write("packages/b/package.json", { name: "a", version: "1.0.0", scripts });
  write("packages/old/package.json", { name: "old", version: "1.0.0", scripts });
  write("packages/empty/.keep", "");
  write("tools/x/package.json", { name: "x", scripts });
  const at = (argv: string[], folder = "") =>
    planReport({ cwd: join(dir, folder), root: dir, reportDir: "/r", argv });
  const table: Array<[string, string[], string, string | null]> = [
    [
      "npm: a value that is one package's folder and another's name runs both",
      ["npm", "test", "-w", "a"],
      "packages",
      null,
    ],
    ["npm: a name", ["npm", "test", "-w", "old"], "", null],
    ["npm: from a package that is no workspace, none", ["npm", "test", "-w", "a"], "tools/x", null],
    [
      "npm: from a workspace, its project's",
      ["npm", "test", "-w", "a"],
      "packages/a",
      "npm test -w a",
    ],
    [
      "pnpm: a bare value is a name, not a folder",
      ["pnpm", "-F", "a", "test"],
      "packages",
      "pnpm -F a test",
    ],
    ["pnpm: a ! pattern excludes", ["pnpm", "-F", "old", "test"], "", null],
    [
      "pnpm: ./PATH is from where pnpm runs, not -C's folder",
      ["pnpm", "-C", "packages/b", "-F", "./packages/a", "test"],
      "",
      "pnpm -C packages/b -F ./packages/a test",
    ],
    [
      "pnpm -C a folder without package.json: none above it",
      ["pnpm", "-C", "packages/empty", "test"],
      "",
      null,
    ],
  ];
  it.each(table)("%s", (_, argv, folder, shown) => {
    const planned = at(argv, folder);
    if (shown === null) expect(planned.kind).toBe("none");
    else expect(planned).toMatchObject({ kind: "report", source: `mocha xunit, through ${shown}` });
  });

  it("the folder chosen is the one whose script is read", () => {
    write("packages/b/package.json", {
      name: "a",
      version: "1.0.0",
      scripts: { test: "vitest run" },
    });
    try {
      expect(at(["pnpm", "-F", "a", "test"], "packages")).toMatchObject({
        source: "vitest --reporter=json, through pnpm -F a test",
      });
    } finally {
      write("packages/b/package.json", { name: "a", version: "1.0.0", scripts });
    }
  });
});

describe("planReport: node --test through npm, where NODE_OPTIONS would not reach it", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-npmrc-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ scripts: { test: "node --test test/" } }),
  );
  const plan = () => planReport({ cwd: dir, root: dir, reportDir: "/r", argv: ["npm", "test"] });
  const withEnv = (name: string, value: string, check: () => void) => {
    const saved = process.env[name];
    process.env[name] = value;
    try {
      check();
    } finally {
      if (saved === undefined) delete process.env[name];
      else process.env[name] = saved;
    }
  };
  it("an .npmrc that sets node-options (npm gives the script that instead)", () => {
    expect(plan().kind).toBe("report");
    writeFileSync(join(dir, ".npmrc"), "node-options=--max-old-space-size=2048\n");
    try {
      expect(plan().kind).toBe("none");
    } finally {
      rmSync(join(dir, ".npmrc"));
    }
  });
  it("npm_config_node_options in the environment", () =>
    withEnv("npm_config_node_options", "--no-warnings", () => expect(plan().kind).toBe("none")));
  it("a reporter of the user's in NODE_OPTIONS (it would not pair with culprit's)", () =>
    withEnv("NODE_OPTIONS", "--test-reporter=dot", () => expect(plan().kind).toBe("none")));
});

describe("packageScriptWords: a script with build steps is classified as the shell runs it", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-npm-steps-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ scripts: { test: "tsc -p . && node --test dist/", plain: "mocha" } }),
  );
  it("the whole script, as sh -c, so that a build that fails could not run the tests", () => {
    expect(packageScriptWords(["npm", "test", "--", "x"], dir, dir)).toEqual([
      "sh",
      "-c",
      "tsc -p . && node --test dist/ x",
    ]);
    expect(packageScriptRunner(["npm", "test", "--", "x"], dir, dir)).toEqual([
      "node",
      "--test",
      "dist/",
      "x",
    ]);
  });
  it("a script of the runner alone: its words", () => {
    expect(packageScriptWords(["npm", "run", "plain"], dir, dir)).toEqual(["mocha"]);
  });
});

describe("planReport: cross-env reparses its arguments", () => {
  const dir = mkdtempSync(join(tmpdir(), "culprit-cross-env-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ scripts: { test: "cross-env CI=1 mocha" } }),
  );
  it("a report path with a quote or a backslash would reach mocha changed: not followed", () => {
    for (const reportDir of ["/r/o'neil", "/r/back\\slash"]) {
      expect(planReport({ cwd: dir, root: dir, reportDir, argv: ["npm", "test"] }).kind).toBe(
        "none",
      );
    }
    expect(
      planReport({ cwd: dir, root: dir, reportDir: "/r/plain", argv: ["npm", "test"] }).kind,
    ).toBe("report");
  });
});

describe("planReport: vitest's --includeTaskLocation only where vitest has it", () => {
  // vitest 1 and 2 have the setting but not its option, and stop on it (`CACError: Unknown
  // option`): every run of reduxjs/redux-thunk's vitest 1.6 read "could not run".
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const project = (version: string | null) => {
    const dir = mkdtempSync(join(tmpdir(), "culprit-vitest-version-"));
    dirs.push(dir);
    if (version !== null) {
      mkdirSync(join(dir, "node_modules", "vitest"), { recursive: true });
      writeFileSync(
        join(dir, "node_modules", "vitest", "package.json"),
        JSON.stringify({ version }),
      );
    }
    mkdirSync(join(dir, "packages", "a"), { recursive: true });
    return dir;
  };
  it.each([
    ["1.6.1", false],
    ["2.1.9", false],
    ["3.0.0", true],
    ["4.1.12", true],
    // Not installed where culprit can see (a global vitest, npx's download): today's vitest.
    [null, true],
  ])("vitest %s: %s", (version, located) => {
    const dir = project(version);
    // Found from a folder below the one that holds node_modules, as node resolves it.
    const planned = planReport({
      cwd: join(dir, "packages", "a"),
      root: dir,
      reportDir: "/r",
      argv: ["npx", "vitest", "run"],
    });
    expect(planned.kind).toBe("report");
    const argv = (planned as { argv: string[] }).argv;
    expect(argv.includes("--includeTaskLocation")).toBe(located);
    expect(argv).toContain("--outputFile.json=/r/vitest.json");
  });
});
