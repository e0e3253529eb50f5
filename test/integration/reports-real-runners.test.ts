import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  planReport,
  type ReportPlan,
  type ReportReading,
  type ReportRequest,
  type RunResult,
  runCommand,
  type TestCaseResult,
} from "../../src/run/index.js";
import {
  cargoFiles,
  createRunnerProject,
  goFiles,
  jestFiles,
  mochaFiles,
  nodeTestFiles,
  pytestFiles,
  type RunnerProject,
  runnerMissing,
  vitestFiles,
} from "../repos/runner-projects.js";

// Each real runner runs the command as planReport rewrites it, twice, in a throwaway project
// (all runners at once, in beforeAll); the tests then check what was read from each run.

interface Expected {
  id: string;
  name: string;
  status: TestCaseResult["status"];
  file: string | null;
  line: number | null;
  /** A part of the failure message. */
  message?: string;
}

interface Case {
  title: string;
  runner: string;
  files: Record<string, string>;
  argv: string[];
  source: string;
  expected: Expected[];
}

const cases: Case[] = [
  {
    title: "vitest (npx vitest run)",
    runner: "vitest",
    files: vitestFiles,
    argv: ["npx", "vitest", "run"],
    source: "vitest --reporter=json",
    expected: [
      {
        id: "test/cart.test.js::cart > total > adds",
        name: "cart > total > adds",
        status: "pass",
        file: "test/cart.test.js",
        line: 4,
      },
      {
        id: "test/cart.test.js::cart > total > rounds",
        name: "cart > total > rounds",
        status: "fail",
        file: "test/cart.test.js",
        line: 5,
        message: "AssertionError: expected 3 to be 2",
      },
      {
        id: "test/cart.test.js::cart > later",
        name: "cart > later",
        status: "skip",
        file: "test/cart.test.js",
        line: 7,
      },
      {
        id: "test/parse.test.js::parses",
        name: "parses",
        status: "pass",
        file: "test/parse.test.js",
        line: 2,
      },
      {
        id: "test/parse.test.js::breaks",
        name: "breaks",
        status: "fail",
        file: "test/parse.test.js",
        line: 3,
        message: "Error: bad input\nsecond line",
      },
    ],
  },
  {
    title: "jest (node node_modules/jest/bin/jest.js)",
    runner: "jest",
    files: jestFiles,
    argv: ["node", "node_modules/jest/bin/jest.js"],
    source: "jest --json",
    expected: [
      {
        id: "test/cart.test.js::cart > total > adds",
        name: "cart > total > adds",
        status: "pass",
        file: "test/cart.test.js",
        line: 3,
      },
      {
        id: "test/cart.test.js::cart > total > rounds",
        name: "cart > total > rounds",
        status: "fail",
        file: "test/cart.test.js",
        line: 4,
        message:
          "expect(received).toBe(expected) // Object.is equality\n\nExpected: 2\nReceived: 3",
      },
      {
        id: "test/cart.test.js::cart > later",
        name: "cart > later",
        status: "skip",
        file: "test/cart.test.js",
        line: 6,
      },
      {
        id: "test/parse.test.js::parses",
        name: "parses",
        status: "pass",
        file: "test/parse.test.js",
        line: 1,
      },
      {
        id: "test/parse.test.js::breaks",
        name: "breaks",
        status: "fail",
        file: "test/parse.test.js",
        line: 2,
        message: "Error: bad input\nsecond line",
      },
    ],
  },
  ...[
    ["mocha (node node_modules/.bin/mocha)", ["node", "node_modules/.bin/mocha", "test/"]],
    ["mocha (node_modules/.bin/mocha)", ["node_modules/.bin/mocha", "test/"]],
  ].map(
    ([title, argv]): Case => ({
      title: title as string,
      runner: "mocha",
      files: mochaFiles,
      argv: argv as string[],
      source: "mocha xunit",
      // mocha's xunit has no lines: each is the line of the test's `it("title"` in its file.
      expected: [
        {
          id: "test/cart.spec.js::cart total > adds",
          name: "cart total > adds",
          status: "pass",
          file: "test/cart.spec.js",
          line: 4,
        },
        {
          id: "test/cart.spec.js::cart total > rounds",
          name: "cart total > rounds",
          status: "fail",
          file: "test/cart.spec.js",
          line: 5,
          message: "Expected values to be strictly equal:\n\n3 !== 2",
        },
        {
          id: "test/cart.spec.js::cart > later",
          name: "cart > later",
          status: "skip",
          file: "test/cart.spec.js",
          line: 7,
        },
        {
          id: "test/parse.spec.js::parses",
          name: "parses",
          status: "pass",
          file: "test/parse.spec.js",
          line: 2,
        },
        {
          id: "test/parse.spec.js::breaks",
          name: "breaks",
          status: "fail",
          file: "test/parse.spec.js",
          line: 3,
          message: "bad input\nsecond line",
        },
      ],
    }),
  ),
  {
    title: "node --test",
    runner: "node",
    files: nodeTestFiles,
    argv: ["node", "--test", "test/"],
    source: "node --test events",
    expected: [
      {
        id: "test/cart.test.mjs::cart > total > adds",
        name: "cart > total > adds",
        status: "pass",
        file: "test/cart.test.mjs",
        line: 5,
      },
      {
        id: "test/cart.test.mjs::cart > total > rounds",
        name: "cart > total > rounds",
        status: "fail",
        file: "test/cart.test.mjs",
        line: 6,
        message: "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n3 !== 2",
      },
      {
        id: "test/cart.test.mjs::cart > later",
        name: "cart > later",
        status: "skip",
        file: "test/cart.test.mjs",
        line: 8,
      },
      {
        id: "test/parse.test.mjs::parses",
        name: "parses",
        status: "pass",
        file: "test/parse.test.mjs",
        line: 3,
      },
      {
        id: "test/parse.test.mjs::breaks",
        name: "breaks",
        status: "fail",
        file: "test/parse.test.mjs",
        line: 4,
        message: "Error: bad input\nsecond line",
      },
    ],
  },
  {
    title: "pytest (python3 -m pytest)",
    runner: "pytest",
    files: pytestFiles,
    argv: ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
    source: "pytest junitxml",
    expected: [
      {
        id: "tests/test_cart.py::TestTotal::test_adds",
        name: "tests/test_cart.py::TestTotal::test_adds",
        status: "pass",
        file: "tests/test_cart.py",
        line: 5,
      },
      {
        id: "tests/test_cart.py::TestTotal::test_rounds",
        name: "tests/test_cart.py::TestTotal::test_rounds",
        status: "fail",
        file: "tests/test_cart.py",
        line: 8,
        message: "assert 3 == 2",
      },
      {
        id: "tests/test_cart.py::TestTotal::test_later",
        name: "tests/test_cart.py::TestTotal::test_later",
        status: "skip",
        file: "tests/test_cart.py",
        line: 11,
      },
      {
        id: "tests/test_parse.py::test_parses[1]",
        name: "tests/test_parse.py::test_parses[1]",
        status: "pass",
        file: "tests/test_parse.py",
        line: 4,
      },
      {
        id: "tests/test_parse.py::test_parses[x]",
        name: "tests/test_parse.py::test_parses[x]",
        status: "fail",
        file: "tests/test_parse.py",
        line: 4,
        message: "AssertionError: bad input 'x'",
      },
    ],
  },
  {
    // pytest writes the escape character as the text "#x1B" in its JUnit (XML 1.0 cannot hold
    // it): a project's addopts = --color=yes gave messages full of "#x1B[91m" (humanize trial).
    title: "pytest --color=yes: its coloured diff without the colour codes",
    runner: "pytest",
    files: {
      "tests/test_ordinal.py": 'def test_ordinal():\n    assert "11th" == "13th"\n',
    },
    argv: ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=yes", "tests"],
    source: "pytest junitxml",
    expected: [
      {
        id: "tests/test_ordinal.py::test_ordinal",
        name: "tests/test_ordinal.py::test_ordinal",
        status: "fail",
        file: "tests/test_ordinal.py",
        line: 1,
        message: "AssertionError: assert '11th' == '13th'\n\n  - 13th\n  ?  ^\n  + 11th",
      },
    ],
  },
  {
    // An error in a fixture: pytest's message begins with the file, the line and the def, which
    // is all a report shows; the cause comes after (humanize trial: "fixture 'benchmark' not
    // found" was not shown).
    title: "pytest, a fixture that does not exist: the cause first",
    runner: "pytest",
    files: { "tests/test_fixture.py": "def test_needs(nosuchfixture):\n    assert 1\n" },
    argv: ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
    source: "pytest junitxml",
    expected: [
      {
        id: "tests/test_fixture.py::test_needs",
        name: "tests/test_fixture.py::test_needs",
        status: "fail",
        file: "tests/test_fixture.py",
        line: 1,
        message: "failed on setup: fixture 'nosuchfixture' not found\nfailed on setup with",
      },
    ],
  },
  {
    title: "cargo test",
    runner: "cargo",
    files: cargoFiles,
    // --show-output: libtest then prints the passing tests' output too, under "successes:".
    argv: ["cargo", "test", "--offline", "--no-fail-fast", "--", "--show-output"],
    source: "cargo test output",
    expected: [
      {
        id: "src/lib.rs (fixture)::tests::adds",
        name: "src/lib.rs > tests::adds",
        status: "pass",
        file: null,
        line: null,
      },
      {
        id: "src/lib.rs (fixture)::tests::rounds",
        name: "src/lib.rs > tests::rounds",
        status: "fail",
        file: "src/lib.rs",
        line: 21,
        message: "assertion `left == right` failed: one plus two\n  left: 3\n right: 4",
      },
      {
        id: "src/lib.rs (fixture)::tests::later",
        name: "src/lib.rs > tests::later",
        status: "skip",
        file: null,
        line: null,
      },
      {
        id: "src/lib.rs (fixture)::tests::panics",
        name: "src/lib.rs > tests::panics",
        status: "pass",
        file: null,
        line: null,
      },
      {
        // A doc test's id leaves out its line, which edits above it move.
        id: "doc-tests (fixture)::src/lib.rs - add",
        name: "doc-tests fixture > src/lib.rs - add (line 3)",
        status: "pass",
        file: null,
        line: null,
      },
      {
        id: "tests/parse.rs (parse)::adds",
        name: "tests/parse.rs > adds",
        status: "pass",
        file: null,
        line: null,
      },
      {
        id: "tests/parse.rs (parse)::breaks",
        name: "tests/parse.rs > breaks",
        status: "fail",
        file: "tests/parse.rs",
        line: 8,
        message: "bad input\nsecond line",
      },
    ],
  },
  {
    title: "go test",
    runner: "go",
    files: goFiles,
    argv: ["go", "test", "./..."],
    source: "go test -json",
    expected: [
      {
        id: "example.com/fixture::TestTotal/adds",
        name: "example.com/fixture > TestTotal/adds",
        status: "pass",
        file: null,
        line: null,
      },
      {
        id: "example.com/fixture::TestTotal/rounds",
        name: "example.com/fixture > TestTotal/rounds",
        status: "fail",
        file: null,
        line: null,
        message: "got 3, want 2",
      },
      {
        id: "example.com/fixture::TestLater",
        name: "example.com/fixture > TestLater",
        status: "skip",
        file: null,
        line: null,
      },
      {
        id: "example.com/fixture::TestParses",
        name: "example.com/fixture > TestParses",
        status: "pass",
        file: null,
        line: null,
      },
      {
        id: "example.com/fixture::TestBreaks",
        name: "example.com/fixture > TestBreaks",
        status: "fail",
        file: null,
        line: null,
        message: "bad input",
      },
    ],
  },
];

interface Outcome {
  plan: ReportPlan;
  reportDir: string;
  runs: Array<{ result: RunResult; reading: ReportReading }>;
}

const projects: RunnerProject[] = [];
const scratch: string[] = [];
const outcomes = new Map<string, Outcome>();

async function freshDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "culprit-report-")));
  scratch.push(dir);
  return dir;
}

/** Plans, prepares, runs and reads one run of `argv` in `cwd`, as the machine will. */
async function runOnce(
  request: Omit<ReportRequest, "reportDir">,
): Promise<{ plan: ReportPlan; reportDir: string; result: RunResult; reading: ReportReading }> {
  const reportDir = await freshDir();
  const plan = planReport({ ...request, reportDir });
  if (plan.kind !== "report")
    throw new Error(`no report for ${request.argv.join(" ")}: ${plan.why}`);
  await plan.prepare();
  const startedAt = Date.now();
  const result = await runCommand({
    argv: plan.argv,
    classifyAs: request.argv,
    cwd: request.cwd,
    env: { ...plan.env, FORCE_COLOR: "1" },
    timeoutMs: 240_000,
    killAfterMs: 2_000,
    logPath: join(reportDir, "run.log"),
  });
  const reading = await plan.read({
    startedAt,
    logPath: result.logPath,
    tail: result.tail,
    exitCode: result.exitCode,
  });
  return { plan, reportDir, result, reading };
}

async function runCase(test: Case): Promise<void> {
  const project = createRunnerProject(test.runner, test.files);
  projects.push(project);
  const request = { argv: test.argv, cwd: project.dir, root: project.dir };
  const first = await runOnce(request);
  const second = await runOnce(request);
  outcomes.set(test.title, {
    plan: first.plan,
    reportDir: first.reportDir,
    runs: [first, second].map(({ result, reading }) => ({ result, reading })),
  });
}

const available = cases.filter((test) => {
  const missing = runnerMissing(test.runner);
  if (missing !== null) console.log(`skipped: ${test.title}: ${missing}`);
  return missing === null;
});

// Reports the user's own options write, and runs with no tests or a file that cannot load.
interface Edge {
  title: string;
  runner: string;
  files: Record<string, string>;
  argv: string[];
  junitPath?: string;
}

const edges: Edge[] = [
  {
    title: "pytest --junitxml=report.xml: culprit reads the user's file",
    runner: "pytest",
    files: pytestFiles,
    argv: [
      "python3",
      "-m",
      "pytest",
      "-q",
      "-p",
      "no:cacheprovider",
      "--junitxml=report.xml",
      "tests",
    ],
  },
  {
    title: "--junit results.xml written by mocha's xunit reporter",
    runner: "mocha",
    files: mochaFiles,
    argv: [
      "node_modules/.bin/mocha",
      "--reporter",
      "xunit",
      "--reporter-option",
      "output=results.xml",
      "test/",
    ],
    junitPath: "results.xml",
  },
  {
    title: "--junit junit.xml written by vitest's junit reporter",
    runner: "vitest",
    files: vitestFiles,
    argv: ["npx", "vitest", "run", "--reporter=junit", "--outputFile.junit=junit.xml"],
    junitPath: "junit.xml",
  },
  {
    title: "--junit junit.xml written by node's junit reporter",
    runner: "node",
    files: nodeTestFiles,
    argv: [
      "node",
      "--test",
      "--test-reporter=junit",
      "--test-reporter-destination=junit.xml",
      "test/",
    ],
    junitPath: "junit.xml",
  },
  {
    title: "node --test with a test file that does not exist",
    runner: "node",
    files: nodeTestFiles,
    argv: ["node", "--test", "test/new.test.mjs"],
  },
  {
    title: "vitest with a test file that cannot load",
    runner: "vitest",
    files: {
      ...vitestFiles,
      "test/broken.test.js":
        'import "./nothere.js";\nimport { it } from "vitest";\nit("never", () => {});\n',
    },
    argv: ["npx", "vitest", "run", "test/broken.test.js", "test/parse.test.js"],
  },
  {
    title: "pytest with a test module that cannot be imported",
    runner: "pytest",
    files: {
      ...pytestFiles,
      "tests/test_broken.py": "import nothere\n\n\ndef test_x():\n    pass\n",
    },
    argv: ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
  },
  {
    title: "pytest collecting no test",
    runner: "pytest",
    files: { ...pytestFiles, "empty/README": "no tests here\n" },
    argv: ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "empty"],
  },
];

interface EdgeOutcome {
  project: RunnerProject;
  plan: ReportPlan;
  result: RunResult;
  reading: ReportReading;
  /** A second read after a second prepare, without a run in between. */
  reread: ReportReading;
}

const edgeOutcomes = new Map<string, EdgeOutcome>();

// A test file the baseline lacks: the rewritten command must still be "cannot run" (the reporter
// flags must not hide the runner's message), so that culprit tries a selective revert.
const newFile: Array<[string, string, Record<string, string>, string[]]> = [
  ["vitest", "vitest", vitestFiles, ["npx", "vitest", "run", "test/new.test.js"]],
  ["jest", "jest", jestFiles, ["node", "node_modules/jest/bin/jest.js", "test/new.test.js"]],
  ["mocha", "mocha", mochaFiles, ["node", "node_modules/.bin/mocha", "test/new.spec.js"]],
  ["node --test", "node", nodeTestFiles, ["node", "--test", "test/new.test.mjs"]],
  ["pytest", "pytest", pytestFiles, ["python3", "-m", "pytest", "-q", "tests/test_new.py"]],
  ["cargo test", "cargo", cargoFiles, ["cargo", "test", "--offline", "--test", "new"]],
];
const newFileOutcomes = new Map<string, { result: RunResult; reading: ReportReading }>();

async function runNewFile([title, runner, files, argv]: (typeof newFile)[number]): Promise<void> {
  const project = createRunnerProject(runner, files);
  projects.push(project);
  const { result, reading } = await runOnce({ argv, cwd: project.dir, root: project.dir });
  newFileOutcomes.set(title, { result, reading });
}

const availableNewFile = newFile.filter(([title, runner]) => {
  const missing = runnerMissing(runner);
  if (missing !== null) console.log(`skipped: ${title} with a missing test file: ${missing}`);
  return missing === null;
});

async function runEdge(edge: Edge): Promise<void> {
  const project = createRunnerProject(edge.runner, edge.files);
  projects.push(project);
  const request = {
    argv: edge.argv,
    cwd: project.dir,
    root: project.dir,
    ...(edge.junitPath !== undefined ? { junitPath: edge.junitPath } : {}),
  };
  const { plan, result, reading } = await runOnce(request);
  if (plan.kind !== "report") throw new Error("no plan");
  await plan.prepare();
  const reread = await plan.read({
    startedAt: Date.now(),
    logPath: result.logPath,
    tail: result.tail,
    exitCode: result.exitCode,
  });
  edgeOutcomes.set(edge.title, { project, plan, result, reading, reread });
}

const availableEdges = edges.filter((edge) => {
  const missing = runnerMissing(edge.runner);
  if (missing !== null) console.log(`skipped: ${edge.title}: ${missing}`);
  return missing === null;
});

beforeAll(async () => {
  await Promise.all([
    ...available.map(runCase),
    ...availableEdges.map(runEdge),
    ...availableNewFile.map(runNewFile),
  ]);
}, 600_000);

afterAll(async () => {
  for (const project of projects) project.cleanup();
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

function testsOf(reading: ReportReading): TestCaseResult[] {
  if (!reading.ok) throw new Error(`no report: ${reading.why}`);
  return reading.report.tests;
}

describe.each(cases)("$title", (test) => {
  const skip = !available.includes(test);

  it.skipIf(skip)("reads every test of the run: id, name, file, line, status, message", () => {
    const outcome = outcomes.get(test.title)!;
    const first = outcome.runs[0]!;
    expect(first.result.outcome).toBe("fail");
    if (!first.reading.ok) throw new Error(first.reading.why);
    expect(first.reading.report.source).toBe(test.source);
    const tests = testsOf(first.reading);
    const byId = new Map(tests.map((entry) => [entry.id, entry]));
    for (const expected of test.expected) {
      const found = byId.get(expected.id);
      expect(found, `${expected.id} in ${[...byId.keys()].join(", ")}`).toBeDefined();
      expect(found).toMatchObject({
        name: expected.name,
        status: expected.status,
        file: expected.file,
        line: expected.line,
      });
      if (expected.message !== undefined) expect(found!.message).toContain(expected.message);
      if (expected.status !== "fail") expect(found!.message).toBeNull();
      if (found!.message !== null) expect(found!.message).not.toMatch(/\x1b|\n\s*$/);
    }
    expect(tests).toHaveLength(test.expected.length);
  });

  it.skipIf(skip)("does not read a report cut short (the run was killed mid-write)", async () => {
    const { plan, reportDir, runs } = outcomes.get(test.title)!;
    if (plan.kind !== "report") throw new Error("no plan");
    const written = (await readdir(reportDir)).filter(
      (name) => name !== "run.log" && !name.endsWith(".mjs"),
    );
    const fromLog = written.length === 0;
    const path = join(reportDir, fromLog ? "run.log" : written[0]!);
    const text = await readFile(path, "utf8");
    // A log is cut just after its last test target started; a report file in its middle.
    const lastStart = text.indexOf("\n", text.lastIndexOf("\nrunning ") + 1) + 1;
    const cut = text.slice(0, fromLog ? lastStart : Math.floor(text.length / 2));
    await writeFile(path, cut);
    const result = runs[0]!.result;
    const reading = await plan.read({
      startedAt: Date.now(),
      logPath: result.logPath,
      tail: result.tail,
      exitCode: result.exitCode,
    });
    expect(reading).toEqual({ ok: false, why: expect.stringMatching(/cut short/) });
  });

  it.skipIf(skip)("gives the same ids and outcomes on a second run", () => {
    const [first, second] = outcomes.get(test.title)!.runs.map((run) => testsOf(run.reading));
    const outcomesOf = (tests: TestCaseResult[]) =>
      tests.map((entry) => [entry.id, entry.status]).sort();
    expect(outcomesOf(second!)).toEqual(outcomesOf(first!));
  });
});

describe("reports the user writes, and runs without tests", () => {
  const skip = (title: string) => !availableEdges.some((edge) => edge.title === title);
  const outcome = (title: string) => edgeOutcomes.get(title)!;

  it.skipIf(skip(edges[0]!.title))(edges[0]!.title, () => {
    const { plan, reading, reread, project } = outcome(edges[0]!.title);
    if (plan.kind !== "report") throw new Error("no plan");
    // The user's report, read as written; pytest is only told to go on after a failure.
    expect(plan.argv).toEqual([...edges[0]!.argv, "--maxfail=0"]);
    expect(plan.source).toBe("pytest junitxml");
    // pytest's default family (xunit2) has no file attribute: ids start with the classname.
    expect(testsOf(reading)).toContainEqual({
      id: "tests.test_cart.TestTotal::test_rounds",
      name: "tests.test_cart.TestTotal::test_rounds",
      file: null,
      line: null,
      status: "fail",
      message: "assert 3 == 2\n +  where 3 = round(2.6)",
    });
    // The user's file stays; a read with no run in between says it is the old one.
    expect(existsSync(join(project.dir, "report.xml"))).toBe(true);
    expect(reread).toEqual({
      ok: false,
      why: expect.stringMatching(/report\.xml was not rewritten/),
    });
  });

  it.skipIf(skip(edges[1]!.title))(edges[1]!.title, () => {
    const { plan, reading, reread } = outcome(edges[1]!.title);
    if (plan.kind !== "report") throw new Error("no plan");
    expect(plan.source).toBe("--junit results.xml");
    expect(plan.argv).toEqual(edges[1]!.argv);
    const mocha = cases.find((test) => test.runner === "mocha")!;
    expect(
      testsOf(reading)
        .map((entry) => [entry.id, entry.status])
        .sort(),
    ).toEqual(mocha.expected.map((entry) => [entry.id, entry.status]).sort());
    expect(reread.ok).toBe(false);
  });

  it.skipIf(skip(edges[2]!.title))(edges[2]!.title, () => {
    // The same ids as from vitest's json reporter: the file comes from the classname.
    const vitest = cases.find((test) => test.runner === "vitest")!;
    const tests = testsOf(outcome(edges[2]!.title).reading);
    expect(tests.map((entry) => [entry.id, entry.name, entry.file, entry.status]).sort()).toEqual(
      vitest.expected.map((entry) => [entry.id, entry.name, entry.file, entry.status]).sort(),
    );
    expect(tests.find((entry) => entry.name === "cart > total > rounds")?.message).toContain(
      "expected 3 to be 2",
    );
  });

  it.skipIf(skip(edges[3]!.title))(edges[3]!.title, () => {
    // Node 20's junit reporter writes no file: the describe blocks are nested testsuites, so two
    // files' tests of one name would share an id (why culprit uses its own reporter).
    const tests = testsOf(outcome(edges[3]!.title).reading);
    expect(tests.map((entry) => [entry.id, entry.status]).sort()).toEqual([
      ["breaks", "fail"],
      ["cart > later", "skip"],
      ["cart > total > adds", "pass"],
      ["cart > total > rounds", "fail"],
      ["parses", "pass"],
    ]);
  });

  it.skipIf(skip(edges[4]!.title))(edges[4]!.title, () => {
    const { reading, result } = outcome(edges[4]!.title);
    expect(result.outcome).toBe("cannot-run");
    expect(reading).toEqual({
      ok: false,
      why: "the node --test events report was not written by this run",
    });
  });

  it.skipIf(skip(edges[5]!.title))(edges[5]!.title, () => {
    const tests = testsOf(outcome(edges[5]!.title).reading);
    expect(tests.find((entry) => entry.id === "test/broken.test.js")).toMatchObject({
      kind: "file",
      status: "fail",
      file: "test/broken.test.js",
      message: expect.stringContaining("nothere.js"),
    });
    expect(tests.find((entry) => entry.id === "test/parse.test.js::breaks")?.status).toBe("fail");
  });

  it.skipIf(skip(edges[6]!.title))(edges[6]!.title, () => {
    const { reading, result } = outcome(edges[6]!.title);
    expect(result.outcome).toBe("cannot-run");
    expect(testsOf(reading)).toEqual([
      {
        id: "tests/test_broken.py",
        name: "tests/test_broken.py",
        file: "tests/test_broken.py",
        line: null,
        status: "fail",
        message: expect.stringContaining("ModuleNotFoundError: No module named 'nothere'"),
        kind: "file",
      },
    ]);
  });

  it.skipIf(skip(edges[7]!.title))(edges[7]!.title, () => {
    const { reading, result } = outcome(edges[7]!.title);
    expect(result.exitCode).toBe(5);
    expect(reading).toEqual({ ok: true, report: { source: "pytest junitxml", tests: [] } });
  });
});

describe("a test file the baseline lacks, run with the reporter flags", () => {
  it.each(newFile)("%s: cannot run", (title) => {
    if (!availableNewFile.some(([name]) => name === title)) return;
    const { result, reading } = newFileOutcomes.get(title)!;
    expect(result.outcome, result.tail).toBe("cannot-run");
    // No failing test is read from such a run, whether a report was written or not.
    if (reading.ok)
      expect(reading.report.tests.filter((entry) => entry.status === "fail")).toEqual([]);
  });
});
