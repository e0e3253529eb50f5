import { createHash, randomBytes } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Side } from "../compare/types.js";
import type { RunRecord } from "./types.js";

/** Everything a run's outcome may depend on besides time: the cache key is a digest of it. */
export interface RunKey {
  /** culprit's version (a new culprit may classify runs differently). */
  version: string;
  side: Side;
  /** The tree tested: tracked and untracked content, as a git tree id. */
  tree: string;
  /** The command: an argv, or `sh -c` and the --shell string. */
  command: readonly string[];
  /** Where it ran, relative to the top of the work tree. */
  cwd: string;
  /** The values of the environment variables the user named (`--cache-env`, config `cacheEnv`). */
  env: Readonly<Record<string, string | null>>;
  /** A cheap stamp of the ignored files and folders the tree holds (node_modules, dist, .venv). */
  ignored: string;
  /** How runs are classified and read: timeout, cannot-run rules, runner, per-test reports. */
  settings: Readonly<Record<string, unknown>>;
}

/** A run as the cache keeps it (what the report and the comparator need of it). */
export type CachedRun = Omit<RunRecord, "side" | "index" | "attempt" | "cached"> & {
  /** When it ran (ms since the epoch). */
  at: number;
  /** The attribution that ran it. */
  runId: string;
};

/** Runs older than this are never reused. */
export const cacheMaxAgeMs = 24 * 60 * 60 * 1000;
/** Most runs kept; the oldest go first. */
const maxEntries = 5000;
/** Most bytes kept; the oldest go first. */
const maxBytes = 32 * 1024 * 1024;

/** The digest of a run key. */
export function cacheKey(key: RunKey): string {
  return createHash("sha256").update(JSON.stringify(key)).digest("hex");
}

/**
 * Outcomes of earlier runs, under `.git/culprit/cache` (shared by the linked worktrees): one small
 * JSON file per run, in a folder per key, written atomically (temp file + rename), so that two
 * culprit processes in two worktrees never see half an entry.
 */
export class RunCache {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The runs stored under `key` that are younger than a day, oldest first, at most `limit`. */
  load(key: string, limit: number): CachedRun[] {
    let names: string[];
    try {
      names = readdirSync(join(this.dir, key)).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    const runs: CachedRun[] = [];
    for (const name of names) {
      try {
        const run = JSON.parse(readFileSync(join(this.dir, key, name), "utf8")) as CachedRun;
        if (typeof run.at === "number" && this.now() - run.at < cacheMaxAgeMs) runs.push(run);
      } catch {
        // A corrupt entry is not evidence: skip it.
      }
    }
    return runs.sort((a, b) => a.at - b.at).slice(0, limit);
  }

  /** Stores a run under `key`; a cache that cannot be written is not an error. */
  store(key: string, run: CachedRun): void {
    try {
      const folder = join(this.dir, key);
      mkdirSync(folder, { recursive: true });
      const name = `${run.at}-${randomBytes(4).toString("hex")}.json`;
      const temp = join(folder, `.${name}.tmp`);
      writeFileSync(temp, JSON.stringify(run));
      renameSync(temp, join(folder, name));
    } catch {}
  }

  /** Removes the oldest runs beyond the size limits, and runs too old to be reused. */
  prune(): void {
    const files: { path: string; mtime: number; size: number }[] = [];
    let keys: string[];
    try {
      keys = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const key of keys) {
      let names: string[];
      try {
        names = readdirSync(join(this.dir, key));
      } catch {
        continue;
      }
      if (names.length === 0) rmSync(join(this.dir, key), { recursive: true, force: true });
      for (const name of names) {
        try {
          const path = join(this.dir, key, name);
          const stat = statSync(path);
          files.push({ path, mtime: stat.mtimeMs, size: stat.size });
        } catch {}
      }
    }
    files.sort((a, b) => b.mtime - a.mtime);
    let bytes = 0;
    files.forEach((file, i) => {
      bytes += file.size;
      const old = this.now() - file.mtime >= cacheMaxAgeMs;
      if (old || i >= maxEntries || bytes > maxBytes) rmSync(file.path, { force: true });
    });
  }
}
