import { existsSync } from "node:fs";
import { join } from "node:path";
import { ignoredInTheWay } from "../git/ignored.js";
import { writeApart } from "../git/mtime.js";
import type { Repo } from "../git/repo.js";
import { stashDrop, stashIndexByMessage, stashIndexOf, stashPop, stashPush } from "../git/stash.js";
import { baselineDiff, withKeptSubmodules } from "../git/submodules.js";
import { messages } from "../messages.js";
import type { Strategy } from "./types.js";

function indexLockPath(repo: Repo): string {
  return join(repo.gitDir, "index.lock");
}

/** Waits up to ~2 s for .git/index.lock to go away; false if it is still there. */
async function waitForIndexLock(repo: Repo): Promise<boolean> {
  for (let i = 0; i < 20 && existsSync(indexLockPath(repo)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !existsSync(indexLockPath(repo));
}

/** Stash message of a run: `culprit recover` finds the entry by it. */
export function stashMessageFor(runId: string): string {
  return `culprit baseline ${runId}`;
}

/** The baseline is HEAD: `git stash push --include-untracked`, then `git stash pop --index`. */
export function baselineStash(runId: string, headTree: string, userTree: string): Strategy {
  let sha: string | null = null;
  const message = stashMessageFor(runId);
  // HEAD's tree with your submodules' commits: the stash leaves submodules as they are. Asked
  // once (before entering and on entering), again only after a failure.
  let tree: Promise<string> | null = null;
  const target = (repo: Repo): Promise<string> => {
    tree ??= baselineDiff(repo, userTree, headTree).then((diff) =>
      withKeptSubmodules(repo, headTree, diff.kept),
    );
    return tree.catch((error) => {
      tree = null;
      throw error;
    });
  };
  return {
    name: "baseline-stash",
    restoreVia: "stash-pop",
    target,
    async enter(repo, journal, ignored) {
      // `git stash push` would delete these to put HEAD's files back (ignored files are never
      // deleted): no stash baseline then. TODO: move the text to messages.ts.
      const inTheWay = await ignoredInTheWay(repo, "HEAD", ignored);
      if (inTheWay.length > 0) {
        const some = inTheWay
          .slice(0, 3)
          .map((p) => JSON.stringify(p))
          .join(", ");
        throw new Error(
          `ignored files are in the way of HEAD's files (${some}${inTheWay.length > 3 ? ", ..." : ""}); stashing would delete them`,
        );
      }
      // A file of HEAD's written in the same second as yours, with the same size, gets a later
      // time (src/git/mtime.ts).
      const { move: changed } = await baselineDiff(repo, userTree, headTree);
      await writeApart(repo.root, changed, async () => {
        journal("enter-baseline", "stash push", { stashMessage: message });
        // Another git (an editor's) may hold the index for a moment: wait briefly, then say so.
        if (!(await waitForIndexLock(repo)))
          throw new Error(messages.indexLockAppeared(indexLockPath(repo)));
        try {
          sha = await stashPush(repo, message);
        } catch (error) {
          if (existsSync(indexLockPath(repo)))
            throw new Error(messages.indexLockAppeared(indexLockPath(repo)));
          throw error;
        }
        journal("enter-baseline", "stashed", { stash: sha });
      });
      return target(repo);
    },
    async leave(repo, journal) {
      if (!sha) return false;
      journal("leave-baseline", "stash pop");
      const position = await stashIndexOf(repo, sha);
      if (position < 0) return false;
      const { move: changed } = await baselineDiff(repo, userTree, headTree);
      const { value: popped } = await writeApart(repo.root, changed, () =>
        stashPop(repo, position),
      );
      if (popped) sha = null;
      return popped;
    },
    async discard(repo) {
      // By sha when the push returned; by this run's unique message when it failed half-way.
      const position = sha
        ? await stashIndexOf(repo, sha)
        : await stashIndexByMessage(repo, message);
      if (position >= 0) await stashDrop(repo, position);
      sha = null;
    },
  };
}
