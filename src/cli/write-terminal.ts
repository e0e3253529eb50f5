import { closeSync, constants, fstatSync, openSync, write, writeSync } from "node:fs";
import { isatty } from "node:tty";

/** What one write did: bytes taken, "again" (nothing taken: the terminal is not reading now), or "gone". */
export type WriteAttempt = number | "again" | "gone";

/** Where a TerminalWriter's bytes go; `done` may be called synchronously. Never throws. */
export interface TerminalSink {
  write(bytes: Uint8Array, done: (result: WriteAttempt) => void): void;
  close(): void;
}

/** Errors that mean "try later"; any other means the terminal (or pipe) is gone (EIO, EPIPE...). */
const transient = new Set(["EAGAIN", "EWOULDBLOCK", "EINTR"]);

function attemptOf(error: unknown): "again" | "gone" {
  return transient.has((error as NodeJS.ErrnoException)?.code ?? "") ? "again" : "gone";
}

/** A sink on a non-blocking file descriptor: a full terminal says EAGAIN, it never blocks. */
function nonBlockingSink(fd: number, owned: boolean): TerminalSink {
  return {
    write(bytes, done) {
      let result: WriteAttempt;
      try {
        result = writeSync(fd, bytes);
      } catch (error) {
        result = attemptOf(error);
      }
      done(result);
    },
    close() {
      if (!owned) return;
      try {
        closeSync(fd);
      } catch {}
    },
  };
}

/** The fallback: fs.write in libuv's thread pool (a blocked terminal then blocks a pool thread). */
function threadPoolSink(fd: number): TerminalSink {
  return {
    write(bytes, done) {
      try {
        write(fd, bytes, 0, bytes.length, null, (error, written) =>
          done(error ? attemptOf(error) : written),
        );
      } catch (error) {
        done(attemptOf(error));
      }
    },
    close() {},
  };
}

/**
 * The sink for fd 1 or 2. A terminal or a pipe is opened again through /proc/self/fd (a new open
 * file description of the same device, see proc(5)) with O_NONBLOCK: a terminal that stops
 * reading (Ctrl-S, or a pane nobody drains) then makes write(2) fail with EAGAIN instead of
 * blocking. Not fd itself: Node keeps a TTY's description blocking (tty.WriteStream calls
 * setBlocking(true)), and O_NONBLOCK on a description shared with the shell would leak into it.
 * Not fs.write on fd either: a write blocked in the thread pool also blocks process.exit, which
 * joins the pool's threads (libuv's uv_library_shutdown).
 */
export function openTerminalSink(fd: number): TerminalSink {
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return nonBlockingSink(fd, false);
    if (stat.isCharacterDevice() || stat.isFIFO()) {
      const own = openSync(
        `/proc/self/fd/${fd}`,
        constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY,
      );
      return nonBlockingSink(own, true);
    }
  } catch (error) {
    // The terminal hung up already: nothing will ever be written.
    if ((error as NodeJS.ErrnoException)?.code === "EIO") return goneSink;
  }
  return threadPoolSink(fd);
}

const goneSink: TerminalSink = {
  write: (_bytes, done) => done("gone"),
  close() {},
};

/** Options of a TerminalWriter. */
export interface WriterOptions {
  /** Most bytes of lines kept while the terminal is not reading; beyond, lines are dropped. */
  maxQueuedBytes?: number;
  /** How long to wait before trying again after EAGAIN. */
  retryMs?: number;
}

/**
 * Writes to a terminal without ever blocking the event loop or throwing. Spinner frames are
 * written only when nothing is pending (else dropped); lines are queued (bounded) until the
 * terminal takes them. Once a write fails for good (EIO after a hang-up, EPIPE), the terminal is
 * gone and every later write is a no-op.
 */
export class TerminalWriter {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private busy = false;
  private retry: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];
  private readonly maxQueuedBytes: number;
  private readonly retryMs: number;
  /** The terminal is gone: nothing more will be written. */
  gone = false;
  /** Bytes of lines dropped because the queue was full. */
  droppedBytes = 0;

  constructor(
    private readonly sink: TerminalSink,
    options: WriterOptions = {},
  ) {
    this.maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
    this.retryMs = options.retryMs ?? 50;
  }

  /** Nothing queued or in flight. */
  get idle(): boolean {
    return this.gone || (!this.busy && this.queue.length === 0);
  }

  /** Writes a frame if the terminal takes it now; false when it was dropped. */
  frame(text: string): boolean {
    if (this.gone || !this.idle || this.retry) return false;
    const bytes = Buffer.from(text);
    let taken = false;
    this.busy = true;
    this.sink.write(bytes, (result) => {
      this.busy = false;
      if (result === "gone") return this.markGone();
      if (result === "again") return this.settled();
      taken = true;
      // Half a frame would leave an escape sequence open: the rest must follow.
      if (result < bytes.length) this.enqueue(bytes.subarray(result));
      this.pump();
    });
    return taken || this.busy;
  }

  /** Queues text that must reach the terminal if it can (a message, the test's output). */
  line(text: string | Uint8Array): void {
    if (this.gone) return;
    this.enqueue(typeof text === "string" ? Buffer.from(text) : Buffer.from(text));
    this.pump();
  }

  /** Resolves when everything queued is written (true), or after `ms` / when the terminal is gone (false). */
  flush(ms: number): Promise<boolean> {
    if (this.idle) return Promise.resolve(!this.gone);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        resolve(!this.gone && this.idle);
      };
      if (Number.isFinite(ms)) timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }

  /** Stops writing and closes the sink. */
  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.sink.close();
    this.gone = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.settled();
  }

  private enqueue(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.queuedBytes + bytes.length > this.maxQueuedBytes) {
      this.droppedBytes += bytes.length;
      return;
    }
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
  }

  private pump(): void {
    while (!this.gone && !this.busy && !this.retry && this.queue.length > 0) {
      // One write for what is queued: a partial one leaves the rest at the head.
      const chunk = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue);
      this.queue.length = 0;
      this.queue.push(chunk);
      let sync = true;
      let again = false;
      this.busy = true;
      this.sink.write(chunk, (result) => {
        this.busy = false;
        if (result === "gone") return this.markGone();
        if (result === "again") {
          again = true;
          return this.retryLater();
        }
        this.queue[0] = chunk.subarray(result);
        this.queuedBytes -= result;
        if (this.queue[0].length === 0) this.queue.shift();
        if (!sync) this.pump();
      });
      sync = false;
      if (this.busy || again) return;
    }
    this.settled();
  }

  private retryLater(): void {
    this.retry = setTimeout(() => {
      this.retry = null;
      this.pump();
    }, this.retryMs);
  }

  private markGone(): void {
    this.gone = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.settled();
  }

  private settled(): void {
    if (!this.idle) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** A writer for fd 1 or 2 (see openTerminalSink). */
export function openTerminalWriter(fd: number, options?: WriterOptions): TerminalWriter {
  return new TerminalWriter(openTerminalSink(fd), options);
}

/** Which of fds 0-2 were terminals when culprit started. */
const stdioWasTTY = [0, 1, 2].map((fd) => isatty(fd));

/**
 * Before exit: fds 0-2 on a terminal that hung up (isatty says no more: TCGETS fails with EIO)
 * are pointed at /dev/null. Node 20 restores the terminal's modes at exit and aborts when
 * tcsetattr fails with EIO (https://github.com/nodejs/node/issues/51519, fixed by
 * https://github.com/nodejs/node/pull/58200 in later lines): after a closed terminal culprit
 * would die of SIGABRT/SIGSEGV instead of exiting 129. Node skips an fd that is no longer the
 * file it started with.
 */
export function releaseHungUpTerminal(): void {
  for (const fd of [0, 1, 2]) {
    if (!stdioWasTTY[fd] || isatty(fd)) continue;
    try {
      closeSync(fd);
      // The lowest free fd: the one just closed.
      const reopened = openSync("/dev/null", fd === 0 ? "r" : "w");
      if (reopened !== fd) closeSync(reopened);
    } catch {}
  }
}
