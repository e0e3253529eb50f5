import { createWriteStream, mkdirSync, openSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";

/** Where output goes and how much of it is kept. */
export interface CaptureOptions {
  /** Bytes of tail kept in memory (also the tail written at the end of a cut log). */
  tailBytes: number;
  /** Log file; none when absent. */
  logPath?: string;
  /** Bytes of head written to the log before it switches to head + marker + tail. */
  logLimitBytes: number;
}

const newline = 0x0a;

/**
 * Collects a command's stdout and stderr in bounded memory: a tail ring, plus
 * a log file holding the head and, at close, the tail. Slows the sources down
 * (pauses them) while the log file is behind.
 */
export class OutputCapture {
  /** Total bytes seen on all sources. */
  outputBytes = 0;
  /** Set when the log could not be written (the capture goes on without it). */
  logError: string | null = null;
  /** performance.now() of the last chunk, for idle detection. */
  lastDataAt = performance.now();

  private readonly ring: Buffer;
  private ringPos = 0;
  private ringFull = false;
  private log: WriteStream | null = null;
  private headBytes = 0;
  private lastHeadByte = newline;
  private readonly sources: Readable[] = [];
  private waitingForDrain = false;

  private constructor(private readonly options: CaptureOptions) {
    this.ring = Buffer.alloc(Math.max(0, options.tailBytes));
  }

  /** Creates a capture, opening the log file (and its parent folders) when one is asked for. */
  static async open(options: CaptureOptions): Promise<OutputCapture> {
    const capture = new OutputCapture(options);
    if (options.logPath !== undefined) await capture.openLog(options.logPath);
    return capture;
  }

  /** True while the sources are paused for the log file to catch up. */
  get paused(): boolean {
    return this.waitingForDrain;
  }

  /** Starts reading `stream` into the capture. */
  attach(stream: Readable): void {
    this.sources.push(stream);
    stream.on("data", (chunk: Buffer | string) => {
      this.take(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    });
  }

  /** The tail as text (leading bytes of a cut UTF-8 sequence dropped). */
  tail(): string {
    let bytes = this.ringContents();
    if (this.outputBytes > bytes.length) {
      let skip = 0;
      while (skip < 3 && skip < bytes.length && (bytes[skip]! & 0xc0) === 0x80) skip++;
      bytes = bytes.subarray(skip);
    }
    return bytes.toString("utf8");
  }

  /** Writes the tail (after an omission marker when output was cut) and closes the log. */
  async close(): Promise<void> {
    const log = this.log;
    if (log === null) return;
    const rest = this.outputBytes - this.headBytes;
    if (rest > 0) {
      const kept = this.ringContents();
      if (rest <= kept.length) {
        log.write(Buffer.from(kept.subarray(kept.length - rest)));
      } else {
        const lead = this.lastHeadByte === newline ? "" : "\n";
        log.write(`${lead}[culprit: ${rest - kept.length} bytes omitted]\n`);
        log.write(Buffer.from(kept));
      }
    }
    log.end();
    try {
      await finished(log);
    } catch (error) {
      this.logError ??= (error as Error).message;
    }
    this.log = null;
  }

  private async openLog(path: string): Promise<void> {
    try {
      // Opened at once (a few microseconds), not through the thread pool: a round trip there
      // waited behind the git processes starting beside the run, before every run's spawn.
      mkdirSync(dirname(path), { recursive: true });
      const log = createWriteStream(path, { fd: openSync(path, "w") });
      log.on("error", (error) => {
        this.logError ??= error.message;
        this.log = null;
        log.destroy();
        this.resumeSources();
      });
      this.log = log;
    } catch (error) {
      this.logError = (error as Error).message;
    }
  }

  private take(chunk: Buffer): void {
    this.outputBytes += chunk.length;
    this.lastDataAt = performance.now();
    this.remember(chunk);
    const log = this.log;
    const room = this.options.logLimitBytes - this.headBytes;
    if (log === null || room <= 0) return;
    const head = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.headBytes += head.length;
    this.lastHeadByte = head[head.length - 1] ?? this.lastHeadByte;
    if (!log.write(head) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      for (const source of this.sources) source.pause();
      log.once("drain", () => this.resumeSources());
    }
  }

  private resumeSources(): void {
    if (!this.waitingForDrain) return;
    this.waitingForDrain = false;
    for (const source of this.sources) source.resume();
  }

  private remember(chunk: Buffer): void {
    const size = this.ring.length;
    if (size === 0) return;
    if (chunk.length >= size) {
      chunk.copy(this.ring, 0, chunk.length - size);
      this.ringPos = 0;
      this.ringFull = true;
      return;
    }
    const first = Math.min(chunk.length, size - this.ringPos);
    chunk.copy(this.ring, this.ringPos, 0, first);
    this.ringPos += first;
    if (first < chunk.length) {
      chunk.copy(this.ring, 0, first);
      this.ringPos = chunk.length - first;
      this.ringFull = true;
    } else if (this.ringPos === size) {
      this.ringPos = 0;
      this.ringFull = true;
    }
  }

  private ringContents(): Buffer {
    if (!this.ringFull) return this.ring.subarray(0, this.ringPos);
    return Buffer.concat([this.ring.subarray(this.ringPos), this.ring.subarray(0, this.ringPos)]);
  }
}
