import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { binPath, runCulprit, type TestRepo } from "../repos/harness.js";
import { checkCommand, passingRepo, preExistingRepo, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

describe("the built bin, end to end", () => {
  test("regression: fails with the changes, passes without them; exit 1", () => {
    repo = regressionRepo();
    const { json, status } = attributeUntouched(repo, checkCommand);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(json["schemaVersion"]).toBe(2);
    expect(json["flaky"]).toBe(false);
    expect(json["strategy"]).toBe("baseline-reset");
    const stats = json["statistics"] as Record<string, { failures: number; runs: number } | number>;
    expect(stats["current"]).toMatchObject({ failures: 3, runs: 3 });
    expect(stats["baseline"]).toMatchObject({ failures: 0, runs: 3 });
    expect(stats["pValue"]).toBeLessThan(0.05);
    const runs = json["runs"] as { side: string; outcome: string; exitCode: number }[];
    expect(
      runs
        .filter((r) => r.side === "current")
        .every((r) => r.outcome === "fail" && r.exitCode === 1),
    ).toBe(true);
    expect(runs.filter((r) => r.side === "baseline").every((r) => r.outcome === "pass")).toBe(true);
  });

  test("pre-existing: fails at the baseline too; exit 0", () => {
    repo = preExistingRepo();
    const { json, status } = attributeUntouched(repo, checkCommand);
    expect(json.verdict).toBe("pre-existing");
    expect(status).toBe(0);
  });

  test("not-reproduced: passes on the current tree, the baseline is never run; exit 0", () => {
    repo = passingRepo();
    const { json, status } = attributeUntouched(repo, checkCommand);
    expect(json.verdict).toBe("not-reproduced");
    expect(status).toBe(0);
    expect((json["runs"] as { side: string }[]).every((r) => r.side === "current")).toBe(true);
    expect((json["restore"] as { touched: boolean }).touched).toBe(false);
  });

  test("human output leads with the verdict and says the work was verified", () => {
    repo = regressionRepo();
    const result = runCulprit(repo, ["--", ...checkCommand]);
    expect(result.status).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^culprit: REGRESSION/);
    expect(result.stdout).toMatch(/current\s+✗ ✗ ✗\s+3\/3 failed/);
    expect(result.stdout).toMatch(/baseline\s+✓ ✓ ✓\s+0\/3 failed/);
    expect(result.stdout).toContain("verified");
  });

  test("--shell runs a shell string", () => {
    repo = regressionRepo();
    const { json, status } = attributeUntouched(
      repo,
      [],
      ["--shell", "node check.mjs && echo fine"],
    );
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
  });

  test("git culprit: the git-culprit bin works as a git subcommand", () => {
    repo = regressionRepo();
    const binDir = join(repo.home, "bin");
    mkdirSync(binDir);
    symlinkSync(binPath, join(binDir, "git-culprit"));
    const result = spawnSync("git", ["culprit", "--json", "--", ...checkCommand], {
      cwd: repo.dir,
      env: { ...repo.env, PATH: `${binDir}${delimiter}${repo.env["PATH"]}` },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).verdict).toBe("regression");
  });
});
