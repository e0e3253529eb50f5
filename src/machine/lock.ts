import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { messages } from "../messages.js";
import { processAlive } from "../run/index.js";

interface LockContent {
  pid: number;
  startedAt: string;
}

/** Reads the lock's holder, or null. */
export function lockHolder(stateDir: string): LockContent | null {
  try {
    return JSON.parse(readFileSync(join(stateDir, "lock"), "utf8")) as LockContent;
  } catch {
    return null;
  }
}

/** Refuses (exit 3, naming the holder) while another live culprit process holds the lock. */
export function assertLockFree(stateDir: string): void {
  const holder = lockHolder(stateDir);
  if (holder && holder.pid !== process.pid && processAlive(holder.pid)) {
    throw new UsageError(messages.lockHeld(holder.pid, holder.startedAt));
  }
}

/**
 * Takes the one-run-per-work-tree lock; a lock whose pid is dead is taken over.
 * Returns the release function.
 */
export function acquireLock(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, "lock");
  const content: LockContent = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      return () => {
        const holder = lockHolder(stateDir);
        if (holder?.pid === process.pid) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = lockHolder(stateDir);
      if (holder && processAlive(holder.pid) && holder.pid !== process.pid) {
        throw new UsageError(messages.lockHeld(holder.pid, holder.startedAt));
      }
      // Stale (dead holder, or a half-written file): take it over.
      rmSync(path, { force: true });
    }
  }
  throw new UsageError(messages.lockHeld(0, "unknown"));
}
