import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Backup } from "../git/backup.js";
import type { StateName } from "./states.js";

/** What `culprit recover` needs to know about a run that may have died. */
export interface Journal {
  version: 1;
  runId: string;
  pid: number;
  startedAt: string;
  /** The state being entered: its side effect may have happened, partly or not at all. */
  state: StateName;
  /** Free detail of the state (run number, side; `asking for more runs` at that question). */
  detail?: string;
  command: string[];
  backup?: Backup;
  /** Message of the stash entry this run creates, to find it even if the sha was not yet written. */
  stashMessage?: string;
  stash?: string;
  /** The selective revert being entered: its suspects and the baseline tree. */
  revert?: { suspects: string[]; tree: string };
  residue: string[];
  /** Process group of the test run in progress: `culprit recover` ends it if it outlived culprit. */
  testGroup?: number;
  /** Process groups of the runs in progress (several with --jobs): recover ends them. */
  testGroups?: number[];
  /** --worktree: the user's tree is never written; recover removes worktrees, restores nothing. */
  isolated?: boolean;
  /** The worktrees made (or about to be): recover removes them. */
  worktrees?: string[];
  history: { state: StateName; at: string; detail?: string }[];
}

/** Path of the journal in a state dir. */
export function journalPath(stateDir: string): string {
  return join(stateDir, "journal.json");
}

/** Reads the journal; null when there is none. A corrupt journal throws. */
export function readJournal(stateDir: string): Journal | null {
  let text: string;
  try {
    text = readFileSync(journalPath(stateDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return JSON.parse(text) as Journal;
}

/**
 * Writes the journal atomically (temp file, rename): a reader, and `culprit recover` after a
 * kill -9 or a crash of culprit, sees the old journal or the new one.
 *
 * Fsynced only when the write `changed` what `culprit recover` does after the
 * machine goes down. In place that is the one that first records the backup: from then on,
 * whatever state the journal names, recover restores the backup (and before it, nothing was
 * touched). With --worktree, the writes that list worktrees. The other transitions (a baseline
 * entered or left, verify, report, the runs) only change the journal's words; an fsync costs
 * 2 to 7 ms here, and there were about ten an attribution.
 */
export function writeJournal(
  stateDir: string,
  journal: Journal,
  changed: Partial<Journal> = {},
): void {
  mkdirSync(stateDir, { recursive: true });
  writeAtomically(journalPath(stateDir), journal, "backup" in changed || "worktrees" in changed);
}

function writeAtomically(target: string, value: unknown, durable: boolean): void {
  const temp = `${target}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}

/**
 * The entries your tree ignores, listed before a baseline is entered in it: the rules of your own
 * changes (a new .gitignore, `node_modules/` added to one) are not the baseline's, and what they
 * ignore must stay out of a restore's snapshot there as well (`culprit recover` reads it).
 */
function yourIgnoredPath(stateDir: string): string {
  return join(stateDir, "your-ignored.json");
}

/** Records the entries your tree ignores (before a baseline is entered in it). */
export function writeYourIgnored(stateDir: string, entries: readonly string[]): void {
  mkdirSync(stateDir, { recursive: true });
  writeAtomically(yourIgnoredPath(stateDir), entries, true);
}

/** The entries recorded by writeYourIgnored (none when there is no record, or it does not parse). */
export function readYourIgnored(stateDir: string): string[] {
  try {
    const entries: unknown = JSON.parse(readFileSync(yourIgnoredPath(stateDir), "utf8"));
    return Array.isArray(entries) ? entries.filter((e): e is string => typeof e === "string") : [];
  } catch {
    return [];
  }
}

/** Path of the journal of the last run that ended (kept to say what happened). */
export function lastRunPath(stateDir: string): string {
  return join(stateDir, "last-run.json");
}

/** How the last run ended, as the command line (or `culprit recover`) adds it to its journal. */
export interface RunEnding {
  at: string;
  /** The signal that stopped the run (the first one), and when it came. */
  signal?: { name: string; at: string };
  verdict?: string;
  exitCode?: number;
  restore?: { touched: boolean; via: string; verified: boolean };
  /** The error the run ended with, if it did. */
  error?: string;
  /** `culprit recover` restored the work of a run that had died. */
  recovered?: boolean;
}

/** The journal of the last run that ended, with how it ended once that is known. */
export type LastRun = Journal & { ending?: RunEnding };

/**
 * The run ended (the tree verified, or nothing was touched): journal.json goes, so that recovery
 * has nothing to do, and is kept as last-run.json, so that `culprit status` can say what happened.
 */
export function clearJournal(stateDir: string): void {
  rmSync(yourIgnoredPath(stateDir), { force: true });
  try {
    renameSync(journalPath(stateDir), lastRunPath(stateDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      rmSync(journalPath(stateDir), { force: true });
  }
}

/** Reads the last run's journal; null when there is none or it does not parse. */
export function readLastRun(stateDir: string): LastRun | null {
  try {
    return JSON.parse(readFileSync(lastRunPath(stateDir), "utf8")) as LastRun;
  } catch {
    return null;
  }
}

/**
 * Adds how the run ended to last-run.json, if it is the journal of the run `which` names (by
 * pid, started after `since` (ms): the process that ran it; by runId: `culprit recover`).
 * False when it is not there.
 */
export function recordEnding(
  stateDir: string,
  which: { pid: number; since: number } | { runId: string },
  ending: RunEnding,
): boolean {
  const last = readLastRun(stateDir);
  if (!last) return false;
  const theRun =
    "pid" in which
      ? last.pid === which.pid && Date.parse(last.startedAt) >= which.since
      : last.runId === which.runId;
  if (!theRun) return false;
  // What happened, for `culprit status`: worth no fsync (a power cut ends more than this run).
  writeAtomically(lastRunPath(stateDir), { ...last, ending }, false);
  return true;
}

/** A run's id: its start time (UTC, to the second) and 4 random hex digits, "20261130T062210-7420". */
export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}
