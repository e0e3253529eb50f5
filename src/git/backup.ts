import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { GitCommandError } from "../errors.js";
import { plural } from "../messages.js";
import { conversionMayApply, rawDifferences, rawSnapshot, writeRaw } from "./raw-bytes.js";
import { headCommit, headRef, type Repo } from "./repo.js";
import { bestEffort } from "./run-git.js";
import {
  compareFingerprints,
  copyIndexFile,
  type Fingerprint,
  fingerprint,
  indexDigest,
  indexStamp,
  indexTree,
  removeEmptyDirsExcept,
  resetWorktree,
  snapshotWorktree,
} from "./snapshot.js";

/** The whole state of the user's work, as git objects pinned under a ref plus a copy of the index. */
export interface Backup {
  /** The ref that pins `commit` (refs/culprit/backup). */
  ref: string;
  /**
   * Commit whose tree is the working tree; parents: HEAD and a commit of the index tree. Empty
   * until the backup is pinned (`pinBackup`): a run that died before has only the trees.
   */
  commit: string;
  indexTree: string;
  /** Byte copy of .git/index (keeps intent-to-add, skip-worktree and stat data), or null if none. */
  indexCopy: string | null;
  fingerprint: Fingerprint;
  /** Tree of the exact on-disk bytes of the changed files (see raw-bytes.ts); null when none. */
  rawTree?: string | null;
  /** Identity of the .git/index file whose entries `fingerprint.index` digests (`indexFileStat`). */
  indexStat?: string | null;
}

/** Writes the backup: objects first, then the pinning ref. */
export async function createBackup(repo: Repo, runId: string): Promise<Backup> {
  const backup = await captureBackup(repo);
  await pinBackup(repo, runId, backup);
  return backup;
}

/**
 * Everything of the backup that is read from the user's tree: the index copy, the trees of the
 * working tree and the index (their objects written), the raw bytes. What is left to write, the
 * commits and the ref that pin them (`pinBackup`), reads nothing of the tree: the first run may
 * start meanwhile. Until then `commit` is empty; `restoreFromBackup` needs only the trees.
 */
export async function captureBackup(repo: Repo): Promise<Backup> {
  const ref = `${repo.refPrefix}/backup`;
  mkdirSync(repo.stateDir, { recursive: true });
  const realIndex = join(repo.gitDir, "index");
  const indexCopy = existsSync(realIndex) ? join(repo.stateDir, "backup-index") : null;
  const statBefore = indexFileStat(repo);
  if (indexCopy) copyIndexFile(realIndex, indexCopy);
  const [fp, itree, mayConvert] = await Promise.all([
    fingerprint(repo),
    indexTree(repo),
    conversionMayApply(repo),
  ]);
  // Unchanged while it was read: verify may trust its digest while the file stays the same.
  const indexStat = indexFileStat(repo) === statBefore ? statBefore : null;
  if (!fp.head) throw new Error("createBackup needs a commit at HEAD");
  // After the fingerprint: its objects are written, so hashing binary files raw writes nothing new.
  const rawTree = mayConvert ? await rawSnapshot(repo, fp.worktree) : null;
  return { ref, commit: "", indexTree: itree, indexCopy, fingerprint: fp, rawTree, indexStat };
}

/**
 * Pins a captured backup: commits of its trees (parents: HEAD, the index and the raw bytes) under
 * its ref, so that `git gc` keeps them and one printed command can bring them back. Sets
 * `backup.commit`.
 */
export async function pinBackup(repo: Repo, runId: string, backup: Backup): Promise<void> {
  const fp = backup.fingerprint;
  const head = fp.head!;
  const [indexCommit, rawCommit] = await Promise.all([
    commitTree(repo, backup.indexTree, [head], `culprit index ${runId}`),
    backup.rawTree
      ? commitTree(repo, backup.rawTree, [head], `culprit raw bytes ${runId}`)
      : Promise.resolve(null),
  ]);
  const commit = await commitTree(
    repo,
    fp.worktree,
    [head, indexCommit, ...(rawCommit ? [rawCommit] : [])],
    `culprit backup ${runId}\n\nHEAD ${head} (${fp.headRef ?? "detached"})`,
  );
  await repo.git.run(["update-ref", "-m", `culprit: backup ${runId}`, backup.ref, commit]);
  backup.commit = commit;
}

/**
 * The identity of .git/index as a string (inode, size, modification and change times in ns), or
 * null without one: equal strings mean the very same file, unwritten.
 */
export function indexFileStat(repo: Repo): string | null {
  return indexStamp(join(repo.gitDir, "index"));
}

/** Writes a commit object (no ref) with culprit's identity. */
export async function commitTree(
  repo: Repo,
  tree: string,
  parents: string[],
  message: string,
): Promise<string> {
  const args = ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p]), "-m", message];
  return (await repo.git.run(args, { identity: true })).trim();
}

/**
 * Keeps what is in the working tree now under `ref` if it differs from `expectedTree`
 * (what a test wrote), so that nothing is destroyed silently. Returns the ref, or null. The
 * commit's parent holds the tree it should have been (a commit of it on HEAD): `git show --stat
 * <ref>` lists what was written, not your changes with it.
 */
export async function keepResidue(
  repo: Repo,
  expectedTree: string | readonly string[],
  ref: string,
  what: string,
  options: { onlyNewContent?: boolean } = {},
): Promise<string | null> {
  const tree = await snapshotWorktree(repo);
  const expected = typeof expectedTree === "string" ? [expectedTree] : expectedTree;
  if (expected.includes(tree)) return null;
  if (options.onlyNewContent && !(await holdsOtherContent(repo, tree, expected))) return null;
  const head = await headCommit(repo.git);
  const before = await commitTree(
    repo,
    expected[0]!,
    head ? [head] : [],
    `culprit: the tree before ${what}`,
  );
  const commit = await commitTree(repo, tree, [before], `culprit residue: ${what}`);
  await repo.git.run(["update-ref", "-m", `culprit: ${what}`, ref, commit]);
  return ref;
}

/** The empty blob's id (SHA-1 and SHA-256 repositories). */
const emptyBlobs = new Set([
  "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
  "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813",
]);

/**
 * Whether `tree` has a file whose content is in none of `known` at its path: something that
 * neither your tree nor the baseline had (what a test or an editor wrote). A tree half way from
 * one to the other (a checkout killed part way: files removed, one created and not yet written)
 * has none: each file is yours, the baseline's or empty, and keeping it would only leave a ref
 * that says a test wrote files.
 */
async function holdsOtherContent(
  repo: Repo,
  tree: string,
  known: readonly string[],
): Promise<boolean> {
  let other: Set<string> | null = null;
  for (const base of known) {
    const out = await repo.git.run(["diff-tree", "-r", "-z", "--no-renames", "--raw", tree, base]);
    // Records ":<mode> <mode> <sha> <sha> <status>\0<path>\0": `tree` has the path unless the
    // status is A (added in `base`).
    const fields = out.split("\0");
    const here = new Set<string>();
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [, , sha, , status] = fields[i]!.split(" ");
      const path = fields[i + 1]!;
      if (status === "A" || emptyBlobs.has(sha ?? "")) continue;
      if (other === null || other.has(path)) here.add(path);
    }
    other = here;
    if (other.size === 0) return false;
  }
  return other !== null && other.size > 0;
}

/** Verifies the repository against the backup; the list of what differs (empty when identical). */
export async function verifyAgainst(repo: Repo, backup: Backup): Promise<string[]> {
  // The index file is the one the backup digested (git replaces it by a rename whenever it
  // writes it, so a rewrite changes its inode): its entries need not be read again.
  const sameIndex =
    backup.indexStat !== undefined &&
    backup.indexStat !== null &&
    indexFileStat(repo) === backup.indexStat;
  const diffs = compareFingerprints(
    backup.fingerprint,
    await fingerprint(repo, sameIndex ? backup.fingerprint.index : undefined),
  );
  if (diffs.length === 0 && backup.rawTree) {
    const changed = await rawDifferences(repo, backup.rawTree);
    if (changed.length > 0) diffs.push(`bytes of ${plural(changed.length, "file")} (line endings)`);
  }
  return diffs;
}

/**
 * Brings HEAD, index and working tree back to the backup, whatever state they are in,
 * keeping what differs under `residueRef` first. Returns what still differs afterwards.
 */
export async function restoreFromBackup(
  repo: Repo,
  backup: Backup,
  residueRef: string,
): Promise<string[]> {
  const fp = backup.fingerprint;
  const head = fp.head!;
  // Nothing to keep when the tree is the user's or the untouched baseline (HEAD's tree).
  const headTree = (await repo.git.run(["rev-parse", `${head}^{tree}`])).trim();
  await keepResidue(
    repo,
    [fp.worktree, headTree],
    residueRef,
    "working tree before restoring from backup",
    { onlyNewContent: true },
  );
  const currentHead = await headCommit(repo.git);
  if (currentHead && currentHead !== head) {
    await repo.git.run([
      "update-ref",
      "-m",
      "culprit: HEAD moved during the run",
      `${residueRef}-head`,
      currentHead,
    ]);
  }
  if (fp.headRef) {
    if ((await headRef(repo.git)) !== fp.headRef)
      await repo.git.run(["symbolic-ref", "HEAD", fp.headRef]);
    const tip = await repo.git.tryRun(["rev-parse", "--verify", "-q", fp.headRef]);
    if (tip.stdout.trim() !== head)
      await repo.git.run(["update-ref", "-m", "culprit: restore", fp.headRef, head]);
  } else if (currentHead !== head || (await headRef(repo.git)) !== null) {
    await repo.git.run(["update-ref", "--no-deref", "-m", "culprit: restore", "HEAD", head]);
  }
  await resetWorktree(repo, fp.worktree);
  // git wrote the files through its end-of-line conversion: put the exact bytes back.
  const rewritten = backup.rawTree ? await rawDifferences(repo, backup.rawTree) : [];
  await writeRaw(repo, rewritten);
  await restoreIndex(repo, backup, rewritten.length > 0);
  await removeEmptyDirsExcept(repo, fp.emptyDirs);
  for (const dir of fp.emptyDirs) mkdirSync(join(repo.root, dir), { recursive: true });
  return verifyAgainst(repo, backup);
}

/**
 * Puts the index back, only if its entries differ: the byte copy with git's own protocol (write
 * index.lock exclusively, rename over index), or, if the copy is gone, the backed-up index tree.
 */
async function restoreIndex(repo: Repo, backup: Backup, refresh: boolean): Promise<void> {
  if ((await indexDigest(repo)) === backup.fingerprint.index) {
    // Files written behind git's back: refresh their stat data (changes no entry).
    if (refresh) await bestEffort(repo.git, ["update-index", "-q", "--refresh"]);
    return;
  }
  if (!backup.indexCopy || !existsSync(backup.indexCopy)) {
    // Loses only intent-to-add and skip-worktree flags, never content.
    await repo.git.run(["read-tree", backup.indexTree]);
    return;
  }
  const fd = await openExclusive(`${join(repo.gitDir, "index")}.lock`);
  writeIndexCopy(repo, backup.indexCopy, fd);
  // The copy's stat data is stale for files rewritten since; refreshing changes no entry.
  await bestEffort(repo.git, ["update-index", "-q", "--refresh"]);
}

/**
 * Writes the backed-up index bytes through `fd`, the index.lock this process took, and renames
 * the lock over the index (git's own protocol).
 */
function writeIndexCopy(repo: Repo, indexCopy: string, fd: number): void {
  const index = join(repo.gitDir, "index");
  try {
    writeSync(fd, readFileSync(indexCopy));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${index}.lock`, index);
  // The index's own time is the copy's, as the original's was (copyIndexFile): an entry whose
  // file changed in the second the index was written is told by git only while the index is no
  // older than it ("racily clean"). Stamped now, such an entry of a same-size edit read as clean
  // and `git status` no longer showed your change (a binary file, the fault matrix's SIGINT at
  // restore-from-backup after the index changed: 4 runs in 20). https://git-scm.com/docs/racy-git
  const { atimeMs, mtimeMs } = statSync(indexCopy);
  utimesSync(index, atimeMs / 1000, mtimeMs / 1000);
}

/**
 * After a verified restore, your index's entries are yours, but git's cache in it may not be: a
 * git command of the test's, run at the baseline, refreshed it (`git describe --dirty`, which a
 * pytest plugin ran: tomli trial), and the entries of a file you deleted, or whose mode you
 * changed, took the stat data of the baseline's copy. The backed-up bytes go back then, with
 * index.lock held and only while the entries are still the backed-up ones (a git of yours that
 * changed them since wins). Best effort: the entries were verified already.
 */
export async function restoreIndexBytes(repo: Repo, backup: Backup): Promise<boolean> {
  const copy = backup.indexCopy;
  if (!copy) return false;
  const index = join(repo.gitDir, "index");
  let seen: Buffer;
  try {
    seen = readFileSync(index);
    if (seen.equals(readFileSync(copy))) return false;
    // Asked before the lock is taken, so that index.lock is held for file work only (a kill
    // while it is held leaves it behind, and every git of yours then refuses).
    if ((await indexDigest(repo)) !== backup.fingerprint.index) return false;
  } catch {
    return false;
  }
  let fd: number;
  try {
    fd = openSync(`${index}.lock`, "wx");
  } catch {
    return false;
  }
  try {
    // The same bytes as when their entries were asked: no git wrote the index in between.
    if (!readFileSync(index).equals(seen)) throw new Error("the index changed");
    writeIndexCopy(repo, copy, fd);
    return true;
  } catch {
    try {
      closeSync(fd);
    } catch {}
    rmSync(`${index}.lock`, { force: true });
    return false;
  }
}

/** Opens a lock file that must not exist yet, waiting up to ~3 s for another git to let go. */
async function openExclusive(path: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return openSync(path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 30) {
        throw new GitCommandError(
          ["(write index)"],
          128,
          `cannot take ${path}: ${(error as Error).message}`,
          "",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Deletes the backup ref and index copy (only after the restored state was verified). */
export async function dropBackup(repo: Repo, backup: Backup): Promise<void> {
  await bestEffort(repo.git, ["update-ref", "-d", backup.ref]);
  if (backup.indexCopy) rmSync(backup.indexCopy, { force: true });
}
