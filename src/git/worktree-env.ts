import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, relative, sep } from "node:path";

/*
 * What would lead a run in a worktree back to your tree, and the environment that leads it to the
 * worktree's copy instead. A Python package installed in editable mode (`pip install -e .`,
 * `poetry install`, `uv sync`, `setup.py develop`) is found through a `.pth` file of the
 * virtual environment naming your `src/` by its absolute path (or, for setuptools' flat layout, a
 * finder mapping the package to your folder), and that environment is shared with the worktree
 * by a link: the baseline, every commit bisect tests and every configuration isolate tries would
 * import your package, uncommitted changes included. Absolute paths into your tree in PATH,
 * PYTHONPATH and NODE_PATH (direnv's `PATH_add bin`, `PYTHONPATH=$PWD/src`) do the same.
 * Python puts PYTHONPATH before site-packages and before any finder a `.pth` file installs, so
 * the worktree's folders, put first there, are the ones imported.
 */

/** `path` relative to `root` when it is `root` or inside it (both absolute), else null. */
export function within(root: string, path: string): string | null {
  const rel = relative(root, path);
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? null : rel;
}

/** The site-packages folders of a virtual environment or an installation prefix. */
function sitePackages(prefix: string): string[] {
  const found: string[] = [];
  for (const lib of ["lib", "lib64"]) {
    let names: string[] = [];
    try {
      names = readdirSync(join(prefix, lib));
    } catch {
      continue;
    }
    for (const name of names)
      if (name.startsWith("python")) {
        const site = join(prefix, lib, name, "site-packages");
        if (existsSync(site)) found.push(site);
      }
  }
  return found;
}

/**
 * The folders an editable install adds to Python's path from `site`: each path line of a `.pth`
 * file, and for a setuptools finder (`__editable___*_finder.py`), the folder holding each package
 * it maps. Absolute paths only, as the files name them.
 */
export function editableFolders(site: string): string[] {
  const folders: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(site);
  } catch {
    return folders;
  }
  for (const name of names) {
    let text: string;
    try {
      if (!name.endsWith(".pth") && !/^__editable__.*_finder\.py$/.test(name)) continue;
      text = readFileSync(join(site, name), "utf8");
    } catch {
      continue;
    }
    if (name.endsWith(".pth")) {
      for (const line of text.split(/\r?\n/)) {
        const path = line.trim();
        if (path && !path.startsWith("#") && !/^import[ \t]/.test(path) && isAbsolute(path))
          folders.push(path);
      }
      continue;
    }
    const mapping = /^MAPPING\b[^=]*=\s*(\{[^}]*\})/m.exec(text)?.[1] ?? "";
    // { 'pkg': '/home/you/project/pkg', ... }: every second string is a package's folder.
    const strings = [...mapping.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map(
      (m) => m[1] ?? m[2] ?? "",
    );
    for (let i = 1; i < strings.length; i += 2)
      if (isAbsolute(strings[i]!)) folders.push(dirname(strings[i]!));
  }
  return folders;
}

/**
 * The variables to set for runs in the worktree at `worktreeRoot` (empty when nothing leads back
 * to your tree at `root`): PATH, PYTHONPATH and NODE_PATH with their entries inside your tree
 * moved to the worktree, PYTHONPATH led first by the worktree's copy of the folders that editable
 * installs add from the virtual environments among `ignored` (your ignored paths, shared with the
 * worktree), the active one (VIRTUAL_ENV) and conda's (CONDA_PREFIX).
 */
export function worktreeEnv(
  root: string,
  worktreeRoot: string,
  ignored: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const roots = [root];
  try {
    const real = realpathSync(root);
    if (real !== root) roots.push(real);
  } catch {}
  const at = (path: string): string | null => {
    for (const r of roots) {
      const rel = within(r, path);
      if (rel !== null) return join(worktreeRoot, rel);
    }
    return null;
  };
  // As written, then as resolved: a path through a link to your tree ($PWD's spelling of it).
  const move = (path: string): string | null => {
    if (!isAbsolute(path)) return null;
    const direct = at(path);
    if (direct !== null) return direct;
    try {
      return at(realpathSync(path));
    } catch {
      return null;
    }
  };
  const out: Record<string, string> = {};
  const moved = (name: string, first: string[] = []): void => {
    const value = env[name];
    const entries = value ? value.split(delimiter) : [];
    const mapped = entries.map((entry) => move(entry) ?? entry);
    if (first.length === 0 && mapped.every((entry, i) => entry === entries[i])) return;
    out[name] = [...new Set([...first, ...mapped])].join(delimiter);
  };
  const prefixes = new Set<string>();
  for (const path of ignored)
    if (existsSync(join(root, path, "pyvenv.cfg"))) prefixes.add(join(root, path));
  for (const name of ["VIRTUAL_ENV", "CONDA_PREFIX"]) {
    const prefix = env[name];
    if (prefix && isAbsolute(prefix)) prefixes.add(prefix);
  }
  const editable: string[] = [];
  for (const prefix of prefixes)
    for (const site of sitePackages(prefix))
      for (const folder of editableFolders(site)) {
        const there = move(folder);
        if (there !== null && !editable.includes(there)) editable.push(there);
      }
  moved("PATH");
  moved("NODE_PATH");
  moved("PYTHONPATH", editable);
  // A build folder of cargo's named outside your tree is shared as a link would be (see
  // isBuildFolder in worktree.ts): the worktree builds in its own.
  // (A relative one already leads into the worktree.)
  const target = env["CARGO_TARGET_DIR"];
  if (target && isAbsolute(target))
    out["CARGO_TARGET_DIR"] = move(target) ?? join(worktreeRoot, "target");
  // The active environment, when it is yours (.venv): the worktree's link to it, as PATH says.
  const venv = env["VIRTUAL_ENV"];
  const venvThere = venv ? move(venv) : null;
  if (venvThere !== null) out["VIRTUAL_ENV"] = venvThere;
  return out;
}
