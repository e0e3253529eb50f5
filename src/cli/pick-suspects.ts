import { messages } from "../messages.js";
import type { Change } from "../strategies/suspects.js";
import { isCI } from "./environment.js";
import { PromptCancelled, type PromptIo, promptCheckbox } from "./prompts.js";

/** Where a prompt could be shown. */
export interface PromptContext {
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** The terminal's size, when known: a 0x0 pseudo-terminal has nobody in front of it. */
  size?: { columns: number; rows: number };
}

/**
 * A prompt is offered only to a person (pure): stdin and stderr are terminals, not in CI, and the
 * terminal has a size (`script` without a terminal on its input gives its command a 0x0 one).
 */
export function canPrompt(context: PromptContext): boolean {
  const sized = !context.size || (context.size.columns > 0 && context.size.rows > 0);
  return context.stdinIsTTY && context.stderrIsTTY && !isCI(context.env) && sized;
}

const statusWords: Record<Change["status"], string> = {
  A: "new",
  M: "modified",
  D: "deleted",
  T: "type changed",
};

/**
 * Asks which changes to revert, in a checkbox on the terminal, the automatic suspects pre-checked.
 * Null when the user cancels (Ctrl-C, Escape, the run's abort signal, or the terminal closed:
 * then `onClosed` is called first).
 */
export async function promptSuspects(
  changes: readonly Change[],
  preselected: readonly string[],
  io: PromptIo & { onClosed?: () => void } = {},
): Promise<string[] | null> {
  const checked = new Set(preselected);
  try {
    return await promptCheckbox(
      messages.pickSuspectsPrompt(),
      changes.map((c) => ({
        name: `${c.path} (${statusWords[c.status]})`,
        value: c.path,
        checked: checked.has(c.path),
      })),
      (picked) => (picked.length > 0 ? true : messages.pickAtLeastOne()),
      io,
    );
  } catch (error) {
    if (!(error instanceof PromptCancelled)) throw error;
    if (error.how === "closed") io.onClosed?.();
    return null;
  }
}
