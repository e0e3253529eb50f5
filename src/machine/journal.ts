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
  /** Free detail of the state (run number, side). */
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

/** Writes the journal atomically (temp file, fsync, rename): a reader sees the old or the new one. */
export function writeJournal(stateDir: string, journal: Journal): void {
  mkdirSync(stateDir, { recursive: true });
  const target = journalPath(stateDir);
  const temp = `${target}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, `${JSON.stringify(journal, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}

/** Removes the journal (the run ended with the tree verified). */
export function clearJournal(stateDir: string): void {
  rmSync(journalPath(stateDir), { force: true });
}
