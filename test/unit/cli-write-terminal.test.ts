import { afterEach, describe, expect, test, vi } from "vitest";
import {
  type TerminalSink,
  TerminalWriter,
  type WriteAttempt,
} from "../../src/cli/write-terminal.js";

/**
 * A sink that answers from a script: a number takes up to that many bytes, "again" takes none
 * (EAGAIN), "gone" fails for good (EIO). Past the script it takes everything.
 */
function scriptedSink(script: (number | "again" | "gone")[]): TerminalSink & {
  written: () => string;
  calls: number;
} {
  const chunks: Buffer[] = [];
  const sink = {
    calls: 0,
    written: () => Buffer.concat(chunks).toString(),
    write(bytes: Uint8Array, done: (result: WriteAttempt) => void) {
      sink.calls += 1;
      const step = script.shift() ?? bytes.length;
      if (typeof step === "number") {
        const taken = Math.min(step, bytes.length);
        chunks.push(Buffer.from(bytes.subarray(0, taken)));
        done(taken);
      } else done(step);
    },
    close() {},
  };
  return sink;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("TerminalWriter: frames are dropped, lines wait, nothing blocks or throws", () => {
  test("a frame is written when the terminal takes it", () => {
    const sink = scriptedSink([]);
    const writer = new TerminalWriter(sink);
    expect(writer.frame("\rone")).toBe(true);
    expect(sink.written()).toBe("\rone");
  });

  test("EAGAIN: the frame is dropped, a line waits and is retried in order", () => {
    vi.useFakeTimers();
    const sink = scriptedSink(["again", "again", "again"]);
    const writer = new TerminalWriter(sink, { retryMs: 50 });
    expect(writer.frame("\rframe 1")).toBe(false);
    writer.line("first line\n");
    writer.line("second line\n");
    // While a line waits, frames are dropped without touching the terminal.
    const calls = sink.calls;
    expect(writer.frame("\rframe 2")).toBe(false);
    expect(sink.calls).toBe(calls);
    expect(writer.idle).toBe(false);
    vi.advanceTimersByTime(200);
    expect(sink.written()).toBe("first line\nsecond line\n");
    expect(writer.idle).toBe(true);
  });

  test("a frame written in part: its rest is written before anything else", () => {
    const sink = scriptedSink([3]);
    const writer = new TerminalWriter(sink);
    writer.frame("\r⠋ abc\u001b[K");
    writer.line("next\n");
    expect(sink.written()).toBe("\r⠋ abc\u001b[Knext\n");
  });

  test("EIO (a closed terminal): gone, every later write a no-op, flush says so", async () => {
    const sink = scriptedSink(["gone"]);
    const writer = new TerminalWriter(sink);
    writer.line("culprit: SIGHUP: stopping the test...\n");
    expect(writer.gone).toBe(true);
    const calls = sink.calls;
    expect(() => writer.line("more\n")).not.toThrow();
    expect(writer.frame("\rframe")).toBe(false);
    expect(sink.calls).toBe(calls);
    expect(await writer.flush(10_000)).toBe(false);
  });

  test("the queue is bounded: past the limit lines are dropped and counted", () => {
    vi.useFakeTimers();
    const sink = scriptedSink(["again"]);
    const writer = new TerminalWriter(sink, { maxQueuedBytes: 10 });
    writer.line("12345");
    writer.line("67890");
    writer.line("abc");
    expect(writer.droppedBytes).toBe(3);
    vi.advanceTimersByTime(100);
    expect(sink.written()).toBe("1234567890");
  });

  test("flush resolves once the terminal took everything, or at its deadline", async () => {
    vi.useFakeTimers();
    const stuck = new TerminalWriter(scriptedSink(Array(1000).fill("again")), { retryMs: 50 });
    stuck.line("never taken\n");
    const late = stuck.flush(500);
    vi.advanceTimersByTime(500);
    expect(await late).toBe(false);

    const slow = scriptedSink(["again", "again"]);
    const writer = new TerminalWriter(slow, { retryMs: 50 });
    writer.line("taken at last\n");
    const flushed = writer.flush(Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(200);
    expect(await flushed).toBe(true);
    expect(slow.written()).toBe("taken at last\n");
    stuck.close();
  });

  test("an asynchronous sink: one write in flight, frames dropped meanwhile", () => {
    const pending: ((result: WriteAttempt) => void)[] = [];
    const written: string[] = [];
    const writer = new TerminalWriter({
      write(bytes, done) {
        written.push(Buffer.from(bytes).toString());
        pending.push(done);
      },
      close() {},
    });
    expect(writer.frame("\rA")).toBe(true);
    expect(writer.frame("\rB")).toBe(false);
    writer.line("line\n");
    expect(written).toEqual(["\rA"]);
    pending.shift()!(2);
    expect(written).toEqual(["\rA", "line\n"]);
    pending.shift()!(5);
    expect(writer.idle).toBe(true);
  });
});
