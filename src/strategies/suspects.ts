import { isAbsolute, relative, resolve } from "node:path";
import type { Repo } from "../git/repo.js";

/** One path that differs between HEAD and the user's tree (untracked files included). */
export interface Change {
  /** Repository-relative path, `/`-separated. */
  path: string;
  /** A: new since HEAD (untracked or added), M: content or mode changed, D: deleted, T: type changed. */
  status: "A" | "M" | "D" | "T";
  /** HEAD's mode for the path ("000000" when the path is new). */
  headMode: string;
  /** HEAD's object for the path (all zeros when the path is new). */
  headObject: string;
}

/**
 * Test files and the harness they need: they stay when the suspects are chosen automatically
 * (a path matching any of these is "kept", i.e. never reverted). `--keep GLOB` adds more.
 */
export const defaultKeepGlobs: readonly string[] = [
  "test/",
  "tests/",
  "__tests__/",
  "spec/",
  "*.test.*",
  "*.spec.*",
  "*_test.*",
  "test_*.py",
  "conftest.py",
  // culprit's own settings: never what broke the test (humanize trial: it was a suspect).
  "/culprit.config.json",
];

/** Parses `git diff-tree -r -z --no-renames` raw output into changes (pure). */
export function parseRawDiff(out: string): Change[] {
  const fields = out.split("\0");
  const changes: Change[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!;
    const path = fields[i + 1]!;
    // ":<old mode> <new mode> <old object> <new object> <status>"
    const match = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([AMDT])$/.exec(meta);
    if (!match) continue;
    const [, headMode, userMode, headObject, , status] = match;
    // Submodules are left alone (DESIGN.md): a gitlink is never a suspect.
    if (headMode === "160000" || userMode === "160000") continue;
    changes.push({
      path,
      status: status as Change["status"],
      headMode: headMode!,
      headObject: headObject!,
    });
  }
  return changes;
}

/**
 * Every path that differs between `from` (HEAD, or the `--base` commit) and `userTree` (a
 * snapshot of the working tree). `headMode` / `headObject` are then `from`'s.
 */
export async function listChanges(repo: Repo, userTree: string, from = "HEAD"): Promise<Change[]> {
  const out = await repo.git.run([
    "diff-tree",
    "-r",
    "-z",
    "--no-renames",
    "--no-commit-id",
    from,
    userTree,
  ]);
  return parseRawDiff(out);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

/** `*` and `?` within one path segment, `**` across segments (pure). */
function segmentPattern(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      // "**/" matches zero or more whole folders; a bare "**" anything.
      if (glob[i + 2] === "/") {
        out += "(?:[^/]+/)*";
        i += 2;
      } else {
        out += ".*";
        i += 1;
      }
    } else if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else out += escapeRegExp(ch);
  }
  return out;
}

/**
 * Compiles a keep glob, with .gitignore's rules of thumb: a glob without a slash matches a file
 * or folder name at any depth (`*.test.*`, `conftest.py`); a trailing slash means a folder at any
 * depth (`test/`); a glob with a slash inside is anchored at the repository's top (`src/gen/**`).
 * A path under a matching folder matches too (pure).
 */
export function globToRegExp(glob: string): RegExp {
  let body = glob.trim();
  const folder = body.endsWith("/");
  if (folder) body = body.replace(/\/+$/, "");
  const anchored = body.includes("/");
  body = body.replace(/^\/+/, "");
  const core = segmentPattern(body);
  const prefix = anchored ? "^" : "(?:^|/)";
  return new RegExp(`${prefix}${core}${folder ? "/" : "(?:/|$)"}`);
}

/** True when `path` matches one of the keep globs (pure). */
export function isKept(path: string, globs: readonly string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(path));
}

/** The automatic suspects: every changed path but those the keep globs keep, sorted (pure). */
export function automaticSuspects(changes: readonly Change[], keep: readonly string[]): string[] {
  return changes
    .map((c) => c.path)
    .filter((path) => !isKept(path, keep))
    .sort();
}

/**
 * A `--suspect` argument as a repository-relative path ("" for the top), or null when it lies
 * outside the repository (pure).
 */
export function toRepoPath(root: string, cwd: string, given: string): string | null {
  const rel = relative(root, resolve(cwd, given));
  if (rel === ".." || rel.startsWith("../") || isAbsolute(rel)) return null;
  return rel.split("\\").join("/").replace(/\/+$/, "");
}

/** What a list of `--suspect` paths names. */
export interface SuspectExpansion {
  /** The changed paths to revert, sorted. */
  suspects: string[];
  /** The arguments that name no change (a usage error). */
  unmatched: string[];
}

/**
 * Expands `--suspect` paths (repository-relative files or folders) into the changed paths they
 * cover. A file named exactly is a suspect even if a keep glob matches it; a folder brings its
 * changed paths except the kept ones (pure).
 */
export function expandSuspects(
  changes: readonly Change[],
  given: readonly string[],
  keep: readonly string[],
): SuspectExpansion {
  const picked = new Set<string>();
  const unmatched: string[] = [];
  for (const spec of given) {
    // A path can be both: a file HEAD had where the user now has a folder (or the reverse).
    const exact = changes.filter((c) => c.path === spec);
    const under = changes.filter(
      (c) => (spec === "" || c.path.startsWith(`${spec}/`)) && !isKept(c.path, keep),
    );
    if (exact.length + under.length === 0) unmatched.push(spec === "" ? "." : spec);
    for (const c of [...exact, ...under]) picked.add(c.path);
  }
  return { suspects: [...picked].sort(), unmatched };
}

/** Prose a test does not read: Markdown, reStructuredText, AsciiDoc, and the usual top files. */
function isProse(path: string): boolean {
  const name = path.split("/").pop() ?? path;
  return (
    /\.(?:md|markdown|rst|adoc)$/i.test(name) ||
    /^(?:README|CHANGELOG|CHANGES|HISTORY|LICENSE|LICENCE|COPYING|AUTHORS|CONTRIBUTING)(?:\.[^/]*)?$/i.test(
      name,
    )
  );
}

/**
 * Splits a suspect set that could not run into parts to try: by folder first (the first level
 * below the folder all of them share), and when they all sit in one folder, into halves (pure).
 * Parts of prose only (a README, a CHANGELOG) go last: the parts are tried in order up to a cap,
 * and tomli's went benchmark/, profiler/, scripts/ (a README, a requirements.txt) before src/.
 */
export function splitSuspects(paths: readonly string[]): string[][] {
  if (paths.length < 2) return [];
  const sorted = [...paths].sort();
  const dirs = sorted.map((p) => p.split("/").slice(0, -1));
  let depth = 0;
  for (;;) {
    const segment = dirs[0]![depth];
    if (segment === undefined || !dirs.every((d) => d[depth] === segment)) break;
    depth += 1;
  }
  const groups = new Map<string, string[]>();
  const loose: string[] = [];
  sorted.forEach((path, i) => {
    const folder = dirs[i]![depth];
    if (folder === undefined) loose.push(path);
    else groups.set(folder, [...(groups.get(folder) ?? []), path]);
  });
  const parts = [...groups.values()];
  if (loose.length > 0) parts.push(loose);
  const proseLast = (list: string[][]) =>
    [...list].sort((a, b) => Number(a.every(isProse)) - Number(b.every(isProse)));
  if (parts.length >= 2) return proseLast(parts);
  const ordered = [...sorted].sort((a, b) => Number(isProse(a)) - Number(isProse(b)));
  const middle = Math.ceil(ordered.length / 2);
  return [ordered.slice(0, middle), ordered.slice(middle)];
}

/**
 * The order in which suspect sets are tried: the whole set, then, each time a set cannot run,
 * its parts (breadth first), at most `cap` sets in all. A set that could not run is followed
 * first by the same set without the paths it needs kept (`unrunnable`'s `needed`: the files a
 * run said it could not load, your new files): a kept test that imports a new helper cannot run
 * once the helper is taken away, whatever else is reverted (a new test file beside its new
 * helper, the everyday case, tried the helper alone next: three more runs that could never
 * answer). A set already handed out is not handed out again.
 */
export class SuspectNarrowing {
  private readonly queue: string[][];
  private taken = 0;
  private readonly handedOut = new Set<string>();

  constructor(
    suspects: readonly string[],
    readonly cap: number,
  ) {
    this.queue = suspects.length > 0 ? [[...suspects]] : [];
  }

  /** Sets handed out so far. */
  get tried(): number {
    return this.taken;
  }

  /** Sets still queued (left untried when the cap is reached). */
  get left(): number {
    return new Set(this.queue.map((set) => set.join("\0")).filter((k) => !this.handedOut.has(k)))
      .size;
  }

  /** True when another set can be tried. */
  hasNext(): boolean {
    this.dropHandedOut();
    return this.queue.length > 0 && this.taken < this.cap;
  }

  /** The next set to try, or null when none is left (or the cap is reached). */
  next(): string[] | null {
    if (!this.hasNext()) return null;
    this.taken += 1;
    const set = this.queue.shift()!;
    this.handedOut.add(set.join("\0"));
    return set;
  }

  /**
   * `set` could not run (or could not be prepared): its parts join the queue. `needed`: paths of
   * the set to keep (what a run could not load, your new files); the set without them is tried
   * next, before any part.
   */
  unrunnable(set: readonly string[], needed: readonly string[] = []): void {
    const kept = set.filter((path) => !needed.includes(path));
    if (kept.length > 0 && kept.length < set.length) this.queue.unshift(kept);
    this.queue.push(...splitSuspects(set));
  }

  private dropHandedOut(): void {
    while (this.queue.length > 0 && this.handedOut.has(this.queue[0]!.join("\0")))
      this.queue.shift();
  }
}

const loadFailure =
  /cannot find module|no module named|module not found|failed to load|does not provide an export|could not resolve|cannot resolve|unable to resolve|importerror|syntaxerror|no such file|not found|no test files found|error while loading/i;

/**
 * The paths of `paths` that a runner's words name as a module or file it could not load (pure):
 * a quoted specifier or path (`Cannot find module '../src/discount.js'`, node's absolute one
 * with `imported from`), a path-like word (vitest's `Failed to load url ../src/discount.js`), or
 * a Python module (`No module named 'shop.discount'`: shop/discount.py or its package). A
 * specifier is matched by its end, with or without the file's extension, after its leading `./`
 * and `../`: the importing file, which would say where it starts, is seldom in the words. A bare
 * word without a slash (a package name: `Cannot find module 'lodash'`) names nothing here.
 */
export function pathsNamedIn(words: string, paths: readonly string[]): string[] {
  // Only words that say something could not be loaded or found: a file named in a crash at
  // start-up (`ECONNREFUSED at src/db.js:10`) may be a flake, not the tree.
  if (!loadFailure.test(words)) return [];
  /** Specifier, and whether it was absolute (then it ends with the repository path). */
  const specifiers = new Map<string, boolean>();
  const add = (raw: string, bare: boolean) => {
    let spec = raw.replace(/^file:\/\//, "").replace(/:\d+(?::\d+)?$/, "");
    const relative = /^\.\.?\//.test(spec);
    const absolute = spec.startsWith("/");
    spec = spec.replace(/^(?:\.\.?\/)+/, "").replace(/^\/+/, "");
    if (spec.length < 2 || spec.includes("*")) return;
    if (!bare && !relative && !spec.includes("/")) return;
    specifiers.set(spec, absolute);
  };
  for (const m of words.matchAll(/No module named ['"]?([\w.]+)['"]?/g))
    add(m[1]!.replace(/\./g, "/"), true);
  // Each word, quoted (`'../src/discount.js'`) or not (`url ../src/discount.js`).
  for (const word of words.split(/\s+/))
    add(word.replace(/^[('"`\u2018\u2019]+|[)'"`\u2018\u2019,;:.]+$/g, ""), false);
  const stem = (path: string) => path.replace(/\.[^./]+$/, "");
  const ends = (long: string, short: string) => long === short || long.endsWith(`/${short}`);
  return paths.filter((path) =>
    [...specifiers].some(([spec, absolute]) =>
      absolute
        ? ends(spec, path) || ends(spec, stem(path))
        : ends(path, spec) ||
          ends(stem(path), spec) ||
          ends(path, `${spec}/__init__.py`) ||
          ends(stem(path), `${spec}/index`),
    ),
  );
}
