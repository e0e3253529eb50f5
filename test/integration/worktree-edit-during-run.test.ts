import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { binPath, captureState, culpritRefs, type TestRepo } from "../repos/harness.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";
import { waitForState } from "../repos/slow-check.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// A check that takes a while on both sides: a window in which the user keeps working.
const slowCheck = `import { add } from "./lib.mjs";
setTimeout(() => process.exit(add(2, 2) === 4 ? 0 : 1), 700);
`;

test("--worktree: an edit saved during the run stays, and the verdict is the tree's as it started", async () => {
  repo = baseRepo();
  repo.write("slow-check.mjs", slowCheck);
  repo.commit("slow check");
  introduceBug(repo);
  repo.write("wip/notes.txt", "untracked work in progress\n");
  repo.write("README.md", "# sample\n\nstaged edit\n");
  repo.git("add", "README.md");
  const before = captureState(repo);
  const child = spawn(
    process.execPath,
    [binPath, "--worktree", "--json", "--", "node", "slow-check.mjs"],
    { cwd: repo.dir, env: repo.env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  await waitForState(repo, "probe-parallel");
  // The user fixes the bug and saves a new file while culprit runs.
  const fixed = "export function add(a, b) {\n  return a + b; // fixed meanwhile\n}\n";
  writeFileSync(join(repo.dir, "lib.mjs"), fixed);
  writeFileSync(join(repo.dir, "wip/more.txt"), "written during the run\n");
  const status = await exited;
  const json = JSON.parse(stdout) as {
    verdict: string;
    restore: { touched: boolean };
    worktrees: { jobs: number } | null;
  };
  // The verdict is the one for the tree as it was when culprit started (the bug in lib.mjs).
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(json.restore.touched).toBe(false);
  expect(json.worktrees).not.toBeNull();
  // The edits are there, untouched; everything else is as before (index, HEAD, stash...).
  expect(readFileSync(join(repo.dir, "lib.mjs"), "utf8")).toBe(fixed);
  expect(readFileSync(join(repo.dir, "wip/more.txt"), "utf8")).toBe("written during the run\n");
  const after = captureState(repo);
  const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
  expect(changed.sort()).toEqual(["file lib.mjs", "file wip/more.txt", "status"]);
  expect(leftWorktrees(repo)).toEqual([]);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
}, 120_000);
