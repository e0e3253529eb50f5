import { afterEach, describe, expect, test, vi } from "vitest";
import {
  clearLine,
  createProgress,
  fitWidth,
  minSpinnerColumns,
  spinnerFrame,
} from "../../src/cli/progress.js";
import { TerminalWriter, type WriteAttempt } from "../../src/cli/write-terminal.js";

const text = "baseline run 2  current ✗✗✗  baseline ✓  ~1s a run, ETA 2s+";

describe("spinnerFrame: one line, never wider than the terminal, none on a tiny one", () => {
  test.each([
    [0, 0],
    [0, 40],
    [1, 1],
    [19, 40],
    [120, 0],
    [Number.NaN, 40],
  ])("%i columns x %i rows: no spinner", (columns, rows) => {
    expect(spinnerFrame(text, { columns, rows }, 0)).toBeNull();
  });

  test.each([
    [20, 1],
    [40, 10],
    [120, 40],
    [1000, 1],
  ])("%i columns x %i rows: \\r, at most columns - 1 cells, erase to the end", (columns, rows) => {
    const frame = spinnerFrame(text, { columns, rows }, 3);
    expect(frame).not.toBeNull();
    expect(frame!.startsWith("\r")).toBe(true);
    expect(frame!.endsWith("\u001b[K")).toBe(true);
    const visible = frame!.slice(1, -3);
    expect([...visible].length).toBeLessThanOrEqual(columns - 1);
    // No cursor movement up, no newline: a frame cannot add lines.
    expect(frame).not.toMatch(/\u001b\[\d*[AF]|\n/);
  });

  test("the whole text on a wide terminal, the glyph turning with the tick", () => {
    expect(spinnerFrame(text, { columns: 120, rows: 40 }, 0)).toBe(`\r⠋ ${text}\u001b[K`);
    expect(spinnerFrame(text, { columns: 120, rows: 40 }, 11)).toBe(`\r⠙ ${text}\u001b[K`);
  });

  test("cut at the minimum width", () => {
    expect(spinnerFrame(text, { columns: minSpinnerColumns, rows: 5 }, 0)).toBe(
      "\r⠋ baseline run 2  c\u001b[K",
    );
  });
});

describe("fitWidth: cells, not code units", () => {
  test.each([
    ["abc", 5, "abc"],
    ["abcdef", 3, "abc"],
    ["✓✗∅⧖", 3, "✓✗∅"],
    // East Asian wide characters take two cells each.
    ["日本語のテスト", 5, "日本"],
    ["e\u0301e\u0301", 2, "e\u0301e\u0301"],
    // Control characters and escape sequences are never passed through.
    ["a\u001b[2Jb\nc\rd", 10, "abcd"],
    ["🙂x", 2, "🙂"],
    ["anything", 0, ""],
  ])("fitWidth(%j, %i) = %j", (input, width, expected) => {
    expect(fitWidth(input, width)).toBe(expected);
  });
});

/** A writer whose sink takes everything and keeps it. */
function recordingWriter(): { writer: TerminalWriter; written: () => string } {
  const chunks: Buffer[] = [];
  const writer = new TerminalWriter({
    write(bytes, done: (result: WriteAttempt) => void) {
      chunks.push(Buffer.from(bytes));
      done(bytes.length);
    },
    close() {},
  });
  return { writer, written: () => Buffer.concat(chunks).toString() };
}

describe("createProgress: bounded redraws, re-sized every frame", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const run = (index: number) =>
    ({ kind: "run-start", side: "current", index }) as const satisfies Parameters<
      ReturnType<typeof createProgress>["update"]
    >[0];

  test("at most 10 frames a second, however many events come", () => {
    vi.useFakeTimers();
    const { writer, written } = recordingWriter();
    const progress = createProgress(writer, 3, () => ({ columns: 80, rows: 24 }));
    for (let i = 0; i < 1000; i++) progress.update(run(1));
    vi.advanceTimersByTime(10_000);
    const frames = written().split("\r").length - 1;
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThanOrEqual(101);
    expect(progress.end()).toBe(true);
    expect(written().endsWith(clearLine)).toBe(true);
  });

  test("a 0x0 terminal gets nothing at all", () => {
    vi.useFakeTimers();
    const { writer, written } = recordingWriter();
    const progress = createProgress(writer, 3, () => ({ columns: 0, rows: 0 }));
    progress.update(run(1));
    vi.advanceTimersByTime(60_000);
    expect(progress.end()).toBe(false);
    expect(written()).toBe("");
  });

  test("resized to 0 columns mid-run: the line is erased once, then nothing", () => {
    vi.useFakeTimers();
    const { writer, written } = recordingWriter();
    let size = { columns: 80, rows: 24 };
    const progress = createProgress(writer, 3, () => size);
    progress.update(run(1));
    vi.advanceTimersByTime(1_000);
    size = { columns: 0, rows: 0 };
    vi.advanceTimersByTime(100);
    const atResize = written();
    expect(atResize.endsWith(clearLine)).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(written()).toBe(atResize);
    // Back to a real size: the spinner comes back.
    size = { columns: 80, rows: 24 };
    vi.advanceTimersByTime(100);
    expect(written().length).toBeGreaterThan(atResize.length);
    progress.end();
  });

  test("stop erases it until the next event (a prompt); end erases it for good", () => {
    vi.useFakeTimers();
    const { writer, written } = recordingWriter();
    const progress = createProgress(writer, 3, () => ({ columns: 80, rows: 24 }));
    progress.update(run(1));
    expect(progress.stop()).toBe(true);
    const stopped = written();
    vi.advanceTimersByTime(1_000);
    expect(written()).toBe(stopped);
    progress.update(run(2));
    expect(written().length).toBeGreaterThan(stopped.length);
    expect(progress.end()).toBe(true);
    const ended = written();
    progress.update(run(3));
    vi.advanceTimersByTime(1_000);
    expect(written()).toBe(ended);
  });

  test("no writer (CI, pipes, --json): events are taken, nothing is drawn", () => {
    const progress = createProgress(null, 3, () => ({ columns: 80, rows: 24 }));
    progress.update(run(1));
    expect(progress.end()).toBe(false);
  });
});
