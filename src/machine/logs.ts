import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";

/** Earlier runs (attributions, bisections, isolations) whose logs are kept, newest first. */
export const keptLogRuns = 5;

/**
 * Bytes the earlier runs' logs may take together; the newest is kept whatever its size. A run's
 * log is capped (32 MB), its runner's report is not: one attribution of a 63 000-test vitest
 * suite left 513 MB, and five of them would have filled gigabytes of `.git`.
 */
export const keptLogBytes = 256 * 1024 * 1024;

/** Bytes of the files under `path` (symbolic links not followed); 0 where it cannot be read. */
function sizeOf(path: string): number {
  try {
    const stat = lstatSync(path);
    if (!stat.isDirectory()) return stat.size;
    let total = 0;
    for (const name of readdirSync(path)) total += sizeOf(join(path, name));
    return total;
  } catch {
    return 0;
  }
}

/**
 * Keeps the logs of the last `keep` runs under `dir` (one folder per run id, ids sorting by
 * start time) and, of those, no more than `maxBytes` beyond the newest; older folders go first.
 * Call it holding the lock, before the new run writes its own folder or naming that folder
 * `running` (it is not counted, nor touched): the folders it removes belong to runs that are
 * over. Returns the folders removed.
 *
 * They are moved out of `dir` at once (a rename) and deleted in the background, which takes a
 * few ms a folder that the runs need not wait for; whatever a run that ended first did not
 * delete, the next one does.
 */
export function pruneLogs(
  dir: string,
  keep = keptLogRuns,
  maxBytes = keptLogBytes,
  running?: string,
): string[] {
  const trash = `${dir}.removed`;
  let entries: string[];
  try {
    entries = readdirSync(dir)
      .filter((name) => name !== running)
      .sort()
      .reverse();
  } catch {
    return [];
  }
  const removed: string[] = [];
  let bytes = 0;
  entries.forEach((name, i) => {
    const path = join(dir, name);
    if (i > 0 && i < keep && bytes <= maxBytes) bytes += sizeOf(path);
    if (i >= keep || bytes > maxBytes) {
      try {
        mkdirSync(trash, { recursive: true });
        renameSync(path, join(trash, `${name}.${process.pid}`));
      } catch {
        rmSync(path, { recursive: true, force: true });
      }
      removed.push(name);
    }
  });
  if (existsSync(trash)) rm(trash, { recursive: true, force: true }).catch(() => {});
  return removed;
}
