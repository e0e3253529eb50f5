import { readdirSync } from "node:fs";
import { expect } from "vitest";
import { captureState, culpritRefs, type TestRepo } from "./harness.js";
import { readLastRun } from "./pty.js";

/** The repository is byte-identical to `before`, no backup is left and nothing is pending. */
export function expectUntouched(repo: TestRepo, before: Record<string, string>): void {
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
}

/** last-run.json says the run was stopped by `signal`, exited `code`, and the tree was verified. */
export function expectLastRunInterrupted(repo: TestRepo, signal: string, code: number): void {
  const last = readLastRun(repo);
  expect(last, "no .git/culprit/last-run.json").not.toBeNull();
  expect(last!.ending?.signal?.name).toBe(signal);
  expect(last!.ending?.exitCode).toBe(code);
  expect(last!.ending?.restore?.verified).toBe(true);
  expect(last!.history.map((h) => h.state)).toContain("verify");
}

/**
 * Removes the repository; retried when something still writes into it (ENOTEMPTY), saying what
 * was left, since that would be a process culprit left behind.
 */
export async function cleanupRepo(repo: TestRepo): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      repo.cleanup();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOTEMPTY" || attempt >= 10) throw error;
      let left: string[] = [];
      try {
        left = readdirSync(`${repo.dir}/.git`, { recursive: true }) as string[];
      } catch {}
      console.log(`cleanup of ${repo.dir} retried; still there: ${left.slice(0, 10).join(", ")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
