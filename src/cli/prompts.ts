import { emitKeypressEvents } from "node:readline";
import { Writable } from "node:stream";
import { messages } from "../messages.js";
import { importPackage } from "./import-package.js";
import type { TerminalSize } from "./progress.js";
import type { TerminalWriter } from "./write-terminal.js";

/** The prompt ended unanswered: Ctrl-C, Escape, a signal that stopped the run, or the terminal closed. */
export class PromptCancelled extends Error {
  override readonly name = "PromptCancelled";
  constructor(readonly how: "ctrl-c" | "escape" | "signal" | "closed") {
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
const terminalClosed = Symbol("closed");

let rawModeGuarded = false;

/**
 * A terminal closed while a prompt is open ends stdin, and readline's close then sets the
 * terminal back to cooked mode, which throws EIO from an 'end' handler: an uncaught exception
 * that would kill culprit with the baseline checked out. A terminal that is gone has no mode to
 * restore: that EIO is ignored.
 */
function guardRawMode(): void {
  if (rawModeGuarded || typeof process.stdin.setRawMode !== "function") return;
  rawModeGuarded = true;
  const setRawMode = process.stdin.setRawMode.bind(process.stdin);
  process.stdin.setRawMode = (mode: boolean) => {
    try {
      return setRawMode(mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EIO") return process.stdin;
      throw error;
    }
  };
}

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
  const { default: inquirer } = await importPackage<typeof import("inquirer")>("inquirer");
  const own = new AbortController();
  const onAbort = () => own.abort(io.signal?.reason);
  if (io.signal?.aborted) onAbort();
  io.signal?.addEventListener("abort", onAbort, { once: true });
  // Keypress events are what inquirer's readline parses anyway; a lone ESC is reported after
  // readline's escape timeout (500 ms), as `{ name: "escape" }`.
  emitKeypressEvents(process.stdin);
  // What ended the prompt, seen before inquirer sees it (these listeners come first): inquirer
  // reports Ctrl-C, a closed terminal and a signal (through signal-exit) alike, as ExitPromptError.
  let ctrlC = false;
  let closed = false;
  const onKey = (_text: string, key?: { name?: string; ctrl?: boolean }) => {
    if (key?.name === "escape") own.abort(escapeKey);
    if (key?.ctrl && key.name === "c") ctrlC = true;
  };
  process.stdin.on("keypress", onKey);
  guardRawMode();
  const onClosed = () => {
    closed = true;
    own.abort(terminalClosed);
  };
  process.stdin.on("end", onClosed);
  process.stdin.on("error", onClosed);
  const output = io.writer
    ? new WriterStream(io.writer, io.size ?? (() => ({ columns: 80, rows: 24 })))
    : process.stderr;
  try {
    const prompt = inquirer.createPromptModule({ output, signal: own.signal });
    const answers = await prompt<{ answer: T }>([{ ...question, name: "answer" } as never]);
    return answers.answer as T;
  } catch (error) {
    const name = (error as Error)?.name;
    if (name !== "ExitPromptError" && name !== "AbortPromptError") throw error;
    if (own.signal.reason === escapeKey) throw new PromptCancelled("escape");
    if (ctrlC) throw new PromptCancelled("ctrl-c");
    if (closed) throw new PromptCancelled("closed");
    if (io.signal?.aborted) throw new PromptCancelled("signal");
    throw new PromptCancelled("ctrl-c");
  } finally {
    process.stdin.off("keypress", onKey);
    process.stdin.off("end", onClosed);
    process.stdin.off("error", onClosed);
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
