import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import {
  headCommit,
  isClean,
  openRepo,
  operationInProgress,
  type Repo,
  unmergedPaths,
} from "../git/repo.js";
import { messages } from "../messages.js";
import { packageScriptRunner } from "../run/index.js";
import { selectionHazard } from "../run/selection.js";
import { readJournal } from "./journal.js";
import { assertLockFree } from "./lock.js";

/** Refuses, with one clear line and nothing touched, what culprit must not attempt. */
export async function preflight(
  cwd: string,
  argv: string[],
  shell: string | undefined,
  options: { allowClean?: boolean; repo?: Repo } = {},
): Promise<Repo> {
  const repo = options.repo ?? (await openRepo(cwd));
  // A run in progress has its journal written and the tree stashed: name it before those
  // make the tree look crashed or clean.
  assertLockFree(repo.stateDir);
  // Three reads at once (none writes anything); their refusals in the order below.
  const [head, unmerged, clean] = await Promise.all([
    headCommit(repo.git),
    unmergedPaths(repo.git),
    options.allowClean ? false : isClean(repo.git),
  ]);
  if (!head) throw new UsageError(messages.noCommits());
  const operation = operationInProgress(repo);
  if (operation) throw new UsageError(messages.operationInProgress(operation));
  const lock = join(repo.gitDir, "index.lock");
  if (!(await gone(lock, indexLockWaitMs))) throw new UsageError(messages.indexLocked(lock));
  assertNoPendingRun(repo);
  if (unmerged.length > 0) throw new UsageError(messages.unmerged());
  // With --base the changes are the commits since the base: a clean tree (CI) is the normal case.
  if (clean) throw new UsageError(messages.cleanTree());
  if (shell === undefined) {
    assertRunnable(argv, cwd);
    assertSameTests(argv, cwd, repo.root);
  }
  return repo;
}

/**
 * The command must run the same tests on both sides: not `jest -o` (the tests of git's changes,
 * none at the baseline), `pytest --lf` (the last run's failures) or a watch mode (exit 3).
 * Through npm, the script's words are read.
 */
export function assertSameTests(argv: string[], cwd: string, root: string): void {
  const hazard = selectionHazard(packageScriptRunner(argv, cwd, root) ?? argv, process.env);
  if (hazard)
    throw new UsageError(
      messages.unstableSelection(hazard.runner, hazard.option, hazard.kind, hazard.from),
    );
}

/**
 * How long preflight waits for an index.lock to go: an editor's git integration holds one for a
 * few milliseconds at a time (a status refreshing the index), and culprit started at that moment
 * should not refuse. One that stays is a running git command, or a crashed one's.
 */
export const indexLockWaitMs = 2_000;

/** True once `path` does not exist, polling every 50 ms for at most `waitMs`. */
async function gone(path: string, waitMs: number): Promise<boolean> {
  const until = Date.now() + waitMs;
  while (existsSync(path)) {
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** After a crash the journal is still there: nothing may run until `culprit recover`. */
export function assertNoPendingRun(repo: Repo): void {
  const journal = readJournal(repo.stateDir);
  if (journal) throw new UsageError(messages.pendingRun(journal.runId, journal.state));
}

/** The command must exist and be executable on the current tree (exit 3 otherwise). */
export function assertRunnable(argv: string[], cwd: string): void {
  const program = argv[0];
  if (!program) throw new UsageError(messages.noCommand());
  if (findExecutable(program, cwd, process.env["PATH"] ?? "")) return;
  throw new UsageError(messages.commandNotFound(program));
}

/** Resolves a program like execvp would: a path with a slash as is, else each PATH entry. */
export function findExecutable(program: string, cwd: string, path: string): string | null {
  const candidates = program.includes("/")
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : path
        .split(delimiter)
        .filter((dir) => dir.length > 0)
        .map((dir) => resolve(cwd, dir, program));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}
