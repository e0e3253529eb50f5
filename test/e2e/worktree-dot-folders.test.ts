import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { culpritWorktrees, leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { commitSeries } from "../repos/history.js";
import { runnerKits, runnerRepo, writeAll } from "../repos/runner-scenarios.js";

/*
 * Where the worktrees are. Under .git/culprit/worktrees, as they were, jest found no test at all
 * (jest-haste-map ignores every file whose path goes through a `.git` folder: "No tests found",
 * so --worktree, --jobs, isolate and bisect read UNRUNNABLE on every jest project), and express's
 * own suite failed 55 tests there (`send` answers 404 for a path through a dot-folder).
 * They now live under the temporary folder, in a path without a dot-folder.
 */

const kit = runnerKits["jest"]!;

test.concurrent("jest with --worktree: the regression, not 'No tests found'", async () => {
  const repo = runnerRepo(kit);
  try {
    writeAll(repo, kit.bug);
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["--worktree", "--json", "--", ...kit.suite]);
    const doc = JSON.parse(result.stdout) as {
      verdict: string;
      tests: { name: string; verdict: string }[];
    };
    expect(doc.verdict, result.stdout + result.stderr).toBe("regression");
    expect(result.status).toBe(1);
    expect(doc.tests.find((t) => t.verdict === "regression")?.name).toMatch(/adds/);
    // No dot-folder on the way to the worktrees (the temporary folder's own path aside).
    expect(culpritWorktrees(repo)).not.toMatch(/\/\.git\//);
    expect(existsSync(culpritWorktrees(repo))).toBe(false);
    expect(captureState(repo)).toEqual(before);
    expect(leftWorktrees(repo)).toEqual([]);
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    repo.cleanup();
  }
}, 120_000);

test.concurrent("jest in culprit bisect: the commit that broke `adds`", async () => {
  const repo = runnerRepo(kit);
  try {
    const shas = commitSeries(repo, 8, (i) => {
      if (i !== 5) return null;
      writeAll(repo, kit.bug);
      return "the refactor";
    });
    repo.write("scratch.txt", "the user's own work\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "bisect",
      "--json",
      "--good",
      shas[0]!,
      "--",
      ...kit.suite,
    ]);
    const doc = JSON.parse(result.stdout) as { verdict: string; culprit: { sha: string } | null };
    expect(doc.verdict, result.stdout + result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[5]);
    expect(captureState(repo)).toEqual(before);
    expect(leftWorktrees(repo)).toEqual([]);
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    repo.cleanup();
  }
}, 180_000);

test.concurrent("a culprit folder in the temporary folder that others can write is refused, exit 3", async () => {
  const repo = runnerRepo(kit);
  const tmp = mkdtempSync(join(tmpdir(), "culprit-tmpdir-"));
  try {
    const root = join(tmp, `culprit-${process.getuid!()}`);
    mkdirSync(root);
    chmodSync(root, 0o777);
    writeAll(repo, kit.bug);
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["--worktree", "--", ...kit.suite], {
      TMPDIR: tmp,
    });
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain(`${root} is not a private folder of yours`);
    expect(result.stderr).toContain("set TMPDIR");
    expect(captureState(repo)).toEqual(before);
    expect(leftWorktrees(repo)).toEqual([]);
  } finally {
    repo.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}, 120_000);
