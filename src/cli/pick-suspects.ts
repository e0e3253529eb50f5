import { messages } from "../messages.js";
import type { Change } from "../strategies/suspects.js";
import { isCI } from "./environment.js";

/** Where a prompt could be shown. */
export interface PromptContext {
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** A checkbox is offered only to a person: stdin and stderr are terminals, and not in CI (pure). */
export function canPrompt(context: PromptContext): boolean {
  return context.stdinIsTTY && context.stderrIsTTY && !isCI(context.env);
}

const statusWords: Record<Change["status"], string> = {
  A: "new",
  M: "modified",
  D: "deleted",
  T: "type changed",
};

/**
 * Asks which changes to revert, in a checkbox on stderr, the automatic suspects pre-checked.
 * Null when the user cancels (Ctrl-C or the abort signal). Never called in tests: inquirer is
 * loaded only here.
 */
export async function promptSuspects(
  changes: readonly Change[],
  preselected: readonly string[],
  signal?: AbortSignal,
): Promise<string[] | null> {
  const { default: inquirer } = await import("inquirer");
  const prompt = inquirer.createPromptModule({
    output: process.stderr,
    ...(signal ? { signal } : {}),
  });
  const checked = new Set(preselected);
  try {
    const answers = await prompt<{ suspects: string[] }>([
      {
        type: "checkbox",
        name: "suspects",
        message: messages.pickSuspectsPrompt(),
        choices: changes.map((c) => ({
          name: `${c.path} (${statusWords[c.status]})`,
          value: c.path,
          checked: checked.has(c.path),
        })),
        pageSize: 15,
        validate: (picked: readonly unknown[]) =>
          picked.length > 0 ? true : "Pick at least one change to revert.",
      },
    ]);
    return answers.suspects;
  } catch (error) {
    // ExitPromptError (Ctrl-C in the prompt) and AbortPromptError (a signal) end the run.
    const name = (error as Error)?.name;
    if (name === "ExitPromptError" || name === "AbortPromptError") return null;
    throw error;
  }
}
