import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmdirSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { ensurePrivateRoot, privateRoot } from "./private-root.js";
import { type Repo, splitZ } from "./repo.js";
import { bestEffort, createGit } from "./run-git.js";
import { fillSubmodules } from "./submodules.js";
import { within } from "./worktree-env.js";

/*
 * Linked worktrees (https://git-scm.com/docs/git-worktree) in a folder of culprit's under the
 * system's temporary folder (`worktreesDir`): a baseline (or your tree, copied) checked out
 * beside your work, so that the runs never write your working tree, index or HEAD. Git records
 * each in .git/worktrees/<name>; `removeWorktree` unregisters it, so that `git worktree list` is
 * as before.
 */

/** A worktree culprit made: where it is, and a Repo to run git in it. */
export interface Worktree {
  /** The name git registered it under (.git/worktrees/<name>). */
  name: string;
  path: string;
  /** Git in the worktree: its own index and HEAD, culprit's state kept in the main repository. */
  repo: Repo;
  /** Variables runs there get, so that nothing leads them back to your tree (src/git/worktree-env.ts). */
  env?: Record<string, string>;
}

/** What a worktree holds. */
export interface WorktreeContent {
  /** Its detached HEAD (HEAD, a base revision, a commit under test). */
  commit: string;
  /** The files of its working tree. */
  tree: string;
  /** Its index, when it should not be `tree` (your tree copied: your staged state). */
  indexTree?: string;
}

/**
 * The folder culprit's worktrees live in: `<tmpdir>/culprit-<uid>/<your folder's name>-<hash>`,
 * one per repository (per linked worktree of yours: the hash is of its state folder, whose lock
 * one run holds). Not under .git, as they were: a path through a `.git` folder hides every file
 * from jest ("No tests found": jest-haste-map ignores VCS folders), and one through any
 * dot-folder makes `send` (express's res.sendFile, serve-static) answer 404.
 */
export function worktreesDir(repo: Pick<Repo, "root" | "commonDir" | "stateDir">): string {
  let common = repo.commonDir;
  try {
    common = realpathSync(common);
  } catch {}
  const key = `${common}\0${relative(repo.commonDir, repo.stateDir)}`;
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 12);
  const name =
    basename(repo.root)
      .replace(/^\.+/, "")
      .replace(/[^\w.-]/g, "_") || "repo";
  return join(privateRoot(), `${name}-${hash}`);
}

/** Where culprit kept worktrees before 0.1.0's move: a dead run's journal may list them there. */
function legacyWorktreesDir(repo: Repo): string {
  return join(repo.stateDir, "worktrees");
}

/** Git's name for a worktree at `path` (the last part of the gitdir its .git file points to). */
function registeredName(path: string): string | null {
  try {
    const text = readFileSync(join(path, ".git"), "utf8");
    const gitdir = /^gitdir: (.*)$/m.exec(text)?.[1]?.trim();
    return gitdir ? gitdir.split("/").pop()! : null;
  } catch {
    return null;
  }
}

/**
 * Adds a worktree named `name` holding `content`: registered detached at the commit without a
 * checkout, then its index and files set to the tree (only the tree's files are written), then
 * its index to `indexTree` if given (the files stay).
 */
export async function addWorktree(
  repo: Repo,
  name: string,
  content: WorktreeContent,
): Promise<Worktree> {
  const path = join(worktreesDir(repo), name);
  ensurePrivateRoot();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await repo.git.run([
    "worktree",
    "add",
    "--detach",
    "--no-checkout",
    "--quiet",
    path,
    content.commit,
  ]);
  const gitName = registeredName(path) ?? name;
  const stateDir = join(repo.stateDir, "worktree-state", gitName);
  const wt: Repo = {
    git: createGit(path),
    root: path,
    gitDir: join(repo.commonDir, "worktrees", gitName),
    commonDir: repo.commonDir,
    stateDir,
    refPrefix: repo.refPrefix,
  };
  await wt.git.run(["read-tree", "--reset", "-u", content.tree]);
  if (content.indexTree && content.indexTree !== content.tree)
    await wt.git.run(["read-tree", content.indexTree]);
  // Submodules: git leaves their folders empty (src/git/submodules.ts).
  await fillSubmodules(repo, wt, content.tree);
  return { name: gitName, path, repo: wt };
}

/**
 * Removes a worktree and its registration, whatever state it is in (the test may have left
 * anything there); a folder git no longer knows is deleted, then `git worktree prune` forgets
 * registrations whose folder is gone. Only paths in culprit's worktrees folder (or where an
 * earlier version kept them, .git/culprit/worktrees/) are ever removed.
 */
export async function removeWorktree(repo: Repo, path: string): Promise<void> {
  const under = (dir: string) => {
    const inside = relative(dir, path);
    return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside);
  };
  if (!under(worktreesDir(repo)) && !under(legacyWorktreesDir(repo)))
    throw new Error(`not a culprit worktree: ${path}`);
  const name = registeredName(path);
  await bestEffort(repo.git, ["worktree", "remove", "--force", "--force", path]);
  if (existsSync(path)) rmSync(path, { recursive: true, force: true });
  if (name) rmSync(join(repo.stateDir, "worktree-state", name), { recursive: true, force: true });
  await bestEffort(repo.git, ["worktree", "prune"]);
}

/**
 * Removes every culprit worktree: those listed (journaled, maybe half made) and any other left in
 * this repository's worktrees folder (one run at a time holds the lock, so all of them are this
 * run's or a dead one's), git's records of them, then their parent folders once empty. Throws
 * when one cannot be removed: the caller then keeps its journal, for `culprit recover`.
 */
export async function removeWorktrees(repo: Repo, listed: readonly string[]): Promise<void> {
  const present: string[] = [];
  for (const dir of [worktreesDir(repo), legacyWorktreesDir(repo)])
    try {
      present.push(...readdirSync(dir).map((name) => join(dir, name)));
    } catch {}
  for (const path of new Set([...listed, ...present])) await removeWorktree(repo, path);
  await bestEffort(repo.git, ["worktree", "prune"]);
  const folders = [
    worktreesDir(repo),
    legacyWorktreesDir(repo),
    join(repo.stateDir, "worktree-state"),
  ];
  for (const dir of folders)
    try {
      rmdirSync(dir);
    } catch {}
}

/**
 * How an ignored path of your tree is made available in a worktree: linked, copied, or not at all
 * ("own": a build or cache folder, which the worktree's runs make anew).
 */
export type ShareMode = "link" | "copy" | "own";

/** An ignored path made available in a worktree. */
export interface SharedPath {
  path: string;
  mode: ShareMode;
  /**
   * Linked `node_modules` only: its entries that link to a folder of your tree (workspace
   * packages, `lib` or `@scope/lib`), which lead to the worktree's copy of that folder instead.
   */
  workspacePackages?: string[];
}

/**
 * The ignored files and folders of your working tree (node_modules, .venv, target, dist, .env),
 * as git lists them (a folder whose whole content is ignored once, with a trailing slash).
 */
export async function ignoredEntries(repo: Repo): Promise<string[]> {
  const out = await repo.git.run([
    "ls-files",
    "--others",
    "--ignored",
    "--exclude-standard",
    "--directory",
    "-z",
  ]);
  return splitZ(out).map((entry) => entry.replace(/\/$/, ""));
}

/**
 * Makes each ignored path of `from` available at the same place in worktree `to`: a symbolic link
 * to yours, or a copy-on-write copy where `modeOf` says "copy" (`cp --reflink=auto`: a real copy
 * on file systems without reflinks). A path the worktree already has (its own file) is left alone.
 */
export async function shareIgnored(
  from: Repo,
  to: Worktree,
  entries: readonly string[],
  modeOf: (path: string) => ShareMode,
  /** Whether the tree checked out there is another than yours (its builds are not yours). */
  other = true,
): Promise<SharedPath[]> {
  const shared: SharedPath[] = [];
  // Folders the worktree makes its own: nothing under them is shared either (git lists the files
  // of a folder that holds only ignored files after it, as .pytest_cache/.gitignore and
  // .pytest_cache/v, and a link there took the worktree's pytest cache into yours).
  const own: string[] = [];
  for (const path of entries) {
    if (own.some((folder) => path.startsWith(`${folder}/`))) continue;
    const target = join(to.path, path);
    try {
      lstatSync(target);
      continue;
    } catch {}
    // Yarn Plug'n'Play's map names your workspaces relative to itself: through a link, relative
    // to your tree (node resolves the link). A copy leads to the worktree's.
    let mode = pnpFiles.has(basename(path)) ? "copy" : modeOf(path);
    if (
      mode === "link" &&
      (isBuildFolder(join(from.root, path), other) ||
        (other && packageOutputs(from.root).has(path)))
    ) {
      shared.push({ path, mode: "own" });
      own.push(path);
      continue;
    }
    // A small file is copied, not linked: through a link the worktree's runs wrote yours (cargo
    // rewrote your ignored Cargo.lock to the baseline's version, itoa trial). Folders and large
    // files stay linked.
    if (mode === "link" && smallFile(join(from.root, path))) mode = "copy";
    mkdirSync(dirname(target), { recursive: true });
    if (mode === "copy") {
      await copyReflink(join(from.root, path), target);
      shared.push({ path, mode });
      continue;
    }
    const packages = basename(path) === "node_modules" ? workspaceLinks(from, path) : new Map();
    if (packages.size === 0) symlinkSync(join(from.root, path), target);
    else linkNodeModules(join(from.root, path), target, packages, realpathSync(from.root), to.path);
    shared.push({
      path,
      mode,
      ...(packages.size > 0 ? { workspacePackages: [...packages.keys()].sort() } : {}),
    });
  }
  return shared;
}

/**
 * True for a build tool's output folder that records your sources by their absolute paths and
 * times, and for a folder tagged as a cache (https://bford.info/cachedir/: cargo's target,
 * pytest's, mypy's and ruff's caches). Not shared: through a link the worktree's cargo took your
 * binary as up to date and ran it on both sides, or built the worktree's sources over it, leaving
 * your tree a binary of another tree that your next `cargo build` called fresh; Maven's compiler
 * (target/maven-status) did the same with your classes. Each worktree builds its own. So does a
 * Python extension module compiled in place from your sources (`isBuildOutput`), a file.
 */
function isBuildFolder(path: string, other: boolean): boolean {
  const signature = "Signature: 8a477f597d28d172789f06886806bc55";
  try {
    // A virtual environment is what runs need, even tagged (uv's and virtualenv's since 20.28 are).
    if (readFileSync(join(path, "CACHEDIR.TAG"), "latin1").startsWith(signature))
      return !isEnvironment(path);
  } catch {}
  if (existsSync(join(path, "maven-status"))) return true;
  if (other && compiledExtension.test(basename(path))) return true;
  return (
    other && (buildNames.has(basename(path)) || runNames.has(basename(path))) && isFolder(path)
  );
}

/** Files below this size that a worktree gets a copy of rather than a link to. */
const copiedFileBytes = 1 << 20;

function smallFile(path: string): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isFile() && stat.size <= copiedFileBytes;
  } catch {
    return false;
  }
}

/** A Python virtual environment or conda environment (direnv's .direnv/python-3.12 one down). */
function isEnvironment(path: string): boolean {
  const marked = (dir: string) =>
    existsSync(join(dir, "pyvenv.cfg")) || existsSync(join(dir, "conda-meta"));
  if (marked(path)) return true;
  try {
    return readdirSync(path, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && marked(join(path, entry.name)),
    );
  } catch {
    return false;
  }
}

/**
 * Whether `path` names a build output by convention: a command must build it (`dist`), or a
 * Python extension module compiled in place from your sources (`setup.py build_ext --inplace`,
 * `maturin develop`): its ABI-tagged name (PEP 3149), `.abi3.so`, Windows' `.pyd`. Shared with
 * the baseline, or left in place under it, your C changes were tested on both sides and a
 * regression in them read PRE-EXISTING (pallets/markupsafe trial).
 */
export function isBuildOutput(path: string, declared?: ReadonlySet<string>): boolean {
  const name = basename(path);
  return buildNames.has(name) || compiledExtension.test(name) || declared?.has(path) === true;
}

const declaredByRoot = new Map<string, ReadonlySet<string>>();

/**
 * What the package at the top of your tree says it is built into: the first segment of each
 * path its package.json publishes (`main`, `module`, `types`, `browser`, `bin`, `exports`,
 * `files`). Ignored, such a path is a build output whatever its name: validator.js builds into
 * lib/ and es/ (`babel src -d .`), which --worktree linked into the baseline's worktree, where a
 * command that builds wrote HEAD's build into yours, and one that does not tested your build on
 * both sides: a regression read PRE-EXISTING (validatorjs/validator.js trial). Only ignored
 * entries are asked about, so a published tracked folder (src/) never counts.
 */
export function packageOutputs(root: string): ReadonlySet<string> {
  const known = declaredByRoot.get(root);
  if (known) return known;
  const found = new Set<string>();
  try {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const add = (value: unknown): void => {
      if (typeof value === "string") {
        const first = value
          .replace(/^\.\//, "")
          .split("/")[0]!
          .replace(/[*?[].*$/, "");
        // Never what runs need installed (a `main` into node_modules).
        const not = new Set(["", ".", "..", "package.json", "node_modules"]);
        if (!not.has(first)) found.add(first);
      } else if (Array.isArray(value)) for (const item of value) add(item);
      else if (value !== null && typeof value === "object")
        for (const item of Object.values(value)) add(item);
    };
    for (const field of [
      "main",
      "module",
      "types",
      "typings",
      "browser",
      "bin",
      "exports",
      "files",
    ])
      add(pkg[field]);
  } catch {}
  declaredByRoot.set(root, found);
  return found;
}

const compiledExtension = /\.(?:cpython|pypy)[-\w.]*\.so$|\.abi3\.so$|\.pyd$/;

/**
 * The paths shared with the worktrees of your tree and not with the others (your dist/: linked
 * for your tree's runs, "own" for the baseline's).
 */
export function sharedWithYoursOnly(shared: readonly SharedPath[]): string[] {
  return shared
    .filter((p) => p.mode === "own" && shared.some((q) => q.path === p.path && q.mode !== "own"))
    .map((p) => p.path);
}

/**
 * Your build outputs (dist) that the worktrees of other trees did not get (`yoursOnly`: those
 * your tree's worktrees did get): what a baseline or a commit that cannot run may lack.
 */
export function unbuiltOutputs(shared: readonly SharedPath[], yoursOnly: boolean): string[] {
  const paths = yoursOnly
    ? sharedWithYoursOnly(shared)
    : shared.filter((p) => p.mode === "own").map((p) => p.path);
  return paths.filter((path) => isBuildOutput(path));
}

/** Yarn Plug'n'Play's map: names your workspaces relative to itself. */
const pnpFiles = new Set([".pnp.cjs", ".pnp.js", ".pnp.loader.mjs"]);

/**
 * Folders that by convention hold what a build made of your sources (a bundle, compiled
 * JavaScript), and what runs make (Python's bytecode, coverage): your copy belongs to your tree.
 * In a worktree of another tree (the baseline, a commit, a configuration) it would be tested in
 * place of that tree's build (your dist/ on both sides: a regression read PRE-EXISTING), and a
 * command that builds would write that tree's build into yours (and, with --jobs, two at once).
 * A worktree of your own tree keeps the link.
 */
const buildNames = new Set(["dist", "build", "out", ".next", ".nuxt", ".svelte-kit"]);
/** What runs write of themselves: bytecode, coverage reports (also left out of the cache key). */
export const runNames = new Set(["__pycache__", "coverage", ".nyc_output"]);

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The entries of your `node_modules` folder `path` (`name` or `@scope/name`) that are links to a
 * folder of your tree outside it, as the workspaces of npm, yarn and pnpm make them
 * (`node_modules/lib -> ../packages/lib`): each with the folder, relative to your tree's top.
 */
function workspaceLinks(from: Repo, path: string): Map<string, string> {
  const found = new Map<string, string>();
  let root: string;
  let folder: string;
  try {
    root = realpathSync(from.root);
    folder = realpathSync(join(from.root, path));
  } catch {
    return found;
  }
  const look = (entry: string) => {
    let real: string;
    try {
      real = realpathSync(join(folder, entry));
    } catch {
      return;
    }
    const at = within(root, real);
    // pnpm's links into the store (../../node_modules/.pnpm/...) are dependencies, not packages.
    if (at !== null && within(folder, real) === null && !at.split(sep).includes("node_modules"))
      found.set(entry, at);
  };
  try {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isSymbolicLink()) look(entry.name);
      else if (entry.isDirectory() && entry.name.startsWith("@"))
        for (const scoped of readdirSync(join(folder, entry.name), { withFileTypes: true }))
          if (scoped.isSymbolicLink()) look(`${entry.name}/${scoped.name}`);
    }
  } catch {}
  return found;
}

/**
 * Makes `target` a `node_modules` folder of the worktree whose entries link to those of yours
 * (`folder`), except the workspace packages (`packages`), which link to the worktree's own copy
 * of their folder: through one link to your folder, the worktree's code would import your copy of
 * them, uncommitted changes included, at every commit. `.bin`'s links are made again as they read
 * (relative, they then lead through the worktree's entries; into your tree, to the worktree's).
 * A folder of links only: removing it never reaches yours.
 */
function linkNodeModules(
  folder: string,
  target: string,
  packages: ReadonlyMap<string, string>,
  /** Your tree's top, as a real path. */
  root: string,
  worktreeRoot: string,
): void {
  const scopes = new Set([...packages.keys()].map((p) => p.split("/")[0]!));
  mkdirSync(target);
  const linkEntry = (entry: string) => {
    const pkg = packages.get(entry);
    symlinkSync(
      pkg !== undefined ? join(worktreeRoot, pkg) : join(folder, entry),
      join(target, entry),
    );
  };
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === ".bin" && entry.isDirectory()) {
      mkdirSync(join(target, ".bin"));
      for (const bin of readdirSync(join(folder, ".bin"), { withFileTypes: true })) {
        const source = join(folder, ".bin", bin.name);
        let to = source;
        if (bin.isSymbolicLink()) {
          const link = readlinkSync(source);
          let real = link;
          try {
            real = realpathSync(source);
          } catch {}
          const mine = isAbsolute(link) ? within(root, real) : null;
          to = mine !== null ? join(worktreeRoot, mine) : link;
        }
        symlinkSync(to, join(target, ".bin", bin.name));
      }
    } else if (entry.isDirectory() && scopes.has(entry.name)) {
      mkdirSync(join(target, entry.name));
      for (const scoped of readdirSync(join(folder, entry.name)))
        linkEntry(`${entry.name}/${scoped}`);
    } else linkEntry(entry.name);
  }
}

/** `cp -a --reflink=auto`: copy-on-write where the file system can, a plain copy elsewhere. */
function copyReflink(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("cp", ["-a", "--reflink=auto", from, to], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`cp -a --reflink=auto ${from} failed (exit ${code})`)),
    );
  });
}
