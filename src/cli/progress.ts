import type { Ora } from "ora";
import type { ProgressEvent } from "../machine/types.js";

const glyph = { pass: "✓", fail: "✗", "cannot-run": "∅", hang: "⧖" } as const;

/** What the spinner knows so far. */
export interface ProgressState {
  /** The phase: a state name, or what the baseline attempt is. */
  phase: string;
  /** Outcome glyphs per side (the baseline's: of the current attempt). */
  marks: { current: string[]; baseline: string[] };
  durations: number[];
  /** The run in progress, if one is. */
  running: { side: "current" | "baseline"; index: number } | null;
}

/** Seconds, as the spinner shows them: 8s, 2m05s. */
function seconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/**
 * The spinner's line (pure): phase, run number and side, the glyphs so far, and an ETA from the
 * runs' mean duration for the runs still due before a first verdict (`runs` a side; the baseline
 * only while the current tree has failed).
 */
export function progressText(state: ProgressState, runs: number): string {
  const parts: string[] = [];
  if (state.running) parts.push(`${state.running.side} run ${state.running.index}`);
  else parts.push(state.phase);
  const { current, baseline } = state.marks;
  parts.push(`current ${current.join("") || "-"}`);
  if (baseline.length > 0 || state.running?.side === "baseline")
    parts.push(`baseline ${baseline.join("") || "-"}`);
  if (state.durations.length > 0) {
    const mean = state.durations.reduce((a, b) => a + b, 0) / state.durations.length;
    const failed = current.some((g) => g !== glyph.pass);
    const due =
      Math.max(0, runs - current.length) + (failed ? Math.max(0, runs - baseline.length) : 0);
    parts.push(
      due > 0 ? `~${seconds(mean)} a run, ETA ${seconds(mean * due)}+` : `~${seconds(mean)} a run`,
    );
  }
  return parts.join("  ");
}

/** The spinner on a TTY (stderr), silent elsewhere (CI, pipes, --json, --format line, --verbose). */
export function createProgress(
  enabled: boolean,
  runs: number,
): {
  update: (event: ProgressEvent) => void;
  stop: () => void;
} {
  let spinner: Ora | null = null;
  // ora (and its dependencies) load only when a spinner can be shown: start-up stays fast elsewhere.
  let makeSpinner: (() => Ora) | null = null;
  if (enabled) {
    void import("ora").then(({ default: ora }) => {
      makeSpinner = () => ora({ stream: process.stderr }).start();
    });
  }
  const state: ProgressState = {
    phase: "preflight",
    marks: { current: [], baseline: [] },
    durations: [],
    running: null,
  };
  return {
    update(event) {
      if (event.kind === "state") {
        if (!event.state.startsWith("probe-"))
          state.phase = `${event.state}${event.detail ? ` (${event.detail})` : ""}`;
      } else if (event.kind === "run-start") {
        state.running = { side: event.side, index: event.index };
      } else if (event.kind === "attempt") {
        // A new way of producing the baseline: its runs start a fresh row.
        state.marks.baseline = [];
        state.phase =
          event.strategy === "selective-revert"
            ? `baseline: reverting ${event.suspects.length} suspect path(s) (attempt ${event.attempt})`
            : `baseline: ${event.strategy} (attempt ${event.attempt})`;
      } else {
        state.marks[event.side].push(glyph[event.run.outcome]);
        state.durations.push(event.run.durationMs);
        state.running = null;
      }
      if (!makeSpinner) return;
      spinner ??= makeSpinner();
      spinner.text = progressText(state, runs);
    },
    stop() {
      spinner?.stop();
      spinner = null;
    },
  };
}
