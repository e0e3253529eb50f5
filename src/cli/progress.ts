import type { Ora } from "ora";
import type { ProgressEvent } from "../machine/types.js";

const glyph = { pass: "✓", fail: "✗", "cannot-run": "∅", hang: "⧖" } as const;

/** The spinner on a TTY (stderr), silent elsewhere (CI, pipes, --json). */
export function createProgress(wanted: boolean): {
  update: (event: ProgressEvent) => void;
  stop: () => void;
} {
  const enabled = wanted && Boolean(process.stderr.isTTY) && !process.env["CI"];
  let spinner: Ora | null = null;
  // ora (and its dependencies) load only when a spinner can be shown: start-up stays fast elsewhere.
  let makeSpinner: (() => Ora) | null = null;
  if (enabled) {
    void import("ora").then(({ default: ora }) => {
      makeSpinner = () => ora({ stream: process.stderr }).start();
    });
  }
  const marks: Record<string, string[]> = { current: [], baseline: [] };
  const durations: number[] = [];
  return {
    update(event) {
      if (!makeSpinner) return;
      spinner ??= makeSpinner();
      if (event.kind === "state")
        spinner.text = `${event.state}${event.detail ? ` (${event.detail})` : ""}`;
      else if (event.kind === "run-start") {
        const mean = durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : 0;
        const eta = mean ? `, ~${Math.ceil(mean / 1000)}s a run` : "";
        spinner.text = `${event.side} run ${event.index}  current ${marks["current"]!.join("")}  baseline ${marks["baseline"]!.join("")}${eta}`;
      } else if (event.kind === "attempt") {
        // A new way of producing the baseline: its runs start a fresh row.
        marks["baseline"] = [];
        spinner.text =
          event.strategy === "selective-revert"
            ? `baseline: reverting ${event.suspects.length} suspect path(s) (attempt ${event.attempt})`
            : `baseline: stash (attempt ${event.attempt})`;
      } else {
        marks[event.side]!.push(glyph[event.run.outcome]);
        durations.push(event.run.durationMs);
      }
    },
    stop() {
      spinner?.stop();
      spinner = null;
    },
  };
}
