import { askedOnce, type Repo } from "./repo.js";

/*
 * Files your change renames
 * =========================
 *
 * A test file moved or renamed in your change (`git mv test/lib.test.mjs test/shop.test.mjs`,
 * or a plain `mv`: the backup's tree has your untracked files too) reports its tests under the
 * new path on your tree and under the old one at the baseline. Its test ids name the file, so an
 * old failure in it read as a test new to your tree, "it needs a baseline that has it":
 * UNRUNNABLE, exit 2, where it had failed all along. The baseline's report is read with your
 * paths: each path git sees renamed between the baseline's tree and yours (its default rename
 * detection, 50% similar) stands for its new path.
 */

const asked = new WeakMap<Repo, Map<string, Promise<ReadonlyMap<string, string>>>>();

/** The paths of `baseTree` that `userTree` has renamed: old path to new (asked once a pair). */
export function renamedPaths(
  repo: Repo,
  baseTree: string,
  userTree: string,
): Promise<ReadonlyMap<string, string>> {
  let known = asked.get(repo);
  if (!known) {
    known = new Map();
    asked.set(repo, known);
  }
  return askedOnce(known, `${baseTree} ${userTree}`, async () =>
    parseRenames(
      await repo.git.run([
        "diff-tree",
        "-r",
        "-z",
        "-M",
        "--diff-filter=R",
        "--name-status",
        baseTree,
        userTree,
      ]),
    ),
  );
}

/** Parses `git diff-tree -z -M --name-status`: "R<score>", the old path, the new path. */
export function parseRenames(out: string): Map<string, string> {
  const fields = out.split("\0");
  const renames = new Map<string, string>();
  for (let i = 0; i < fields.length; ) {
    const status = fields[i]!;
    if (status === "") break;
    if (status.startsWith("R") || status.startsWith("C")) {
      if (status.startsWith("R")) renames.set(fields[i + 1]!, fields[i + 2]!);
      i += 3;
    } else i += 2;
  }
  return renames;
}

/** Whether `path` (a file or a folder the command names) is, or holds, a path of `renames`' new ones. */
export function holdsRenamed(renames: ReadonlyMap<string, string>, path: string): boolean {
  const folder = `${path.replace(/\/$/, "")}/`;
  for (const to of renames.values()) if (to === path || to.startsWith(folder)) return true;
  return false;
}
