import { rmSync } from "node:fs";
import { join } from "node:path";
import { NotRestoredError } from "../errors.js";
import { dropAside } from "../git/aside.js";
import { dropBackup, pinBackup, restoreFromBackup, restoreIndexBytes } from "../git/backup.js";
import { openRepo, type Repo } from "../git/repo.js";
import { addMarkPath, notIgnored, watchMarkerPath, workIndexPath } from "../git/snapshot.js";
import { dropStaleRealIndexLock } from "../git/stale-lock.js";
import { stashDrop, stashIndexByMessage } from "../git/stash.js";
import { removeWorktrees } from "../git/worktree.js";
import { messages } from "../messages.js";
import { processAlive } from "../run/index.js";
import { stashMessageFor } from "../strategies/baseline-stash.js";
import {
  clearJournal,
  type LastRun,
  readJournal,
  readLastRun,
  readYourIgnored,
  recordEnding,
} from "./journal.js";
import { acquireLock, lockHolder } from "./lock.js";
import { endOrphanedTest } from "./orphans.js";

/** What `culprit recover` did. */
export interface RecoverResult {
  recovered: boolean;
  message: string;
  residue: string[];
}

/**
 * Brings the work tree back to the backup of a run that died, whatever state it died in.
 * Idempotent: with nothing pending it says so and touches nothing.
 */
export async function recover(cwd: string): Promise<RecoverResult> {
  const repo = await openRepo(cwd);
  const release = acquireLock(repo.stateDir);
  try {
    const journal = readJournal(repo.stateDir);
    if (!journal) return { recovered: false, message: messages.nothingToRecover(), residue: [] };
    // The test of the dead run may still be running (it has its own process group): stop it
    // before it writes into the tree being restored; then the worktrees it ran in go.
    const groups = new Set([
      ...(journal.testGroups ?? []),
      ...(journal.testGroup ? [journal.testGroup] : []),
    ]);
    for (const group of groups) await endOrphanedTest(group, journal.runId);
    await removeWorktrees(repo, journal.worktrees ?? []);
    // A git of the dead run's killed while it wrote your index (`git stash`) left index.lock:
    // every git of yours would refuse, and the restore could not write the index.
    const lockLeft = join(repo.gitDir, "index.lock");
    const unlocked = dropStaleRealIndexLock(repo.gitDir, repo.root, Date.parse(journal.startedAt))
      ? `\n${messages.staleIndexLockRemoved(lockLeft)}`
      : "";
    if (journal.isolated) {
      // --worktree, bisect: the user's tree was never written (and may have been edited since):
      // only the worktrees, the backup ref and the journal go.
      if (journal.backup) await dropBackup(repo, journal.backup);
      clearJournal(repo.stateDir);
      recordRecovered(repo, journal.runId, false);
      return {
        recovered: true,
        message: messages.recoveredIsolated(journal.runId) + unlocked,
        residue: [],
      };
    }
    if (!journal.backup) {
      // Died while writing the backup: nothing had been touched yet.
      await repo.git.tryRun(["update-ref", "-d", `${repo.refPrefix}/backup`]);
      clearJournal(repo.stateDir);
      recordRecovered(repo, journal.runId, false);
      return {
        recovered: true,
        message: messages.recoveredUntouched(journal.runId) + unlocked,
        residue: [],
      };
    }
    // Died during the first run on your tree, before the backup's ref was written: its trees are
    // pinned now, so that a restore that fails can name the ref to bring them back from.
    if (!journal.backup.commit)
      await pinBackup(repo, journal.runId, journal.backup).catch(() => {});
    // Killed in a baseline whose rules do not ignore what yours do (node_modules/ added to your
    // .gitignore): those entries are left out of the restore's snapshot, as ignored files are.
    const yours = readYourIgnored(repo.stateDir);
    if (yours.length > 0) repo.excluded = await notIgnored(repo, yours).catch(() => yours);
    const residueRef = `${repo.refPrefix}/residue/${journal.runId}/recover`;
    const diffs = await restoreFromBackup(repo, journal.backup, residueRef);
    repo.excluded = undefined;
    if (diffs.length > 0) {
      throw new NotRestoredError(
        messages.notRestored(diffs, journal.backup.ref),
        manualRecovery(journal.backup.ref),
      );
    }
    await dropStashes(repo, stashMessageFor(journal.runId));
    // Files a baseline had moved aside are in the verified backup (src/git/aside.ts); the dead
    // run's private index and its watch's markers are of no use to anyone.
    dropAside(repo);
    rmSync(workIndexPath(repo), { force: true });
    rmSync(watchMarkerPath(repo), { recursive: true, force: true });
    rmSync(addMarkPath(repo), { force: true });
    await restoreIndexBytes(repo, journal.backup);
    await dropBackup(repo, journal.backup);
    clearJournal(repo.stateDir);
    recordRecovered(repo, journal.runId, true);
    const kept = await repo.git.run([
      "for-each-ref",
      "--format=%(refname)",
      `${repo.refPrefix}/residue/${journal.runId}/`,
    ]);
    const residue = kept.split("\n").filter((l) => l.length > 0);
    return {
      recovered: true,
      message: messages.recovered(journal.runId, journal.state) + unlocked,
      residue,
    };
  } finally {
    release();
  }
}

/** last-run.json of a run `culprit recover` finished: it says who restored the work. */
function recordRecovered(repo: Repo, runId: string, touched: boolean): void {
  recordEnding(
    repo.stateDir,
    { runId },
    {
      at: new Date().toISOString(),
      recovered: true,
      restore: { touched, via: touched ? "backup" : "none", verified: touched },
    },
  );
}

/** The entries a run stashed (the work is also in the verified backup, so they are redundant). */
async function dropStashes(repo: Repo, message: string): Promise<void> {
  for (let position = await stashIndexByMessage(repo, message); position >= 0; ) {
    await stashDrop(repo, position);
    position = await stashIndexByMessage(repo, message);
  }
}

/** Plain git that puts the working tree of a backup ref back, for when culprit itself cannot. */
export function manualRecovery(ref: string): string {
  return `git read-tree --reset -u ${ref}^{tree} && git read-tree ${ref}^2^{tree}`;
}

/** What `culprit status` shows. */
export interface StatusReport {
  running: { pid: number; startedAt: string } | null;
  pending: {
    runId: string;
    state: string;
    /** The state's detail ("run 3", or the question the run was asking). */
    detail?: string;
    backupRef: string | null;
    /** The run used worktrees only (--worktree, --jobs, isolate, bisect): your tree was never written. */
    isolated: boolean;
    /** Worktrees it journaled: recover removes them. */
    worktrees: number;
  } | null;
  refs: string[];
  /** The journal of the last run that ended (`.git/culprit/last-run.json`), if there is one. */
  lastRun: LastRun | null;
}

/** Reads whether a run is in progress or a backup is pending, without touching anything. */
export async function status(cwd: string): Promise<StatusReport> {
  const repo = await openRepo(cwd);
  const holder = lockHolder(repo.stateDir);
  const journal = readJournal(repo.stateDir);
  const refs = (await repo.git.run(["for-each-ref", "--format=%(refname)", `${repo.refPrefix}/`]))
    .split("\n")
    .filter((l) => l.length > 0);
  return {
    running: holder && processAlive(holder.pid) ? holder : null,
    pending: journal
      ? {
          runId: journal.runId,
          state: journal.state,
          ...(journal.detail ? { detail: journal.detail } : {}),
          backupRef: journal.backup?.ref ?? null,
          isolated: journal.isolated === true,
          worktrees: journal.worktrees?.length ?? 0,
        }
      : null,
    refs,
    lastRun: readLastRun(repo.stateDir),
  };
}
