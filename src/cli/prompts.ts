import { messages } from "../messages.js";

/**
 * The yes/no and number prompts of interactive triage, on stderr. Shown only to a person at a
 * terminal (`canPrompt`), never in CI; each has a flag that answers it (`--yes`, `--more N`).
 * Never called in tests: inquirer is loaded only here.
 */
async function promptModule(signal?: AbortSignal) {
  const { default: inquirer } = await import("inquirer");
  return inquirer.createPromptModule({ output: process.stderr, ...(signal ? { signal } : {}) });
}

/** True when a prompt ended by Ctrl-C or a signal (the caller treats it as "no"). */
function cancelled(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === "ExitPromptError" || name === "AbortPromptError";
}

/** "N changed files: check out the baseline over them?" (`--yes` answers it). */
export async function promptConfirmTouch(changed: number, signal?: AbortSignal): Promise<boolean> {
  const prompt = await promptModule(signal);
  try {
    const answers = await prompt<{ ok: boolean }>([
      { type: "confirm", name: "ok", message: messages.confirmTouch(changed), default: true },
    ]);
    return answers.ok;
  } catch (error) {
    if (cancelled(error)) return false;
    throw error;
  }
}

/** "Inconclusive so far: run N more times a side?" (`--more N` answers it); 0 stops. */
export async function promptMoreRuns(suggested: number, signal?: AbortSignal): Promise<number> {
  const prompt = await promptModule(signal);
  try {
    const answers = await prompt<{ more: number | undefined }>([
      {
        type: "number",
        name: "more",
        message: messages.runMorePrompt(suggested),
        default: suggested,
        min: 0,
        max: 1000,
      },
    ]);
    return answers.more ?? 0;
  } catch (error) {
    if (cancelled(error)) return 0;
    throw error;
  }
}
