import type { Diff } from "./hunks.js";

/*
 * Which of the user's units make the test fail: the search of `culprit isolate`
 * ============================================================================
 *
 * A configuration is the baseline plus a set of units; the oracle says whether it reproduces the
 * regression ("fail"), does not ("pass"), or cannot run at all ("cannot-run", ddmin's "?"). The
 * empty configuration is the baseline (it passes) and the full one is the user's tree (it
 * fails): the attribution established both, so neither is run again.
 *
 * The search finds a failing configuration in which every unit is necessary (1-minimal, as
 * ddmin's result: Zeller and Hildebrandt 2002, "Simplifying and Isolating Failure-Inducing
 * Input") and splits it: a unit whose removal makes it pass is guilty; one whose removal makes it
 * cannot-run is needed to run (a new helper the test imports), not blamed.
 *
 * 1. Hierarchy: files first (all units of a file as one block), then the units of the files
 *    kept, then finer units (lines) of the units kept, when the caller gives finer levels.
 * 2. At each level, blocks are found one at a time, by binary search over prefixes of the
 *    remaining candidates (the scheme of QuickXplain, Junker 2004, applied to ddmin's problem):
 *    with R the blocks found so far and C the ordered candidates, R + C fails; the smallest
 *    prefix P of C such that R + P fails ends with a block that R + (P without it) cannot do
 *    without. It joins R, C becomes the rest of P, until R alone fails. Each block costs
 *    about log2(|C|) + 1 configurations: k * log2(n) + k for k guilty units among n when no
 *    configuration is "?".
 * 3. "?" (cannot-run) counts as "not failing" in the binary search, so the block b found may be
 *    one that some unit of R + P needs to run rather than a guilty one (R + P fails, R + P
 *    without b cannot run). Such a block is a learned dependency: it moves to the front of the
 *    candidates (C becomes b, then the rest of P), so that every later prefix holds it, and the
 *    search goes on; a block moves at most once a level (then it joins R, which ends any cycle).
 *    Moved rather than joined to R, a block needed only by units that are later left out is left
 *    out with them, instead of staying in the result until the final check (4) and being
 *    searched again at the next level. What was learned carries over: at the next level, the
 *    units of the blocks moved (the last moved first) come before the others. After a "?", the
 *    next binary search starts at the top of
 *    the prefix and doubles its step downwards (galloping), since while "?" is common the next
 *    boundary is usually near the top. Known dependencies order the candidates up front (needed
 *    first): the hunk model's structural ones (a renamed file's hunks need the rename; a file
 *    where a deleted folder was needs the deletion), and the caller's hints
 *    (src/isolate/hints.ts: a new file before the units that import it, a definition before its
 *    users). Both are also added to every configuration the binary search builds (its closure),
 *    so that a prefix can run even when the files need each other both ways (no order of the
 *    files puts every definition first); the units a hint adds stay candidates at the next
 *    level. A wrong hint costs configurations (what it adds must be searched out again): the
 *    final check removes each unit alone, structural requirements only, so the answer is
 *    1-minimal whatever the hints. They can choose which 1-minimal set, though: units that need
 *    each other both ways through hints (a cycle) that hold the guilty one are kept whole, each
 *    unable to run without the others, where the search without them may find the guilty one
 *    alone (found in review; it predates learned hints).
 *    A "?" may also say what it missed (the oracle's `missing`: a name or a module its error
 *    names, and the units left out that bring it in: src/isolate/diagnose.ts). That is a hint
 *    learned: it joins the hints, and the same blocks are judged again with it (their closure
 *    grew), until they run or nothing new is named. A unit named again for what it missed once
 *    what it was said to need is in with it was read wrong (or the name has two definitions):
 *    those hints of it go, and are not learned again. Hints that come and go change the
 *    closures in the middle of a level, so the level goes on from the configuration last seen
 *    to fail (it holds the blocks found and the rest), not from the closure of the blocks found:
 *    when those do not fail by themselves, they are judged as the level began (the caller's
 *    hints), else that configuration is kept, and its extra units searched out later.
 * 4. Final check, at the finest level: each unit of the result is removed alone (with the
 *    units that structurally require it): "fail" drops it (repeated until nothing drops),
 *    "pass" makes it guilty, "cannot-run" needed. Then, unless `confirm` is off, the failing
 *    set and every one-less set are judged once more (an independent judgement: the oracle
 *    is called again); a disagreement is settled by a third judgement, and when the set no
 *    longer fails the whole search restarts with a fresh cache (at most `attempts` times).
 *
 * Every configuration tested is cached (by its sorted ids) and never judged twice, except by
 * the confirmation (and by a restart, which starts with an empty cache).
 *
 * Cost (npm run bench:isolate): within 2 x (k log2 n + k) configurations when dependencies stay
 * within files. Where 70% of the "?" name what they miss (the first error a run meets), the
 * un-hinted cells below cost 52.2 instead of 160.7 at n = 200, 30%, k = 1, 18.1 instead of 40.9
 * at n = 50, 30%, and 23.2 instead of 47.6 with 70% of the hints. When they are spread uniformly over the diff and the search is not told of
 * them, most large configurations cannot run and the cost grows with the number of
 * dependencies: at n = 200 with 30% of the hunks depending on another, k = 1, 161 (216 before
 * the moves of 3, 168 before they carried over to the next level), against ddmin's 489; n = 50,
 * 10%: 16.7 (18.1, 17.1). Under the prior, no configuration tells more than about 0.065 bits
 * about the answer at n = 200, 30% (0.34 at n = 50, 10%): the bench's `prior`, H(answer)
 * divided by that, is 180 (19.4); ours learns from "?" and goes below it, and no sound bound we
 * could prove shows the criterion (2 x (k log2 n + k) = 17) out of reach, nor reachable (see
 * bench/isolate.ts). When the hint finder sees the dependencies (an import of a new file, a use
 * of a name defined in another hunk), the same diffs cost 10.8 at n = 200, 30%, k = 1 (49.8
 * when hints only ordered the candidates), and 47.6 (109) when it sees 70% of them and 0.1 n
 * wrong ones.
 *
 * Tried and dropped (same bench, deterministic `anywhere` cells, n = 200, 30%, k = 1 / 2):
 * - at the next level, the units in the reverse order of the blocks found (what was found last
 *   is needed by what was found before): 216.4 / 252.8, no change at all;
 * - letting a block move to the front twice, or four times, a level: 175 / 216 and 181 / 223,
 *   against 168.5 / 203.8 for once (these three before the moves carried over to the next
 *   level, which gave 160.7 / 197.4);
 * - growing a passing set from the bottom instead (the next block of candidates added to it:
 *   "pass" takes the block and doubles the next, "?" halves it, a single candidate that cannot
 *   run yet waits until the end; "fail" hands the set and the block to the binary search):
 *   176.6 / 251.6, and worse in every un-hinted and 70% cell (n = 200, 10%, 70%: 24.5 against
 *   22.2). At 30%, a block of two files already cannot run most of the time, so the set grows
 *   by about one file every two configurations until it holds the guilty one;
 * - not dropped, but a known cost of adding the hinted units: a wrong hint on every hunk (unit
 *   test, n = 50, 30%, k = 1) costs 85 configurations, against 43 when hints only ordered the
 *   candidates (and 41 with no hints); with every true dependency as a hint, 8.6 against 20.0.
 *   Kept, since hints.ts names a definition only when one unit defines it and another uses it
 *   as a word, and the bench's 70% cells (0.1 n wrong hints) gain from it.
 */

/** The oracle's answer for one configuration. */
export type Outcome = "fail" | "pass" | "cannot-run";

/**
 * One thing a run that could not run said it missed (a name or a module its error names: see
 * src/isolate/diagnose.ts), and what the units of the configuration that use it need: unit ->
 * the units left out that bring it in (empty when none does). Likely, not certain: like a hint,
 * a wrong one costs configurations: the search goes on from configurations seen to fail, and
 * the answer is 1-minimal.
 */
export interface Missing {
  what: string;
  needs: ReadonlyMap<string, readonly string[]>;
}

/** An outcome with what the configuration missed, when it could not run and said so. */
export interface Diagnosed {
  outcome: Outcome;
  missing: readonly Missing[];
}

/** Judges a configuration: the baseline with exactly these units applied. Called again on the same configuration, it judges afresh. */
export type Oracle = (config: ReadonlySet<string>) => Promise<Outcome | Diagnosed>;

/** The outcome of an oracle's answer. */
export function outcomeOf(answer: Outcome | Diagnosed): Outcome {
  return typeof answer === "string" ? answer : answer.outcome;
}

/** A unit as the search sees it. */
export interface SearchUnit {
  id: string;
  /** Units that must be applied with this one (structural, e.g. a renamed file's hunk needs the rename). */
  requires?: readonly string[];
  /**
   * Coarse-to-fine group keys, e.g. `[path]` or `[path, hunkId]` for line units: the search
   * isolates the groups of the first level, then within them the groups of the next, then units.
   */
  levels?: readonly string[];
}

/** Options of `isolate`. */
export interface IsolateOptions {
  /** Likely dependencies (unit id -> ids it probably needs): they order the candidates, needed first. */
  hints?: ReadonlyMap<string, readonly string[]>;
  /** Re-judge the result (the failing set and each one-less set) before concluding (default true). */
  confirm?: boolean;
  /** Whole searches at most, when a confirmation contradicts the result (default 3). */
  attempts?: number;
  /**
   * Definitions moved between units (unit -> units whose added lines define a name its removed
   * lines define: src/isolate/hints.ts movedDefinitions): guiltyTogether blames where they went.
   */
  moved?: ReadonlyMap<string, readonly string[]>;
  /**
   * When no unit is guilty alone, find those guilty together (guiltyTogether; default true).
   * Off for a search whose caller may go on into finer units first.
   */
  together?: boolean;
}

/** One judgement the search asked for. */
export interface Tested {
  config: string[];
  outcome: Outcome;
  /** True for a re-judgement of a configuration already judged (a confirmation). */
  again?: boolean;
}

/** What `isolate` found. */
export interface IsolateResult {
  /** Units whose removal from the result makes the test pass (sorted in input order). */
  guilty: string[];
  /** Units whose removal makes the test unable to run (input order). */
  needed: string[];
  /** Distinct configurations judged (the baseline and the full tree not counted). */
  configurations: number;
  /** Judgements asked of the oracle, confirmations included. */
  judgements: number;
  /** False when the confirmation still contradicted the result after every attempt (then guilty and needed are empty). */
  confirmed: boolean;
  /** Every judgement, in order. */
  tested: Tested[];
}

type Block = readonly string[];

/** `config` without `removed` and without the units that structurally need what is gone. */
export function withoutUnits(
  requires: ReadonlyMap<string, readonly string[]>,
  config: ReadonlySet<string>,
  removed: Iterable<string>,
): Set<string> {
  const out = new Set(config);
  for (const id of removed) out.delete(id);
  for (let changed = true; changed; ) {
    changed = false;
    for (const u of out) {
      if ((requires.get(u) ?? []).some((r) => !out.has(r))) {
        out.delete(u);
        changed = true;
      }
    }
  }
  return out;
}

/** The search's memory: judgements by configuration, and the units' structure. */
class Session {
  readonly cache = new Map<string, Outcome>();
  readonly tested: Tested[] = [];
  readonly distinct = new Set<string>();
  readonly order: Map<string, number>;
  readonly requires: Map<string, readonly string[]>;
  readonly empty: string;
  readonly full: string;
  /** The caller's hints, and what the diagnoses of "?" configurations added to them. */
  readonly hints = new Map<string, string[]>();

  constructor(
    readonly units: readonly SearchUnit[],
    private readonly oracle: Oracle,
    readonly callerHints?: ReadonlyMap<string, readonly string[]>,
  ) {
    for (const [id, needs] of callerHints ?? []) this.hints.set(id, [...needs]);
    this.order = new Map(units.map((u, i) => [u.id, i]));
    this.requires = new Map(units.map((u) => [u.id, u.requires ?? []]));
    this.empty = this.key(new Set());
    this.full = this.key(new Set(units.map((u) => u.id)));
  }

  key(config: ReadonlySet<string>): string {
    return [...config].sort((a, b) => this.order.get(a)! - this.order.get(b)!).join("\n");
  }

  /** What was missed -> unit -> the units a diagnosis said it needs for it (hints added). */
  private readonly learned = new Map<string, Map<string, string[]>>();
  /** Hints a diagnosis gave that did not bring in what was missed (`unit\nneeded`): not again. */
  private readonly rejected = new Set<string>();
  /** Whether any diagnosis added a hint (the search then checks what it found: minimizeBlocks). */
  hasLearned = false;

  /**
   * Adds what the diagnoses of a "?" say the units need to the hints. A unit named again for
   * what it missed, though what it was said to need for it is in the configuration with it,
   * was read wrong (or the name has two definitions): those hints of it go, and are not learned
   * again.
   */
  private learn(config: ReadonlySet<string>, missing: readonly Missing[]): void {
    for (const { what, needs } of missing) {
      const byUnit = this.learned.get(what) ?? new Map<string, string[]>();
      this.learned.set(what, byUnit);
      for (const [id, wanted] of needs) {
        if (!this.order.has(id)) continue;
        const before = byUnit.get(id);
        if (before && config.has(id) && before.every((d) => config.has(d))) {
          for (const d of before) this.rejected.add(`${id}\n${d}`);
          const kept = (this.hints.get(id) ?? []).filter(
            (h) => !before.includes(h) || this.callerHints?.get(id)?.includes(h) === true,
          );
          this.hints.set(id, kept);
          byUnit.delete(id);
        }
        for (const d of wanted) {
          const known = this.hints.get(id) ?? [];
          if (d === id || !this.order.has(d) || known.includes(d)) continue;
          if (this.rejected.has(`${id}\n${d}`)) continue;
          this.hints.set(id, [...known, d]);
          byUnit.set(id, [...(byUnit.get(id) ?? []), d]);
          this.hasLearned = true;
        }
      }
    }
  }

  /** The configuration with every structural requirement added (and the hinted ones, when given). */
  close(ids: Iterable<string>, hints?: ReadonlyMap<string, readonly string[]>): Set<string> {
    const set = new Set<string>();
    const stack = [...ids];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (set.has(id)) continue;
      set.add(id);
      stack.push(...(this.requires.get(id) ?? []));
      for (const d of hints?.get(id) ?? []) if (this.order.has(d)) stack.push(d);
    }
    return set;
  }

  /** `config` without `id` and without the units that structurally need `id`. */
  without(config: ReadonlySet<string>, id: string): Set<string> {
    return withoutUnits(this.requires, config, [id]);
  }

  private async judge(config: ReadonlySet<string>, again: boolean): Promise<Outcome> {
    const k = this.key(config);
    if (k === this.empty) return "pass";
    if (k === this.full && !again) return "fail";
    const answer = await this.oracle(new Set(config));
    const outcome = outcomeOf(answer);
    if (typeof answer !== "string" && outcome === "cannot-run") this.learn(config, answer.missing);
    this.tested.push({
      config: k === "" ? [] : k.split("\n"),
      outcome,
      ...(again ? { again: true } : {}),
    });
    this.distinct.add(k);
    return outcome;
  }

  /** The cached judgement, or a new one. */
  async test(config: ReadonlySet<string>): Promise<Outcome> {
    const k = this.key(config);
    const known = this.cache.get(k);
    if (known !== undefined) return known;
    const outcome = await this.judge(config, false);
    this.cache.set(k, outcome);
    return outcome;
  }

  /** A second, independent judgement; a third settles a disagreement. The cache keeps the majority. */
  async confirm(config: ReadonlySet<string>): Promise<Outcome> {
    const k = this.key(config);
    if (k === this.empty || k === this.full) return k === this.empty ? "pass" : "fail";
    const first = await this.test(config);
    const second = await this.judge(config, true);
    if (second === first) return first;
    const third = await this.judge(config, true);
    const settled = third === first || third === second ? third : first;
    this.cache.set(k, settled);
    return settled;
  }
}

/** Orders blocks so that a block comes after the blocks it (probably) needs; input order otherwise. */
function orderBlocks(blocks: Block[], needs: (unit: string) => readonly string[]): Block[] {
  const owner = new Map<string, number>();
  blocks.forEach((b, i) => {
    for (const u of b) owner.set(u, i);
  });
  const deps = blocks.map((b) => {
    const set = new Set<number>();
    for (const u of b) {
      for (const d of needs(u)) {
        const o = owner.get(d);
        if (o !== undefined && o !== owner.get(u)) set.add(o);
      }
    }
    return set;
  });
  const placed = new Set<number>();
  const visiting = new Set<number>();
  const out: Block[] = [];
  const visit = (i: number): void => {
    if (placed.has(i) || visiting.has(i)) return; // a cycle keeps input order
    visiting.add(i);
    for (const d of [...deps[i]!].sort((a, b) => a - b)) visit(d);
    visiting.delete(i);
    placed.add(i);
    out.push(blocks[i]!);
  };
  blocks.forEach((_, i) => {
    visit(i);
  });
  return out;
}

/**
 * The blocks of a 1-minimal failing subset of `candidates` (whose union fails), found one at a
 * time by binary search over prefixes; "?" counts as not failing. What it returns is the
 * configuration seen to fail that holds them (what the search goes on with).
 */
async function minimizeBlocks(
  session: Session,
  candidates: Block[],
  /** A configuration seen to fail (or known to: your tree) that holds every candidate. */
  known: ReadonlySet<string>,
  learned: Block[] = [],
): Promise<ReadonlySet<string> | null> {
  const config = (blocks: readonly Block[]) => session.close(blocks.flat(), session.hints);
  // The last configuration seen to fail: it holds found + rest (the binary search's upper end
  // only comes down on a failure, and what it finds comes from below it).
  let failing = known;
  // A configuration that cannot run may say what it missed: the same blocks again, with what
  // it named (its closure grew), until it runs or names nothing new.
  const test = async (blocks: readonly Block[]): Promise<Outcome> => {
    let tried = config(blocks);
    let outcome = await session.test(tried);
    while (outcome === "cannot-run") {
      const again = config(blocks);
      if (session.key(again) === session.key(tried)) break;
      tried = again;
      outcome = await session.test(tried);
    }
    if (outcome === "fail") failing = tried;
    return outcome;
  };
  const found: Block[] = [];
  let rest = candidates;
  let gallop = false;
  const moved = new Set<Block>();
  while (rest.length > 0) {
    let below: Outcome = "pass";
    if (found.length > 0) {
      below = await test(found);
      if (below === "fail") return failing;
    }
    // found + rest fails; found + rest[0..0) does not (it was just tested, or it is empty).
    let lo = 0;
    let hi = rest.length;
    const probe = async (at: number): Promise<boolean> => {
      const outcome = await test([...found, ...rest.slice(0, at)]);
      if (outcome === "fail") hi = at;
      else [lo, below] = [at, outcome];
      return outcome === "fail";
    };
    // After a block that only made the rest runnable, the next one is likely near the top of
    // the prefix again (what runs is rare): look there first, doubling the step (galloping).
    for (let step = 1; gallop && hi - step > lo; step *= 2) if (!(await probe(hi - step))) break;
    while (hi - lo > 1) await probe((lo + hi) >>> 1);
    gallop = below === "cannot-run";
    const block = rest[hi - 1]!;
    if (gallop && hi > 1 && !moved.has(block)) {
      moved.add(block);
      learned.unshift(block);
      rest = [block, ...rest.slice(0, hi - 1)];
      continue;
    }
    found.push(block);
    rest = rest.slice(0, hi - 1);
  }
  // Nothing left to add: the set found must fail by itself, or a judgement was wrong.
  if ((await test(found)) === "fail") return failing;
  if (!session.hasLearned) return null;
  // Or what the diagnoses added keeps it from running (a hint read wrong, whose unit needs what
  // is left out; a right one dropped): without them, as the level began; else the last
  // configuration seen to fail, which holds it. What it holds beyond is searched out at the
  // next level, and by the final check.
  const plain = session.close(found.flat(), session.callerHints);
  if ((await session.test(plain)) === "fail") return plain;
  return failing;
}

function groupBy(ids: readonly string[], key: (id: string) => string): Block[] {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const k = key(id);
    const g = groups.get(k);
    if (g) g.push(id);
    else groups.set(k, [id]);
  }
  return [...groups.values()];
}

/** Classification of a failing set, one unit removed at a time, dropping what is not necessary. */
async function classify(
  session: Session,
  kept: readonly string[],
  confirm: boolean,
): Promise<{ guilty: string[]; needed: string[] } | null> {
  let set = session.close(kept);
  const judge = (c: ReadonlySet<string>) => (confirm ? session.confirm(c) : session.test(c));
  for (;;) {
    if (confirm && (await judge(set)) !== "fail") return null;
    const guilty: string[] = [];
    const needed: string[] = [];
    let dropped = false;
    for (const id of [...set]) {
      if (!set.has(id)) continue;
      const structural = [...set].some((u) => u !== id && session.requires.get(u)?.includes(id));
      if (structural) {
        needed.push(id);
        continue;
      }
      const outcome = await judge(session.without(set, id));
      if (outcome === "fail") {
        set = session.without(set, id);
        dropped = true;
        break;
      }
      (outcome === "pass" ? guilty : needed).push(id);
    }
    if (!dropped) {
      const byOrder = (a: string, b: string) => session.order.get(a)! - session.order.get(b)!;
      return { guilty: guilty.sort(byOrder), needed: needed.sort(byOrder) };
    }
  }
}

async function searchOnce(
  session: Session,
  options: IsolateOptions,
): Promise<{ guilty: string[]; needed: string[] } | null> {
  const units = session.units;
  const depth = Math.max(0, ...units.map((u) => u.levels?.length ?? 0));
  const levelKey = (level: number) => {
    const byId = new Map(units.map((u) => [u.id, u.levels ?? []]));
    return (id: string) => (level < depth ? (byId.get(id)![level] ?? id) : id);
  };
  const needs = (id: string) => [
    ...(session.requires.get(id) ?? []),
    ...(session.hints.get(id) ?? []),
  ];
  let kept = units.map((u) => u.id);
  for (let level = 0; level <= depth; level++) {
    const blocks = orderBlocks(groupBy(kept, levelKey(level)), needs);
    if (blocks.length === 1 && level < depth) continue;
    const learned: Block[] = [];
    // The configuration seen to fail: the blocks found, with what their closure added (which
    // may hold units of other blocks, once diagnoses added hints).
    const chosen = await minimizeBlocks(session, blocks, new Set(kept), learned);
    if (chosen === null) return null;
    const first = learned.flat().filter((id) => chosen.has(id));
    const ahead = new Set(first);
    const rest = kept.filter((id) => chosen.has(id) && !ahead.has(id));
    const listed = new Set([...first, ...rest]);
    kept = [
      ...first,
      ...rest,
      ...units.map((u) => u.id).filter((id) => chosen.has(id) && !listed.has(id)),
    ];
  }
  return classify(session, kept, options.confirm ?? true);
}

/**
 * Finds a minimal set of units that makes the test fail and splits it into guilty units and
 * units needed to run (see the comment at the top of this file). `units` in diff order.
 */
export async function isolate(
  units: readonly SearchUnit[],
  oracle: Oracle,
  options: IsolateOptions = {},
): Promise<IsolateResult> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const tested: Tested[] = [];
  let configurations = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const session = new Session(units, oracle, options.hints);
    const result = await searchOnce(session, options);
    tested.push(...session.tested);
    configurations += session.distinct.size;
    if (result !== null) {
      const found = {
        ...result,
        configurations,
        judgements: tested.length,
        confirmed: true,
        tested,
      };
      return options.together === false ? found : guiltyTogether(found, oracle, options.moved);
    }
  }
  return {
    guilty: [],
    needed: [],
    configurations,
    judgements: tested.length,
    confirmed: false,
    tested,
  };
}

/** The search's units for a parsed diff: files first, then hunks, then line units (pure). */
export function searchUnits(diff: Diff): SearchUnit[] {
  return diff.units.map((u) => ({
    id: u.id,
    requires: u.requires,
    levels: u.hunk === undefined ? [u.path] : [u.path, u.hunk],
  }));
}

/**
 * A confirmed result none of whose units is guilty alone: each one's removal leaves the rest
 * unable to run. Without them all it is the baseline, which passes; so some of them are guilty
 * together: units that cannot run apart (a line replaced by two, each a syntax error alone:
 * fs-extra trial, where all were called "needed to run" and no hunk guilty). Each is put back in
 * turn onto the passing rest: one that keeps it passing is needed only (a helper the test
 * imports); the others are guilty, together. Outcomes already judged are not asked again.
 *
 * Except where a guilty one's definition went (`moved`: a name its removed lines define, and
 * another unit's added lines define again). A function moved into a new file, wrongly, is three
 * units that cannot run apart (the new file, its import, the old definition removed): the new
 * file, which holds the bug, passes alone since nothing imports it, and was called needed only
 * (tj/commander.js trial). The moved definition is part of the change that moved it. A helper
 * only the test imports, or a new function a guilty unit merely calls, moved nothing: it stays
 * needed only (the report says which guilty units use it).
 */
export async function guiltyTogether(
  result: IsolateResult,
  oracle: Oracle,
  moved?: ReadonlyMap<string, readonly string[]>,
): Promise<IsolateResult> {
  if (!result.confirmed || result.guilty.length > 0 || result.needed.length === 0) return result;
  const key = (ids: Iterable<string>) => [...ids].sort().join("\n");
  const known = new Map<string, Outcome>();
  for (const t of result.tested) known.set(key(t.config), t.outcome);
  const tested = [...result.tested];
  let configurations = result.configurations;
  const together = new Set(result.needed);
  for (const id of result.needed) {
    const back = result.needed.filter((u) => !together.has(u) || u === id);
    const k = key(back);
    // All of them: the failing set itself.
    let outcome = back.length === result.needed.length ? "fail" : known.get(k);
    if (outcome === undefined) {
      outcome = outcomeOf(await oracle(new Set(back)));
      known.set(k, outcome);
      tested.push({ config: k.split("\n"), outcome });
      configurations += 1;
    }
    if (outcome === "pass") together.delete(id);
  }
  for (let grew = together.size > 0; grew; ) {
    grew = false;
    for (const id of result.needed) {
      if (together.has(id) || ![...together].some((t) => moved?.get(t)?.includes(id))) continue;
      together.add(id);
      grew = true;
    }
  }
  return {
    ...result,
    guilty: result.needed.filter((id) => together.has(id)),
    needed: result.needed.filter((id) => !together.has(id)),
    configurations,
    judgements: tested.length,
    tested,
  };
}
