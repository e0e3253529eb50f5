import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import {
  captureState,
  culpritRefs,
  runCulpritAsync,
  startCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { waitingRepo } from "../repos/isolate.js";
import { readJournal } from "../repos/journal.js";

/*
 * A signal while a configuration hangs (the express case: mocha waiting for a server), and at
 * the step between a hung run and its second run (what the hung run wrote kept, the worktree put
 * back). The user's dirty tree must be as it was, no worktree and no journal left, and the hung
 * process gone: after Ctrl-C by culprit itself, after kill -9 by `culprit recover`.
 */

/** The repository dirty beyond isolate's changes: a staged edit, and an untracked file. */
function dirtyWaitingRepo(wait: string): TestRepo {
  const repo = waitingRepo(wait);
  repo.git("add", "src/alpha.js");
  repo.write("notes/todo.txt", "untracked\n");
  return repo;
}

/** The hanging check: writes its pid where the test can see it, and a file in its tree, then waits. */
const hangWithPid =
  'require("node:fs").writeFileSync(process.env.HANG_PID, String(process.pid)), require("node:fs").writeFileSync("stamp", "x"), setInterval(() => {}, 1000)';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

function expectNothingLeft(repo: TestRepo, before: Record<string, string>): void {
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
  // What a hung run wrote in its worktree may be kept, by design; nothing else of culprit's.
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
}

for (const signal of ["SIGINT", "SIGKILL"] as const) {
  test.concurrent(`${signal} while a configuration hangs: the tree as it was, the hung run gone`, async () => {
    const repo = dirtyWaitingRepo(hangWithPid);
    const dir = mkdtempSync(join(tmpdir(), "culprit-hang-"));
    const pidFile = join(dir, "pid");
    try {
      const before = captureState(repo);
      const { child, exited } = startCulprit(
        repo,
        ["isolate", "--timeout", "60s", "--", "node", "check.js"],
        { HANG_PID: pidFile },
      );
      await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "");
      const hung = Number(readFileSync(pidFile, "utf8"));
      expect(alive(hung)).toBe(true);
      child.kill(signal);
      const result = await exited;
      if (signal === "SIGINT") {
        expect(result.status, result.stderr).toBe(130);
        expect(result.stderr).toContain("SIGINT: stopping the runs and removing the worktrees");
      } else {
        expect(result.signal).toBe("SIGKILL");
        const recovered = await runCulpritAsync(repo, ["recover"]);
        expect(recovered.status, recovered.stderr).toBe(0);
        expect(recovered.stderr).toMatch(/never wrote your tree/);
      }
      await until(() => !alive(hung), 10_000);
      expectNothingLeft(repo, before);
    } finally {
      repo.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  // Configuration 1 is the first to hang (the search's first probe holds src/alpha.js without
  // src/delta.js); its settle between the two runs is this change's own step.
  test.concurrent(`${signal} between a hung run and its second run: the tree as it was`, async () => {
    const repo = dirtyWaitingRepo(
      'require("node:fs").writeFileSync("stamp", "x"), setInterval(() => {}, 1000)',
    );
    try {
      const before = captureState(repo);
      const result = await runCulpritAsync(
        repo,
        ["isolate", "--json", "--timeout", "3s", "--", "node", "check.js"],
        { CULPRIT_FAULT: `probe-parallel/config 1 settle@${signal}` },
      );
      if (signal === "SIGINT") {
        expect(result.status, result.stderr).toBe(130);
        expect((JSON.parse(result.stdout) as { verdict: string }).verdict).toBe("interrupted");
      } else {
        expect(result.signal, result.stderr).toBe("SIGKILL");
        expect(leftWorktrees(repo).length).toBeGreaterThan(0);
        const recovered = await runCulpritAsync(repo, ["recover"]);
        expect(recovered.status, recovered.stderr).toBe(0);
      }
      // The hung run's residue was kept before the fault: the step was reached.
      expect(culpritRefs(repo).some((ref) => /\/run-\d+-hung$/.test(ref))).toBe(true);
      expectNothingLeft(repo, before);
    } finally {
      repo.cleanup();
    }
  }, 120_000);
}
