import {
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
} from "node:fs";
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
 * goes counts as live), and none has it open. Without /proc it stays. Returns true when the lock
 * was removed (the call that met it did nothing, and can be made again).
 */
export function dropStaleIndexLock(indexFile: string): boolean {
  const lock = `${indexFile}.lock`;
  // Gone already: another process held it and let go, and the call failed as git says.
  if (!existsSync(lock)) return false;
  const marker = `GIT_INDEX_FILE=${indexFile}`;
  return removeUnheld(lock, (pid) =>
    readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker),
  );
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
 * folder inside `root` or `gitDir`, read from /proc: your editor's git counts), nor has any
 * process the lock open. Without /proc it stays. Returns true when it was removed.
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
  const inside = (path: string) =>
    [root, gitDir].some((f) => path === f || path.startsWith(`${f}/`));
  return removeUnheld(
    lock,
    (pid) =>
      readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("git") &&
      inside(readlinkSync(`/proc/${pid}/cwd`)),
  );
}

/**
 * Removes `lock` unless a live process holds it, by `holds(pid)` (which throws where /proc does
 * not let it look) or by having the file open (a git writes the new index through its lock's
 * descriptor until it renames the lock over the index: also a git whose folder or environment
 * says nothing of the repository, `--git-dir`). One pass over /proc. Without /proc, or with no
 * process it could look at, nothing proves the lock free: it stays. True when it was removed.
 */
function removeUnheld(lock: string, holds: (pid: string) => boolean): boolean {
  let entries: string[];
  let real: string;
  try {
    entries = readdirSync("/proc");
    // /proc shows an open file's path with its links resolved.
    real = join(realpathSync(dirname(lock)), basename(lock));
  } catch {
    return false;
  }
  let looked = false;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (holds(pid)) return false;
      looked = true;
    } catch {}
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === real) return false;
      } catch {}
    }
  }
  if (!looked) return false;
  try {
    rmSync(lock, { force: true });
  } catch {
    return false;
  }
  return true;
}

/**
 * Removes what processes that are gone left in `dir` (a kill -9, a run stopped by an error): the
 * entries whose name `pattern` takes a pid from (its first group), when no such process lives.
 */
export function sweepDead(dir: string, pattern: RegExp): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH")
        rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}
