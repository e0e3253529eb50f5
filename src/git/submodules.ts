import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { askedOnce, type Repo, splitZ } from "./repo.js";
import { createGit } from "./run-git.js";
import { tmpIndexPath } from "./snapshot.js";

/*
 * Submodules at the baseline
 * ==========================
 *
 * culprit leaves submodules alone (DESIGN.md): no git call recurses into them, and a reset, a
 * stash or a checkout of the superproject never changes what a submodule's folder holds. So a
 * submodule your tree has at another commit than the baseline records (after `git submodule
 * update --remote`, or a `git pull` inside it), and a git repository inside your tree that git
 * does not track (a clone in a subfolder, which `git add` would take as a submodule), stay as
 * they are while the baseline runs, as they do through `git stash -u`. The baseline's tree is
 * then the base tree with your commits of those submodules: what the runs there must leave, and
 * what the report names, so that a failure such a commit brings is not read as the baseline's.
 */

/** A submodule (or a repository inside the tree) the baseline keeps at your commit. */
export interface KeptSubmodule {
  path: string;
  /** The commit your tree has it at. */
  commit: string;
  /** The commit the baseline's tree records, or null when it has no submodule there. */
  baseline: string | null;
}

/** What differs between your tree and a baseline's, as the baselines reset in place need it. */
export interface BaselineDiff {
  /** Files and symbolic links of your tree that the baseline has otherwise or not at all. */
  move: string[];
  /** Submodules your tree has at another commit than the baseline, or that it lacks. */
  kept: KeptSubmodule[];
  /** Folders the baseline has among those of the paths that differ (each with its parents). */
  baseFolders: string[];
}

const asked = new WeakMap<Repo, Map<string, Promise<BaselineDiff>>>();

/** The differences between `userTree` and `baseTree` (one `git diff-tree`, asked once a pair). */
export function baselineDiff(
  repo: Repo,
  userTree: string,
  baseTree: string,
): Promise<BaselineDiff> {
  let known = asked.get(repo);
  if (!known) {
    known = new Map();
    asked.set(repo, known);
  }
  return askedOnce(known, `${userTree} ${baseTree}`, () => readDiff(repo, userTree, baseTree));
}

async function readDiff(repo: Repo, userTree: string, baseTree: string): Promise<BaselineDiff> {
  const out = await repo.git.run([
    "diff-tree",
    "-r",
    "-z",
    "--no-renames",
    "--raw",
    userTree,
    baseTree,
  ]);
  return parseRawDiff(out);
}

/** Parses `git diff-tree -r -z --raw USER BASE` into what to move and what stays. */
export function parseRawDiff(out: string): BaselineDiff {
  const fields = out.split("\0");
  const move: string[] = [];
  const kept: KeptSubmodule[] = [];
  const baseFolders = new Set<string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    // ":<user mode> <base mode> <user sha> <base sha> <status>", then the path.
    const [userMode, baseMode, userSha, baseSha] = fields[i]!.slice(1).split(" ");
    const path = fields[i + 1]!;
    if (baseMode !== "000000")
      for (let at = path.lastIndexOf("/"); at > 0; at = path.lastIndexOf("/", at - 1))
        baseFolders.add(path.slice(0, at));
    if (userMode === "160000") {
      kept.push({ path, commit: userSha!, baseline: baseMode === "160000" ? baseSha! : null });
    } else if (userMode !== "000000") {
      move.push(path);
    }
  }
  return { move, kept, baseFolders: [...baseFolders].sort() };
}

/**
 * The tree a baseline reset in place to `baseTree` leaves on disk: `baseTree` with the submodules
 * of `kept` at your commits (the base tree itself when there are none; then no git process).
 */
export async function withKeptSubmodules(
  repo: Repo,
  baseTree: string,
  kept: readonly KeptSubmodule[],
): Promise<string> {
  if (kept.length === 0) return baseTree;
  const index = tmpIndexPath(repo);
  try {
    await repo.git.run(["read-tree", baseTree], { indexFile: index });
    // A file of the base tree where your submodule is (or under it) is replaced by it.
    await repo.git.run(["update-index", "--add", "--replace", "-z", "--index-info"], {
      indexFile: index,
      input: kept.map((s) => `160000 ${s.commit}\t${s.path}\0`).join(""),
    });
    return (await repo.git.run(["write-tree"], { indexFile: index })).trim();
  } finally {
    rmSync(index, { force: true });
  }
}

/*
 * Submodules in culprit's worktrees
 * =================================
 *
 * `git worktree add` leaves a submodule's folder empty, so a test that needs its files could not
 * run in any worktree: `culprit bisect` answered "UNRUNNABLE: the command could not run at HEAD"
 * in a repository whose test runs fine in your tree. Each submodule you have checked out is
 * cloned into the worktree (`git clone --shared --no-checkout`: its objects are borrowed from
 * yours, nothing of yours is written) and checked out at the commit the worktree's tree records;
 * when a bisection moves the worktree to another commit, the clone follows. A submodule you have
 * not checked out, or whose recorded commit your clone lacks, stays empty, as before. Nested
 * submodules are not filled.
 */

/** The submodules (path, commit) a tree records, as its checked-out `.gitmodules` lists them. */
async function recordedSubmodules(worktree: Repo, tree: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!existsSync(join(worktree.root, ".gitmodules"))) return found;
  const listed = await worktree.git.tryRun([
    "config",
    "-z",
    "--file",
    ".gitmodules",
    "--get-regexp",
    "^submodule\\..*\\.path$",
  ]);
  const paths = splitZ(listed.stdout)
    .map((entry) => entry.slice(entry.indexOf("\n") + 1))
    .filter((path) => path !== "");
  if (paths.length === 0) return found;
  const out = await worktree.git.run([
    "ls-tree",
    "-z",
    "--full-tree",
    tree,
    "--",
    ...paths.map((p) => `:(literal)${p}`),
  ]);
  for (const entry of splitZ(out)) {
    const tab = entry.indexOf("\t");
    const [mode, , sha] = entry.slice(0, tab).split(" ");
    if (mode === "160000") found.set(entry.slice(tab + 1), sha!);
  }
  return found;
}

/**
 * Makes the submodules of a worktree (`worktree`, whose files are `tree`) hold the commits the
 * tree records, cloned from yours (`from`). Clones the tree no longer has are removed (they are
 * culprit's, inside its worktree). A submodule that cannot be filled stays empty.
 */
export async function fillSubmodules(from: Repo, worktree: Repo, tree: string): Promise<void> {
  worktree.submodules ??= new Map<string, string>();
  const filled = worktree.submodules;
  if (filled.size === 0 && !existsSync(join(from.root, ".gitmodules"))) return;
  const wanted = await recordedSubmodules(worktree, tree);
  for (const path of [...filled.keys()]) {
    if (wanted.has(path)) continue;
    rmSync(join(worktree.root, path), { recursive: true, force: true });
    filled.delete(path);
  }
  for (const [path, sha] of wanted) {
    if (filled.get(path) === sha) continue;
    const target = join(worktree.root, path);
    // A clone the test took apart is made again.
    if (!existsSync(join(target, ".git"))) filled.delete(path);
    try {
      if (!filled.has(path)) {
        const source = join(from.root, path);
        if (!existsSync(join(source, ".git"))) continue;
        rmSync(target, { recursive: true, force: true });
        mkdirSync(target, { recursive: true });
        await createGit(worktree.root).run([
          "clone",
          "--shared",
          "--no-checkout",
          "--quiet",
          "--",
          source,
          target,
        ]);
        filled.set(path, "");
      }
      // --force: what a test wrote in the clone is not kept (it is culprit's). The clone's git
      // dir is named: git never looks further up, to the worktree's repository.
      await createGit(worktree.root).run([
        `--git-dir=${join(target, ".git")}`,
        `--work-tree=${target}`,
        "checkout",
        "--quiet",
        "--force",
        "--detach",
        sha,
      ]);
      filled.set(path, sha);
    } catch {
      // Not there in your clone (or not cloneable): the folder stays empty, as git left it.
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target, { recursive: true });
      filled.delete(path);
    }
  }
}
