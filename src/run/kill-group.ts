import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Sends `signal` to every process in group `pgid`; false when the group is empty (ESRCH). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    // EPERM: a member we may not signal (it changed uid); treat the group as alive.
    return true;
  }
}

// Orphans are reparented to PID 1, and a PID 1 that does not reap (a bare
// container init) leaves them as zombies that kill(2) still reports as
// existing. On Linux, look at /proc to see whether a live member remains.
function liveMemberOnLinux(pgid: number): boolean | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

/** True while group `pgid` has a member that is not a zombie. */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  return liveMemberOnLinux(pgid) ?? true;
}

/** True while process `pid` exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

// How long to keep polling after SIGKILL before giving up on a process stuck
// in uninterruptible sleep (it cannot be killed; do not hang on it).
const afterKillGraceMs = 2_000;

async function waitForGroupDeath(pgid: number, ms: number): Promise<boolean> {
  return waitFor(() => false, pgid, ms);
}

/**
 * Polls until group `pgid` is gone (true) or `done` says so (false), for at most `ms`
 * (false then too).
 */
async function waitFor(done: () => boolean, pgid: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  let pause = 5;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    if (done()) return false;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 50);
  }
}

/**
 * Terminates a process group once: SIGTERM (or the `first` signal given), then SIGKILL after
 * `killAfterMs` if anyone is left, as `timeout -s SIG -k DUR` does.
 */
export class ProcessGroup {
  private ending: Promise<void> | null = null;

  constructor(
    readonly pgid: number,
    readonly killAfterMs: number,
  ) {}

  /**
   * Starts termination (idempotent: a later call's `first` is ignored); resolves when the group
   * is gone or cannot be killed.
   */
  terminate(first: NodeJS.Signals = "SIGTERM"): Promise<void> {
    this.ending ??= this.end(first);
    return this.ending;
  }

  /** SIGKILL now, without waiting (for process exit hooks). */
  killNow(): void {
    signalGroup(this.pgid, "SIGKILL");
  }

  private async end(first: NodeJS.Signals): Promise<void> {
    if (!signalGroup(this.pgid, first)) return;
    // A stopped member would never act on the signal (timeout(1) does the same).
    signalGroup(this.pgid, "SIGCONT");
    const deadline = performance.now() + this.killAfterMs;
    if (first !== "SIGTERM") {
      // The leader (pytest) ends on it; what it leaves may not: a shell's `&` job ignores
      // SIGINT. Once the leader is gone, the rest get SIGTERM, as a run's leftovers do, rather
      // than waiting for SIGKILL.
      if (await waitFor(() => !processAlive(this.pgid), this.pgid, this.killAfterMs)) return;
      if (!processAlive(this.pgid) && signalGroup(this.pgid, "SIGTERM")) {
        signalGroup(this.pgid, "SIGCONT");
      }
    }
    if (await waitForGroupDeath(this.pgid, deadline - performance.now())) return;
    if (!signalGroup(this.pgid, "SIGKILL")) return;
    await waitForGroupDeath(this.pgid, afterKillGraceMs);
  }
}
