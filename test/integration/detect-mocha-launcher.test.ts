import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classify, type RunSpec, runCommand } from "../../src/run/index.js";
import {
  createRunnerProject,
  mochaFiles,
  type RunnerProject,
  runnerMissing,
} from "../repos/runner-projects.js";

// Issue 9: real mocha, launched as `node node_modules/.bin/mocha`, printed a coloured
// "Error: No test files found" for a test file the baseline lacks, and the run counted as a
// failure. The cause was the detection (`node <path>` was plain node, whose profile has no
// "No test files found"), not the colour: classify strips ANSI before every pattern.

const missing = runnerMissing("mocha");
if (missing !== null) console.log(`skipped: real mocha: ${missing}`);

let project: RunnerProject;

beforeAll(() => {
  project = createRunnerProject("mocha-launch", mochaFiles);
});

afterAll(() => {
  project?.cleanup();
});

function spec(argv: string[]): RunSpec {
  // FORCE_COLOR and --color: mocha colours its error even though its output is a pipe.
  return {
    argv,
    cwd: project.dir,
    env: { FORCE_COLOR: "1" },
    timeoutMs: 60_000,
    killAfterMs: 2_000,
  };
}

describe.skipIf(missing !== null)("real mocha launched through node", () => {
  const launchers: Array<[string, string[]]> = [
    ["node node_modules/.bin/mocha", ["node", "node_modules/.bin/mocha"]],
    ["node ./node_modules/mocha/bin/mocha.js", ["node", "./node_modules/mocha/bin/mocha.js"]],
    ["node_modules/.bin/mocha", ["node_modules/.bin/mocha"]],
  ];

  it.each(launchers)("%s: a test file that does not exist cannot run", async (_shown, launcher) => {
    const argv = [...launcher, "--color", "test/new.spec.js"];
    const result = await runCommand(spec(argv));
    expect(result.tail).toContain("\x1b[31m");
    expect(result.tail).toContain("No test files found");
    expect(result.outcome).toBe("cannot-run");
    expect(result.reason).toMatch(/^mocha: Error: No test files found/);
  });

  it("a failing test is a failure, not cannot-run", async () => {
    const result = await runCommand(
      spec(["node", "node_modules/.bin/mocha", "--color", "test/cart.spec.js"]),
    );
    expect(result.outcome).toBe("fail");
    expect(result.exitCode).toBe(1);
  });

  it("the colour alone never hid the pattern: the node profile missed it, mocha's finds it", async () => {
    const result = await runCommand(
      spec(["node", "node_modules/.bin/mocha", "--color", "test/new.spec.js"]),
    );
    expect(classify(result, { runner: "node" }).outcome).toBe("fail");
    expect(classify(result, { runner: "mocha" }).outcome).toBe("cannot-run");
  });
});
