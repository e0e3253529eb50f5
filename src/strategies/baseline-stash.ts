import { stashDrop, stashIndexOf, stashPop, stashPush } from "../git/stash.js";
import type { Strategy } from "./types.js";

/** Stash message of a run: `culprit recover` finds the entry by it. */
export function stashMessageFor(runId: string): string {
  return `culprit baseline ${runId}`;
}

/** The baseline is HEAD: `git stash push --include-untracked`, then `git stash pop --index`. */
export function baselineStash(runId: string): Strategy {
  let sha: string | null = null;
  const message = stashMessageFor(runId);
  return {
    name: "baseline-stash",
    async enter(repo, journal) {
      journal("enter-baseline", "stash push", { stashMessage: message });
      sha = await stashPush(repo, message);
      journal("enter-baseline", "stashed", { stash: sha });
      return (await repo.git.run(["rev-parse", "HEAD^{tree}"])).trim();
    },
    async leave(repo, journal) {
      if (!sha) return false;
      journal("leave-baseline", "stash pop");
      const position = await stashIndexOf(repo, sha);
      if (position < 0) return false;
      const popped = await stashPop(repo, position);
      if (popped) sha = null;
      return popped;
    },
    async discard(repo) {
      if (!sha) return;
      const position = await stashIndexOf(repo, sha);
      if (position >= 0) await stashDrop(repo, position);
      sha = null;
    },
  };
}
