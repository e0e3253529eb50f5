import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { dropStaleIndexLock, dropStaleRealIndexLock } from "../../src/git/stale-lock.js";
import { failingGit } from "../repos/failing-git.js";
import { leftAside } from "../repos/fault-matrix.js";
import {
  captureState,
  culpritRefs,
  runCulpritAsync,
  startCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { readJournal } from "../repos/journal.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

/*
 * A git of culprit's killed while it held the lock of culprit's private index
 * (.git/culprit/work-index.lock): a SIGKILL of the whole process tree, or a SIGTERM that lands
 * while git is inside the `open` that creates the lock (git arms the handler that removes it only
 * after). Every later git on that index failed with "Unable to create '….lock': File exists":
 * the restore of the interrupted run ("could not restore your work by itself", seen in CI with a
 * tree-kill during the baseline's checkout), and every later culprit run in the repository
 * ("stopped, no verdict"), until the user found the file and deleted it. A lock no process holds
 * is now removed and the call made again; one a live process holds is left alone.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const command = ["--", "node", "check.mjs"];
const workIndexLock = (r: TestRepo) => join(r.dir, ".git", "culprit", "work-index.lock");

function regressionRepo(): TestRepo {
  const r = baseRepo();
  introduceBug(r);
  r.write("drafts/idea.txt", "untracked work\n");
  return r;
}

/**
 * Runs culprit (`args`) while the first git call of `fault` takes its lock, sends culprit
 * SIGTERM and dies by SIGKILL holding the lock: a tree-kill landing in git's `open`.
 */
async function killedHoldingLock(
  r: TestRepo,
  fault: { command: string; withArg: string },
  args: string[],
) {
  const git = failingGit(r, { ...fault, at: "*", dies: "SIGKILL" });
  try {
    const before = captureState(r);
    const { child, exited } = startCulprit(
      r,
      ["--json", "--no-cache", "--runs", "3", ...args, ...command],
      git.env,
    );
    git.killCulpritToo(child.pid!);
    return { ...(await exited), before, failures: git.failures() };
  } finally {
    git.cleanup();
  }
}

test("a tree-kill that leaves the baseline checkout's lock behind: interrupted, your work back, nothing left", {
  timeout: 120_000,
}, async () => {
  repo = regressionRepo();
  // The read-tree that writes the baseline.
  const { status, stdout, stderr, before, failures } = await killedHoldingLock(
    repo,
    { command: "read-tree", withArg: "-u" },
    [],
  );
  expect(failures).toBe(1);
  expect(stderr).not.toContain("could not restore");
  expect(status, stderr).toBe(143);
  const json = JSON.parse(stdout) as { verdict: string; interrupted: string; reason: string };
  expect(json.interrupted).toBe("SIGTERM");
  expect(json.verdict).toBe("inconclusive");
  expect(json.reason).toContain("interrupted by SIGTERM");
  expect(captureState(repo)).toEqual(before);
  expect(existsSync(workIndexLock(repo))).toBe(false);
  expect(readJournal(repo)).toBeNull();
  expect(culpritRefs(repo)).toEqual([]);
  expect(leftAside(repo)).toBe(false);
  expect(repo.git("stash", "list")).toBe("");
});

test("a lock a dead run's git left on culprit's index does not stop the next run", async () => {
  repo = regressionRepo();
  mkdirSync(join(repo.dir, ".git", "culprit"), { recursive: true });
  writeFileSync(workIndexLock(repo), "");
  // And a temporary index of a culprit process that is gone.
  const deadTmp = join(repo.dir, ".git", "culprit", "index.999999999.1.tmp");
  writeFileSync(deadTmp, "");
  const before = captureState(repo);
  const result = await runCulpritAsync(repo, ["--json", "--no-cache", "--runs", "3", ...command]);
  expect(result.stdout, result.stderr).not.toBe("");
  const json = JSON.parse(result.stdout) as { verdict: string; restore: { verified: boolean } };
  expect(json.verdict, result.stderr).toBe("regression");
  expect(result.status).toBe(1);
  expect(json.restore.verified).toBe(true);
  expect(captureState(repo)).toEqual(before);
  expect(existsSync(workIndexLock(repo))).toBe(false);
  expect(existsSync(deadTmp)).toBe(false);
  expect(culpritRefs(repo)).toEqual([]);
});

test("a lock a live process holds is left alone: culprit stops before touching your work", async () => {
  repo = regressionRepo();
  mkdirSync(join(repo.dir, ".git", "culprit"), { recursive: true });
  writeFileSync(workIndexLock(repo), "");
  // A git of an earlier culprit run still going on that index (here a process started as such).
  const holder = spawn("sleep", ["60"], {
    env: { ...process.env, GIT_INDEX_FILE: join(repo.dir, ".git", "culprit", "work-index") },
    stdio: "ignore",
  });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["--json", "--no-cache", "--runs", "3", ...command]);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain("work-index.lock': File exists");
    expect(result.stderr).toContain("Your work was not touched");
    expect(captureState(repo)).toEqual(before);
    expect(existsSync(workIndexLock(repo))).toBe(true);
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    holder.kill("SIGKILL");
  }
});

test("--strategy stash: a tree-kill that leaves git stash's index.lock behind: interrupted, your work back, your git not locked out", {
  timeout: 120_000,
}, async () => {
  repo = regressionRepo();
  const { status, stdout, stderr, before, failures } = await killedHoldingLock(
    repo,
    { command: "stash", withArg: "push" },
    ["--strategy", "stash"],
  );
  expect(failures).toBe(1);
  expect(status, stderr).toBe(143);
  expect((JSON.parse(stdout) as { interrupted: string }).interrupted).toBe("SIGTERM");
  expect(captureState(repo)).toEqual(before);
  // Every git of yours would refuse: "Another git process seems to be running".
  expect(existsSync(join(repo.dir, ".git", "index.lock"))).toBe(false);
  repo.git("update-index", "-q", "--refresh");
  expect(readJournal(repo)).toBeNull();
  expect(culpritRefs(repo)).toEqual([]);
  expect(repo.git("stash", "list")).toBe("");
});

test("--strategy stash: kill -9 of culprit while git stash dies holding index.lock: culprit recover removes the lock and says so", {
  timeout: 120_000,
}, async () => {
  repo = regressionRepo();
  const git = failingGit(repo, { command: "stash", withArg: "push", at: "*", dies: "SIGKILL" });
  try {
    const before = captureState(repo);
    const { child, exited } = startCulprit(
      repo,
      ["--json", "--no-cache", "--runs", "3", "--strategy", "stash", ...command],
      git.env,
    );
    // The dying git kills culprit first: culprit never sees its git fail (polling for the
    // failure and then killing culprit raced culprit's own clean-up of the lock).
    git.killCulpritToo(child.pid!, "SIGKILL");
    const { signal } = await exited;
    expect(signal).toBe("SIGKILL");
    expect(git.failures()).toBe(1);
    const lock = join(repo.dir, ".git", "index.lock");
    expect(existsSync(lock)).toBe(true);
    const recovered = await runCulpritAsync(repo, ["recover"]);
    expect(recovered.status, recovered.stderr).toBe(0);
    expect(recovered.stderr + recovered.stdout).toContain(`removed ${lock}`);
    expect(existsSync(lock)).toBe(false);
    expect(captureState(repo)).toEqual(before);
    expect(readJournal(repo)).toBeNull();
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    git.cleanup();
  }
});

/** A process that holds `path` open (its stdin), its folder `/`, its environment without git's. */
function holdOpen(path: string) {
  const fd = openSync(path, "r");
  try {
    return spawn("sleep", ["60"], {
      cwd: "/",
      env: { PATH: process.env["PATH"] ?? "" },
      stdio: [fd, "ignore", "ignore"],
    });
  } finally {
    // Only the child holds it.
    closeSync(fd);
  }
}

test("a lock some live process holds open is left alone, whatever its folder and environment say", async () => {
  repo = regressionRepo();
  const gitDir = join(repo.dir, ".git");
  const real = join(gitDir, "index.lock");
  const work = join(gitDir, "culprit", "work-index");
  mkdirSync(join(gitDir, "culprit"), { recursive: true });
  writeFileSync(real, "");
  writeFileSync(`${work}.lock`, "");
  const holders = [holdOpen(real), holdOpen(`${work}.lock`)];
  await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    expect(dropStaleRealIndexLock(gitDir, repo.dir, 0)).toBe(false);
    expect(dropStaleIndexLock(work)).toBe(false);
    expect(existsSync(real)).toBe(true);
    expect(existsSync(`${work}.lock`)).toBe(true);
  } finally {
    for (const holder of holders) holder.kill("SIGKILL");
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  // Let go: nothing holds them now.
  expect(dropStaleRealIndexLock(gitDir, repo.dir, 0)).toBe(true);
  expect(dropStaleIndexLock(work)).toBe(true);
  expect(existsSync(real)).toBe(false);
  expect(existsSync(`${work}.lock`)).toBe(false);
});
