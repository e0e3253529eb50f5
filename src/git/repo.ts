import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { messages } from "../messages.js";
import { createGit, type Git } from "./run-git.js";
import type { Walks } from "./tree-stat.js";
import type { TreeWatch } from "./tree-watch.js";

/** Where a repository lives and where culprit keeps its state. */
export interface Repo {
  git: Git;
  /** The work tree's top level. */
  root: string;
  /** This work tree's git dir (a linked worktree has its own). */
  gitDir: string;
  /** The git dir shared by all worktrees (objects, refs). */
  commonDir: string;
  /** `.git/culprit` of this work tree: lock, journal, logs. */
  stateDir: string;
  /** Prefix of the refs culprit pins (per work tree, so linked worktrees do not collide). */
  refPrefix: string;
  /**
   * During a run: a private index that follows the working tree (see `useWorkIndex` in
   * snapshot.ts), so that snapshots and resets hash only what changed. Undefined otherwise.
   */
  workIndex?: string;
  /**
   * True while the work index describes the disk exactly (set by a snapshot or a reset through
   * it; cleared by anything else that may write the working tree: a run, a stash, raw bytes).
   */
  workIndexInSync?: boolean;
  /**
   * The tree the work index holds, with the identity of its file when that was known (see
   * `indexStamp` in snapshot.ts): while the file is the same, unwritten, so is the tree.
   */
  workIndexTree?: { tree: string; stamp: string } | undefined;
  /**
   * Paths snapshots leave out: in a worktree, the links and copies of your ignored folders (a link
   * to a folder is not a folder to git, so a `dir/` ignore rule does not match it).
   */
  excluded?: string[];
  /** In a culprit worktree: the submodules cloned into it, and their commits (src/git/submodules.ts). */
  submodules?: Map<string, string>;
  /** The stat walks that spare a git process between runs (src/git/tree-stat.ts). */
  walks?: Walks;
  /** Past `walkBudget` files, the watch of the tree's folders that does it (src/git/tree-watch.ts). */
  treeWatch?: TreeWatch | undefined;
}

/**
 * What `ask` gives for `key`, asked once: the promise is kept in `cache` (git objects never
 * change, so neither does the answer); a failure is asked again next time rather than remembered.
 */
export function askedOnce<K, V>(
  cache: Map<K, Promise<V>>,
  key: K,
  ask: () => Promise<V>,
): Promise<V> {
  let answer = cache.get(key);
  if (!answer) {
    answer = ask();
    cache.set(key, answer);
    answer.catch(() => cache.delete(key));
  }
  return answer;
}

/** Finds the repository containing `cwd`; a UsageError when there is none. */
export async function openRepo(cwd: string): Promise<Repo> {
  const probe = createGit(cwd);
  const result = await probe.tryRun([
    "rev-parse",
    "--is-bare-repository",
    "--show-toplevel",
    "--absolute-git-dir",
    "--git-common-dir",
  ]);
  if (result.exitCode !== 0) throw new UsageError(messages.notARepository(cwd));
  const [bare, root, gitDir, commonRaw] = result.stdout.split("\n");
  if (bare === "true" || !root || !gitDir || !commonRaw) {
    throw new UsageError(messages.bareRepository(cwd));
  }
  const commonDir = commonRaw.startsWith("/") ? commonRaw : join(cwd, commonRaw);
  const linked = gitDir !== commonDir && !gitDir.startsWith(`${commonDir}/modules/`);
  const worktreeName = linked ? gitDir.split("/").pop() : undefined;
  return {
    git: createGit(root, gitDir),
    root,
    gitDir,
    commonDir,
    stateDir: join(gitDir, "culprit"),
    refPrefix: worktreeName ? `refs/culprit/worktrees/${worktreeName}` : "refs/culprit",
  };
}

/** Operations git has in progress that make stashing unsafe; returns the first found. */
export function operationInProgress(repo: Repo): string | null {
  const markers: [string, string][] = [
    ["MERGE_HEAD", "a merge"],
    ["rebase-merge", "a rebase"],
    ["rebase-apply", "a rebase or am"],
    ["CHERRY_PICK_HEAD", "a cherry-pick"],
    ["REVERT_HEAD", "a revert"],
    ["sequencer", "a cherry-pick or revert sequence"],
  ];
  for (const [file, what] of markers) {
    if (existsSync(join(repo.gitDir, file))) return what;
  }
  return null;
}

/** The commit HEAD points to, or null in a repository without commits. */
export async function headCommit(git: Git): Promise<string | null> {
  const result = await git.tryRun(["rev-parse", "--verify", "-q", "HEAD^{commit}"]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** The branch HEAD is on (refs/heads/...), or null when detached. */
export async function headRef(git: Git): Promise<string | null> {
  const result = await git.tryRun(["symbolic-ref", "-q", "HEAD"]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** True when `git status` shows nothing: no staged, unstaged or untracked change. */
export async function isClean(git: Git): Promise<boolean> {
  // --no-optional-locks: only a look; the refreshed index is not written back, so a git command
  // of yours that starts meanwhile never finds index.lock taken by culprit.
  const out = await git.run([
    "--no-optional-locks",
    "status",
    "--porcelain=v1",
    "-z",
    "--untracked-files=normal",
  ]);
  return out.length === 0;
}

/** Paths with unmerged (conflicted) index entries. */
export async function unmergedPaths(git: Git): Promise<string[]> {
  const out = await git.run(["ls-files", "--unmerged", "-z"]);
  return splitZ(out);
}

/** Splits NUL-terminated git output. */
export function splitZ(out: string): string[] {
  return out.split("\0").filter((s) => s.length > 0);
}
