import { join, relative } from "node:path";
import type { Side } from "../compare/types.js";
import type { Repo } from "../git/repo.js";
import { notIgnored, useWorkIndex } from "../git/snapshot.js";
import {
  addWorktree,
  ignoredEntries,
  removeWorktree,
  removeWorktrees,
  type SharedPath,
  shareIgnored,
  type Worktree,
  type WorktreeContent,
  worktreesDir,
} from "../git/worktree.js";
import { worktreeEnv } from "../git/worktree-env.js";
import { isKept } from "../strategies/suspects.js";

/** Where runs of one side happen in --worktree mode: a worktree, and the folder to run in. */
export interface Slot {
  side: Side;
  /** 1-based among the slots of its side. */
  number: number;
  worktree: Worktree;
  /** The tree its files are (what a run is settled back to). */
  tree: string;
  /** The user's cwd, inside the worktree. */
  cwd: string;
  /** Removes the slot's work index. */
  dropWorkIndex: () => void;
  /** Busy with a run. */
  busy: boolean;
}

/**
 * Shares your ignored folders and files into a worktree (linked, or copied where `copy` says)
 * and makes its snapshots leave out the links git does not ignore there: without that, the
 * first settle after a run took a link to `node_modules` for something the test wrote, kept it
 * as a residue and removed it, and every later run in that worktree ran without it.
 */
export async function shareInto(
  repo: Repo,
  worktree: Worktree,
  ignored: readonly string[],
  copy: readonly string[],
  /** The worktree holds another tree than yours (not the current side's copy of it). */
  other = true,
): Promise<SharedPath[]> {
  const shared = await shareIgnored(
    repo,
    worktree,
    ignored,
    (path) => (isKept(path, copy) ? "copy" : "link"),
    other,
  );
  worktree.repo.excluded = await notIgnored(
    worktree.repo,
    shared.filter((s) => s.mode !== "own").map((s) => s.path),
  );
  worktree.env = worktreeEnv(repo.root, worktree.path, ignored);
  return shared;
}

/** Which ignored paths are copied instead of linked (config `worktree.copy`, globs). */
export interface SharePolicy {
  copy: readonly string[];
}

/**
 * The worktrees of an isolated attribution: `jobs` slots, half for each side (at least one each),
 * your tree copied for the current side, the baseline attempt's tree for the other. Every
 * worktree is announced through `journal` before it is made or removed, so that `culprit recover`
 * can remove what a killed run left.
 */
export class WorktreeSlots {
  readonly slots: Slot[] = [];
  /** The ignored paths shared with the worktrees, as the report lists them. */
  readonly shared = new SharedRecord();
  private ignored: string[] | null = null;
  /** A worktree being made (journaled, not yet a slot): a `fill` that failed may leave it. */
  private halfMade: string | null = null;

  constructor(
    private readonly repo: Repo,
    private readonly runId: string,
    private readonly jobs: number,
    private readonly policy: SharePolicy,
    private readonly journal: (
      state: "enter-worktrees" | "leave-worktrees",
      detail: string,
      paths: string[],
    ) => void,
  ) {}

  /** How many slots a side gets. */
  perSide(side: Side): number {
    const half = Math.max(1, Math.floor(this.jobs / 2));
    return side === "current" ? Math.max(1, this.jobs - half) : half;
  }

  /** Paths of every worktree made (for the journal). */
  paths(): string[] {
    return this.slots.map((s) => s.worktree.path);
  }

  /** Makes the slots of a side hold `content` (replacing the side's earlier slots). */
  async fill(side: Side, content: WorktreeContent, userCwd: string): Promise<void> {
    await this.clear(side, "enter-worktrees");
    this.ignored ??= await ignoredEntries(this.repo);
    for (let number = 1; number <= this.perSide(side); number++) {
      const name = `${this.runId}-${side}-${number}`;
      this.halfMade = join(worktreesDir(this.repo), name);
      this.journal("enter-worktrees", `add ${side} ${number}`, [...this.paths(), this.halfMade]);
      const worktree = await addWorktree(this.repo, name, content);
      const slot: Slot = {
        side,
        number,
        worktree,
        tree: content.tree,
        cwd: `${worktree.path}/${relative(this.repo.root, userCwd)}`.replace(/\/$/, ""),
        dropWorkIndex: useWorkIndex(worktree.repo),
        busy: false,
      };
      this.slots.push(slot);
      this.halfMade = null;
      this.shared.add(
        worktree,
        await shareInto(this.repo, worktree, this.ignored, this.policy.copy, side !== "current"),
      );
    }
    this.journal("enter-worktrees", `${side} ready`, this.paths());
  }

  /** Removes the slots of a side (or all of them), journaled as `state`. */
  async clear(
    side?: Side,
    state: "enter-worktrees" | "leave-worktrees" = "leave-worktrees",
  ): Promise<void> {
    const going = this.slots.filter((s) => side === undefined || s.side === side);
    const staying = this.slots.filter((s) => !going.includes(s));
    // Nothing to remove, unless a failed `fill` (a git killed, a full disk) left one half made:
    // then every worktree goes (the first one made was once left behind, registered with git).
    if (going.length === 0 && (this.halfMade === null || staying.length > 0)) return;
    // Announced first: a kill while removing leaves them in the journal, for recover.
    const listed = this.halfMade && staying.length === 0 ? [this.halfMade] : [];
    this.journal(state, `remove ${side ?? "all"}`, [...this.paths(), ...listed]);
    for (const slot of going) slot.dropWorkIndex();
    if (staying.length === 0) {
      // All of them, and any a failed `fill` left half made (journaled, never a slot).
      await removeWorktrees(this.repo, [...this.paths(), ...listed]);
      this.halfMade = null;
    } else {
      for (const slot of going) await removeWorktree(this.repo, slot.worktree.path);
    }
    this.slots.splice(0, this.slots.length, ...staying);
    this.journal(state, `removed ${side ?? "all"}`, this.paths());
  }

  /** A free slot of a side, or null. */
  free(side: Side): Slot | null {
    return this.slots.find((s) => s.side === side && !s.busy) ?? null;
  }
}

/** What the worktrees of a run got of your ignored paths, and the variables their runs got. */
export class SharedRecord {
  private readonly paths = new Map<string, SharedPath>();
  private readonly env = new Set<string>();

  add(worktree: Worktree, shared: readonly SharedPath[]): void {
    // By path and mode: a build folder is linked for your tree's runs, the baseline's own.
    for (const path of shared) this.paths.set(`${path.path}\0${path.mode}`, path);
    for (const name of Object.keys(worktree.env ?? {})) this.env.add(name);
  }

  /** As the reports give it. */
  get(): { shared: SharedPath[]; env: string[] } {
    return { shared: [...this.paths.values()], env: [...this.env].sort() };
  }
}
