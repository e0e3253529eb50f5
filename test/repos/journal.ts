import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { culpritRefs, type TestRepo } from "./harness.js";

/** What the fault matrices read of culprit's journal. */
export interface Journal {
  state: string;
  detail?: string;
  history: { state: string; detail?: string }[];
}

/** The journal culprit left in `.git/culprit/`, or null. */
export function readJournal(repo: TestRepo): Journal | null {
  const path = join(repo.dir, ".git", "culprit", "journal.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Journal) : null;
}

/** Refs under refs/culprit that are not residue (a backup left behind is a failure). */
export function backupRefs(repo: TestRepo): string[] {
  return culpritRefs(repo).filter((ref) => !ref.includes("/residue/"));
}
