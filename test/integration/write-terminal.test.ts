import { spawnSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { openTerminalSink, type WriteAttempt } from "../../src/cli/write-terminal.js";

// A pipe nobody reads stands for a terminal that stopped reading (Ctrl-S): the real sink must
// say "again" rather than block, and "gone" once the reader is closed (EPIPE, as EIO after a
// terminal's hang-up). Pseudo-terminals themselves are driven in test/e2e/pty-*.test.ts.
const hasMkfifo = spawnSync("mkfifo", ["--version"]).status === 0;
if (!hasMkfifo) console.log("write-terminal: skipped, mkfifo is not on this machine");

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function writeOnce(sink: ReturnType<typeof openTerminalSink>, bytes: Uint8Array): WriteAttempt {
  let result: WriteAttempt | undefined;
  sink.write(bytes, (r) => {
    result = r;
  });
  // The non-blocking sink answers synchronously: no event loop turn is needed.
  if (result === undefined) throw new Error("the sink did not answer synchronously");
  return result;
}

test.skipIf(!hasMkfifo)("a full pipe: EAGAIN instead of blocking; a closed reader: gone", () => {
  dir = mkdtempSync(join(tmpdir(), "culprit-fifo-"));
  const fifo = join(dir, "fifo");
  expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writerFd = openSync(fifo, constants.O_WRONLY);
  const sink = openTerminalSink(writerFd);
  const chunk = Buffer.alloc(16 * 1024, "x");
  let taken = 0;
  let result: WriteAttempt = 0;
  for (let i = 0; i < 1000 && result !== "again"; i++) {
    result = writeOnce(sink, chunk);
    if (typeof result === "number") taken += result;
  }
  expect(result).toBe("again");
  expect(taken).toBeGreaterThan(0);
  // Reading some makes room again.
  readSync(reader, Buffer.alloc(64 * 1024));
  expect(typeof writeOnce(sink, chunk)).toBe("number");
  closeSync(reader);
  expect(writeOnce(sink, chunk)).toBe("gone");
  sink.close();
  closeSync(writerFd);
});
