import { lstatSync, lutimesSync } from "node:fs";
import { join } from "node:path";
import { type Repo, splitZ } from "./repo.js";
import { resetWorktree } from "./snapshot.js";

/*
 * A file replaced within the same second by one of the same size
 * ===============================================================
 *
 * Python trusts a cached .pyc (`__pycache__/x.cpython-311.pyc`) while its source has the size
 * and the modification time in whole seconds that the .pyc recorded (PEP 552's default,
 * timestamp-based pycs). A baseline written in place within the second of your last edit, with a
 * file of the same size (`13` changed to `14`), ran your compiled code: "fails 3/3 without",
 * PRE-EXISTING, exit 0, for a regression. And your version put back within the second the
 * baseline's was compiled left HEAD's bytecode in __pycache__: your own runs afterwards ran
 * HEAD's code, with nothing in the report (python-humanize/humanize). Other tools keyed on size
 * and whole-second mtime (make on a file system with one-second times, rsync's quick check)
 * fail the same way.
 *
 * So after culprit writes files over others (a baseline entered, your tree given back), every
 * file of the same size as the one it replaced, with a modification time in the same second,
 * gets the start of the next second as its modification time: less than a second ahead of the
 * clock, and later than anything built from the replaced file (nothing can have been built in a
 * later second yet). Waiting for that second instead cost up to a second at each switch, and a
 * one-character edit with a quick test met it most of the time (`bench/overhead.js` edits
 * `v1 = 1` into `v1 = 2`). What a time ahead of the clock can do: make, run within that
 * second, warns of clock skew.
 */

/** Size and whole-second modification time of a regular file, and which file it is. */
export interface Stamp {
  size: number;
  second: number;
  /** Inode and change time: the same file, untouched, has both. */
  identity: string;
}

function stampOf(path: string): Stamp | null {
  try {
    const s = lstatSync(path, { bigint: true });
    if (!s.isFile()) return null;
    return {
      size: Number(s.size),
      second: Number(s.mtimeNs / 1_000_000_000n),
      identity: `${s.ino}:${s.ctimeNs}`,
    };
  } catch {
    return null;
  }
}

/** The stamps of the regular files among `paths` (from the repository root), before a switch. */
export function secondStamps(root: string, paths: readonly string[]): Map<string, Stamp> {
  const stamps = new Map<string, Stamp>();
  for (const path of paths) {
    const stamp = stampOf(join(root, path));
    if (stamp) stamps.set(path, stamp);
  }
  return stamps;
}

/**
 * After the switch: the files it wrote (another inode or change time than before) that have the
 * size and the whole-second modification time of the file they replaced (`before`) get the
 * start of the next second (or now, when that has come) as their modification time; a file the
 * switch left alone (an assume-unchanged one under the stash) is not touched. Returns the paths
 * touched.
 */
export function separateSeconds(root: string, before: ReadonlyMap<string, Stamp>): string[] {
  const clash: string[] = [];
  for (const [path, old] of before) {
    const now = stampOf(join(root, path));
    if (!now || now.identity === old.identity) continue;
    if (now.size !== old.size || now.second !== old.second) continue;
    clash.push(path);
    const next = new Date(Math.max((old.second + 1) * 1000, Date.now()));
    try {
      lutimesSync(join(root, path), next, next);
    } catch {
      // Gone meanwhile (the test's doing): nothing to date.
    }
  }
  return clash;
}

/**
 * Runs `write`, a switch of the working tree that may write `paths` (from the repository root),
 * and dates apart what it wrote (`separateSeconds`): the one way culprit's switches keep a file
 * of the same size out of the second of the file it replaced. `dated`: whether any file was.
 */
export async function writeApart<T>(
  root: string,
  paths: readonly string[],
  write: () => Promise<T>,
): Promise<{ value: T; dated: boolean }> {
  const before = secondStamps(root, paths);
  const value = await write();
  return { value, dated: separateSeconds(root, before).length > 0 };
}

/**
 * Resets a worktree of culprit's (isolate's configurations, bisect's commits) from tree `from`
 * to tree `to`, the files it rewrites with the same size in the same second dated a second
 * later: one configuration's `__pycache__` would pass for the next one's when a hunk changes
 * one character (a worktree keeps its own, never linked).
 */
export async function switchTree(repo: Repo, from: string | null, to: string): Promise<void> {
  const changed =
    from === null
      ? []
      : splitZ(
          await repo.git.run(["diff-tree", "-r", "-z", "--name-only", "--no-renames", from, to]),
        );
  await writeApart(repo.root, changed, () => resetWorktree(repo, to));
}
