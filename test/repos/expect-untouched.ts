import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
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
  outputs: readonly string[] = [],
): { json: ReturnType<typeof parseJsonOutput>; status: number | null; stderr: string } {
  // What the test's own build writes (cargo's target/): ignored files culprit never touches.
  for (const path of outputs) {
    // A folder's rule (`target/`) matches what is inside it even before the folder exists.
    const ignored = spawnSync("git", ["check-ignore", "--no-index", path, `${path}/x`], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(ignored.status, `${path} must be ignored`).toBe(0);
  }
  const without = (state: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(state).filter(
        ([key]) =>
          !outputs.some((p) => key === `file ${p}` || key.startsWith(`file ${p}/`)) &&
          key !== "status",
      ),
    );
  const before = captureState(repo);
  const result = runCulprit(repo, ["--json", ...extraArgs, "--", ...command], extraEnv);
  const after = captureState(repo);
  if (outputs.length > 0) {
    expect(without(after)).toEqual(without(before));
    // `git status --ignored` lists the outputs: without them, it must be the same.
    const status = (s: Record<string, string>) =>
      (s["status"] ?? "")
        .split("\n")
        .filter((l) => !outputs.some((p) => l === `!! ${p}` || l.startsWith(`!! ${p}/`)));
    expect(status(after)).toEqual(status(before));
  } else expect(after).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
  const json = parseJsonOutput(result);
  expect((json["restore"] as { verified: boolean }).verified).toBe(true);
  return { json, status: result.status, stderr: result.stderr };
}

/**
 * Kills culprit (SIGKILL) right after journal transition `point`, runs `culprit recover`, and
 * asserts the repository is byte-identical to before and no backup ref is left.
 */
export function killRecoverUntouched(
  repo: TestRepo,
  command: string[],
  point: string,
  extraArgs: readonly string[] = [],
  /** The folder culprit is run from, below the repository (its top by default). */
  folder?: string,
): void {
  const before = captureState(repo);
  const killed = runCulprit(
    repo,
    ["--json", ...extraArgs, "--", ...command],
    { CULPRIT_FAULT: point },
    folder,
  );
  expect(killed.signal).toBe("SIGKILL");
  const recovered = runCulprit(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
  // The dead run's private files are gone with it (its work index, the add's marker).
  for (const left of ["work-index", "add-mark"])
    expect(existsSync(join(repo.dir, ".git", "culprit", left)), left).toBe(false);
}
