import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import {
  type CulpritExit,
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  runCulpritAsync,
  type TestRepo,
} from "./harness.js";

/**
 * Two runs a side, at a confidence they can reach (a steady failure against a steady pass: 0.980
 * >= 1 - 0.2 / 10), for the tests of a real runner's integration (its reports, its ids, its
 * files at the baseline): a third run of a side tells them nothing more, and the runners' runs
 * are most of the suite's CPU (tap 21: 2.3 s a run). Each runner's file keeps one case at the
 * defaults, as a user runs it; the statistics have their own tests.
 */
export const twoRuns = ["--runs", "2", "--confidence", "0.8"] as const;

/**
 * A captured state without the ignored build outputs the runner writes (`outputs`: cargo's or
 * Maven's target/): their files, and their lines of `git status --ignored`.
 */
export function withoutOutputs(
  state: Record<string, string>,
  outputs: readonly string[],
): Record<string, string> {
  if (outputs.length === 0) return state;
  const built = (path: string) => outputs.some((p) => path === p || path.startsWith(`${p}/`));
  const kept = Object.entries(state).filter(
    ([key]) => !(key.startsWith("file ") && built(key.slice(5))),
  );
  return Object.fromEntries(
    kept.map(([key, value]) =>
      key === "status"
        ? [
            key,
            value
              .split("\n")
              .filter((line) => !(line.startsWith("!! ") && built(line.slice(3))))
              .join("\n"),
          ]
        : [key, value],
    ),
  );
}

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
  const before = stateBefore(repo, outputs);
  const result = runCulprit(repo, ["--json", ...extraArgs, "--", ...command], extraEnv);
  return untouchedAfter(repo, before, outputs, result);
}

/**
 * The same without blocking the test's event loop, for `test.concurrent`: the cases of a file
 * that mostly wait (runs that hang until --timeout) wait together.
 */
export async function attributeUntouchedAsync(
  repo: TestRepo,
  command: string[],
  extraArgs: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
  outputs: readonly string[] = [],
): Promise<{ json: ReturnType<typeof parseJsonOutput>; status: number | null; stderr: string }> {
  const before = stateBefore(repo, outputs);
  const result = await runCulpritAsync(
    repo,
    ["--json", ...extraArgs, "--", ...command],
    extraEnv,
    450_000,
  );
  return untouchedAfter(repo, before, outputs, result);
}

/** The repository's state before culprit runs, once its build outputs are known to be ignored. */
function stateBefore(repo: TestRepo, outputs: readonly string[]): Record<string, string> {
  // What the test's own build writes (cargo's target/): ignored files culprit never touches.
  for (const path of outputs) {
    // A folder's rule (`target/`) matches what is inside it even before the folder exists.
    const ignored = spawnSync("git", ["check-ignore", "--no-index", path, `${path}/x`], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(ignored.status, `${path} must be ignored`).toBe(0);
  }
  return captureState(repo);
}

function untouchedAfter(
  repo: TestRepo,
  before: Record<string, string>,
  outputs: readonly string[],
  result: Pick<CulpritExit, "status" | "stdout" | "stderr">,
): { json: ReturnType<typeof parseJsonOutput>; status: number | null; stderr: string } {
  expect(withoutOutputs(captureState(repo), outputs)).toEqual(withoutOutputs(before, outputs));
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
  /** The runner's environment, and the ignored build outputs it writes (left out). */
  runner: { env?: NodeJS.ProcessEnv; outputs?: readonly string[] } = {},
): void {
  const before = captureState(repo);
  const killed = runCulprit(
    repo,
    ["--json", ...extraArgs, "--", ...command],
    { ...runner.env, CULPRIT_FAULT: point },
    folder,
  );
  expect(killed.signal).toBe("SIGKILL");
  const recovered = runCulprit(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  const outputs = runner.outputs ?? [];
  expect(withoutOutputs(captureState(repo), outputs)).toEqual(withoutOutputs(before, outputs));
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
  // The dead run's private files are gone with it (its work index, the add's marker).
  for (const left of ["work-index", "add-mark"])
    expect(existsSync(join(repo.dir, ".git", "culprit", left)), left).toBe(false);
}
