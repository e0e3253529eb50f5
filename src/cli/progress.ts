import type { ProgressEvent } from "../machine/types.js";
import type { TerminalWriter } from "./write-terminal.js";

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

/** A terminal's size in character cells. */
export interface TerminalSize {
  columns: number;
  rows: number;
}

/** The size of the terminal `stream` is on (0x0 when it is not a terminal). */
export function readTerminalSize(stream: NodeJS.WriteStream): TerminalSize {
  if (!stream.isTTY) return { columns: 0, rows: 0 };
  // Node refreshes these on SIGWINCH.
  return { columns: stream.columns ?? 0, rows: stream.rows ?? 0 };
}

/** Narrower than this (or 0 rows, as a 0x0 pseudo-terminal says) and there is no spinner. */
export const minSpinnerColumns = 20;

/** Frames a second, at most. */
const frameMs = 100;

const spinnerGlyphs = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Erases the line the cursor is on and returns to its start. */
export const clearLine = "\r\u001b[K";

const controls = /\u001b\[[0-?]*[ -/]*[@-~]|[\u0000-\u001f\u007f-\u009f]/g;

/** Cells a code point takes: 0 for combining marks, 2 for East Asian wide and emoji, else 1. */
function cellWidth(code: number): number {
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f)) return 0;
  if (code >= 0xfe00 && code <= 0xfe0f) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** `text` without control characters, cut to at most `width` cells (pure). */
export function fitWidth(text: string, width: number): string {
  let used = 0;
  let out = "";
  for (const char of text.replace(controls, "")) {
    const cells = cellWidth(char.codePointAt(0)!);
    if (used + cells > width) break;
    used += cells;
    out += char;
  }
  return out;
}

/**
 * One frame of the spinner (pure): back to the start of the line, the glyph and the text cut to
 * one cell less than the width (writing the last cell would wrap on some terminals), then erase
 * to the end of the line; one line, no cursor movement up. Null when the terminal is too small.
 */
export function spinnerFrame(text: string, size: TerminalSize, tick: number): string | null {
  if (!(size.columns >= minSpinnerColumns) || !(size.rows > 0)) return null;
  const glyph = spinnerGlyphs[tick % spinnerGlyphs.length]!;
  return `\r${fitWidth(`${glyph} ${text}`, size.columns - 1)}\u001b[K`;
}

/** The spinner, as the command line drives it. */
export interface Progress {
  update: (event: ProgressEvent) => void;
  /** Erases the spinner until the next update; true when there was one to erase. */
  stop: () => boolean;
  /** Erases the spinner for good. */
  end: () => boolean;
}

/** A spinner line whose text is read at every frame. */
export interface Spinner {
  /** Something changed: draws now, then keeps redrawing (at most 10 frames a second). */
  poke: () => void;
  /** Erases the spinner until the next poke; true when there was one to erase. */
  stop: () => boolean;
  /** Erases the spinner for good (later pokes draw nothing). */
  end: () => boolean;
}

/**
 * A spinner on a terminal (`writer` null: none, as in CI, pipes, --json, --verbose). It never
 * reads stdin (so Ctrl-C stays a signal) and redraws at most 10 times a second through the
 * writer, which drops frames the terminal does not take; the size is read again for every frame,
 * so a terminal resized below `minSpinnerColumns` (or to 0x0) loses the spinner at once.
 */
export function createSpinner(
  writer: TerminalWriter | null,
  text: () => string,
  size: () => TerminalSize,
): Spinner {
  let timer: NodeJS.Timeout | null = null;
  let tick = 0;
  let shown = false;
  let ended = false;
  const draw = () => {
    if (!writer) return;
    const frame = spinnerFrame(text(), size(), tick);
    if (frame === null) {
      if (shown) writer.line(clearLine);
      shown = false;
      return;
    }
    if (writer.frame(frame)) {
      shown = true;
      tick += 1;
    }
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
    if (!shown || !writer) return false;
    writer.line(clearLine);
    shown = false;
    return true;
  };
  return {
    poke() {
      if (!writer || ended || timer) return;
      draw();
      timer = setInterval(draw, frameMs);
      // The spinner never keeps culprit alive.
      timer.unref();
    },
    stop,
    end() {
      ended = true;
      return stop();
    },
  };
}

/** The attribution's spinner: phase, runs and their glyphs, ETA (`progressText`). */
export function createProgress(
  writer: TerminalWriter | null,
  runs: number,
  size: () => TerminalSize,
): Progress {
  const state: ProgressState = {
    phase: "preflight",
    marks: { current: [], baseline: [] },
    durations: [],
    running: null,
  };
  const spinner = createSpinner(writer, () => progressText(state, runs), size);
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
      spinner.poke();
    },
    stop: spinner.stop,
    end: spinner.end,
  };
}
