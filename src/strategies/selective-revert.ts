import { rmSync } from "node:fs";
import { ignoredInTheWay } from "../git/ignored.js";
import { writeApart } from "../git/mtime.js";
import type { Repo } from "../git/repo.js";
import { resetWorktree, tmpIndexPath, workTreeTouched } from "../git/snapshot.js";
import { messages } from "../messages.js";
import type { Change } from "./suspects.js";
import type { Strategy } from "./types.js";

/**
 * The tree of the user's work with exactly the `suspects` put back as HEAD has them: modified
 * files restored (content and mode, symlinks and binaries alike), deleted files brought back,
 * new files left out. Built in a private index from git objects; the real index is not touched.
 */
export async function revertedTree(
  repo: Repo,
  userTree: string,
  changes: readonly Change[],
  suspects: readonly string[],
): Promise<string> {
  const wanted = new Set(suspects);
  const picked = changes.filter((c) => wanted.has(c.path));
  // `update-index --index-info` takes "<mode> <object>\t<path>"; mode 0 removes the entry
  // (https://git-scm.com/docs/git-update-index#_using_index_info). Removals go first, so that a
  // file HEAD had where the user now has a folder (or the reverse) finds its place free.
  const removals = picked
    .filter((c) => c.status === "A")
    .map((c) => `0 ${c.headObject}\t${c.path}\0`);
  const restores = picked
    .filter((c) => c.status !== "A")
    .map((c) => `${c.headMode} ${c.headObject}\t${c.path}\0`);
  const index = tmpIndexPath(repo);
  try {
    await repo.git.run(["read-tree", userTree], { indexFile: index });
    await repo.git.run(["update-index", "-z", "--index-info"], {
      indexFile: index,
      input: [...removals, ...restores].join(""),
    });
    return (await repo.git.run(["write-tree"], { indexFile: index })).trim();
  } finally {
    rmSync(index, { force: true });
  }
}

/** What a selective revert needs. */
export interface SelectiveRevertPlan {
  /** The user's working tree as backed up (what `leave` puts back). */
  userTree: string;
  /** Every change between HEAD and `userTree`. */
  changes: readonly Change[];
  /** The changed paths to revert. */
  suspects: readonly string[];
}

/** A selective revert: the strategy, and the baseline tree it will produce (computed once). */
export interface SelectiveRevert extends Strategy {
  readonly suspects: readonly string[];
  /**
   * The baseline tree (writes git objects only; the working tree is not touched). Throws when
   * it cannot be entered: ignored files are in the way of a reverted path (putting a file back
   * where the user has a folder holding ignored files would delete them).
   */
  target(repo: Repo): Promise<string>;
}

/**
 * The baseline is the user's tree with only the suspects reverted to HEAD: `resetWorktree` to
 * that tree (only differing paths are written, ignored files are left alone), and back to the
 * backed-up tree afterwards; the machine then verifies against the backup as for any strategy.
 */
export function selectiveRevert(plan: SelectiveRevertPlan): SelectiveRevert {
  let tree: string | null = null;
  const target = async (repo: Repo): Promise<string> => {
    if (tree) return tree;
    const built = await revertedTree(repo, plan.userTree, plan.changes, plan.suspects);
    const inTheWay = await ignoredInTheWay(repo, built);
    if (inTheWay.length > 0) throw new Error(messages.ignoredInTheWayOfRevert(inTheWay));
    tree = built;
    return tree;
  };
  return {
    name: "selective-revert",
    restoreVia: "reset",
    suspects: plan.suspects,
    target,
    async enter(repo, journal) {
      const baseline = await target(repo);
      journal("enter-baseline", "revert suspects", {
        revert: { suspects: [...plan.suspects], tree: baseline },
      });
      // A reverted file of the same size written in the second of your edit gets a later time
      // (src/git/mtime.ts).
      const { dated } = await writeApart(repo.root, plan.suspects, () =>
        resetWorktree(repo, baseline),
      );
      if (dated) workTreeTouched(repo);
      journal("enter-baseline", "reverted");
      return baseline;
    },
    async leave(repo, journal) {
      journal("leave-baseline", "reset to your tree");
      try {
        const { dated } = await writeApart(repo.root, plan.suspects, () =>
          resetWorktree(repo, plan.userTree),
        );
        if (dated) workTreeTouched(repo);
        return true;
      } catch {
        return false;
      }
    },
    // Nothing outside the working tree to clean up: no stash entry, no ref, the index untouched.
    async discard() {},
  };
}
