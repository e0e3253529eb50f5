import type { SpawnSyncReturns } from "node:child_process";
import { expect } from "vitest";
import { leftWorktrees } from "./fault-matrix.js";
import {
  type CulpritExit,
  captureState,
  culpritRefs,
  runCulprit,
  runCulpritAsync,
  type TestRepo,
} from "./harness.js";

/** What every run in worktrees must leave: your tree byte for byte, no worktree, no culprit ref. */
function expectUntouched(repo: TestRepo, before: Record<string, string>): void {
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
  expect(culpritRefs(repo)).toEqual([]);
}

/** Runs the built culprit, then checks that it left your tree as it was (see expectUntouched). */
export function runUntouched(
  repo: TestRepo,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  const before = captureState(repo);
  const result = runCulprit(repo, args, extraEnv);
  expectUntouched(repo, before);
  return result;
}

/** The same without blocking the test's event loop. */
export async function runUntouchedAsync(repo: TestRepo, args: string[]): Promise<CulpritExit> {
  const before = captureState(repo);
  const result = await runCulpritAsync(repo, args);
  expectUntouched(repo, before);
  return result;
}
