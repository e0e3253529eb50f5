import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, test } from "vitest";
import {
  baseCheckCommand,
  baseNewTestCommand,
  committedNewTestRepo,
  committedPreExistingRepo,
  committedRegressionRepo,
} from "../repos/base-scenarios.js";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});
const track = (repo: TestRepo): TestRepo => {
  repos.push(repo);
  return repo;
};

describe("--base REV: attribute against another revision", () => {
  test("HEAD fails, HEAD~2 passes: regression, exit 1, the tree byte-identical (clean tree, as in CI)", () => {
    const repo = track(committedRegressionRepo());
    const { json, status } = attributeUntouched(repo, baseCheckCommand, ["--base", "HEAD~2"]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(json["strategy"]).toBe("base-revision");
    expect(json["base"]).toEqual({
      rev: "HEAD~2",
      commit: repo.git("rev-parse", "HEAD~2").trim(),
    });
    // The baseline passed: the ignored node_modules stayed usable at HEAD~2.
    const stats = json["statistics"] as Record<string, { failures: number; runs: number }>;
    expect(stats["baseline"]).toMatchObject({ failures: 0, runs: 3 });
    expect((json["restore"] as { touched: boolean }).touched).toBe(true);
  });

  test("uncommitted changes on top: the working tree as it is against REV, restored exactly", () => {
    const repo = track(committedRegressionRepo());
    repo.write("notes.txt", "untracked\n");
    repo.write("README.md", "# project\n\nstaged\n");
    repo.git("add", "README.md");
    repo.write("README.md", "# project\n\nstaged\n\nand not staged\n");
    const { json, status } = attributeUntouched(repo, baseCheckCommand, ["--base", "HEAD~2"]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
  });

  test("pre-existing at REV: exit 0", () => {
    const repo = track(committedPreExistingRepo());
    const { json, status } = attributeUntouched(repo, baseCheckCommand, ["--base", "HEAD~2"]);
    expect(json.verdict).toBe("pre-existing");
    expect(status).toBe(0);
  });

  test("merge-base:REF is the merge base of HEAD and REF", () => {
    const repo = track(committedRegressionRepo());
    // A side branch from HEAD~2 (where the check passes): the merge base with HEAD is HEAD~2.
    repo.git("branch", "side", "HEAD~2");
    const { json } = attributeUntouched(repo, baseCheckCommand, ["--base", "merge-base:side"]);
    expect(json.verdict).toBe("regression");
    expect((json["base"] as { commit: string }).commit).toBe(
      repo.git("rev-parse", "HEAD~2").trim(),
    );
  });

  test("detached HEAD (a CI checkout): works and HEAD stays detached", () => {
    const repo = track(committedRegressionRepo());
    repo.git("checkout", "-q", "--detach", "HEAD");
    const { json, status } = attributeUntouched(repo, baseCheckCommand, ["--base", "HEAD~2"]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
  });

  test("a shallow clone that has the base commit works; one that lacks it is exit 3, fetch it", () => {
    const origin = track(committedRegressionRepo());
    const cloneInto = (depth: number): TestRepo => {
      const clone = track(createRepo());
      clone.remove(".git");
      const url = `file://${origin.dir}`;
      const done = spawnSync("git", ["clone", "-q", "--depth", String(depth), url, "."], {
        cwd: clone.dir,
        env: clone.env,
        encoding: "utf8",
      });
      expect(done.status, done.stderr).toBe(0);
      // The ignored folder is not in the clone: put it there as `npm ci` would.
      clone.write("node_modules/helper/index.js", 'exports.ok = (v) => v === "good";\n');
      return clone;
    };
    const deep = cloneInto(3);
    expect(deep.git("rev-parse", "--is-shallow-repository").trim()).toBe("true");
    const { json } = attributeUntouched(deep, baseCheckCommand, ["--base", "HEAD~2"]);
    expect(json.verdict).toBe("regression");

    const shallow = cloneInto(1);
    const before = captureState(shallow);
    const result = runCulprit(shallow, ["--base", "HEAD~2", "--", ...baseCheckCommand]);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/--base HEAD~2: no such commit in this clone; fetch it/);
    expect(captureState(shallow)).toEqual(before);
  });

  test("a revision that does not exist: exit 3, nothing touched", () => {
    const repo = track(committedRegressionRepo());
    const before = captureState(repo);
    const result = runCulprit(repo, ["--base", "origin/nope", "--", ...baseCheckCommand]);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("no such commit in this clone");
    expect(result.stdout).toBe("");
    expect(captureState(repo)).toEqual(before);
  });

  test("without --base a clean tree is still refused", () => {
    const repo = track(committedRegressionRepo());
    const result = runCulprit(repo, ["--", ...baseCheckCommand]);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("--base");
  });

  test("selective revert against REV: suspects from the diff to REV, reverted to REV's files", () => {
    const repo = track(committedNewTestRepo());
    const { json, status } = attributeUntouched(repo, baseNewTestCommand, ["--base", "HEAD~2"]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(json["strategy"]).toBe("selective-revert");
    const attempts = json["attempts"] as { strategy: string; outcome: string }[];
    expect(attempts[0]).toMatchObject({ strategy: "base-revision", outcome: "unrunnable" });
    // The new test is kept; both source files changed since HEAD~2 are reverted to HEAD~2's.
    expect(json["suspects"]).toEqual(["src/add.mjs", "src/other.mjs"]);
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  test("--strategy stash with --base is a usage error", () => {
    const repo = track(committedRegressionRepo());
    const result = runCulprit(repo, ["--base", "HEAD~2", "--strategy", "stash", "--", "node"]);
    expect(result.status).toBe(3);
  });
});
