import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";

/** `<tmpdir>/culprit-<uid>`: culprit's folder of the user's, shared by all repositories. */
export function privateRoot(): string {
  const uid = typeof process.getuid === "function" ? process.getuid() : null;
  return join(tmpdir(), uid === null ? "culprit" : `culprit-${uid}`);
}

/**
 * Makes `root` (mode 0700) unless it is there; whether it is then a private folder of the user's:
 * a folder, not a link, the user's own, writable by no one else.
 */
export function makePrivateRoot(root: string): boolean {
  try {
    mkdirSync(root, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stat = lstatSync(root);
  const uid = typeof process.getuid === "function" ? process.getuid() : null;
  return stat.isDirectory() && (uid === null || stat.uid === uid) && (stat.mode & 0o022) === 0;
}

/**
 * Makes culprit's folder under the temporary folder, readable by the user only, and refuses one
 * that is not the user's own private folder (another user's, a link, writable by others): in a
 * shared /tmp, someone else could otherwise choose where the worktrees, your code, go.
 */
export function ensurePrivateRoot(): void {
  const root = privateRoot();
  if (!makePrivateRoot(root))
    throw new UsageError(
      `${root} is not a private folder of yours (culprit keeps its worktrees there): remove it, or set TMPDIR to a folder of yours`,
    );
}
