import type { Strategy } from "./types.js";

/**
 * The baseline at HEAD (or the `--base` commit), checked out in a linked worktree under
 * culprit's worktrees folder (src/machine/worktrees.ts) instead of in your tree: your working tree,
 * index, HEAD and stash are never written, so you can keep editing while it runs. The machine
 * makes and removes the worktrees itself; this strategy only names the tree.
 */
export function worktreeBaseline(tree: string): Strategy {
  const inPlace = (): never => {
    throw new Error("culprit internal error: the worktree baseline is never entered in place");
  };
  return {
    name: "worktree",
    restoreVia: "reset",
    async target() {
      return tree;
    },
    enter: async () => inPlace(),
    leave: async () => inPlace(),
    async discard() {},
  };
}
