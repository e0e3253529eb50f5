import { type Repo, splitZ } from "./repo.js";
import { workTreeTouched } from "./snapshot.js";

/** The sha refs/stash points to, or null when the stash is empty. */
export async function stashTop(repo: Repo): Promise<string | null> {
  const result = await repo.git.tryRun(["rev-parse", "--verify", "-q", "refs/stash"]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** All stash entries, newest first, as "sha message" lines (for checks and tests). */
export async function stashList(repo: Repo): Promise<string[]> {
  const out = await repo.git.run(["stash", "list", "--format=%H %gs"]);
  return out.split("\n").filter((l) => l.length > 0);
}

/**
 * The index's intent-to-add entries (`git add -N`): `git stash push` cannot stash them ("Entry
 * 'x' not uptodate. Cannot merge."). In `status --porcelain=v2` they alone read ".A".
 */
export async function intentToAddPaths(repo: Repo): Promise<string[]> {
  // --no-optional-locks: a look, whose refreshed index is not written (a git of yours that starts
  // meanwhile never finds index.lock taken by culprit).
  const out = await repo.git.run([
    "--no-optional-locks",
    "status",
    "--porcelain=v2",
    "-z",
    "--untracked-files=no",
  ]);
  return splitZ(out)
    .filter((entry) => entry.startsWith("1 .A "))
    .map((entry) => entry.split(" ").slice(8).join(" "));
}

/** Stashes everything but ignored files; returns the new entry's sha. */
export async function stashPush(repo: Repo, message: string): Promise<string> {
  const before = await stashTop(repo);
  workTreeTouched(repo);
  await repo.git.run(["stash", "push", "--include-untracked", "--quiet", "-m", message], {
    identity: true,
  });
  const after = await stashTop(repo);
  if (!after || after === before) throw new Error("git stash push created no entry");
  return after;
}

/** Position of an entry in the stash list (the user may have stashed meanwhile), or -1. */
export async function stashIndexOf(repo: Repo, sha: string): Promise<number> {
  const out = await repo.git.run(["stash", "list", "--format=%H"]);
  return out.split("\n").indexOf(sha);
}

/** Position of the newest entry whose message is `message`, or -1. */
export async function stashIndexByMessage(repo: Repo, message: string): Promise<number> {
  const out = await repo.git.run(["stash", "list", "--format=%gs"]);
  return out.split("\n").findIndex((line) => line.endsWith(message));
}

/** Pops an entry with its index; false when git refused (the entry is then still there). */
export async function stashPop(repo: Repo, position: number): Promise<boolean> {
  workTreeTouched(repo);
  const result = await repo.git.tryRun(
    ["stash", "pop", "--index", "--quiet", `stash@{${position}}`],
    { identity: true },
  );
  return result.exitCode === 0;
}

/** Drops an entry. */
export async function stashDrop(repo: Repo, position: number): Promise<void> {
  await repo.git.run(["stash", "drop", "--quiet", `stash@{${position}}`]);
}
