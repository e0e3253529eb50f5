import { createHash } from "node:crypto";
import { closeSync, lstatSync, openSync, readdirSync, readSync, type Stats } from "node:fs";
import { join } from "node:path";

/*
 * Did the test write anything? A stat walk instead of a git process
 * ==================================================================
 *
 * After every run culprit checks that the test left the working tree as it found it (the
 * settle in src/machine/runs.ts): a snapshot through the work index, one `git add --all`. Most
 * runs write nothing, and that git process is then the whole cost of the check (about 12 ms on
 * the CI machine, a run of a 200 ms test costing about 320 ms).
 *
 * (The backup and the verify that says your work is back always ask git: the walk only ever
 * serves the check between runs.)
 *
 * So the snapshot first walks the working tree itself: every folder, file and symbolic link git
 * can see (not .git, not the entries git lists as ignored), each with its inode, mode, size, and
 * modification and change times. When that walk is identical to the one taken just before the
 * last `git add`, nothing was written since, and the tree is the one that add produced: no git
 * process. Anything else (one entry differs, a walk that could not be trusted) goes to git as
 * before, so the walk can only spare a git process, never decide that something changed.
 *
 * Why an identical walk means an identical tree:
 * - Writing a file's content, or its mode, sets its change time to the present, and no program
 *   can set it back (utimes sets the modification time only, and changes the change time too).
 *   Creating, removing or renaming an entry changes its folder's times. Replacing a file by a
 *   new one gives another inode or other times.
 * - The walk is taken before the add, so a write between the two shows at the next walk.
 * - Or, with no walk taken before the add (the first look after the backup's add, which no walk
 *   could precede: what a walk skips is listed against the index that add makes): a walk in
 *   which every entry's times are older than the add's start stands for that add's tree. Each
 *   add through the work index first writes a marker file under .git/culprit, on the tree's own
 *   file system (else the rule is not used), and takes the marker's change time as the add's
 *   start, by the clock that stamps the tree's files: any write since, the add's reading
 *   included, gives its entry (or its folder) a change time no older than the marker's. The
 *   walk's newest time must be `racyMs` older still. (`Walks.since`; about 4 ms, a `git add`, of
 *   the first run's check.)
 * - Times are only as fine as the kernel's clock tick (a few ms): a file changed within a tick
 *   of being seen could change again unseen in that same tick. A walk in which anything changed
 *   less than `racyMs` before it started is not kept ("racy", as git calls its own such
 *   entries: https://git-scm.com/docs/racy-git).
 * - Ignored entries are skipped as `git ls-files --others --ignored --directory` listed them
 *   against the work index (so nothing the work index tracks is skipped), while the run before
 *   went. The list is dropped whenever what the work index tracks may have grown: a reset, files
 *   tracked by hand, an add that changed the index (a .gitignore line removed makes git track
 *   what the list still skips). `.gitignore` files are always walked, and `.git/info/exclude` is
 *   part of the walk, so a change of the rules shows. A new ignored folder shows as its parent's
 *   change, and is walked until the list is made again.
 * - Given up (git decides every time): a nested repository (git records its commit, which
 *   changes without a write in the walked tree), or a folder that cannot be read.
 * - Not taken past `walkBudget` entries (git's own stat cache is then quicker than a walk in
 *   JavaScript; the work index's header says how many files there are before any walk): the
 *   tree's folders are watched instead (src/git/tree-watch.ts), with the same list of what to
 *   skip.
 */

/**
 * Most entries one walk looks at before it gives up. An lstat from JavaScript costs about 9 µs
 * here against about 5 µs inside git, whose process costs about 12 ms to start: past about 1500
 * entries a walk costs more than the add it spares (24 000 entries: 205 ms walked, 120 ms for
 * `git add --all`, on the CI machine).
 */
export const walkBudget = 1_500;

/** Entries changed less than this before the walk started make it racy (not kept). */
export const racyMs = 30;

/** What a repository's snapshots know of its walks. */
export interface Walks {
  /** The walk taken just before the add that gave `tree`: while a new walk is the same, so is the tree. */
  last?: { digest: string; tree: string };
  /**
   * The last add through the work index: it gave `tree` and started at `at` (a marker's change
   * time, ms), so a walk whose newest time is older stands for `tree` too (see the header).
   */
  since?: { at: number; tree: string };
  /** What the walks skip: the ignored entries git listed against the work index, and culprit's links. */
  skip?: ReadonlySet<string>;
  /** Those of `skip` that git listed as folders. */
  skipFolders?: ReadonlySet<string>;
  /** The listing of `skip` in progress (it never rejects); one no longer here is not used. */
  listing?: Promise<void>;
  /** Why walks were given up for this tree (then git decides every time). */
  off?: string;
}

/** What a walk of the working tree gave. */
export type TreeWalk =
  /** `newest`: the newest modification or change time it saw (ms; Infinity when unknown). */
  | { kind: "walk"; digest: string; newest: number }
  /** Something changed too recently to tell from a later change in the same clock tick. */
  | { kind: "racy" }
  /** A walk cannot stand for git here (a nested repository, an unreadable folder, too big). */
  | { kind: "off"; why: string };

/** The number of entries an index file holds (its header), or null when it cannot be read. */
export function indexEntryCount(path: string): number | null {
  try {
    const fd = openSync(path, "r");
    try {
      const header = Buffer.alloc(12);
      if (readSync(fd, header, 0, 12, 0) < 12 || header.toString("latin1", 0, 4) !== "DIRC")
        return null;
      return header.readUInt32BE(8);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** What to walk: the tree's root, what to skip, and files outside it whose changes count too. */
export interface WalkPlan {
  root: string;
  /** Paths (from the root, no trailing slash) git ignores and does not track: not walked. */
  skip: ReadonlySet<string>;
  /** Files outside the tree whose change changes what git sees (.git/info/exclude). */
  also: readonly string[];
}

function describe(path: string, s: Stats): string {
  return `${path}\0${s.ino}:${s.mode}:${s.size}:${s.mtimeMs}:${s.ctimeMs}\n`;
}

/** Walks the working tree as the plan says (see the header). */
export function walkTree(plan: WalkPlan): TreeWalk {
  const started = Date.now();
  const hash = createHash("sha1");
  let newest = 0;
  let seen = 0;
  const note = (path: string, s: Stats) => {
    hash.update(describe(path, s));
    newest = Math.max(newest, s.mtimeMs, s.ctimeMs);
  };
  for (const path of plan.also) {
    try {
      note(path, lstatSync(path));
    } catch {
      hash.update(`${path}\0absent\n`);
    }
  }
  const folders = [""];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let names: string[];
    let self: Stats;
    try {
      self = lstatSync(join(plan.root, folder));
      names = readdirSync(join(plan.root, folder)).sort();
    } catch {
      return { kind: "off", why: `cannot read ${folder || "the root folder"}` };
    }
    note(folder, self);
    for (const name of names) {
      if (name === ".git") {
        if (folder === "") continue;
        return { kind: "off", why: `a nested repository in ${folder}` };
      }
      const path = folder === "" ? name : `${folder}/${name}`;
      if (plan.skip.has(path) && name !== ".gitignore") continue;
      seen += 1;
      if (seen > walkBudget) return { kind: "off", why: `more than ${walkBudget} entries` };
      let s: Stats;
      try {
        s = lstatSync(join(plan.root, path));
      } catch {
        // Gone between the listing and the look: a change, which the next walk will not repeat.
        return { kind: "racy" };
      }
      if (s.isDirectory()) folders.push(path);
      else note(path, s);
    }
  }
  if (newest >= started - racyMs) return { kind: "racy" };
  return { kind: "walk", digest: hash.digest("hex"), newest };
}
