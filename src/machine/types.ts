import type { Decision, Side, Statistics, Verdict } from "../compare/types.js";
import type { Outcome } from "../run/types.js";

/** Everything the machine needs from the command line. */
export interface AttributeOptions {
  /** The command, as an argv (ignored when `shell` is set). */
  argv: string[];
  shell?: string;
  /** Where the command runs (the user's cwd, inside the repository). */
  cwd: string;
  runs: number;
  maxRuns: number;
  confidence: number;
  margin: number;
  timeoutMs: number;
  killAfterMs: number;
  /** Output patterns and exit codes that mean "could not run". */
  cannotRunPattern?: RegExp;
  cannotRunExit?: number[];
  runner?: string;
  /** Aborting (SIGINT/SIGTERM/SIGHUP) stops the current run and restores the tree. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** What the machine tells a front end while it works. */
export type ProgressEvent =
  | { kind: "state"; state: string; detail?: string }
  | { kind: "run-start"; side: Side; index: number }
  | { kind: "run-end"; side: Side; index: number; run: RunRecord };

/** One run of the user's command, as reported. */
export interface RunRecord {
  side: Side;
  /** 1-based, per side. */
  index: number;
  outcome: Outcome;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** True when a first attempt hung and this is the retry. */
  hangRetried: boolean;
  logPath: string | null;
  /** The last lines of output (kept for failing runs). */
  tail?: string;
}

/** How the tree came back. */
export interface RestoreReport {
  /** Whether the tree was ever changed by the tool (false when the baseline was not needed). */
  touched: boolean;
  /** "stash-pop", "backup" (fallback or after a test rewrote files), or "none". */
  via: "stash-pop" | "backup" | "none";
  /** The fingerprint of HEAD, index and working tree matched the backup at the end. */
  verified: boolean;
  /** Refs under refs/culprit/residue/ holding what the test wrote. */
  residue: string[];
}

/** The outcome of `culprit -- cmd`. */
export interface AttributionResult {
  runId: string;
  verdict: Verdict;
  reason: string;
  flaky: boolean;
  stats: Statistics;
  strategy: "baseline-stash" | "selective-revert" | null;
  runs: RunRecord[];
  command: { argv: string[]; shell: string | null; cwd: string };
  restore: RestoreReport;
  /** Set when a signal cut the run short. */
  interrupted: string | null;
  timing: { totalMs: number; runsMs: number; overheadMs: number };
  decision: Decision;
}
