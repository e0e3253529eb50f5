import { realpathSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";
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

/**
 * The folder culprit runs in (`cwd`; relative to the root, with a slash) when `git stash push
 * --include-untracked` removes it: a folder HEAD does not have that holds no ignored file (git
 * stash takes its files and removes the emptied folder; `stash pop` makes it anew, another
 * folder, and a shell in it is left in the removed one). Null at the root, outside it, or when
 * the folder stays.
 */
export async function folderStashRemoves(repo: Repo, cwd: string): Promise<string | null> {
  let real: string;
  try {
    real = realpathSync(cwd);
  } catch {
    return null;
  }
  const rel = relative(repo.root, real);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
  const folder = rel.split(sep).join("/");
  const inHead = await repo.git.tryRun(["cat-file", "-e", `HEAD:${folder}`]);
  if (inHead.exitCode === 0) return null;
  // An ignored file in it (or the folder ignored itself): stash leaves those, and the folder.
  const ignored = await repo.git.run([
    "ls-files",
    "--others",
    "--ignored",
    "--exclude-standard",
    "--directory",
    "-z",
    "--",
    `:(literal)${folder}/`,
  ]);
  return ignored.length > 0 ? null : `${folder}/`;
}
