import {
  existsSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import type { Repo } from "./repo.js";
import { tmpIndexPath } from "./snapshot.js";

/*
 * Your changed and untracked files moved aside, not rewritten
 * ============================================================
 *
 * A baseline reset in place (src/strategies/baseline-reset.ts) has to take your version of every
 * changed path out of the working tree and give it back afterwards. Git does both by writing
 * files: it deletes yours on the way in and writes them again from their blobs on the way out,
 * one loose object read and one file written per path (a stash pop does the same). With 2 000
 * changed and 2 000 untracked files that way back costs more than the rest of a run together.
 *
 * So the files are renamed instead, into `.git/culprit/aside/` (same file system: a rename is
 * one metadata operation whatever the file's size), before git writes the baseline's versions,
 * and renamed back after git has removed those. Their bytes are never read or written: what
 * comes back is exactly what was there (line endings, filters, hard links and all), only the
 * modification time is set to now, as a checkout would: a build tool that compiled the baseline
 * in between must see your files as newer than its outputs.
 *
 * Safety: the backup (src/git/backup.ts) holds every one of these files before anything moves,
 * and the machine verifies the tree against it after the way back. A rename that fails on the
 * way in leaves that file to git (it is then written the usual way); one that fails on the way
 * back fails the leave, and the machine restores from the backup, after which the aside folder
 * is removed (`dropAside`), as `culprit recover` does after a crash.
 *
 * In the aside folder a file has no name of its own, only its place in the list (`0`, `1`, ...):
 * the folder is inside the working tree (`.git/` is), and test discovery looks there. `node
 * --test` with no path (Node 20) walks into `.git/` and ran a moved-aside `test/new.test.mjs`,
 * which imported the moved-aside `src/price.mjs` beside it: your changes, run at the baseline.
 * A file with no extension matches no runner's pattern, and resolves no import.
 */

/** What `moveAside` moved. */
export interface Aside {
  /** The folder the files are in, each named by its place in `moved`. */
  dir: string;
  /** Paths (from the root) that were moved, in the order they were. */
  moved: string[];
}

/** The folder of a run's moved files. */
export function asideDir(repo: Repo): string {
  return join(repo.stateDir, "aside");
}

/**
 * Moves your version of `paths` into the aside folder; null when nothing can be moved this way
 * (the folder is on another file system, or one is already there: it is never reused).
 */
export function moveAside(
  repo: Repo,
  paths: readonly string[],
  baseFolders: readonly string[] = [],
): Aside | null {
  if (paths.length === 0) return null;
  const dir = asideDir(repo);
  if (existsSync(dir)) return null;
  mkdirSync(dir, { recursive: true });
  try {
    if (statSync(dir).dev !== statSync(repo.root).dev) {
      rmdirSync(dir);
      return null;
    }
  } catch {
    return null;
  }
  const moved: string[] = [];
  const emptied = new Set<string>();
  for (const path of paths) {
    const from = join(repo.root, path);
    const to = join(dir, String(moved.length));
    try {
      // A folder where the file was (a test's, or a submodule git does not list) stays to git.
      if (lstatSync(from).isDirectory()) continue;
      renameSync(from, to);
      moved.push(path);
      emptied.add(dirname(from));
    } catch {
      // Not moved: git writes over it or removes it, as without the aside folder.
    }
  }
  // Folders left empty go, as git's own removal would take them (the baseline has no such
  // folder); the way back makes them again. A folder that is not empty stays (rmdir refuses).
  // So do the folders the baseline has (git writes its files into them) and the one culprit runs
  // in: removed and made again, the same content was a new folder, your shell was left in the
  // removed one and a watcher lost it (unjs/defu trial; the way back: `keepFolders`).
  const keep = new Set([...baseFolders.map((f) => join(repo.root, f)), ...cwdAndParents()]);
  for (const folder of [...emptied].sort((a, b) => b.length - a.length)) {
    for (let at = folder; at.length > repo.root.length; at = dirname(at)) {
      if (keep.has(at)) break;
      try {
        rmdirSync(at);
      } catch {
        break;
      }
    }
  }
  return { dir, moved };
}

/** The current folder and those above it (none when it is gone). */
function cwdAndParents(): string[] {
  const out: string[] = [];
  try {
    for (let at = process.cwd(); ; at = dirname(at)) {
      out.push(at);
      if (dirname(at) === at) break;
    }
  } catch {}
  return out;
}

/**
 * Keeps the folders of `paths` from being removed while git empties them on the way back (its
 * reset removes a folder it leaves empty, and the move back made it again): an empty placeholder
 * in each, out of git's view (`repo.excluded`) until the returned function removes them. One
 * left by a culprit that died is an untracked file of the tree that recover keeps as residue.
 */
export function keepFolders(repo: Repo, paths: readonly string[]): () => void {
  const name = `.culprit-keep-${process.pid}`;
  const made: string[] = [];
  for (const folder of new Set(paths.map((p) => dirname(p)).filter((d) => d !== "."))) {
    const placeholder = `${folder}/${name}`;
    try {
      if (!lstatSync(join(repo.root, folder)).isDirectory()) continue;
      writeFileSync(join(repo.root, placeholder), "", { flag: "wx" });
      made.push(placeholder);
    } catch {}
  }
  const before = repo.excluded;
  if (made.length > 0) repo.excluded = [...(before ?? []), ...made];
  return () => {
    for (const placeholder of made) rmSync(join(repo.root, placeholder), { force: true });
    repo.excluded = before;
  };
}

/**
 * Keeps the folder culprit runs in (below the root) from being removed while git resets the tree
 * into a baseline that has no such folder: `keepFolders` for that one folder. Your untracked
 * folder, its files moved aside, was removed by the reset and made anew on the way back, and
 * your shell was left in the removed one (p-map trial); `moveAside` keeps it the same way.
 * Null when culprit runs at the root or outside it (nothing to keep).
 */
export function keepCwdFolder(repo: Repo): (() => void) | null {
  const kept = cwdAndParents()[0];
  const rel = kept === undefined ? "" : relative(repo.root, kept);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
  return keepFolders(repo, [`${rel.split(sep).join("/")}/.`]);
}

/**
 * Moves the files back (the paths must be free: the caller has reset the tree to one without
 * them), their modification time set to now; throws on the first that cannot go back (the
 * machine then restores from the backup). The aside folder is removed when all went back.
 */
export function moveBack(repo: Repo, aside: Aside): void {
  const now = new Date();
  const made = new Set<string>();
  for (const [place, path] of aside.moved.entries()) {
    const to = join(repo.root, path);
    const parent = dirname(to);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    // Never over something: whatever is at the path now is not yours and would be lost.
    if (exists(to)) throw new Error(`${path} is in the way of your version`);
    renameSync(join(aside.dir, String(place)), to);
    lutimesSync(to, now, now);
  }
  rmSync(aside.dir, { recursive: true, force: true });
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the aside folder after the tree was restored from the backup and verified (its files
 * are in the backup: nothing is lost).
 */
export function dropAside(repo: Repo): void {
  rmSync(asideDir(repo), { recursive: true, force: true });
}

/** `tree` without `paths` (a tree object written through a private index). */
export async function treeWithout(
  repo: Repo,
  tree: string,
  paths: readonly string[],
): Promise<string> {
  const index = tmpIndexPath(repo);
  try {
    await repo.git.run(["read-tree", tree], { indexFile: index });
    await repo.git.run(["update-index", "--force-remove", "-z", "--stdin"], {
      indexFile: index,
      input: paths.map((p) => `${p}\0`).join(""),
    });
    return (await repo.git.run(["write-tree"], { indexFile: index })).trim();
  } finally {
    rmSync(index, { force: true });
  }
}
