/** The phases culprit's own time is spent in, as `--json`'s `timing.phases` reports them. */
export type Phase =
  /** Process start to the first step: node, module loading, argv and config. */
  | "startup"
  /** Checks before anything is touched (repository state, suspects, confirmation). */
  | "preflight"
  /** Writing the backup: snapshot, index copy, raw bytes, pinning ref. */
  | "backup"
  /** Turning the working tree into the baseline (stash push, reset, revert). */
  | "enter"
  /** After each run: what the test wrote is kept and the tree put back. */
  | "settle"
  /** Giving the user's tree back (stash pop, reset). */
  | "leave"
  /** Fingerprinting the restored tree against the backup. */
  | "verify"
  /** Restoring from the backup itself (after a mismatch or a failure). */
  | "restore"
  /** Around each run: spawning, log files, journal, report files (the run's own time excluded). */
  | "spawn"
  /** Dropping the backup and the journal. */
  | "finish";

/** Accumulates wall time per phase (ms); a phase timed inside another is not counted twice. */
export class PhaseClock {
  readonly phases: Partial<Record<Phase, number>> = {};
  /** Time taken by nested phases, per level of nesting in progress. */
  private readonly nested: number[] = [];

  /** Adds `ms`, spent within the phase being timed (if any), to another phase. */
  add(phase: Phase, ms: number): void {
    this.record(phase, ms);
    if (this.nested.length > 0) this.nested[this.nested.length - 1]! += ms;
  }

  private record(phase: Phase, ms: number): void {
    this.phases[phase] = (this.phases[phase] ?? 0) + ms;
  }

  /** Runs `work`, adding its wall time (less that of phases timed within it) to `phase`. */
  async time<T>(phase: Phase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.nested.push(0);
    try {
      return await work();
    } finally {
      const elapsed = performance.now() - started;
      const inner = this.nested.pop() ?? 0;
      this.record(phase, elapsed - inner);
      if (this.nested.length > 0) this.nested[this.nested.length - 1]! += elapsed;
    }
  }

  /** The phases rounded to whole milliseconds, zero phases left out. */
  rounded(): Partial<Record<Phase, number>> {
    const out: Partial<Record<Phase, number>> = {};
    for (const [phase, ms] of Object.entries(this.phases) as [Phase, number][])
      if (ms > 0) out[phase] = Math.round(ms);
    return out;
  }
}
