import { readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * A lock on one of culprit's private index files that no git holds any more.
 *
 * Only culprit's own gits use a private index (its work index, the temporary ones), and each
 * takes `<index>.lock` while it writes. A git killed by a signal normally removes its lock on the
 * way out, but not always: a SIGKILL (a `kill -9` of the whole process tree) gives it no way out,
 * and a SIGTERM that arrives while git is inside the `open` that creates the lock is delivered
 * before git has armed its handler (git 2.39's tempfile.c registers the lock after the open).
 * Every later git on that index then fails with "Unable to create '….lock': File exists": the
 * restore of an interrupted run (CI, a tree-kill during the baseline's checkout), and every later
 * culprit run in that repository, with nothing the user could do but find and delete the file.
 *
 * The lock is stale when no process holds it: asked once none of this process's calls on that
 * index is going (src/git/run-git.ts waits for them), it is stale when no live process was
 * started with GIT_INDEX_FILE naming it (read from /proc: a git of a dead culprit run that still
 * goes counts as live). Without /proc it stays. Returns true when the lock was removed (the
 * call that met it did nothing, and can be made again).
 */
export function dropStaleIndexLock(indexFile: string): boolean {
  const lock = `${indexFile}.lock`;
  try {
    statSync(lock);
  } catch {
    // Gone already: another process held it and let go, and the call failed as git says.
    return false;
  }
  // Without /proc nothing proves the lock stale: it stays (a git of a dead run may still go).
  const holders = processesWithIndex(indexFile);
  if (holders === null || holders > 0 || heldOpen(lock)) return false;
  try {
    rmSync(lock, { force: true });
  } catch {
    return false;
  }
  return true;
}

/** How many live processes were started with GIT_INDEX_FILE=`indexFile`; null without /proc. */
function processesWithIndex(indexFile: string): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const marker = `GIT_INDEX_FILE=${indexFile}`;
  let found = 0;
  let readable = false;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8");
      readable = true;
      if (environ.split("\0").includes(marker)) found++;
    } catch {}
  }
  // A /proc whose environments cannot be read proves nothing.
  return readable ? found : null;
}

/** Whether git's stderr says that it could not take a lock because the lock file exists. */
export function lockExists(stderr: string): boolean {
  return /Unable to create '.*\.lock': File exists/.test(stderr);
}

/**
 * The repository's own `index.lock` when a git of culprit's that writes the real index (`git
 * stash`, a stat refresh) was killed holding it, as above: every git of yours then refuses
 * ("Another git process seems to be running"). Removed when it was made since `since` (ms; the
 * killed call's start, or the dead run's) and no live git process works in the repository (its
 * folder inside `root` or `gitDir`, read from /proc: your editor's git counts). Without /proc it
 * stays. Returns true when it was removed.
 */
export function dropStaleRealIndexLock(gitDir: string, root: string, since: number): boolean {
  const lock = join(gitDir, "index.lock");
  let mtimeMs: number;
  try {
    mtimeMs = statSync(lock).mtimeMs;
  } catch {
    return false;
  }
  // Older than culprit's git: not culprit's to judge (its preflight waits for such a lock).
  if (mtimeMs < since - 2_000) return false;
  if (liveGitsIn([root, gitDir]) !== 0 || heldOpen(lock)) return false;
  try {
    rmSync(lock, { force: true });
  } catch {
    return false;
  }
  return true;
}

/** Live git processes whose folder is inside one of `folders`; null without /proc. */
function liveGitsIn(folders: readonly string[]): number | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const inside = (path: string) => folders.some((f) => path === f || path.startsWith(`${f}/`));
  let found = 0;
  let readable = false;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      readable = true;
      if (comm.startsWith("git") && inside(cwd)) found++;
    } catch {}
  }
  return readable ? found : null;
}

/**
 * Whether a live process has `path` open (a git writes the new index through its lock's file
 * descriptor until it renames the lock over the index), from the descriptors /proc shows: also a
 * git whose folder or environment says nothing of the repository (`--git-dir`).
 */
function heldOpen(path: string): boolean {
  let entries: string[];
  let real: string;
  try {
    // /proc shows the path with its links resolved.
    real = join(realpathSync(dirname(path)), basename(path));
    entries = readdirSync("/proc");
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === real) return true;
      } catch {}
    }
  }
  return false;
}
