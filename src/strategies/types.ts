import type { Repo } from "../git/repo.js";

/** Writes the journal before a side effect (the machine's, passed to strategies). */
export type JournalStep = (
  state: "enter-baseline" | "leave-baseline",
  detail: string,
  extra?: object,
) => void;

/** The name of a strategy, as the JSON report gives it. */
export type StrategyName =
  | "baseline-reset"
  | "baseline-stash"
  | "selective-revert"
  | "base-revision"
  | "worktree";

/** A way of producing the baseline tree from the user's tree, and of giving the tree back. */
export interface Strategy {
  readonly name: StrategyName;
  /** How `leave` gives the tree back, for the report: `git stash pop`, or a reset to the backed-up tree. */
  readonly restoreVia: "stash-pop" | "reset";
  /** The tree the baseline will have, computed without touching anything (git objects only). */
  target(repo: Repo): Promise<string>;
  /**
   * Turns the working tree into the baseline; returns the tree object the baseline should have.
   * `ignored`: the ignored entries of the working tree as git lists them now (`ignoredList`),
   * listed once for the machine and the strategy.
   */
  enter(repo: Repo, journal: JournalStep, ignored?: Promise<string[]>): Promise<string>;
  /** Gives the user's tree back; false when it could not (the machine then restores from the backup). */
  leave(repo: Repo, journal: JournalStep): Promise<boolean>;
  /** After a restore from the backup: removes what the strategy left behind (e.g. its stash entry). */
  discard(repo: Repo): Promise<void>;
}
