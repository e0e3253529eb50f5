import { emitKeypressEvents } from "node:readline";
import { Writable } from "node:stream";
import { messages } from "../messages.js";
import type { TerminalSize } from "./progress.js";
import type { TerminalWriter } from "./write-terminal.js";

/** The user left a prompt: Ctrl-C, Escape, or a signal that stopped the run. */
export class PromptCancelled extends Error {
  override readonly name = "PromptCancelled";
  constructor(readonly how: "ctrl-c" | "escape" | "signal") {
    super(`prompt cancelled (${how})`);
  }
}

/** Where a prompt is drawn and what ends it early. */
export interface PromptIo {
  /** The run's abort signal: a SIGTERM/SIGHUP while the prompt is open ends it. */
  signal?: AbortSignal;
  /** The terminal writer (never blocks); process.stderr when absent. */
  writer?: TerminalWriter;
  size?: () => TerminalSize;
}

const escapeKey = Symbol("escape");

/** inquirer's output as a stream into the non-blocking writer, sized like the terminal. */
class WriterStream extends Writable {
  readonly isTTY = true;
  constructor(
    private readonly writer: TerminalWriter,
    private readonly size: () => TerminalSize,
  ) {
    super({ decodeStrings: false });
  }
  get columns(): number {
    return this.size().columns || 80;
  }
  get rows(): number {
    return this.size().rows || 24;
  }
  override _write(chunk: string | Buffer, _encoding: string, done: () => void): void {
    this.writer.line(chunk);
    done();
  }
}

/**
 * Asks one inquirer question (inquirer loads here, lazily). inquirer 13 gives Escape no meaning,
 * so Escape cancels, like Ctrl-C (which inquirer receives as a byte: the prompt's raw mode turns
 * the terminal's SIGINT off). Throws PromptCancelled for both and for the run's abort signal.
 */
async function ask<T>(question: Record<string, unknown>, io: PromptIo): Promise<T> {
  const { default: inquirer } = await import("inquirer");
  const own = new AbortController();
  const onAbort = () => own.abort(io.signal?.reason);
  if (io.signal?.aborted) onAbort();
  io.signal?.addEventListener("abort", onAbort, { once: true });
  // Keypress events are what inquirer's readline parses anyway; a lone ESC is reported after
  // readline's escape timeout (500 ms), as `{ name: "escape" }`.
  emitKeypressEvents(process.stdin);
  const onKey = (_text: string, key?: { name?: string }) => {
    if (key?.name === "escape") own.abort(escapeKey);
  };
  process.stdin.on("keypress", onKey);
  const output = io.writer
    ? new WriterStream(io.writer, io.size ?? (() => ({ columns: 80, rows: 24 })))
    : process.stderr;
  try {
    const prompt = inquirer.createPromptModule({ output, signal: own.signal });
    const answers = await prompt<{ answer: T }>([{ ...question, name: "answer" } as never]);
    return answers.answer as T;
  } catch (error) {
    const name = (error as Error)?.name;
    if (name === "ExitPromptError") throw new PromptCancelled("ctrl-c");
    if (name === "AbortPromptError")
      throw new PromptCancelled(own.signal.reason === escapeKey ? "escape" : "signal");
    throw error;
  } finally {
    process.stdin.off("keypress", onKey);
    io.signal?.removeEventListener("abort", onAbort);
    // The prompt's readline paused stdin; our keypress listener must not keep it flowing.
    process.stdin.pause();
  }
}

/**
 * "N changed files: check out the baseline over them?" (`--yes` answers it). Shown only to a
 * person at a terminal (`canPrompt`), never in CI. Ctrl-C or Escape: PromptCancelled.
 */
export async function promptConfirmTouch(changed: number, io: PromptIo = {}): Promise<boolean> {
  return ask<boolean>(
    { type: "confirm", message: messages.confirmTouch(changed), default: true },
    io,
  );
}

/** "Inconclusive so far: run N more times a side?" (`--more N` answers it); 0 stops. */
export async function promptMoreRuns(suggested: number, io: PromptIo = {}): Promise<number> {
  const more = await ask<number | undefined>(
    {
      type: "number",
      message: messages.runMorePrompt(suggested),
      default: suggested,
      min: 0,
      max: 1000,
    },
    io,
  );
  return more ?? 0;
}

/** A checkbox of `choices` (for the suspects); Ctrl-C or Escape: PromptCancelled. */
export async function promptCheckbox(
  message: string,
  choices: { name: string; value: string; checked: boolean }[],
  validate: (picked: readonly unknown[]) => true | string,
  io: PromptIo = {},
): Promise<string[]> {
  return ask<string[]>({ type: "checkbox", message, choices, pageSize: 15, validate }, io);
}
