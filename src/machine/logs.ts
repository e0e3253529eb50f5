import { lstatSync, readdirSync, rmSync } from "node:fs";
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
 * Call it before the new run writes its own folder, holding the lock: the folders it removes
 * belong to runs that are over. Returns the folders removed.
 */
export function pruneLogs(dir: string, keep = keptLogRuns, maxBytes = keptLogBytes): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort().reverse();
  } catch {
    return [];
  }
  const removed: string[] = [];
  let bytes = 0;
  entries.forEach((name, i) => {
    const path = join(dir, name);
    if (i > 0 && i < keep && bytes <= maxBytes) bytes += sizeOf(path);
    if (i >= keep || bytes > maxBytes) {
      rmSync(path, { recursive: true, force: true });
      removed.push(name);
    }
  });
  return removed;
}
