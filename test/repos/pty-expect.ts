import { readdirSync } from "node:fs";
import { expect } from "vitest";
import { withoutOutputs } from "./expect-untouched.js";
import { captureState, culpritRefs, type TestRepo } from "./harness.js";
import { type Pty, readLastRun, startPty } from "./pty.js";
import { waitForState } from "./slow-check.js";

/**
 * The repository is byte-identical to `before`, no backup is left and nothing is pending.
 * `outputs`: ignored folders the runner's own build writes (Maven's target/), left out.
 */
export function expectUntouched(
  repo: TestRepo,
  before: Record<string, string>,
  outputs: readonly string[] = [],
): void {
  expect(withoutOutputs(captureState(repo), outputs)).toEqual(withoutOutputs(before, outputs));
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
 * Runs culprit with `args` at a real terminal (tmux or script), presses Ctrl-C once the journal
 * is at `state` (`detail`) and `ready` has seen what it waits for on screen, and asserts what every
 * Ctrl-C must leave: exit 130, the stop and the verified restore on screen, the repository
 * byte-identical, last-run.json saying so. Returns the screen, for what a case adds.
 */
export async function ctrlCRestored(
  repo: TestRepo,
  args: string[],
  at: {
    state: string;
    detail: string;
    ready?: (pty: Pty) => Promise<unknown>;
    /** Extra environment for culprit and the command (a runner's own, as the runner kits give). */
    env?: NodeJS.ProcessEnv;

    /** Ignored folders the runner's build writes, left out of the comparison. */
    outputs?: readonly string[];
  },
): Promise<string> {
  const before = captureState(repo);
  const pty = await startPty(repo, args, {
    columns: 120,
    rows: 40,
    ...(at.env ? { env: at.env } : {}),
  });
  try {
    await waitForState(repo, at.state, at.detail);
    await at.ready?.(pty);
    await pty.sendKeys("C-c");
    expect(await pty.exitCode()).toBe(130);
    const screen = await pty.screen();
    expect(screen).toContain("culprit: SIGINT: stopping the test and restoring your work");
    expect(screen).toContain("restored via a reset to your backed-up tree, verified");
    expectUntouched(repo, before, at.outputs);
    expectLastRunInterrupted(repo, "SIGINT", 130);
    return screen;
  } finally {
    pty.dispose();
  }
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
