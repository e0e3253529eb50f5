import { createHash, type Hash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, type Stats } from "node:fs";
import { join } from "node:path";
import { type Repo, splitZ } from "./repo.js";
import { isBuildOutput, packageOutputs, runNames } from "./worktree.js";

/**
 * Ignored paths that checking out `rev` over the working tree would destroy: an ignored file or
 * folder inside a folder where `rev` has a file (a tracked file replaced by a folder), an ignored
 * file where `rev` has a folder, or an ignored folder where `rev` has a file. `git stash push`
 * and `git reset --hard` delete those without a word (git treats ignored files as expendable:
 * https://git-scm.com/docs/git-reset#Documentation/git-reset.txt---hard), and the stash does not
 * keep them. Returns the ignored paths in the way (folders without their trailing slash).
 * `listed`: `ignoredList` of the working tree as it is now, when the caller has it.
 */
export async function ignoredInTheWay(
  repo: Repo,
  rev: string,
  listed: Promise<string[]> = ignoredList(repo),
): Promise<string[]> {
  const entries = await listed;
  if (entries.length === 0) return [];
  const paths = new Set<string>();
  for (const entry of entries) {
    const parts = entry.split("/");
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join("/"));
  }
  const types = await objectTypes(repo, rev, [...paths]);
  const isFile = (type: string | undefined) => type === "blob" || type === "commit";
  return entries.filter((entry) => {
    const parts = entry.split("/");
    for (let i = 1; i < parts.length; i++) {
      if (isFile(types.get(parts.slice(0, i).join("/")))) return true;
    }
    const type = types.get(entry);
    if (type === undefined) return false;
    let folder = false;
    try {
      folder = lstatSync(join(repo.root, entry)).isDirectory();
    } catch {
      return false;
    }
    // An ignored file where `rev` has the same file: `git stash` keeps it in its tree; not in the way.
    return type === "tree" ? !folder : folder;
  });
}

/** The type (blob, tree, commit) of each path in `rev`'s tree; absent paths are left out. */
async function objectTypes(repo: Repo, rev: string, paths: string[]): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  // cat-file's batch protocol is line based: a name with a newline is asked on its own.
  const plain = paths.filter((p) => !p.includes("\n"));
  for (const path of paths.filter((p) => p.includes("\n"))) {
    const one = await repo.git.tryRun(["cat-file", "-t", `${rev}:${path}`]);
    if (one.exitCode === 0) types.set(path, one.stdout.trim());
  }
  if (plain.length === 0) return types;
  const out = await repo.git.run(["cat-file", "--batch-check=%(objecttype)"], {
    input: plain.map((p) => `${rev}:${p}\n`).join(""),
  });
  const lines = out.split("\n");
  plain.forEach((path, i) => {
    const line = lines[i] ?? "";
    if (line === "blob" || line === "tree" || line === "commit") types.set(path, line);
  });
  return types;
}

/**
 * Folders the runs themselves rewrite, every run, and whose content does not change what a run
 * does: vitest's results cache (node_modules/.vite/vitest/<hash>/results.json, vite's
 * node_modules/.vite-temp), other tools' node_modules/.cache, Python's bytecode and pytest's,
 * mypy's and ruff's caches, coverage reports. Stamped, they made every cached run of a vitest
 * project stale before it could be reused. A folder tagged as a cache (CACHEDIR.TAG) is left out
 * too.
 */
const runCaches = new Set([
  ...runNames,
  ".vite",
  ".vite-temp",
  ".cache",
  ".pytest_cache",
  ".mypy_cache",
  ".ruff_cache",
]);

/** Most files and folders `ignoredStamp` looks at, in all and under one ignored entry. */
const stampBudget = 20_000;
const stampBudgetPerEntry = 2_000;

/**
 * A cheap stamp of the ignored files and folders of the working tree (node_modules, dist, .venv,
 * .env): their names, sizes and modification times, each ignored folder walked breadth first
 * down to a couple of thousand entries, the caches runs rewrite left out (`runCaches`). `npm install` (it rewrites node_modules/.package-lock.json),
 * a rebuilt dist/, a pip install into .venv or a changed .env change it. A change deep inside a
 * huge folder that touches no shallow entry can go unseen: the cache keeps runs for a day only,
 * and `--no-cache` sidesteps it.
 */
export async function ignoredStamp(
  repo: Repo,
  options: { withoutBuilds?: boolean } = {},
): Promise<string> {
  const hash = createHash("sha256");
  const budget = { left: stampBudget };
  const declared = packageOutputs(repo.root);
  for (const entry of await ignoredList(repo)) {
    // A command that builds (`npm run build && node --test`) makes dist/ from the tree, which
    // the key has: stamped, its own build made every cached run stale (yargs/yargs-parser).
    if (options.withoutBuilds && isBuildOutput(entry, declared)) continue;
    if (inRunCache(repo, entry)) continue;
    stampEntry(repo, entry, hash, budget);
  }
  return hash.digest("hex");
}

/**
 * An entry git lists inside a run cache: a folder ignored only by a .gitignore of its own (`*`)
 * is listed with its files one by one (.pytest_cache/, then .pytest_cache/v/), and each was
 * stamped by its own name: pytest's lastfailed, rewritten every run, made every cached run of a
 * pytest project stale (pallets/markupsafe trial).
 */
function inRunCache(repo: Repo, entry: string): boolean {
  const parts = entry.split("/");
  for (let i = 0; i < parts.length - 1; i++) {
    if (runCaches.has(parts[i]!)) return true;
    if (existsSync(join(repo.root, ...parts.slice(0, i + 1), "CACHEDIR.TAG"))) return true;
  }
  return false;
}

/** The ignored files and folders of the working tree, as git lists them (folders without a slash). */
export async function ignoredList(repo: Repo): Promise<string[]> {
  const listed = await repo.git.run([
    "ls-files",
    "--others",
    "--ignored",
    "--exclude-standard",
    "--directory",
    "-z",
  ]);
  return splitZ(listed).map((entry) => entry.replace(/\/$/, ""));
}

/**
 * Adds the names, sizes and modification times under one ignored entry, breadth first (`depth`
 * levels below it at most).
 */
function stampEntry(
  repo: Repo,
  entry: string,
  hash: Hash,
  budget: { left: number },
  depth = Number.POSITIVE_INFINITY,
  skip: ReadonlySet<string> = runCaches,
): void {
  const queue = [entry];
  const below = entry.split("/").length + depth;
  for (let here = 0; queue.length > 0 && here < stampBudgetPerEntry && budget.left > 0; ) {
    const path = queue.shift()!;
    if (skip.has(path.slice(path.lastIndexOf("/") + 1))) continue;
    here += 1;
    budget.left -= 1;
    let stat: Stats;
    try {
      stat = lstatSync(join(repo.root, path));
    } catch {
      continue;
    }
    // A folder by its name and what is in it, not its time: a run that adds a cache folder in
    // node_modules (vitest's .vite, the first time) changes node_modules' time.
    if (!stat.isDirectory()) {
      hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\0`);
      continue;
    }
    hash.update(`${path}/\0`);
    if (path.split("/").length >= below) continue;
    try {
      const names = readdirSync(join(repo.root, path)).sort();
      if (!names.includes("CACHEDIR.TAG")) for (const name of names) queue.push(`${path}/${name}`);
    } catch {}
  }
}

/**
 * Reports the runs write of themselves that a person reads afterwards (a coverage report): left
 * by the baseline's runs, they describe the baseline, as a build would.
 */
const runReports = new Set(["coverage", ".nyc_output"]);

/** Most entries the build-output stamps look at, all folders together (a monorepo has many). */
const buildStampBudget = 2_000;

/**
 * The ignored build outputs of the working tree (`dist`, `build`, `.next`, at any depth: see
 * isBuildOutput): a folder git lists whole, or the one above the files it lists one by one
 * (`dist/*` with `!dist/.gitkeep` lists `dist/lib.js`). `listed`: as for `ignoredInTheWay`.
 */
export async function ignoredBuildOutputs(
  repo: Repo,
  listed: Promise<string[]> = ignoredList(repo),
): Promise<string[]> {
  const outputs = new Set<string>();
  const declared = packageOutputs(repo.root);
  for (const entry of await listed) {
    const parts = entry.split("/");
    const at = parts.findIndex(
      (part, i) => isBuildOutput(part, i === 0 ? declared : undefined) || runReports.has(part),
    );
    if (at === -1) continue;
    const output = parts.slice(0, at + 1).join("/");
    // A build folder that only holds run reports (jest's coverageDirectory: build/coverage) is
    // those reports, not a build: "your build was not rebuilt" was false (moment/luxon trial).
    const inside = isBuildOutput(parts[at]!, at === 0 ? declared : undefined)
      ? onlyReportsIn(join(repo.root, output))
      : null;
    if (inside) for (const report of inside) outputs.add(`${output}/${report}`);
    else outputs.add(output);
  }
  return [...outputs].sort();
}

/** The entries of folder `path` when there are some and all are run reports, else null. */
function onlyReportsIn(path: string): string[] | null {
  try {
    const entries = readdirSync(path);
    return entries.length > 0 && entries.every((entry) => runReports.has(entry)) ? entries : null;
  } catch {
    return null;
  }
}

/**
 * A stamp of each of `paths` (build outputs), as `ignoredStamp` takes them but shallower: the
 * folder's entries and theirs, within one budget for all (a build rewrites its top files). To
 * tell which ones the runs at the baseline rewrote.
 */
export function buildOutputStamps(repo: Repo, paths: readonly string[]): Map<string, string> {
  const stamps = new Map<string, string>();
  const budget = { left: buildStampBudget };
  for (const path of paths) {
    const hash = createHash("sha256");
    // Nothing left out: a coverage report is what is looked at here.
    stampEntry(repo, path, hash, budget, 2, new Set());
    stamps.set(path, hash.digest("hex"));
  }
  return stamps;
}
