import {
  type Dirent,
  type FSWatcher,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/*
 * Did the test write anything? The kernel's file events, for trees too big to walk
 * ================================================================================
 *
 * Between runs culprit checks that the test left the working tree as it found it (the settle in
 * src/machine/runs.ts). Up to `walkBudget` files a stat walk answers (src/git/tree-stat.ts);
 * past it, `git add --all` did, every run: about 50 ms a run at 20 000 files, and it grows with
 * the tree. A large tree is watched instead: every folder git can see (not .git, not what git
 * ignores) gets an inotify watch (fs.watch), which the kernel notifies of every entry made,
 * removed, renamed, written or chmodded in it. A test that wrote nothing leaves no event, and the
 * tree is the one the last `git add` gave: no git process.
 *
 * Linux only: the argument below is inotify's (macOS's FSEvents coalesce and delay events, with
 * no order between watches); elsewhere git decides, as it did before.
 *
 * Why no event means no write:
 * - The kernel queues an event in the write, create, unlink, rename, chmod or utimes call itself,
 *   so every event of the test is queued before the test has exited. All watches of the process
 *   share one inotify queue (libuv's, one a loop), read in order: `drain` lets the loop read what
 *   is queued, writes a file in a folder of its own under .git/culprit and waits for that file's
 *   event, after which every event queued before it has been handled.
 * - The count compared (`generation`) is read after a drain and before the `git add` that it
 *   stands for, so a write during or after that add is an event for the next look.
 * - A folder made (by the test or by culprit's checkout) is watched, with every folder in it,
 *   by the look that sees its event, and that look counts as a change (git decides): files
 *   written in it before its watch are in that add. A folder removed or renamed loses its watches
 *   the same way (a watch follows its folder, not its path; a folder made again under the same
 *   name is watched afresh even when it has the same inode number, which ext4 hands out again at
 *   once).
 * - Entries git ignores (the list `git ls-files --ignored` made for the walks) are not watched,
 *   and writes to them do not count. An ignored entry made or removed counts when it is now of
 *   another kind than listed (`build/` removed, and a file `build` made, which no rule may
 *   ignore); an ignored entry the list does not have counts. Events of `.gitignore` files always
 *   count; `.git/info/exclude` is looked at by each look. A `.git` made in a folder (a nested
 *   repository, whose commit git records) gives the watch up.
 * - The kernel drops events when its queue (fs.inotify.max_queued_events, 16 384 by default) is
 *   full, which it cannot be without that many events first, counted over every watch of the
 *   process (`--jobs` watches several trees): past half as many between two looks (a checkout of
 *   thousands of files), every folder is watched afresh and git decides.
 * - Given up (git decides every time): a nested repository, a folder that cannot be read or
 *   whose name is not UTF-8, more folders than `watchLimit` allows, a watch the kernel refuses,
 *   or a drain that does not come back.
 *
 * What it cannot see, where the walk can (by a file's change time): a write through another path
 * to the same file (a hard link from outside the watched folders), or through a shared memory
 * map. Neither can lose your work (the verify that ends every run is git's own, against the
 * backup); the next run would start from that tree.
 */

/**
 * Most folders all watches of the process cover together: a watch costs about 9 µs to add and
 * 2 KB of memory, and comes out of the user's fs.inotify.max_user_watches (8 192 by default
 * before Linux 5.11), which the test's own watchers need too: a quarter of it at most.
 */
export function watchLimit(): number {
  return Math.min(20_000, Math.floor(procNumber("max_user_watches", 8_192) / 4));
}

/**
 * Events between two looks past which the kernel's queue may have overflowed (a full queue drops
 * events, and it cannot be full without that many): half of fs.inotify.max_queued_events.
 */
export function eventBudget(): number {
  return Math.floor(procNumber("max_queued_events", 16_384) / 2);
}

function procNumber(name: string, fallback: number): number {
  try {
    const value = Number(readFileSync(`/proc/sys/fs/inotify/${name}`, "utf8"));
    if (Number.isFinite(value) && value > 0) return value;
  } catch {}
  return fallback;
}

/** How long a drain waits for its own event (ms) before git decides. */
const drainTimeoutMs = 2_000;

/** Events every watch of the process has had (they share one kernel queue), and watches made. */
const shared = { events: 0, watches: 0 };

export interface TreeWatchPlan {
  root: string;
  /** Paths (from the root, no trailing slash) git ignores and does not track: not watched. */
  skip: ReadonlySet<string>;
  /** Those of `skip` that git listed as folders. */
  skipFolders: ReadonlySet<string>;
  /** A folder of the watch's own, outside the tree, for the drains' marker file. */
  markerDir: string;
  /** A file outside the tree whose change changes what git sees (.git/info/exclude). */
  also: readonly string[];
}

/** What a look gives: a digest equal to the last look's while nothing was written. */
export type WatchLook = { kind: "look"; digest: string } | { kind: "off"; why: string };

/** The folder `path` is in ("" for the root). */
function parentOf(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? "" : path.slice(0, at);
}

/** Watches of every folder of a working tree that git can see (see the header). */
export class TreeWatch {
  private readonly watchers = new Map<string, { watcher: FSWatcher; ino: number }>();
  /** The watched folders in each watched folder. */
  private readonly children = new Map<string, Set<string>>();
  /** Folders (from the root) with events naming entries made, removed or renamed in them. */
  private readonly touched = new Map<string, Set<string>>();
  /** Ignored entries made, removed or renamed: a change if now of another kind than listed. */
  private readonly skippedTouched = new Set<string>();
  private generation = 0;
  private eventsAtLook = shared.events;
  /** Every folder to be watched afresh at the next look. */
  private redo = false;
  private marker: { watcher: FSWatcher; ino: number } | null = null;
  private waiting: { name: string; done: (seen: boolean) => void } | null = null;
  private ticks = 0;
  private readonly budget = eventBudget();
  private readonly limit = watchLimit();
  /** Why the watch was given up; then every look says so. */
  off: string | undefined;
  private skip: ReadonlySet<string>;
  private skipFolders: ReadonlySet<string>;

  private constructor(private readonly plan: TreeWatchPlan) {
    this.skip = plan.skip;
    this.skipFolders = plan.skipFolders;
  }

  /** Watches every folder of the tree; a watch that is off when it cannot (see `off`). */
  static start(plan: TreeWatchPlan): TreeWatch {
    const watch = new TreeWatch(plan);
    watch.add("", false);
    return watch;
  }

  /** How many folders are watched. */
  get size(): number {
    return this.watchers.size;
  }

  /**
   * Uses a new list of ignored entries (the walks listed it again): folders it no longer skips
   * are watched, and the next look counts as a change.
   */
  useSkip(skip: ReadonlySet<string>, skipFolders: ReadonlySet<string>): void {
    if (skip === this.skip || this.off !== undefined) return;
    const same =
      skip.size === this.skip.size &&
      skipFolders.size === this.skipFolders.size &&
      [...skip].every((path) => this.skip.has(path)) &&
      [...skipFolders].every((path) => this.skipFolders.has(path));
    this.skip = skip;
    this.skipFolders = skipFolders;
    if (same) return;
    this.generation += 1;
    this.add("", false);
  }

  /** After every event queued so far is handled: a digest that changes with any write since. */
  async look(): Promise<WatchLook> {
    if (this.off === undefined && !(await this.drain())) this.stop("its events stopped coming");
    if (this.off !== undefined) return { kind: "off", why: this.off };
    const touched = [...this.touched];
    this.touched.clear();
    const skipped = [...this.skippedTouched];
    this.skippedTouched.clear();
    if (this.redo || shared.events - this.eventsAtLook > this.budget) {
      this.redo = false;
      // Events may have been lost (a checkout of thousands of files, culprit's own, or another
      // watch's): every folder is watched afresh, a change whatever the events said.
      this.generation += 1;
      this.forget("");
      this.add("", true);
    } else {
      // Folders made or removed since: watched (or not) from now on. Their events already count.
      for (const [folder, names] of touched) this.reconcile(folder, names);
      for (const path of skipped) if (this.kindChanged(path)) this.generation += 1;
    }
    this.eventsAtLook = shared.events;
    if (this.off !== undefined) return { kind: "off", why: this.off };
    let also = "";
    for (const path of this.plan.also) {
      try {
        const s = lstatSync(path);
        also += `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs};`;
      } catch {
        also += "absent;";
      }
    }
    return { kind: "look", digest: `${this.generation}:${also}` };
  }

  /** Removes every watch, and the drains' folder. */
  close(): void {
    this.forget("");
    this.marker?.watcher.close();
    this.marker = null;
    this.waiting?.done(false);
    rmSync(this.plan.markerDir, { recursive: true, force: true });
  }

  private stop(why: string): void {
    this.off ??= why;
    this.close();
  }

  /** True when `path` is, or is inside, an entry git ignores. */
  private skipped(path: string): boolean {
    if (this.skip.size === 0) return false;
    for (let at = path.indexOf("/"); at >= 0; at = path.indexOf("/", at + 1))
      if (this.skip.has(path.slice(0, at))) return true;
    return this.skip.has(path);
  }

  /** An ignored entry that is now of another kind (folder or not) than git listed it. */
  private kindChanged(path: string): boolean {
    try {
      return lstatSync(join(this.plan.root, path)).isDirectory() !== this.skipFolders.has(path);
    } catch {
      // Gone: an ignored entry removed changes nothing git sees.
      return false;
    }
  }

  /**
   * Watches `folder` and the folders in it: all of them afresh when `fresh` (a folder just made,
   * or made again), else those not watched yet or that are other folders now.
   */
  private add(folder: string, fresh: boolean): void {
    const folders: [string, boolean][] = [[folder, fresh]];
    for (let next = folders.pop(); next !== undefined; next = folders.pop()) {
      if (this.off !== undefined) return;
      const [at, renew] = next;
      // Decoded with a replacement character: the path no longer names the folder.
      if (at.includes("\uFFFD")) {
        this.stop(`a folder name in ${parentOf(at) || "the root folder"} is not UTF-8`);
        return;
      }
      const path = join(this.plan.root, at);
      let entries: Dirent[];
      let ino: number;
      try {
        ino = lstatSync(path).ino;
        entries = readdirSync(path, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Gone meanwhile (or a file now): the event of that is in its parent's watch.
        if (code === "ENOENT" || code === "ENOTDIR") {
          this.forget(at);
          continue;
        }
        this.stop(`${at || "the root folder"} cannot be read (${code ?? String(error)})`);
        return;
      }
      const known = this.watchers.get(at);
      const watched = !renew && known?.ino === ino;
      if (!watched) {
        if (known) this.forget(at);
        if (shared.watches >= this.limit) {
          this.stop(`more than ${this.limit} folders to watch`);
          return;
        }
        try {
          const watcher = watch(path, { persistent: false }, (type, name) =>
            this.event(at, type, name),
          );
          watcher.on("error", () => {
            this.generation += 1;
            this.touched.set(parentOf(at), new Set([at.slice(at.lastIndexOf("/") + 1)]));
          });
          this.watchers.set(at, { watcher, ino });
          shared.watches += 1;
          if (at !== "") {
            const siblings = this.children.get(parentOf(at)) ?? new Set<string>();
            siblings.add(at);
            this.children.set(parentOf(at), siblings);
          }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ENOENT" || code === "ENOTDIR") continue;
          this.stop(`a watch was refused (${code ?? String(error)})`);
          return;
        }
      }
      for (const entry of entries) {
        if (entry.name === ".git") {
          if (at === "") continue;
          this.stop(`a nested repository in ${at}`);
          return;
        }
        if (!entry.isDirectory()) continue;
        const child = at === "" ? entry.name : `${at}/${entry.name}`;
        // A folder newly watched is walked whole; in one watched already, only new folders.
        if (!this.skipped(child)) folders.push([child, !watched]);
      }
    }
  }

  /** Removes the watches of `folder` and of every folder in it. */
  private forget(folder: string): void {
    const stack = [folder];
    for (let path = stack.pop(); path !== undefined; path = stack.pop()) {
      const known = this.watchers.get(path);
      if (known) {
        known.watcher.close();
        this.watchers.delete(path);
        shared.watches -= 1;
      }
      const inside = this.children.get(path);
      if (inside) {
        stack.push(...inside);
        this.children.delete(path);
      }
      if (path !== "") this.children.get(parentOf(path))?.delete(path);
    }
  }

  /**
   * After events naming `names` in `folder` (entries made, removed or renamed): each that is a
   * folder now is watched afresh (it may be another folder under the same name), each that is
   * not has no watch.
   */
  private reconcile(folder: string, names: Set<string>): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(this.plan.root, folder), { withFileTypes: true });
    } catch {
      // The folder itself is gone: so are the watches in it (its parent has the event).
      this.forget(folder);
      return;
    }
    const folders = new Set<string>();
    for (const entry of entries) if (entry.isDirectory()) folders.add(entry.name);
    const prefix = folder === "" ? "" : `${folder}/`;
    for (const name of names) {
      const child = `${prefix}${name}`;
      if (folders.has(name) && !this.skipped(child)) this.add(child, true);
      else this.forget(child);
    }
  }

  private event(folder: string, type: string, name: string | Buffer | null): void {
    shared.events += 1;
    if (this.off !== undefined) return;
    if (name === null) {
      // libuv always names the entry; were it not to, git decides, and the watches are redone.
      this.generation += 1;
      this.redo = true;
      return;
    }
    const entry = String(name);
    if (entry === ".git") {
      if (folder === "") return;
      // Made in a folder watched already (git init): git records a nested repository's commit.
      this.generation += 1;
      this.stop(`a nested repository in ${folder}`);
      return;
    }
    const path = folder === "" ? entry : `${folder}/${entry}`;
    if (entry !== ".gitignore" && this.skipped(path)) {
      if (type === "rename" && this.skip.has(path)) this.skippedTouched.add(path);
      return;
    }
    this.generation += 1;
    // "rename": an entry made, removed or renamed, perhaps a folder.
    if (type !== "rename") return;
    const names = this.touched.get(folder) ?? new Set<string>();
    names.add(entry);
    this.touched.set(folder, names);
  }

  /** Waits until every event queued before the call is handled; false when that cannot be told. */
  private async drain(): Promise<boolean> {
    const dir = this.plan.markerDir;
    let timer: NodeJS.Timeout | undefined;
    let name: string | undefined;
    try {
      mkdirSync(dir, { recursive: true });
      const ino = lstatSync(dir).ino;
      if (this.marker?.ino !== ino) {
        this.marker?.watcher.close();
        const watcher = watch(dir, { persistent: false }, (_type, seen) => {
          shared.events += 1;
          if (this.waiting && String(seen) === this.waiting.name) this.waiting.done(true);
        });
        watcher.on("error", () => {});
        this.marker = { watcher, ino };
      }
      // Two turns of the loop first, so that its poll reads what is queued: a full queue would
      // drop the marker's own event.
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
      this.ticks += 1;
      const marker = `drain-${process.pid}-${this.ticks}`;
      name = marker;
      const seen = new Promise<boolean>((resolve) => {
        this.waiting = { name: marker, done: resolve };
        timer = setTimeout(() => resolve(false), drainTimeoutMs);
      });
      writeFileSync(join(dir, marker), "");
      return await seen;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.waiting = null;
      if (name !== undefined) rmSync(join(dir, name), { force: true });
    }
  }
}
