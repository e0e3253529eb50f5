import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { baseCheckCommand, committedRegressionRepo } from "../repos/base-scenarios.js";
import { parseJsonOutput, runCulprit, type TestRepo } from "../repos/harness.js";
import { checkCommand, preExistingRepo, regressionRepo } from "../repos/scenarios.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
const track = (repo: TestRepo): TestRepo => {
  cleanups.push(() => repo.cleanup());
  return repo;
};
function summaryFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "culprit-summary-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "step_summary.md");
}
const ansi = /\u001b\[/;

describe("CI conventions", () => {
  test("GitHub Actions, human output: ::error annotation on stdout, the summary appended", () => {
    const repo = track(regressionRepo());
    const summary = summaryFile();
    const result = runCulprit(repo, ["--", ...checkCommand], {
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=culprit::regression: node check\.mjs: fails 3\/3/m,
    );
    const text = readFileSync(summary, "utf8");
    expect(text).toContain("### culprit: regression");
    expect(text).toMatch(/\| current \| ✗ ✗ ✗ \| 3\/3 \| 100% \|/);
    expect(text).toMatch(/\| baseline \| ✓ ✓ ✓ \| 0\/3 \| 0% \|/);
    expect(text).toContain("Boschloo p = 0.016");
    expect(text).toContain("Work tree restored and verified: yes");
  });

  test("GitHub Actions with --json: stdout stays one JSON document, the annotation goes to stderr", () => {
    const repo = track(committedRegressionRepo());
    const summary = summaryFile();
    const result = runCulprit(repo, ["--json", "--base", "HEAD~2", "--", ...baseCheckCommand], {
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(parseJsonOutput(result).verdict).toBe("regression");
    expect(result.stderr).toMatch(/^::error title=culprit::regression: /m);
    const text = readFileSync(summary, "utf8");
    expect(text).toContain("### culprit: regression");
    expect(text).toContain("against `HEAD~2`");
  });

  test("a verdict other than regression is a ::notice; without GITHUB_STEP_SUMMARY no file", () => {
    const repo = track(preExistingRepo());
    const result = runCulprit(repo, ["--", ...checkCommand], { GITHUB_ACTIONS: "true" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^::notice title=culprit::pre-existing: /m);
    expect(result.stdout).not.toContain("::error");
  });

  test("outside GitHub Actions: no annotation, no summary", () => {
    const repo = track(regressionRepo());
    const summary = summaryFile();
    const result = runCulprit(repo, ["--", ...checkCommand], { GITHUB_STEP_SUMMARY: summary });
    expect(result.stdout).not.toContain("::error");
    expect(existsSync(summary)).toBe(false);
  });

  test("colour: none in CI, FORCE_COLOR forces it, NO_COLOR always wins", () => {
    const repo = track(regressionRepo());
    const plain = runCulprit(repo, ["--", ...checkCommand], { NO_COLOR: undefined, CI: "true" });
    expect(plain.stdout).not.toMatch(ansi);
    const forced = runCulprit(repo, ["--", ...checkCommand], {
      NO_COLOR: undefined,
      CI: "true",
      FORCE_COLOR: "1",
    });
    expect(forced.stdout).toMatch(ansi);
    const none = runCulprit(repo, ["--", ...checkCommand], { NO_COLOR: "1", FORCE_COLOR: "1" });
    expect(none.stdout).not.toMatch(ansi);
  });

  test("in CI nothing is printed on stderr but culprit's own lines (no spinner, no prompt)", () => {
    const repo = track(regressionRepo());
    const result = runCulprit(repo, ["--", ...checkCommand], { CI: "true" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("");
  });
});
