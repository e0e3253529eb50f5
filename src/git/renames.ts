import { posix } from "node:path";
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

/** A word of the command that names a renamed file, and how it reads where the file has its old name. */
export interface RenamedWord {
  word: string;
  as: string;
  /** The file's new path, relative to the root. */
  path: string;
}

/**
 * The command's words as they read at a tree where the files `renames` renames (its old path to
 * the new, relative to the root) have their old paths: a word that names a new path (relative
 * to the folder the command runs in, `cwd`, itself relative to the root, "" at the root; with
 * or without "./"; or a test id that begins "path::", as pytest's) names the old one. So does a
 * folder the other tree lacks (`folders.missing`, root-relative) that your change renamed whole:
 * each renamed file in it came from one folder, which your tree no longer has (`folders.gone`),
 * and the word reads as a path ("spec/", "./spec", "."; a bare "spec" may be an npm script or
 * an option's value). `culprit bisect -- node --test test/shop.test.mjs` over a history that
 * renamed test/lib.test.mjs ran nothing before the rename. Only the words are translated, never
 * a shell string.
 */
export function wordsAtOldNames(
  argv: readonly string[],
  renames: ReadonlyMap<string, string>,
  cwd: string,
  folders: { missing: ReadonlySet<string>; gone: ReadonlySet<string> } | null = null,
): { argv: string[]; renamed: RenamedWord[] } {
  if (renames.size === 0) return { argv: [...argv], renamed: [] };
  const oldOf = new Map([...renames].map(([from, to]) => [to, from]));
  const folderOf = (path: string): string | undefined => {
    if (!folders?.missing.has(path)) return undefined;
    let from: string | undefined;
    for (const [old, now] of renames) {
      if (!now.startsWith(`${path}/`)) continue;
      const rest = now.slice(path.length);
      if (!old.endsWith(rest)) return undefined;
      const folder = old.slice(0, -rest.length);
      if (folder === "" || (from !== undefined && folder !== from)) return undefined;
      from = folder;
    }
    return from !== undefined && folders.gone.has(from) ? from : undefined;
  };
  const pathLike = (word: string) => word.includes("/") || word === "." || word === "..";
  const renamed: RenamedWord[] = [];
  const out = argv.map((word, i) => {
    // The program may be a renamed script; an option (-x, --flag) names no file.
    if (i > 0 && word.startsWith("-")) return word;
    const cut = word.indexOf("::");
    const path = cut < 0 ? word : word.slice(0, cut);
    const rest = cut < 0 ? "" : word.slice(cut);
    const dot = path.startsWith("./") ? "./" : "";
    const slash = path.length > 1 && path.endsWith("/") ? "/" : "";
    const full = posix.normalize(posix.join(cwd, path.slice(dot.length))).replace(/\/$/, "");
    if (full.startsWith("../")) return word;
    const old = oldOf.get(full) ?? (pathLike(path) ? folderOf(full) : undefined);
    if (old === undefined) return word;
    const as = `${dot}${posix.relative(cwd, old) || "."}${slash}${rest}`;
    renamed.push({ word, as, path: full });
    return as;
  });
  return { argv: out, renamed };
}

/** The folders that hold the old paths of `renames` (each with its parents), root-relative. */
export function oldFolders(renames: ReadonlyMap<string, string>): string[] {
  const folders = new Set<string>();
  for (const old of renames.keys()) {
    for (let at = posix.dirname(old); at !== "." && !folders.has(at); at = posix.dirname(at))
      folders.add(at);
  }
  return [...folders];
}
