import { lstatSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { secondStamps, separateSeconds } from "../../src/git/mtime.js";

// The times are set by hand (utimes), so that "the same second" does not depend on the clock:
// the e2e case (hazard-pyc-same-second.test.ts) meets it only when culprit is quick enough.

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `path` as a new file (a new inode, as git's checkout writes it) with mtime `at` (s). */
function write(path: string, content: string, at: number): void {
  try {
    unlinkSync(join(dir, path));
  } catch {}
  writeFileSync(join(dir, path), content);
  utimesSync(join(dir, path), at, at);
}

const mtime = (path: string) => lstatSync(join(dir, path)).mtimeMs / 1000;

describe("separateSeconds: a file replaced by one of the same size within the same second", () => {
  it.each([
    ["in the past: now", -100],
    ["ahead of the clock (a file system's own clock): the next second", 100],
  ])("%s", (_name, offset) => {
    dir = mkdtempSync(join(tmpdir(), "culprit-mtime-"));
    const second = Math.floor(Date.now() / 1000) + offset;
    write("same.py", "x = 13\n", second + 0.2);
    write("longer.py", "x = 13\n", second + 0.2);
    write("kept.py", "x = 13\n", second + 0.2);
    const before = secondStamps(dir, ["same.py", "longer.py", "kept.py", "absent.py"]);
    expect([...before.keys()]).toEqual(["same.py", "longer.py", "kept.py"]);
    // The switch: same size in the same second, another size, and a file it left alone.
    write("same.py", "x = 14\n", second + 0.7);
    write("longer.py", "x = 144\n", second + 0.7);
    const started = Date.now() / 1000;
    expect(separateSeconds(dir, before)).toEqual(["same.py"]);
    if (offset < 0) {
      expect(mtime("same.py")).toBeGreaterThanOrEqual(Math.floor(started));
    } else expect(mtime("same.py")).toBe(second + 1);
    expect(Math.floor(mtime("same.py"))).not.toBe(second);
    expect(mtime("longer.py")).toBe(second + 0.7);
    expect(mtime("kept.py")).toBe(second + 0.2);
  });
});
