import type { Decision, Verdict } from "../compare/types.js";
import { UsageError } from "../errors.js";
import type { Repo } from "../git/repo.js";
import { snapshotWorktree } from "../git/snapshot.js";
import { messages } from "../messages.js";
import type { BaseRevision } from "../strategies/base-revision.js";
import { type SelectiveRevert, selectiveRevert } from "../strategies/selective-revert.js";
import {
  automaticSuspects,
  type Change,
  defaultKeepGlobs,
  expandSuspects,
  listChanges,
  SuspectNarrowing,
  toRepoPath,
} from "../strategies/suspects.js";
import type { Strategy } from "../strategies/types.js";
import type { Evidence } from "./evidence.js";
import type { AttemptOutcome, AttemptReport, AttributeOptions } from "./types.js";

/** Most suspect sets a selective revert tries (the whole set, then parts) before giving up. */
export const maxRevertAttempts = 8;

/** One way of producing the baseline, and what became of it. */
export interface Attempt {
  number: number;
  strategy: Strategy;
  suspects: string[];
  outcome: AttemptOutcome | "running";
  /** The baseline tree it produced (known once entered, or computed beforehand). */
  tree: string | null;
  /** Checked before it was first entered (the paths the command names, the cache). */
  preloaded?: boolean;
  /** Why it cannot run the command, found without running it. */
  why?: string;
  /** The paths the command names that it lacks include one your change renamed. */
  lacksRenamed?: boolean;
  /** Words of the command naming a file your change renamed, run there under its old name. */
  ranAs?: { word: string; as: string }[];
  /**
   * Files this baseline has otherwise than your tree that a run here could not load (the
   * runner's words named them): it is unrunnable after that run, and the next set keeps them.
   */
  cannotLoad?: string[];
  /**
   * Set with `cannotLoad` when the run that named those files ran, and the files of every test
   * still to judge failed to load there: those tests are new here after that run.
   */
  testsCannotLoad?: boolean;
}

/**
 * The baselines an attribution tries, in order: the stash (or the `--base` revision), then
 * selective reverts of the suspects, narrowed while they cannot run. Knows how to choose the
 * suspects and the next suspect set; the machine decides when to enter and leave them.
 */
export class BaselineAttempts {
  /** Every attempt; the last one is the current one. */
  readonly list: Attempt[] = [];
  readonly mode: NonNullable<AttributeOptions["strategy"]>;
  private readonly keep: string[];
  /** What differs between the baseline revision and the user's tree (known once suspects were needed). */
  private changes: Change[] | null = null;
  /** The suspects of the selective revert (null until chosen). */
  private suspects: string[] | null = null;
  private narrowing: SuspectNarrowing | null = null;
  /** Baseline trees that could not run: a suspect set producing one of them is not run again. */
  private readonly unrunnableTrees = new Set<string>();
  /** Why the last suspect set could not be prepared (e.g. ignored files in the way). */
  preparationFailure: string | null = null;

  constructor(
    private readonly repo: Repo,
    private readonly options: AttributeOptions,
    private readonly base: BaseRevision | null,
    private readonly onAttempt: (attempt: Attempt) => void,
  ) {
    this.mode = options.strategy ?? "auto";
    this.keep = [...defaultKeepGlobs, ...(options.keep ?? [])];
  }

  /** The attempt in progress (or the last one). */
  get current(): Attempt | null {
    return this.list.at(-1) ?? null;
  }

  /** True once a selective revert's suspects are being narrowed. */
  get narrowed(): boolean {
    return this.narrowing !== null;
  }

  /** Starts an attempt with `strategy` (the first one, or a prepared revert). */
  start(strategy: Strategy): Attempt {
    const suspects =
      strategy.name === "selective-revert" ? [...(strategy as SelectiveRevert).suspects] : [];
    const attempt: Attempt = {
      number: this.list.length + 1,
      strategy,
      suspects,
      outcome: "running",
      tree: null,
    };
    this.list.push(attempt);
    this.onAttempt(attempt);
    return attempt;
  }

  /**
   * Settles the suspects: `--suspect` expanded against what changed (exit 3 if one names no
   * change), else the user's pick on a TTY, else every change but test files. False when the
   * user cancelled the pick.
   */
  async chooseSuspects(userTree: string | null): Promise<boolean> {
    if (this.suspects) return true;
    const tree = userTree ?? (await snapshotWorktree(this.repo));
    const changes = await listChanges(this.repo, tree, this.base?.commit ?? "HEAD");
    this.changes = changes;
    const given = this.options.suspects ?? [];
    if (given.length > 0) {
      const paths = given.map((p) => {
        const path = toRepoPath(this.repo.root, this.options.cwd, p);
        if (path === null) throw new UsageError(messages.suspectOutside(p));
        return path;
      });
      const { suspects, unmatched } = expandSuspects(changes, paths, this.keep);
      if (unmatched.length > 0) {
        throw new UsageError(
          messages.suspectUnchanged(
            unmatched,
            changes.map((c) => c.path),
          ),
        );
      }
      this.suspects = suspects;
      return true;
    }
    const automatic = automaticSuspects(changes, this.keep);
    if (this.options.pickSuspects && changes.length > 0) {
      const picked = await this.options.pickSuspects(changes, automatic);
      if (picked === null) return false;
      this.suspects = [...picked].sort();
      return true;
    }
    this.suspects = automatic;
    return true;
  }

  /** The chosen suspects (empty before they are chosen). */
  chosenSuspects(): string[] {
    return this.suspects ?? [];
  }

  /** Starts narrowing the chosen suspects; false when there is nothing to revert. */
  startNarrowing(): boolean {
    if (!this.narrowing) {
      if ((this.suspects ?? []).length === 0) return false;
      this.narrowing = new SuspectNarrowing(this.suspects!, maxRevertAttempts);
    }
    return true;
  }

  /**
   * Starts the next suspect set whose reverted tree can be built and is not one that already
   * could not run; the others are recorded (not run) and split further. Null when none is left.
   */
  async nextRevert(userTree: string): Promise<Attempt | null> {
    const narrowing = this.narrowing!;
    for (let set = narrowing.next(); set !== null; set = narrowing.next()) {
      const strategy = selectiveRevert({ userTree, changes: this.changes!, suspects: set });
      const attempt = this.start(strategy);
      try {
        attempt.tree = await strategy.target(this.repo);
      } catch (error) {
        this.preparationFailure = error instanceof Error ? error.message : String(error);
        attempt.outcome = "not-prepared";
        narrowing.unrunnable(set);
        continue;
      }
      if (this.unrunnableTrees.has(attempt.tree)) {
        attempt.outcome = "same-tree";
        narrowing.unrunnable(set);
        continue;
      }
      return attempt;
    }
    return null;
  }

  /**
   * True when `attempt` reverts only part of the chosen suspects (a narrowed set): a failure
   * that stays there is not caused by those paths alone, and says nothing of the others.
   */
  revertsPart(attempt: Attempt): boolean {
    return (
      attempt.strategy.name === "selective-revert" &&
      this.suspects !== null &&
      attempt.suspects.length < this.suspects.length
    );
  }

  /**
   * The current attempt, a revert of part of the suspects, still failed: those paths are not the
   * cause alone. Plans the next set (the parts of those that could not run); false if none is left.
   */
  notTheCause(): boolean {
    this.current!.outcome = "not-the-cause";
    return this.narrowing!.hasNext();
  }

  /** The baseline of the current attempt could not run: plans the next one; false if none is left. */
  unrunnable(): boolean {
    const attempt = this.current!;
    attempt.outcome = "unrunnable";
    if (attempt.tree) this.unrunnableTrees.add(attempt.tree);
    if (attempt.strategy.name !== "selective-revert") return this.mode === "auto";
    // What the run could not load, and your new files (a kept test that imports one cannot load
    // without it, whether or not its runner says so in words culprit reads).
    const needed = attempt.suspects.filter(
      (path) =>
        attempt.cannotLoad?.includes(path) ||
        this.changes?.find((c) => c.path === path)?.status === "A",
    );
    this.narrowing!.unrunnable(attempt.suspects, needed);
    return this.narrowing!.hasNext();
  }

  /** Every attempt as the report lists it. */
  reports(evidence: Evidence): AttemptReport[] {
    return this.list.map((a) => ({
      attempt: a.number,
      strategy: a.strategy.name,
      suspects: a.suspects,
      outcome: a.outcome === "running" ? "stopped" : a.outcome,
      counts: evidence.attemptCounts(a.number),
      // Found before running, else what its last run that could not run said.
      why:
        a.why ??
        evidence.runs.filter((r) => r.attempt === a.number && r.outcome === "cannot-run").at(-1)
          ?.why ??
        null,
      ...(a.ranAs && a.ranAs.length > 0 ? { ranAs: a.ranAs } : {}),
    }));
  }

  /** The last attempt that ran, or was judged without running (the one a verdict rests on). */
  lastRan(evidence: Evidence): Attempt | undefined {
    return [...this.list]
      .reverse()
      .find(
        (a) =>
          a.why !== undefined ||
          evidence.runs.some((r) => r.side === "baseline" && r.attempt === a.number),
      );
  }

  /** The paths the result names: the suspects of the revert it rests on, or all suspects tried. */
  resultSuspects(ran: Attempt | undefined): string[] {
    if (ran?.strategy.name === "selective-revert" && ran.outcome === "decided")
      return [...ran.suspects];
    return [...((this.narrowing ? this.suspects : null) ?? [])];
  }

  /**
   * The reason of the verdict, in the words of the strategy it rests on. `yourTreeRan`: false
   * when the command never ran on your tree either. `failsOtherwise`: every regressed test
   * failed another way with the suspects reverted (they are part of the failure, not shown to be
   * its cause). `regressedOn`: the attempt each regressed test's verdict rests on.
   */
  reasonFor(
    verdict: Verdict,
    decision: Decision,
    yourTreeRan = true,
    failsOtherwise = false,
    regressedOn: readonly (number | null)[] = [],
  ): string {
    const attempt = this.current;
    const list = this.list
      .filter(
        (a) =>
          a.outcome === "unrunnable" || a.outcome === "same-tree" || a.outcome === "not-prepared",
      )
      .map((a) => ({ strategy: a.strategy.name, suspects: a.suspects, outcome: a.outcome }));
    if (verdict === "inconclusive" && attempt?.outcome === "not-the-cause")
      return messages.revertNotTheCause(
        this.list.filter((a) => a.outcome === "not-the-cause").flatMap((a) => a.suspects),
        list.filter((a) => a.strategy === "selective-revert"),
      );
    if (verdict === "unrunnable" && attempt && list.length > 0) {
      if (
        this.suspects !== null &&
        this.suspects.length === 0 &&
        this.mode !== "stash" &&
        this.mode !== "reset"
      )
        return messages.nothingToRevert(
          list,
          this.list.find((a) => a.why)?.why ?? null,
          this.list.some((a) => a.lacksRenamed),
        );
      // Some reverts ran and still failed, between them every suspect but a few was reverted,
      // and every revert that could not run took those few away (a new module and the new test
      // that imports it, the bug in the module): no baseline leaves them out, and with them it
      // fails. (With several, which of them it cannot run without is not known: the narrowing
      // may have stopped before it tried them apart.)
      const ran = this.list.filter((a) => a.outcome === "not-the-cause");
      const stopped = this.list.filter(
        (a) => a.strategy.name === "selective-revert" && a.outcome === "unrunnable",
      );
      if (yourTreeRan && ran.length > 0 && stopped.length > 0) {
        const revertedAndRan = new Set(ran.flatMap((a) => a.suspects));
        const rest = (this.suspects ?? []).filter((p) => !revertedAndRan.has(p));
        if (rest.length > 0 && stopped.every((a) => rest.every((p) => a.suspects.includes(p))))
          return messages.failsWithWhatItNeeds(rest, ran.length);
      }
      if (list.length > 1 || attempt.strategy.name === "selective-revert") {
        const capped = this.narrowing !== null && this.narrowing.left > 0;
        const after = messages.unrunnableAfter(list, capped, this.preparationFailure);
        return yourTreeRan ? after : messages.notOnYourTreeEither(after);
      }
      return decision.reason;
    }
    if (attempt?.strategy.name !== "selective-revert" || attempt.outcome !== "decided")
      return decision.reason;
    // A test that regressed against an earlier baseline (HEAD) says nothing of the revert's
    // files: the headline named an unrelated deleted file for a regression decided at HEAD
    // (jshttp/cookie trial).
    if (verdict === "regression" && regressedOn.some((n) => n !== attempt.number))
      return decision.reason;
    if (verdict === "regression")
      return failsOtherwise
        ? messages.revertFailsOtherwise(attempt.suspects, decision.reason)
        : messages.revertRegression(attempt.suspects, decision.reason);
    if (verdict === "pre-existing")
      return messages.revertPreExisting(attempt.suspects, decision.reason);
    return messages.revertUndecided(attempt.suspects, decision.reason);
  }
}
