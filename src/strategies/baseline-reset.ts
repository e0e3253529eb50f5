import {
  type Aside,
  dropAside,
  keepCwdFolder,
  keepFolders,
  moveAside,
  moveBack,
  treeWithout,
} from "../git/aside.js";
import { ignoredInTheWay } from "../git/ignored.js";
import { writeApart } from "../git/mtime.js";
import type { Repo } from "../git/repo.js";
import { resetWorktree, trackPaths, workTreeTouched } from "../git/snapshot.js";
import { baselineDiff, withKeptSubmodules } from "../git/submodules.js";
import { messages } from "../messages.js";
import type { Strategy, StrategyName } from "./types.js";

/** A baseline made by resetting the working tree in place to a tree. */
export interface TreeBaseline {
  name: StrategyName;
  /** The revision as the user reads it, for messages and the journal: "HEAD", "origin/main". */
  rev: string;
  /** The tree the baseline is. */
  tree: string;
  /** The user's tree as backed up (what `leave` puts back). */
  userTree: string;
  /** Extra journal fields recorded on entering. */
  journal?: object;
}

/**
 * The working tree reset in place to `tree`: only the paths that differ are written (changed
 * files put back, untracked files moved aside into the backup), ignored files (node_modules,
 * build caches, virtualenvs) stay where they are and usable, HEAD and the real index are not
 * written. Back: the working tree is reset to the user's tree; the machine then verifies HEAD,
 * index and working tree against the backup (and restores from it on any difference).
 */
export function treeBaseline(plan: TreeBaseline): Strategy {
  // Your versions of the changed paths, moved aside while the baseline runs (src/git/aside.ts).
  let aside: Aside | null = null;
  // Your tree without the moved paths: what git resets to before they come back (computed while
  // the baseline is written: it needs only git objects).
  let without: Promise<string> | null = null;
  // What the reset leaves on disk: the tree with your submodules' commits (src/git/submodules.ts).
  let onDisk: Promise<string> | null = null;
  const target = (repo: Repo): Promise<string> => {
    onDisk ??= baselineDiff(repo, plan.userTree, plan.tree).then((diff) =>
      withKeptSubmodules(repo, plan.tree, diff.kept),
    );
    return onDisk.catch((error) => {
      onDisk = null;
      throw error;
    });
  };
  return {
    name: plan.name,
    restoreVia: "reset",
    target,
    async enter(repo, journal, ignored) {
      // Putting the tree's files where ignored files are would delete those: no such baseline.
      // What to move: files of your tree the baseline has otherwise or not at all.
      const [inTheWay, { move: paths, baseFolders }] = await Promise.all([
        ignoredInTheWay(repo, plan.tree, ignored),
        baselineDiff(repo, plan.userTree, plan.tree),
      ]);
      if (inTheWay.length > 0) throw new Error(messages.ignoredInTheWayOfBase(inTheWay, plan.rev));
      journal("enter-baseline", `check out ${plan.rev}`, plan.journal);
      // A baseline file written in the same second as yours, with the same size, gets a later
      // time (a .pyc of yours would pass for it: src/git/mtime.ts).
      const { dated } = await writeApart(repo.root, paths, async () => {
        aside = moveAside(repo, paths, baseFolders);
        if (aside) {
          journal("enter-baseline", "moved aside");
          without = treeWithout(repo, plan.userTree, aside.moved);
          // Awaited by leave; a failure there fails the leave (never an unhandled rejection).
          without.catch(() => {});
        }
        // The work index still lists the moved files: git finds them gone and writes the
        // baseline's versions of those the baseline has. It also removes the folders it leaves
        // empty: the one culprit runs in stays (an untracked folder of yours, moved aside: made
        // again on the way back, your shell was left in the removed one, p-map trial).
        const release = keepCwdFolder(repo);
        try {
          if (release) journal("enter-baseline", "your folder kept");
          await resetWorktree(repo, plan.tree);
        } finally {
          release?.();
        }
      });
      if (dated) workTreeTouched(repo);
      journal("enter-baseline", "checked out");
      return target(repo);
    },
    async leave(repo, journal) {
      journal("leave-baseline", "reset to your tree");
      try {
        if (!aside) {
          await resetWorktree(repo, plan.userTree);
          return true;
        }
        // Your tree without the moved paths first (git removes the baseline's files there and
        // writes the paths it could not move), then the moved files back in place.
        // Within the second the baseline's file of the same size was compiled: a later time.
        const moving = aside;
        await writeApart(repo.root, moving.moved, async () => {
          const release = keepFolders(repo, moving.moved);
          try {
            await resetWorktree(
              repo,
              await (without ?? treeWithout(repo, plan.userTree, moving.moved)),
            );
            journal("leave-baseline", "moving back");
            workTreeTouched(repo);
            moveBack(repo, moving);
          } finally {
            release();
          }
        });
        // Hashed now, so that the snapshot that verifies has them, ignored ones included (a file
        // dropped from the index and ignored since is still yours).
        await trackPaths(repo, aside.moved);
        aside = null;
        without = null;
        return true;
      } catch {
        workTreeTouched(repo);
        return false;
      }
    },
    // After a verified restore from the backup, the files still aside are in it: they go.
    async discard(repo) {
      if (aside) dropAside(repo);
      aside = null;
      without = null;
    },
  };
}

/**
 * The default baseline: HEAD's files put back in place of your changes and your untracked files
 * moved aside, with less work than `git stash -u` (no commits, the index not rewritten; only the
 * changed paths are written). Unlike the stash, the real index keeps your staged changes while
 * the baseline runs (`--strategy stash` gives HEAD's index too).
 */
export function baselineReset(headTree: string, userTree: string): Strategy {
  return treeBaseline({ name: "baseline-reset", rev: "HEAD", tree: headTree, userTree });
}
