import { lstatSync, lutimesSync } from "node:fs";
import { join } from "node:path";

/*
 * A file replaced within the same second by one of the same size
 * ===============================================================
 *
 * Python trusts a cached .pyc (`__pycache__/x.cpython-311.pyc`) while its source has the size
 * and the modification time in whole seconds that the .pyc recorded (PEP 552's default,
 * timestamp-based pycs). A baseline written in place within the second of your last edit, with a
 * file of the same size (`13` changed to `14`), ran your compiled code: "fails 3/3 without",
 * PRE-EXISTING, exit 0, for a regression. And your version put back within the second the
 * baseline's was compiled left HEAD's bytecode in __pycache__: your own runs afterwards ran
 * HEAD's code, with nothing in the report (python-humanize/humanize). Other tools keyed on size
 * and whole-second mtime (make on a file system with one-second times, rsync's quick check)
 * fail the same way.
 *
 * So after culprit writes files over others (a baseline entered, your tree given back), every
 * file of the same size as the one it replaced, with a modification time in the same second,
 * gets a modification time in a later second: culprit waits for the next second (less than one;
 * only then, which takes a same-size edit and a quick command) and sets it to now. Now is never
 * in the future (a build tool would warn of clock skew), and later than anything the baseline
 * built from the replaced file.
 */

/** Size and whole-second modification time of a regular file. */
interface Stamp {
  size: number;
  second: number;
}

function stampOf(path: string): Stamp | null {
  try {
    const s = lstatSync(path);
    return s.isFile() ? { size: s.size, second: Math.floor(s.mtimeMs / 1000) } : null;
  } catch {
    return null;
  }
}

/** The stamps of the regular files among `paths` (from the repository root), before a switch. */
export function secondStamps(root: string, paths: readonly string[]): Map<string, Stamp> {
  const stamps = new Map<string, Stamp>();
  for (const path of paths) {
    const stamp = stampOf(join(root, path));
    if (stamp) stamps.set(path, stamp);
  }
  return stamps;
}

/**
 * After the switch: the files that have the size and the whole-second modification time of the
 * file they replaced (`before`) get a modification time in a later second, waiting for it when
 * needed. Returns the paths touched.
 */
export async function separateSeconds(
  root: string,
  before: ReadonlyMap<string, Stamp>,
): Promise<string[]> {
  const clash: string[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  for (const [path, old] of before) {
    const now = stampOf(join(root, path));
    if (now && now.size === old.size && now.second === old.second) {
      clash.push(path);
      latest = Math.max(latest, old.second);
    }
  }
  if (clash.length === 0) return [];
  const wait = (latest + 1) * 1000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 5));
  const now = new Date();
  for (const path of clash) {
    try {
      lutimesSync(join(root, path), now, now);
    } catch {
      // Gone meanwhile (the test's doing): nothing to date.
    }
  }
  return clash;
}
