import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import {
  binPath,
  captureState,
  createRepo,
  isolatedEnv,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { jsProjectRepo } from "../repos/runner-projects.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

/** Runs culprit expecting exit 3, one line on stderr, nothing on stdout, nothing touched. */
function expectRefusal(
  r: TestRepo,
  args: string[],
  pattern: RegExp,
  env: NodeJS.ProcessEnv = {},
): void {
  const before = captureState(r);
  const result = runCulprit(r, args, env);
  expect(result.status, result.stderr).toBe(3);
  expect(result.stdout).toBe("");
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(captureState(r)).toEqual(before);
}

describe("preconditions: one clear line, exit 3, nothing touched", () => {
  test("not a git repository", () => {
    const dir = mkdtempSync(join(tmpdir(), "culprit-norepo-"));
    try {
      const result = spawnSync(process.execPath, [binPath, "--", "true"], {
        cwd: dir,
        env: isolatedEnv(dir),
        encoding: "utf8",
      });
      expect(result.status).toBe(3);
      expect(result.stderr).toMatch(/not inside a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a repository without commits", () => {
    repo = createRepo();
    repo.write("a.txt", "a\n");
    const result = runCulprit(repo, ["--", "true"]);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/no commits/);
  });

  test("a merge in progress", () => {
    repo = regressionRepo();
    repo.commit("x");
    repo.git("checkout", "-q", "-b", "other", "HEAD~1");
    repo.write("lib.mjs", "other\n");
    repo.commit("other");
    repo.git("checkout", "-q", "main");
    spawnSync("git", ["-c", "user.name=a", "-c", "user.email=a@b", "merge", "other"], {
      cwd: repo.dir,
      env: repo.env,
    });
    expectRefusal(repo, ["--", ...checkCommand], /a merge is in progress/);
  });

  test("index.lock held", () => {
    repo = regressionRepo();
    writeFileSync(join(repo.dir, ".git", "index.lock"), "");
    expectRefusal(repo, ["--", ...checkCommand], /index\.lock exists/);
  });

  // An editor's git integration takes index.lock for a moment (a status refreshing the index):
  // culprit started then waits for it (up to 2 s) rather than refusing.
  test("index.lock held for a moment: culprit waits for it, then runs", () => {
    repo = regressionRepo();
    const lock = join(repo.dir, ".git", "index.lock");
    writeFileSync(lock, "");
    const release = spawn("sh", ["-c", `sleep 0.5; rm -f '${lock}'`], { stdio: "ignore" });
    try {
      const { json, status } = attributeUntouched(repo, checkCommand);
      expect(json.verdict).toBe("regression");
      expect(status).toBe(1);
    } finally {
      release.kill();
    }
  });

  test("a clean tree: nothing to attribute", () => {
    repo = regressionRepo();
    repo.commit("all in");
    expectRefusal(repo, ["--", ...checkCommand], /nothing to attribute/);
  });

  test("the command not found on the current tree", () => {
    repo = regressionRepo();
    expectRefusal(
      repo,
      ["--", "no-such-command-xyz", "arg"],
      /command not found.*no-such-command-xyz/,
    );
  });

  test("the command not executable", () => {
    repo = regressionRepo();
    repo.write("run.sh", "#!/bin/sh\n", 0o644);
    expectRefusal(repo, ["--", "./run.sh"], /not executable.*\.\/run\.sh/);
  });

  test("a runner told to pick its tests from git's changes or the last run, or to watch", () => {
    // `jest -o` runs the tests of the files git sees changed: none at the baseline, where the
    // changes are set aside. It read "UNRUNNABLE: the baseline could not run" over a regression.
    repo = jsProjectRepo(
      {
        "package.json": '{ "private": true, "scripts": { "test": "jest -o" } }\n',
        "src/calc.js": "exports.add = (a, b) => a + b;\n",
      },
      "calc",
    );
    repo.write("src/calc.js", "exports.add = (a, b) => a - b;\n");
    const changes =
      /jest -o picks its tests from git's changes, your uncommitted ones among them.*name the test files/;
    expectRefusal(repo, ["--", "npx", "jest", "-o"], changes);
    expectRefusal(repo, ["--", "npm", "test"], changes);
    expectRefusal(repo, ["isolate", "--", "npx", "jest", "-o"], changes);
    expectRefusal(repo, ["bisect", "--good", "HEAD", "--", "npx", "jest", "-o"], changes);
    expectRefusal(
      repo,
      ["--", "python3", "-m", "pytest", "--lf"],
      /pytest --lf picks its tests from the run before/,
    );
    // pytest reads PYTEST_ADDOPTS as options of its command line.
    expectRefusal(
      repo,
      ["--", "python3", "-m", "pytest"],
      /pytest --sw \(from PYTEST_ADDOPTS\) picks its tests from the run before.*without --sw in PYTEST_ADDOPTS/,
      { PYTEST_ADDOPTS: "-q --sw" },
    );
    expectRefusal(repo, ["--", "npx", "vitest", "watch"], /vitest watch watches for changes/);
  });

  test("an unknown option", () => {
    repo = regressionRepo();
    expectRefusal(repo, ["--frobnicate", "--", ...checkCommand], /unknown option --frobnicate/);
  });

  test("a command given without --", () => {
    repo = regressionRepo();
    expectRefusal(repo, ["node", "check.mjs"], /put the command after --/);
  });

  test("a pending journal from a crashed run refuses until recover", () => {
    repo = regressionRepo();
    mkdirSync(join(repo.dir, ".git", "culprit"), { recursive: true });
    writeFileSync(
      join(repo.dir, ".git", "culprit", "journal.json"),
      JSON.stringify({ version: 1, runId: "x", state: "backup", residue: [], history: [] }),
    );
    expectRefusal(repo, ["--", ...checkCommand], /culprit recover/);
  });
});
