import { UsageError } from "../errors.js";
import type { Repo } from "../git/repo.js";
import { messages } from "../messages.js";
import { treeBaseline } from "./baseline-reset.js";
import type { Strategy } from "./types.js";

/** A `--base` revision, resolved. */
export interface BaseRevision {
  /** As the user gave it: `origin/main`, `HEAD~2`, `merge-base:origin/main`. */
  rev: string;
  /** The commit it names. */
  commit: string;
  /** That commit's tree: the baseline. */
  tree: string;
}

const mergeBasePrefix = "merge-base:";

/**
 * Resolves `--base REV` (or `merge-base:REF`, the merge base of HEAD and REF) to a commit that is
 * in this clone, with its tree. A revision the clone does not have (a shallow clone, a branch not
 * fetched) is a UsageError that says what to fetch; nothing is touched.
 */
export async function resolveBase(repo: Repo, rev: string): Promise<BaseRevision> {
  let commit: string;
  if (rev.startsWith(mergeBasePrefix)) {
    const ref = rev.slice(mergeBasePrefix.length);
    if (ref === "") throw new UsageError(messages.baseEmpty());
    const other = await repo.git.tryRun(["rev-parse", "--verify", "-q", `${ref}^{commit}`]);
    if (other.exitCode !== 0) throw new UsageError(messages.baseNotInClone(ref));
    // In a shallow clone the histories may not meet inside what was fetched.
    const found = await repo.git.tryRun(["merge-base", "HEAD", other.stdout.trim()]);
    if (found.exitCode !== 0 || found.stdout.trim() === "")
      throw new UsageError(messages.noMergeBase(ref));
    commit = found.stdout.trim().split("\n")[0]!;
  } else {
    if (rev === "") throw new UsageError(messages.baseEmpty());
    const found = await repo.git.tryRun(["rev-parse", "--verify", "-q", `${rev}^{commit}`]);
    if (found.exitCode !== 0) throw new UsageError(messages.baseNotInClone(rev));
    commit = found.stdout.trim();
  }
  // The commit may be a shallow boundary whose tree is missing (a partial clone): say so now.
  const tree = await repo.git.tryRun(["rev-parse", "--verify", "-q", `${commit}^{tree}`]);
  const present =
    tree.exitCode === 0 &&
    (await repo.git.tryRun(["cat-file", "-e", tree.stdout.trim()])).exitCode === 0;
  if (!present) throw new UsageError(messages.baseNotInClone(rev));
  return { rev, commit, tree: tree.stdout.trim() };
}

/**
 * The baseline is the base revision's tree, reset in place over the working tree (see
 * `treeBaseline`): ignored folders stay usable, HEAD and the index are not moved.
 */
export function baseRevision(base: BaseRevision, userTree: string): Strategy {
  return treeBaseline({
    name: "base-revision",
    rev: base.rev,
    tree: base.tree,
    userTree,
    journal: { base: { rev: base.rev, commit: base.commit, tree: base.tree } },
  });
}
