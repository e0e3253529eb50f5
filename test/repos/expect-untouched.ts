import { expect } from "vitest";
import {
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "./harness.js";

/**
 * Runs `culprit --json -- <command>` and asserts the repository is byte-identical afterwards
 * (HEAD, index, every file incl. untracked and ignored, stash list) and no backup ref is left.
 */
export function attributeUntouched(
  repo: TestRepo,
  command: string[],
  extraArgs: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
): { json: ReturnType<typeof parseJsonOutput>; status: number | null; stderr: string } {
  const before = captureState(repo);
  const result = runCulprit(repo, ["--json", ...extraArgs, "--", ...command], extraEnv);
  const after = captureState(repo);
  expect(after).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
  const json = parseJsonOutput(result);
  expect((json["restore"] as { verified: boolean }).verified).toBe(true);
  return { json, status: result.status, stderr: result.stderr };
}

/**
 * Kills culprit (SIGKILL) right after journal transition `point`, runs `culprit recover`, and
 * asserts the repository is byte-identical to before and no backup ref is left.
 */
export function killRecoverUntouched(repo: TestRepo, command: string[], point: string): void {
  const before = captureState(repo);
  const killed = runCulprit(repo, ["--json", "--", ...command], { CULPRIT_FAULT: point });
  expect(killed.signal).toBe("SIGKILL");
  const recovered = runCulprit(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
}
