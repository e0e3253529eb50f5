import { readdirSync, readFileSync } from "node:fs";
import { groupAlive, signalGroup } from "../run/index.js";

/**
 * Pids in process group `pgid` that carry CULPRIT_RUN_ID=<runId> in their environment: the test
 * of a culprit run that was killed. Checking the environment keeps a reused group id safe.
 * Linux only (reads /proc); elsewhere returns [].
 */
export function orphanedTestPids(pgid: number, runId: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const marker = `CULPRIT_RUN_ID=${runId}`;
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command name: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid || fields[0] === "Z") continue;
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (environ.includes(marker)) found.push(Number(entry));
    } catch {}
  }
  return found;
}

/** Ends the test a dead culprit run left running (SIGTERM, then SIGKILL after `graceMs`). */
export async function endOrphanedTest(
  pgid: number,
  runId: string,
  graceMs = 5_000,
): Promise<boolean> {
  if (orphanedTestPids(pgid, runId).length === 0) return false;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pgid)) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
  return true;
}
