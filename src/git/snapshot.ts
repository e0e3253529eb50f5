import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  rmdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { GitCommandError } from "../errors.js";
import { headCommit, headRef, type Repo, splitZ } from "./repo.js";
import { sweepDead } from "./stale-lock.js";
import {
  indexEntryCount,
  racyMs,
  type TreeWalk,
  type Walks,
  walkBudget,
  walkTree,
} from "./tree-stat.js";
import { TreeWatch } from "./tree-watch.js";

/** What "the user's state" is, reduced to comparable values. */
export interface Fingerprint {
  head: string | null;
  headRef: string | null;
  /** sha256 of `git ls-files --stage -v`: entries, modes, stages, assume-unchanged/skip-worktree tags. */
  index: string;
  /** Tree of the working tree, untracked non-ignored files included. */
  worktree: string;
  /** Empty untracked directories (git has no tree entry for them). */
  emptyDirs: string[];
}

let tmpCounter = 0;

/**
 * Copies an index file keeping its mtime (rounded down): git decides which entries are
 * "racily clean" (modified in the same instant the index was written, same size) by comparing
 * file mtimes with the index's own mtime. A copy stamped "now" would hide such an edit and the
 * snapshot would miss it. https://git-scm.com/docs/racy-git
 */
export function copyIndexFile(from: string, to: string): void {
  copyFileSync(from, to);
  const { atimeMs, mtimeMs } = statSync(from);
  utimesSync(to, Math.floor(atimeMs) / 1000, Math.floor(mtimeMs) / 1000);
}

/** A private index file path under the state dir. */
export function tmpIndexPath(repo: Repo): string {
  tmpCounter += 1;
  // The test may have deleted the state dir: recreate it rather than fail a restore.
  mkdirSync(repo.stateDir, { recursive: true });
  return join(repo.stateDir, `index.${process.pid}.${tmpCounter}.tmp`);
}

/**
 * Gives the repository a private index for the length of a run, seeded from the real index (its
 * stat data, so that only changed files are hashed): every snapshot and reset goes through it and
 * leaves it describing the working tree, so the next one hashes only what changed since. The real
 * index is never written. Returns the function that removes it.
 */
/** Where a run's private index lives (a dead run's is removed by `culprit recover`). */
export function workIndexPath(repo: Repo): string {
  return join(repo.stateDir, "work-index");
}

/** The marker of an add's start (`markAdd`; a dead run's is removed by `culprit recover`). */
export function addMarkPath(repo: Repo): string {
  return join(repo.stateDir, "add-mark");
}

/** The folder of the watch's drain markers (a dead run's is removed by `culprit recover`). */
export function watchMarkerPath(repo: Repo): string {
  return join(repo.stateDir, "watch");
}

export function useWorkIndex(repo: Repo): () => void {
  const path = workIndexPath(repo);
  mkdirSync(repo.stateDir, { recursive: true });
  rmSync(path, { force: true });
  // The temporary indexes (and locks) of culprit processes that are gone.
  sweepDead(repo.stateDir, /^index\.(\d+)\.\d+\.tmp(?:\.lock)?$/);
  repo.workIndex = path;
  repo.workIndexInSync = false;
  repo.workIndexTree = undefined;
  forgetWalks(repo);
  return () => {
    repo.workIndex = undefined;
    repo.workIndexInSync = false;
    repo.workIndexTree = undefined;
    forgetWalks(repo);
    repo.treeWatch?.close();
    repo.treeWatch = undefined;
    rmSync(path, { force: true });
    rmSync(addMarkPath(repo), { force: true });
  };
}

/**
 * The identity of an index file (inode, size, modification and change times in ns), or null
 * without one. Git writes an index through a lock file renamed over it, so any write gives a new
 * inode: the same stamp is the same file, unwritten.
 */
export function indexStamp(path: string): string | null {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

/** Records that the work index now holds `tree`. */
function workIndexHolds(repo: Repo, work: string, tree: string): void {
  const stamp = indexStamp(work);
  repo.workIndexTree = stamp === null ? undefined : { tree, stamp };
}

/**
 * Puts `paths` (files on disk that belong to the snapshot, ignored or not: files put back by
 * culprit) into the work index, hashing them now, so that the next snapshot has them whatever
 * the ignore rules say. Without a work index there is nothing to do: every snapshot then starts
 * from the real index, which takes such files from HEAD.
 */
export async function trackPaths(repo: Repo, paths: readonly string[]): Promise<void> {
  const work = repo.workIndex;
  if (!work || paths.length === 0 || !existsSync(work)) return;
  repo.workIndexInSync = false;
  // Ignored files the work index tracks from now on: the walks must not skip them.
  forgetWalks(repo);
  // update-index takes each path as a path (add's pathspecs would match every file against
  // every path given: quadratic with 10 000 untracked files) and knows no ignore rules.
  await repo.git.run(["update-index", "--add", "-z", "--stdin"], {
    indexFile: work,
    input: paths.map((p) => `${p}\0`).join(""),
  });
}

/**
 * Says that something other than a snapshot or a reset may have written the working tree: a
 * test (`by: "test"`: the next snapshot's walk tells what it wrote) or culprit itself (a
 * checkout, a stash, files moved: the next snapshot asks git, since culprit's own writes may
 * fall in the clock tick of the last walk).
 */
export function workTreeTouched(repo: Repo, by: "test" | "culprit" = "culprit"): void {
  repo.workIndexInSync = false;
  if (by === "culprit") forgetWalks(repo);
  // A run is about to start: what the walk after it skips is listed meanwhile.
  else if (repo.workIndex && existsSync(repo.workIndex)) listIgnoredForWalks(repo, repo.workIndex);
}

/**
 * The walks start over: no walk is compared with one taken before, and the ignored entries are
 * listed again (what the work index tracks may have changed, and a skipped path may now be one
 * that git tracks).
 */
function forgetWalks(repo: Repo): void {
  const off = repo.walks?.off;
  repo.walks = off === undefined ? {} : { off };
}

/**
 * A look at the working tree: a stat walk (src/git/tree-stat.ts) or, past `walkBudget` files,
 * what the watch of its folders saw (src/git/tree-watch.ts); null when neither can be had: no
 * list of the ignored entries yet (it is made while a run goes), or looks given up.
 */
async function lookAtWorktree(repo: Repo): Promise<TreeWalk | null> {
  if (!repo.workIndex) return null;
  const how = lookPossible(repo, repo.workIndex);
  // A watch spares a git add that costs more than the listing still going (a quick test).
  if (how === "watch" && repo.walks?.listing) await repo.walks.listing;
  const skip = repo.walks?.skip;
  if (!skip) return null;
  const exclude = join(repo.commonDir, "info", "exclude");
  if (how === "walk") {
    const walk = walkTree({ root: repo.root, skip, also: [exclude] });
    if (walk.kind === "off") repo.walks = { off: walk.why };
    return walk;
  }
  if (how !== "watch") return null;
  const skipFolders = repo.walks?.skipFolders ?? new Set<string>();
  if (repo.treeWatch) repo.treeWatch.useSkip(skip, skipFolders);
  else {
    repo.treeWatch = TreeWatch.start({
      root: repo.root,
      skip,
      skipFolders,
      markerDir: watchMarkerPath(repo),
      also: [exclude],
    });
  }
  const look = await repo.treeWatch.look();
  if (look.kind === "off") {
    repo.walks = { off: look.why };
    return null;
  }
  // Not comparable with a walk's digest (a hex sha1).
  return { kind: "walk", digest: `watch:${look.digest}`, newest: Number.POSITIVE_INFINITY };
}

/**
 * How the tree is looked at: walked while the work index holds few enough files for a walk to
 * beat git (its header says how many, before any walk), else watched; null once looks are given
 * up for this tree.
 */
function lookPossible(repo: Repo, work: string): "walk" | "watch" | null {
  if (repo.walks?.off !== undefined) return null;
  const files = indexEntryCount(work);
  if (files !== null && files <= walkBudget) return "walk";
  // The watch's argument is inotify's (one queue, read in order): elsewhere git decides.
  if (process.platform !== "linux") return null;
  return repo.treeWatch?.off === undefined ? "watch" : null;
}

/**
 * Lists, in the background, what the walks skip, when there is no list, against the work index
 * as it is now: while a run goes, before the snapshot after it (once a side: a reset, files
 * tracked or an add that changed the index drop the list). Not awaited: until it is in there is
 * no walk. An add since (it only adds files git does not ignore, and takes deleted ones out)
 * leaves the list right. The test may make ignored files while git lists: they are skipped, as
 * git ignores them; any it makes after are walked, which costs time, not correctness.
 */
function listIgnoredForWalks(repo: Repo, work: string): void {
  const walks = repo.walks ?? {};
  repo.walks = walks;
  if (!lookPossible(repo, work) || walks.skip || walks.listing) return;
  const listing: Promise<void> = ignoredEntries(repo, work).then(
    (ignored) => {
      // Unless the list was dropped meanwhile (`forgetWalks`: what the index tracks changed).
      if (repo.walks?.listing !== listing || repo.workIndex !== work) return;
      const folders = ignored.filter((entry) => entry.endsWith("/"));
      const skip = ignored.map((entry) => entry.replace(/\/$/, ""));
      repo.walks = {
        ...repo.walks,
        skip: new Set([...skip, ...(repo.excluded ?? [])]),
        skipFolders: new Set(folders.map((entry) => entry.slice(0, -1))),
      };
      delete repo.walks.listing;
    },
    () => {},
  );
  walks.listing = listing;
}

/**
 * The entries git ignores and the work index does not track (folders with their slash). Git
 * also lists a folder that is not ignored itself but holds only ignored files (`logs/` beside
 * `logs/a.log`, under `*.log`), followed by those files: such a folder is not skipped, since a
 * file the test writes there that no rule ignores is a change (only its listed files are).
 */
async function ignoredEntries(repo: Repo, work: string): Promise<string[]> {
  const out = await repo.git.run(
    ["ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"],
    { indexFile: work },
  );
  const listed = splitZ(out).sort();
  return listed.filter((entry, i) => !entry.endsWith("/") || !listed[i + 1]?.startsWith(entry));
}

/** Copies the real index to `index` (or starts it empty), as the base of a private index. */
async function seedIndex(repo: Repo, index: string): Promise<void> {
  const real = join(repo.gitDir, "index");
  // The test may have deleted the state dir: recreate it rather than fail a restore.
  mkdirSync(dirname(index), { recursive: true });
  // Starting from a copy of the real index keeps git's stat cache: only changed files are hashed.
  if (existsSync(real)) copyIndexFile(real, index);
}

/**
 * The paths among `paths` that git does not ignore in that worktree: a link to a folder is a file
 * to git, so a `dir/` rule does not match it, and snapshots must leave it out explicitly (naming
 * an ignored path in `git add`'s pathspec is an error, so only these are named).
 */
export async function notIgnored(repo: Repo, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const result = await repo.git.tryRun(["check-ignore", "-z", "--stdin"], {
    input: paths.map((p) => `${p}\0`).join(""),
  });
  const ignored = new Set(splitZ(result.stdout));
  return paths.filter((p) => !ignored.has(p));
}

/**
 * Makes private index `index` describe the working tree (tracked and untracked, ignored files
 * excluded; files HEAD has that the real index dropped are taken too when `seeded`). `copied`:
 * `index` is a copy of the real index just made (`seedIndex`), with its assume-unchanged marks.
 */
async function addAll(repo: Repo, index: string, seeded: boolean, copied = seeded): Promise<void> {
  const exclude = () => (repo.excluded ?? []).map((path) => `:(exclude,literal)${path}`);
  // The files the real index dropped are read from the real index and HEAD: asked at once.
  const droppedAsked = seeded ? droppedFilesOnDisk(repo) : null;
  droppedAsked?.catch(() => {});
  // And the entries your index marks assume-unchanged (the copy has the marks): asked at once.
  const assumedAsked = copied ? assumedUnchanged(repo, index) : null;
  assumedAsked?.catch(() => {});
  try {
    await repo.git.run(["add", "--all", "--", ".", ...exclude()], { indexFile: index });
  } catch (error) {
    // A link left out that the test replaced by a folder git ignores (vitest --coverage removes
    // a linked coverage/ and makes its own): naming an ignored path is an error. Ask again.
    const ignored =
      error instanceof GitCommandError &&
      /are ignored by one of your \.gitignore files/.test(error.stderr);
    if (!ignored || !repo.excluded) throw error;
    repo.excluded = await notIgnored(repo, repo.excluded);
    await repo.git.run(["add", "--all", "--", ".", ...exclude()], { indexFile: index });
  }
  const assumed = (await assumedAsked) ?? [];
  if (assumed.length > 0) {
    // git reads no file whose entry is marked: the add above took the index's blob for each,
    // your edit unseen (the backup held HEAD's bytes, and every baseline wrote them over your
    // edit: micromatch/picomatch trial). This private index drops the marks (yours keeps them)
    // and takes those files as they are.
    const input = assumed.map((p) => `${p}\0`).join("");
    await repo.git.run(["update-index", "--no-assume-unchanged", "-z", "--stdin"], {
      indexFile: index,
      input,
    });
    await repo.git.run(["add", "--all", "--pathspec-from-file=-", "--pathspec-file-nul"], {
      indexFile: index,
      input: assumed.map((p) => `:(literal)${p}\0`).join(""),
    });
  }
  if (!droppedAsked) return;
  const dropped = await droppedAsked;
  if (dropped.length > 0) {
    await repo.git.run(["add", "--force", "--pathspec-from-file=-", "--pathspec-file-nul"], {
      indexFile: index,
      input: dropped.map((p) => `:(literal)${p}\0`).join(""),
    });
  }
}

/**
 * Writes the working tree (tracked and untracked, ignored files excluded) as a tree object,
 * through a private index (the run's work index, or a copy of the real one): the real index is
 * never written.
 */
export async function snapshotWorktree(
  repo: Repo,
  options: { byGit?: boolean } = {},
): Promise<string> {
  const work = repo.workIndex;
  if (work) {
    const seeded = !existsSync(work);
    const known = seeded ? undefined : repo.workIndexTree;
    // Nothing written since the walk before the last add: that add's tree, and no git process.
    // Not for the backup and the verify (`byGit`): what says your work is back is git's add.
    const walk = seeded || options.byGit ? null : await lookAtWorktree(repo);
    const same = walk?.kind === "walk" ? treeOfWalk(walk, repo.walks) : undefined;
    if (repo.walks) delete repo.walks.last;
    if (
      walk?.kind === "walk" &&
      same !== undefined &&
      known?.tree === same &&
      indexStamp(work) === known.stamp
    ) {
      repo.walks!.last = { digest: walk.digest, tree: same };
      repo.workIndexInSync = true;
      return same;
    }
    const started = markAdd(repo);
    if (seeded) await seedIndex(repo, work);
    await addAll(repo, work, seeded);
    repo.workIndexInSync = true;
    // `add` found nothing to change (it writes the index whenever an entry or its stat data
    // changes): the tree is the one the index held, no write-tree needed. The common case after
    // a run that wrote nothing.
    const unchanged = known !== undefined && indexStamp(work) === known.stamp;
    let tree: string;
    if (unchanged) tree = known.tree;
    else {
      // What the index tracks may have grown by paths the list skips (the ignore rules changed:
      // a .gitignore line removed): listed again before the next run.
      forgetWalks(repo);
      tree = (await repo.git.run(["write-tree"], { indexFile: work })).trim();
      workIndexHolds(repo, work, tree);
    }
    if (repo.walks) {
      if (walk?.kind === "walk") repo.walks.last = { digest: walk.digest, tree };
      if (started !== null) repo.walks.since = { at: started, tree };
      else delete repo.walks.since;
    }
    return tree;
  }
  const index = tmpIndexPath(repo);
  try {
    await seedIndex(repo, index);
    await addAll(repo, index, true);
    return (await repo.git.run(["write-tree"], { indexFile: index })).trim();
  } finally {
    rmSync(index, { force: true });
  }
}

/**
 * The tree a walk stands for, if any: the walk before the last add's tree when the two walks are
 * the same, or, with no walk before that add, its tree when nothing the walk saw is newer than
 * the add's start (src/git/tree-stat.ts).
 */
function treeOfWalk(
  walk: Extract<TreeWalk, { kind: "walk" }>,
  walks: Walks | undefined,
): string | undefined {
  const before = walks?.last;
  if (before !== undefined) return before.digest === walk.digest ? before.tree : undefined;
  const since = walks?.since;
  return since !== undefined && walk.newest < since.at - racyMs ? since.tree : undefined;
}

/**
 * Marks the start of an add through the work index: the change time (ms) of a marker file written
 * now under .git/culprit, by the clock that stamps the tree's files; null when the marker is not
 * on the tree's file system, or cannot be written (`Walks.since` is then not used).
 */
function markAdd(repo: Repo): number | null {
  try {
    const marker = addMarkPath(repo);
    // A write of any byte sets the file's change time, the same content or not.
    writeFileSync(marker, "m");
    const stat = statSync(marker);
    return stat.dev === statSync(repo.root).dev ? stat.ctimeMs : null;
  } catch {
    return null;
  }
}

/**
 * The paths of the entries of `index` marked assume-unchanged (`git ls-files -v` gives them a
 * lowercase tag).
 */
async function assumedUnchanged(repo: Repo, index: string): Promise<string[]> {
  const out = await repo.git.run(["ls-files", "-v", "-z"], { indexFile: index });
  return splitZ(out)
    .filter((entry) => /^[a-z] /.test(entry))
    .map((entry) => entry.slice(2));
}

/**
 * Files HEAD has that the index dropped (`git rm --cached`) and that are on disk, ignored or not:
 * `git stash` saves them in its tree (it diffs the work tree against HEAD) and puts HEAD's version
 * in their place, so the snapshot, and with it the backup, must hold them too. `add --all` alone
 * skips the ignored ones.
 */
async function droppedFilesOnDisk(repo: Repo): Promise<string[]> {
  const result = await repo.git.tryRun([
    "diff-index",
    "--cached",
    "--name-only",
    "--diff-filter=D",
    "--no-renames",
    "-z",
    "HEAD",
    "--",
  ]);
  if (result.exitCode !== 0) return [];
  return splitZ(result.stdout).filter((path) => {
    try {
      // A folder in place of the file is not the file: its ignored content is not taken.
      return !lstatSync(join(repo.root, path)).isDirectory();
    } catch {
      return false;
    }
  });
}

/** Tree of what the index holds, computed on a copy (write-tree would rewrite the real index's cache). */
export async function indexTree(repo: Repo): Promise<string> {
  const index = tmpIndexPath(repo);
  try {
    const real = join(repo.gitDir, "index");
    if (existsSync(real)) copyIndexFile(real, index);
    else await repo.git.run(["read-tree", "--empty"], { indexFile: index });
    return (await repo.git.run(["write-tree"], { indexFile: index })).trim();
  } finally {
    rmSync(index, { force: true });
  }
}

/** Hash of the index's entries (not its stat cache). */
export async function indexDigest(repo: Repo): Promise<string> {
  const out = await repo.git.run(["ls-files", "--stage", "-v", "-z"]);
  return createHash("sha256").update(out).digest("hex");
}

/**
 * Empty untracked directories: `git stash -u` and `git clean -d` remove them and no tree can
 * hold them, so they are listed and recreated.
 */
export async function emptyUntrackedDirs(repo: Repo): Promise<string[]> {
  const out = await repo.git.run([
    "ls-files",
    "--others",
    "--directory",
    "--exclude-standard",
    "-z",
  ]);
  const found: string[] = [];
  const walk = (rel: string): void => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(join(repo.root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.length === 0) {
      found.push(rel);
      return;
    }
    if (entries.some((e) => e.name === ".git")) return;
    for (const entry of entries) {
      if (entry.isDirectory()) walk(`${rel}/${entry.name}`);
    }
  };
  for (const path of splitZ(out)) {
    if (path.endsWith("/")) walk(path.slice(0, -1));
  }
  return found.sort();
}

/**
 * Removes the empty untracked directories that are not in `keep` (a test's `mkdir -p out` with
 * nothing left in it): no tree can hold them, so the restored tree could never verify otherwise.
 * Only empty ones: rmdir fails on anything else.
 */
export async function removeEmptyDirsExcept(repo: Repo, keep: readonly string[]): Promise<void> {
  const kept = new Set(keep);
  // A folder emptied by removing its empty subfolders is found on the next pass.
  for (let pass = 0; pass < 64; pass++) {
    const extra = (await emptyUntrackedDirs(repo)).filter((dir) => !kept.has(dir));
    let removed = false;
    for (const dir of extra) {
      try {
        rmdirSync(join(repo.root, dir));
        removed = true;
      } catch {}
    }
    if (!removed) return;
  }
}

/** Fingerprints HEAD, index and working tree (the index's digest given when it is known). */
export async function fingerprint(repo: Repo, knownIndex?: string): Promise<Fingerprint> {
  const [head, ref, index, worktree, emptyDirs] = await Promise.all([
    headCommit(repo.git),
    headRef(repo.git),
    knownIndex ?? indexDigest(repo),
    snapshotWorktree(repo, { byGit: true }),
    emptyUntrackedDirs(repo),
  ]);
  return { head, headRef: ref, index, worktree, emptyDirs };
}

/** The fields in which two fingerprints differ (empty when equal). */
export function compareFingerprints(expected: Fingerprint, actual: Fingerprint): string[] {
  const diffs: string[] = [];
  if (expected.head !== actual.head) diffs.push("HEAD commit");
  if (expected.headRef !== actual.headRef) diffs.push("HEAD branch");
  if (expected.index !== actual.index) diffs.push("index");
  if (expected.worktree !== actual.worktree) diffs.push("working tree");
  if (expected.emptyDirs.join("\0") !== actual.emptyDirs.join("\0")) {
    const made = actual.emptyDirs.filter((d) => !expected.emptyDirs.includes(d));
    const gone = expected.emptyDirs.filter((d) => !actual.emptyDirs.includes(d));
    const named = [...made.map((d) => `${d}/ made`), ...gone.map((d) => `${d}/ gone`)];
    const more = named.length > 3 ? `, and ${named.length - 3} more` : "";
    diffs.push(`empty folders (${named.slice(0, 3).join(", ")}${more})`);
  }
  return diffs;
}

/**
 * Makes the working tree match `tree` (untracked non-ignored files included), touching only the
 * paths that differ, leaving ignored files and the real index alone.
 */
export async function resetWorktree(repo: Repo, tree: string): Promise<void> {
  const work = repo.workIndex;
  if (work) {
    // The private index first describes the tree as it is now (untracked files included), so
    // that `read-tree --reset -u` updates what differs and removes what the target lacks.
    if (!repo.workIndexInSync || !existsSync(work)) await snapshotWorktree(repo);
    repo.workIndexInSync = false;
    repo.workIndexTree = undefined;
    // Another tree: other paths tracked (one the ignore rules match, say), and files written.
    forgetWalks(repo);
    await repo.git.run(["read-tree", "--reset", "-u", tree], { indexFile: work });
    repo.workIndexInSync = true;
    workIndexHolds(repo, work, tree);
    return;
  }
  const index = tmpIndexPath(repo);
  try {
    await seedIndex(repo, index);
    // As a snapshot describes it (what `repo.excluded` leaves out is left alone: `culprit
    // recover` in a baseline whose rules do not ignore what yours do removed node_modules).
    await addAll(repo, index, false, true);
    await repo.git.run(["read-tree", "--reset", "-u", tree], { indexFile: index });
  } finally {
    rmSync(index, { force: true });
  }
}
