import { describe, expect, it } from "vitest";
import {
  type ClassifyInput,
  type ClassifyOptions,
  classify,
  commandSegments,
  detectRunner,
  detectRunners,
  normalizeOutput,
  type Outcome,
  outcomeWithReport,
} from "../../src/run/index.js";

function run(partial: Partial<ClassifyInput>): ClassifyInput {
  return { exitCode: null, signal: null, timedOut: false, spawnError: null, tail: "", ...partial };
}

describe("classify: base rules", () => {
  const table: Array<[string, ClassifyInput, Outcome, string]> = [
    ["exit 0", run({ exitCode: 0 }), "pass", "exit 0"],
    ["exit 1", run({ exitCode: 1 }), "fail", "exit 1"],
    ["exit 2", run({ exitCode: 2 }), "fail", "exit 2"],
    ["exit 124", run({ exitCode: 124 }), "fail", "exit 124"],
    ["exit 125 (git bisect skip)", run({ exitCode: 125 }), "cannot-run", "exit 125"],
    ["exit 126 (not executable)", run({ exitCode: 126 }), "cannot-run", "exit 126"],
    ["exit 127 (not found)", run({ exitCode: 127 }), "cannot-run", "exit 127"],
    ["exit 128", run({ exitCode: 128 }), "fail", "exit 128"],
    ["exit 255", run({ exitCode: 255 }), "fail", "exit 255"],
    ["killed by SIGSEGV", run({ signal: "SIGSEGV" }), "fail", "killed by SIGSEGV"],
    ["killed by SIGKILL", run({ signal: "SIGKILL" }), "fail", "killed by SIGKILL"],
    ["timed out, SIGTERM", run({ signal: "SIGTERM", timedOut: true }), "hang", "timed out"],
    ["timed out, exited 0 on SIGTERM", run({ exitCode: 0, timedOut: true }), "hang", "timed out"],
    ["timed out, exited 127", run({ exitCode: 127, timedOut: true }), "hang", "timed out"],
    [
      "spawn ENOENT",
      run({ exitCode: 127, spawnError: "ENOENT" }),
      "cannot-run",
      "could not start (ENOENT)",
    ],
    [
      "spawn EACCES",
      run({ exitCode: 126, spawnError: "EACCES" }),
      "cannot-run",
      "could not start (EACCES)",
    ],
  ];

  it.each(table)("%s", (_name, input, outcome, reason) => {
    const result = classify(input);
    expect(result.outcome).toBe(outcome);
    expect(result.reason.startsWith(reason)).toBe(true);
  });
});

describe("classify: user options", () => {
  const table: Array<[string, ClassifyInput, ClassifyOptions, Outcome]> = [
    ["--cannot-run-exit matches", run({ exitCode: 3 }), { cannotRunExit: [3, 4] }, "cannot-run"],
    ["--cannot-run-exit other code", run({ exitCode: 1 }), { cannotRunExit: [3] }, "fail"],
    [
      "--cannot-run-pattern matches",
      run({ exitCode: 1, tail: "boot\ndatabase not reachable at :5432\n" }),
      { cannotRunPattern: /database not reachable/ },
      "cannot-run",
    ],
    [
      "--cannot-run-pattern does not match",
      run({ exitCode: 1, tail: "expected 1 to be 2\n" }),
      { cannotRunPattern: /database not reachable/ },
      "fail",
    ],
    [
      "--cannot-run-pattern never turns a pass",
      run({ exitCode: 0, tail: "database not reachable\n" }),
      { cannotRunPattern: /database not reachable/ },
      "pass",
    ],
    [
      "--cannot-run-pattern does not override a hang",
      run({ signal: "SIGTERM", timedOut: true, tail: "database not reachable\n" }),
      { cannotRunPattern: /database not reachable/ },
      "hang",
    ],
    [
      "--cannot-run-pattern applies to a run killed by a signal",
      run({ signal: "SIGABRT", tail: "database not reachable\n" }),
      { cannotRunPattern: /database not reachable/ },
      "cannot-run",
    ],
    [
      "forced runner applies whatever the command",
      run({ exitCode: 5 }),
      { runner: "pytest", command: ["make", "check"] },
      "cannot-run",
    ],
    [
      "runner none turns detection off",
      run({ exitCode: 5 }),
      { runner: "none", command: ["pytest"] },
      "fail",
    ],
    [
      "detected from the command",
      run({ exitCode: 5 }),
      { command: ["pytest", "-q"] },
      "cannot-run",
    ],
    ["not detected: exit 5 is a failure", run({ exitCode: 5 }), { command: ["make"] }, "fail"],
  ];

  it.each(table)("%s", (_name, input, options, outcome) => {
    expect(classify(input, options).outcome).toBe(outcome);
  });

  it("a global or sticky pattern gives the same answer every time", () => {
    const options = { cannotRunPattern: /not reachable/gy };
    const input = run({ exitCode: 1, tail: "not reachable\n" });
    expect(classify(input, options).outcome).toBe("cannot-run");
    expect(classify(input, options).outcome).toBe("cannot-run");
  });

  it("names the matching line as evidence", () => {
    const result = classify(
      run({ exitCode: 1, tail: "line one\n  database not reachable at :5432  \nline three\n" }),
      { cannotRunPattern: /not reachable/ },
    );
    expect(result.reason).toBe("--cannot-run-pattern matched: database not reachable at :5432");
  });

  it("says when only the runner's words made it cannot-run (a report of tests that ran may overrule)", () => {
    const words = run({
      exitCode: 1,
      tail: "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'\n",
    });
    expect(classify(words, { command: ["node", "--test"] })).toMatchObject({
      outcome: "cannot-run",
      byOutput: true,
    });
    expect(
      classify(run({ exitCode: 127 }), { command: ["node", "--test"] }).byOutput,
    ).toBeUndefined();
    expect(
      classify(words, { command: ["node", "--test"], cannotRunPattern: /ERR_MODULE/ }).byOutput,
    ).toBeUndefined();
  });

  it.each<[string, Parameters<typeof outcomeWithReport>[0], string[] | null, Outcome]>([
    [
      "words, and tests ran: failed",
      { outcome: "cannot-run", cannotRunByOutput: true },
      ["pass", "fail"],
      "fail",
    ],
    [
      "words, only a file entry: could not run",
      { outcome: "cannot-run", cannotRunByOutput: true },
      ["file"],
      "cannot-run",
    ],
    [
      "words, only skipped tests: could not run",
      { outcome: "cannot-run", cannotRunByOutput: true },
      ["skip"],
      "cannot-run",
    ],
    [
      "words, no report: could not run",
      { outcome: "cannot-run", cannotRunByOutput: true },
      null,
      "cannot-run",
    ],
    ["an exit code (127): never overruled", { outcome: "cannot-run" }, ["pass"], "cannot-run"],
    ["a failure stays one", { outcome: "fail" }, ["pass"], "fail"],
  ])("outcomeWithReport: %s", (_, result, statuses, expected) => {
    const tests =
      statuses?.map((status, i) => ({
        id: `t${i}`,
        name: `t${i}`,
        file: null,
        line: null,
        status: status === "file" ? ("fail" as const) : (status as "pass" | "fail" | "skip"),
        message: null,
        ...(status === "file" ? { kind: "file" as const } : {}),
      })) ?? null;
    expect(outcomeWithReport(result, tests)).toBe(expected);
  });

  it("rejects an unknown runner", () => {
    expect(() => classify(run({ exitCode: 1 }), { runner: "nosuch" })).toThrow(/unknown runner/);
  });

  it("matches patterns through ANSI colours and CRLF line ends", () => {
    const tail = "\x1b[31mNo test files found, exiting with code 1\x1b[39m\r\n";
    expect(normalizeOutput(tail)).toBe("No test files found, exiting with code 1\n");
    expect(classify(run({ exitCode: 1, tail }), { command: ["vitest"] }).outcome).toBe(
      "cannot-run",
    );
  });
});

describe("runner detection", () => {
  const table: Array<[string, string[] | string, string | null, string[]]> = [
    ["plain argv", ["pytest", "-q"], "pytest", ["pytest"]],
    ["py.test", ["py.test"], "pytest", ["pytest"]],
    ["python -m pytest", ["python3", "-m", "pytest", "tests"], "pytest", ["pytest"]],
    ["uv run", ["uv", "run", "pytest"], "pytest", ["pytest"]],
    ["poetry run", ["poetry", "run", "pytest", "-x"], "pytest", ["pytest"]],
    ["npx", ["npx", "vitest", "run"], "vitest", ["vitest"]],
    ["npx --yes", ["npx", "--yes", "jest"], "jest", ["jest"]],
    ["path to the binary", ["./node_modules/.bin/vitest"], "vitest", ["vitest"]],
    ["pnpm exec", ["pnpm", "exec", "mocha"], "mocha", ["mocha"]],
    ["yarn binary", ["yarn", "jest", "--ci"], "jest", ["jest"]],
    ["npm exec", ["npm", "exec", "--", "vitest"], "vitest", ["vitest"]],
    ["npm test (unknown script)", ["npm", "test"], null, []],
    ["env assignments", ["env", "CI=1", "node", "--test"], "node", ["node"]],
    ["cross-env", ["cross-env", "NODE_ENV=test", "jest", "--ci"], "jest", ["jest"]],
    ["npx cross-env", ["npx", "cross-env", "A=1", "B=2", "mocha"], "mocha", ["mocha"]],
    // Coverage wrappers run the rest of their argv (found on yargs/yargs-parser and remark).
    ["c8", ["npx", "c8", "mocha", "test/*.mjs"], "mocha", ["mocha"]],
    [
      "c8, options with values",
      ["c8", "-r", "html", "--reporter=text", "--100", "mocha"],
      "mocha",
      ["mocha"],
    ],
    ["c8 node --test", ["npx", "c8", "--100", "node", "--test", "test.js"], "node", ["node"]],
    ["nyc", ["nyc", "--reporter", "lcov", "-a", "tape", "test/*.js"], "tape", ["tape"]],
    [
      "c8 in an npm script",
      "c8 --reporter=text --reporter=html mocha test/*.mjs",
      "mocha",
      ["mocha"],
    ],
    ["node script", ["node", "check.js"], "node", ["node"]],
    ["tsx", ["tsx", "--test", "a.test.ts"], "node", ["node"]],
    ["go test", ["go", "test", "./..."], "go", ["go"]],
    ["go build is not go test", ["go", "build"], null, []],
    ["cargo test", ["cargo", "test"], "cargo", ["cargo"]],
    ["cargo with toolchain", ["cargo", "+nightly", "test"], "cargo", ["cargo"]],
    ["cargo build is not cargo test", ["cargo", "build"], null, []],
    ["tsc alone is the test, not a build step", ["tsc", "--noEmit"], null, []],
    ["tsc before the tests", "tsc -p . && node --test dist/", "node", ["node", "tsc"]],
    ["sh -c argv", ["sh", "-c", "npx tsc && vitest run"], "vitest", ["vitest", "tsc"]],
    ["shell string with a pipe", "pytest -q 2>&1 | tee out.log", "pytest", ["pytest"]],
    ["shell string, assignment prefix", "CI=1 FOO=bar jest", "jest", ["jest"]],
    ["unknown program", ["make", "check"], null, []],
  ];

  it.each(table)("%s", (_name, command, runner, all) => {
    expect(detectRunner(command)).toBe(runner);
    expect(
      detectRunners(command)
        .map((p) => p.name)
        .sort(),
    ).toEqual([...all].sort());
  });

  it("peels launchers off each simple command", () => {
    expect(commandSegments("cd app && CI=1 npx --yes vitest run; echo done")).toEqual([
      { program: "cd", args: ["app"] },
      { program: "vitest", args: ["run"] },
      { program: "echo", args: ["done"] },
    ]);
  });
});

describe("classify: a package manager that has no such script or workspace could not run", () => {
  // The managers' own words (npm 11, pnpm 9, yarn 1 as they print them; npm 8's `ERR!` prefix).
  const table: Array<[string, string[], string, Outcome]> = [
    ["npm 11", ["npm", "run", "unit"], 'npm error Missing script: "unit"\n', "cannot-run"],
    ["npm 8", ["npm", "run", "unit"], 'npm ERR! Missing script: "unit"\n', "cannot-run"],
    ["npm -w", ["npm", "test", "-w", "x"], "npm error No workspaces found:\n", "cannot-run"],
    ["pnpm", ["pnpm", "run", "unit"], " ERR_PNPM_NO_SCRIPT  Missing script: unit\n", "cannot-run"],
    ["yarn 1", ["yarn", "unit"], 'error Command "unit" not found.\n', "cannot-run"],
    [
      "yarn 1, no such workspace",
      ["yarn", "workspace", "cart", "test"],
      'error Unknown workspace "cart".\n',
      "cannot-run",
    ],
    [
      "pnpm --filter, no such script",
      ["pnpm", "--filter", "cart", "run", "unit"],
      " ERR_PNPM_NO_SCRIPT  Missing script: unit\n",
      "cannot-run",
    ],
    [
      "another script the asked one runs is missing: the script failed",
      ["npm", "test"],
      'npm error Missing script: "unit"\n',
      "fail",
    ],
    [
      "npm test --workspaces, one package without it: the others ran",
      ["npm", "test", "--workspaces"],
      'npm error Missing script: "test"\n',
      "fail",
    ],
    [
      "npm run NAME, a name with regex characters",
      ["npm", "run", "test:unit+e2e"],
      'npm error Missing script: "test:unit+e2e"\n',
      "cannot-run",
    ],
    [
      "the words from another program are a failure",
      ["mocha", "test/"],
      'error Command "unit" not found.\n',
      "fail",
    ],
  ];
  it.each(table)("%s", (_, command, tail, outcome) => {
    const result = classify({ exitCode: 1, signal: null, timedOut: false, tail }, { command });
    expect(result.outcome).toBe(outcome);
  });
  it("--runner forced: only that runner's words count", () => {
    const tail = 'npm error Missing script: "unit"\n';
    const result = classify(
      { exitCode: 1, signal: null, timedOut: false, tail },
      { command: ["npm", "run", "unit"], runner: "mocha" },
    );
    expect(result.outcome).toBe("fail");
  });
});

describe("classify: cross-env that could not start its command (the real cross-env 10.1.0)", () => {
  const tail = `node:events:502
      throw er; // Unhandled 'error' event
      ^

Error: spawn nosuchrunner-zz ENOENT
    at ChildProcess._handle.onexit (node:internal/child_process:285:19)
    at onErrorNT (node:internal/child_process:483:16)
    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)
Emitted 'error' event on ChildProcess instance at:
    at ChildProcess._handle.onexit (node:internal/child_process:291:12)
    at onErrorNT (node:internal/child_process:483:16)
    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {
  errno: -2,
  code: 'ENOENT',
  syscall: 'spawn nosuchrunner-zz',
  path: 'nosuchrunner-zz',
  spawnargs: [ 'test/' ]
}

Node.js v20.20.2
`;
  it.each([
    ["npm's script words", ["cross-env", "A=1", "nosuchrunner-zz", "test/"]],
    ["after a build step", ["sh", "-c", "tsc && cross-env A=1 nosuchrunner-zz test/"]],
  ])("%s: could not run", (_, command) => {
    expect(
      classify({ exitCode: 1, signal: null, timedOut: false, tail }, { command }).outcome,
    ).toBe("cannot-run");
  });
  it("the same words from a test of another command: a failure", () => {
    expect(
      classify({ exitCode: 1, signal: null, timedOut: false, tail }, { command: ["mocha"] })
        .outcome,
    ).toBe("fail");
  });
});
