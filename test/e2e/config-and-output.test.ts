import { afterEach, describe, expect, test } from "vitest";
import { captureState, parseJsonOutput, runCulprit, type TestRepo } from "../repos/harness.js";
import { checkCommand, passingRepo, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

describe("configuration from the repository, through the bin", () => {
  test("culprit.config.json sets runs; the flag wins", () => {
    repo = passingRepo();
    repo.write("culprit.config.json", JSON.stringify({ runs: 2 }));
    const fromConfig = parseJsonOutput(runCulprit(repo, ["--json", "--", ...checkCommand]));
    expect((fromConfig["runs"] as unknown[]).length).toBe(2);
    const fromFlag = parseJsonOutput(
      runCulprit(repo, ["--json", "--runs", "4", "--", ...checkCommand]),
    );
    expect((fromFlag["runs"] as unknown[]).length).toBe(4);
  });

  test("an invalid key is exit 3 naming it, nothing touched", () => {
    repo = regressionRepo();
    repo.write("package.json", JSON.stringify({ name: "x", culprit: { timeout: "later" } }));
    const before = captureState(repo);
    const result = runCulprit(repo, ["--", ...checkCommand]);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('invalid "timeout" in package.json "culprit"');
    expect(captureState(repo)).toEqual(before);
  });

  test("an unparseable package.json does not stop culprit", () => {
    repo = regressionRepo();
    repo.write("package.json", "{ this is not json");
    const result = runCulprit(repo, ["--json", "--", ...checkCommand]);
    expect(parseJsonOutput(result).verdict).toBe("regression");
  });
});

describe("the test's output", () => {
  test("hidden by default; --show-output prints a failing run's last lines after the report", () => {
    repo = regressionRepo();
    const quiet = runCulprit(repo, ["-q", "--", ...checkCommand]);
    expect(quiet.stdout).not.toContain("check failed");
    const shown = runCulprit(repo, ["-q", "--show-output", "--", ...checkCommand]);
    const lines = shown.stdout.split("\n");
    expect(lines[0]).toMatch(/^culprit: REGRESSION/);
    expect(lines[1]).toMatch(/^culprit: last lines of run 3 on your tree, fail \(full log: /);
    expect(lines[2]).toBe("  | check failed: add(2, 2) = 5");
  });

  test("--show-output with --json: on stderr, stdout stays one JSON document", () => {
    repo = regressionRepo();
    const result = runCulprit(repo, ["--json", "--show-output", "--", ...checkCommand]);
    expect(parseJsonOutput(result).verdict).toBe("regression");
    expect(result.stderr).toContain("check failed: add(2, 2) = 5");
  });

  test("--verbose streams every run's output live on stderr", () => {
    repo = regressionRepo();
    const result = runCulprit(repo, ["--verbose", "--", ...checkCommand]);
    expect(result.stderr.match(/check failed: add\(2, 2\) = 5/g)).toHaveLength(3);
    expect(result.stderr.match(/^ok$/gm)).toHaveLength(3);
  });
});
