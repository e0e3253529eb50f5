import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { makePrivateRoot, privateRoot } from "../git/private-root.js";
import { provideImporter } from "./import-package.js";
import type { MainHooks } from "./main.js";

/*
 * How the bin loads the CLI: one CommonJS file, compiled from V8's code cache
 * ==========================================================================
 *
 * Every culprit pays node's start-up, then the loading of its own code, before its first git
 * call: on the 200 ms test of `npm run bench:overhead` that was about 35 ms of the 160 that
 * culprit may spend beside the hand recipe. Node 20 has no compile cache of its own
 * (module.enableCompileCache is Node 22's), and its ES module loader reads, links and compiles
 * each file through promises. So `scripts/bundle.js` writes the CLI as one CommonJS file
 * (dist/bundle/culprit.cjs; what only some commands need, the machine, the reports, inquirer, is
 * still evaluated only when they import it), and this loader compiles it with the code V8 cached
 * at the end of an earlier run: about 19 ms less before the first git call, measured.
 *
 * The cache is a file of culprit's private folder (`<tmpdir>/culprit-<uid>/code-cache`, the
 * folder the worktrees use, refused when it is not the user's own and writable by no one else:
 * compiled code read from a folder someone else can write would run as the user). Its name
 * holds the sha1 of the bundle's text (the build's, `__culpritBundleId`), the bundle's size and
 * modification time (a bundle edited by hand since), node's version and the architecture, so
 * that a rebuilt, edited or upgraded culprit never reads another's code; V8 checks its own
 * version and flags on top (and the source's length), and a cache it rejects is written again.
 * Written when there was none (or V8 rejected it), at the exit of an attribution, a bisection or
 * an isolation (not --help, --version or `culprit status`, which compile little of it: a cache
 * they wrote would stay that thin, jshttp/cookie trial), so that it holds the functions it
 * compiled; through a file renamed into place, so that a reader never sees half of one. The
 * newest `keptCaches` are kept.
 *
 * Not used (node's own `require` loads the bundle): with source maps on (`--enable-source-maps`,
 * whose stack traces then name src/: node maps only files its loader compiled), with
 * CULPRIT_NO_CODE_CACHE=1, on Windows (no owner to check), or when the folder is not private.
 */

/** The CLI's entry, as src/cli/main.ts exports it. */
interface Cli {
  main(argv: string[], hooks?: MainHooks): unknown;
}

/** The sha1 of dist/bundle/culprit.cjs, given by scripts/bundle.js (none unbundled). */
declare const __culpritBundleId: string | undefined;

/** How many cache files the folder keeps (one per build and node version used lately). */
const keptCaches = 4;

/** The bundle this loader stands beside. */
const bundleFile = join(dirname(fileURLToPath(import.meta.url)), "culprit.cjs");

/** The folder of the code caches, made if needed; null when it cannot be trusted or made. */
function cacheFolder(): string | null {
  if (process.platform === "win32") return null;
  try {
    const root = privateRoot();
    if (!makePrivateRoot(root)) return null;
    const folder = join(root, "code-cache");
    mkdirSync(folder, { mode: 0o700, recursive: true });
    const stat = lstatSync(folder);
    return stat.isDirectory() && (stat.mode & 0o077) === 0 ? folder : null;
  } catch {
    return null;
  }
}

/**
 * Writes `data` as `file` through a file renamed into place, then removes all but the newest
 * `keptCaches` caches, and the partial files of runs killed while they wrote (a minute old).
 */
function saveCache(folder: string, file: string, data: Buffer): void {
  const partial = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
    const entries = readdirSync(folder).map((name) => {
      const path = join(folder, name);
      return { path, at: lstatSync(path).mtimeMs, partial: name.endsWith(".partial") };
    });
    const caches = entries.filter((entry) => !entry.partial).sort((a, b) => b.at - a.at);
    const stale = entries.filter((entry) => entry.partial && Date.now() - entry.at > 60_000);
    for (const entry of [...caches.slice(keptCaches), ...stale])
      rmSync(entry.path, { force: true });
  } catch {
    rmSync(partial, { force: true });
  }
}

/** Loads the CLI bundle: compiled from the code cache where there is one, else by node. */
export function loadCli(): Cli {
  const id = typeof __culpritBundleId === "string" ? __culpritBundleId : null;
  const folder =
    id === null || process.sourceMapsEnabled || process.env["CULPRIT_NO_CODE_CACHE"] === "1"
      ? null
      : cacheFolder();
  const requireHere = createRequire(bundleFile);
  // The CLI's import() of a package is this file's (src/cli/import-package.ts says why), from
  // the bundle's folder, which is this file's.
  provideImporter((specifier) => import(specifier));
  if (folder === null) return requireHere(bundleFile) as Cli;
  const source = readFileSync(bundleFile, "utf8");
  const { size, mtimeMs } = statSync(bundleFile);
  const stamp = `${id}-${size}-${Math.floor(mtimeMs)}-${process.version}-${process.arch}`;
  const cacheFile = join(folder, `${stamp}.v8`);
  let cached: Buffer | undefined;
  try {
    cached = readFileSync(cacheFile);
  } catch {}
  // Node's own CommonJS wrapper, on the bundle's first line: its line numbers stay the file's.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${source}\n});`,
    {
      filename: bundleFile,
      ...(cached ? { cachedData: cached } : {}),
    },
  );
  const module = { exports: {} as Cli };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(
    module.exports,
    module.exports,
    requireHere,
    module,
    bundleFile,
    dirname(bundleFile),
  );
  const cli = module.exports;
  if (cached && !script.cachedDataRejected) return cli;
  const save = () => {
    try {
      saveCache(folder, cacheFile, script.createCachedData());
    } catch {}
  };
  return { main: (argv) => cli.main(argv, { onCommand: () => process.once("exit", save) }) };
}
