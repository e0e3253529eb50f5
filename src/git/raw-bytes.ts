import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Repo, splitZ } from "./repo.js";
import { tmpIndexPath, workTreeTouched } from "./snapshot.js";

/*
 * Git stores text files normalized (core.autocrlf, `text`/`eol` attributes, clean filters) and
 * converts them again when it writes them out, so `git stash` + `git stash pop` gives back a file
 * with LF endings as CRLF under core.autocrlf=true, and a mixed-endings file normalized. The
 * fingerprint compares normalized trees and cannot see it. The backup therefore also keeps the
 * bytes of every changed file as they are on disk (`hash-object --no-filters`), and the restore
 * writes those bytes back where they differ.
 * https://git-scm.com/docs/gitattributes#_end_of_line_conversion
 */

/** One regular file of a raw tree. */
export interface RawEntry {
  path: string;
  mode: string;
  sha: string;
}

/**
 * True when git may write a file with other bytes than the blob's: `core.autocrlf`, or any
 * attributes file (text/eol, filters, working-tree-encoding all come from attributes:
 * https://git-scm.com/docs/gitattributes). Without either, a checkout writes the blob's bytes
 * exactly and the raw snapshot would only repeat the tree.
 */
export async function conversionMayApply(repo: Repo): Promise<boolean> {
  // Both reads at once: the config, and .gitattributes anywhere in the working tree (tracked or
  // not), as the work index has it.
  const [config, listed] = await Promise.all([
    repo.git.tryRun(["config", "--get-regexp", "^core\\.(autocrlf|attributesfile)$"]),
    repo.git.run(
      ["ls-files", "-z", "--", ":(glob)**/.gitattributes", ".gitattributes"],
      repo.workIndex ? { indexFile: repo.workIndex } : {},
    ),
  ]);
  for (const line of config.stdout.split("\n")) {
    const [key, value = ""] = line.trim().split(/\s+/);
    // git's boolean false spellings (https://git-scm.com/docs/git-config#_values).
    if (key === "core.autocrlf" && !["false", "no", "off", "0", ""].includes(value.toLowerCase()))
      return true;
    if (key === "core.attributesfile") return true;
  }
  const home = process.env["HOME"];
  const xdg = process.env["XDG_CONFIG_HOME"] ?? (home ? join(home, ".config") : null);
  const elsewhere = [
    join(repo.commonDir, "info", "attributes"),
    ...(xdg ? [join(xdg, "git", "attributes")] : []),
    "/etc/gitattributes",
  ];
  if (elsewhere.some((path) => existsSync(path))) return true;
  return listed.length > 0;
}

/**
 * Tree of the exact bytes of the files that differ from HEAD (staged, unstaged or untracked, not
 * ignored), or that your index holds as changed on disk, and are regular files on disk; null when
 * there are none. `userTree` is the snapshot of the working tree.
 *
 * The last are files whose stat data no longer matches your index (`git diff-files`, which does
 * not refresh the index, lists them): a file whose only change is its line endings (CRLF under
 * `* text eol=lf`) normalizes to HEAD's blob, so it differs from HEAD in no tree, but a checkout
 * (`git stash`'s reset --hard) rewrites it, as git would store it (micromatch/picomatch trial).
 * Once your index is refreshed (a `git status`) git no longer rewrites such a file.
 */
export async function rawSnapshot(repo: Repo, userTree: string): Promise<string | null> {
  const [changed, staged, onDisk] = await Promise.all([
    repo.git.run(["diff-tree", "-r", "-z", "--name-only", "--no-renames", "HEAD", userTree]),
    repo.git.run(["diff-index", "--cached", "-z", "--name-only", "--no-renames", "HEAD"]),
    repo.git.run(["--no-optional-locks", "diff-files", "-z", "--name-only", "--no-renames"]),
  ]);
  const files: { path: string; mode: string }[] = [];
  for (const path of new Set([...splitZ(changed), ...splitZ(staged), ...splitZ(onDisk)])) {
    try {
      const stat = lstatSync(join(repo.root, path));
      if (stat.isFile()) files.push({ path, mode: stat.mode & 0o111 ? "100755" : "100644" });
    } catch {}
  }
  if (files.length === 0) return null;
  const shas = await hashRaw(
    repo,
    files.map((f) => f.path),
    true,
  );
  const index = tmpIndexPath(repo);
  try {
    await repo.git.run(["update-index", "-z", "--index-info"], {
      indexFile: index,
      input: files.map((f, i) => `${f.mode} ${shas[i]}\t${f.path}\0`).join(""),
    });
    return (await repo.git.run(["write-tree"], { indexFile: index })).trim();
  } finally {
    rmSync(index, { force: true });
  }
}

/** The files of a raw tree whose bytes or executable bit on disk are not those of the tree. */
export async function rawDifferences(repo: Repo, tree: string): Promise<RawEntry[]> {
  const listed = await repo.git.run(["ls-tree", "-r", "-z", "--full-tree", tree]);
  const entries: RawEntry[] = splitZ(listed).map((line) => {
    const tab = line.indexOf("\t");
    const [mode = "", , sha = ""] = line.slice(0, tab).split(" ");
    return { path: line.slice(tab + 1), mode, sha };
  });
  const present = entries.filter((e) => {
    try {
      const stat = lstatSync(join(repo.root, e.path));
      return stat.isFile() && (stat.mode & 0o111 ? "100755" : "100644") === e.mode;
    } catch {
      return false;
    }
  });
  const shas = await hashRaw(
    repo,
    present.map((e) => e.path),
    false,
  );
  const same = new Set(present.filter((e, i) => shas[i] === e.sha).map((e) => e.path));
  return entries.filter((e) => !same.has(e.path));
}

/**
 * Writes the exact bytes of raw entries to the work tree. An existing file keeps its permissions
 * but the executable bit; a new one gets git's (0666 or 0777, less the umask).
 */
export async function writeRaw(repo: Repo, entries: readonly RawEntry[]): Promise<void> {
  if (entries.length > 0) workTreeTouched(repo);
  for (const entry of entries) {
    const full = join(repo.root, entry.path);
    const executable = entry.mode === "100755";
    const bytes = await repo.git.readBlob(entry.sha);
    let mode: number | null = null;
    try {
      const stat = lstatSync(full);
      // A folder in the way is never emptied here: verify reports it instead.
      if (stat.isDirectory()) continue;
      if (stat.isFile()) mode = stat.mode & 0o7777;
      else rmSync(full, { force: true });
    } catch {}
    if (mode === null) {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, bytes, { mode: executable ? 0o777 : 0o666 });
      continue;
    }
    writeFileSync(full, bytes);
    const wanted = executable ? mode | ((mode & 0o444) >> 2) : mode & ~0o111;
    if (wanted !== mode) chmodSync(full, wanted);
  }
}

/** Blob ids of files as they are on disk, no filter applied; written to the object store if `write`. */
async function hashRaw(repo: Repo, paths: readonly string[], write: boolean): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await repo.git.run(
    ["hash-object", "--no-filters", ...(write ? ["-w"] : []), "--stdin-paths"],
    { input: paths.map((p) => `${cQuote(p)}\n`).join("") },
  );
  return out.split("\n").slice(0, paths.length);
}

const needsQuoting = /[\u0000-\u001f"\\\u007f]/;

/** C-style quoting, which `--stdin-paths` undoes for a line starting with a double quote. */
export function cQuote(path: string): string {
  if (!needsQuoting.test(path)) return path;
  const named: Record<string, string> = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
  };
  const body = path.replace(
    /[\u0000-\u001f"\\\u007f]/g,
    (c) => named[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`,
  );
  return `"${body}"`;
}
