#!/usr/bin/env node
// The CLI as the bin loads it: the modules tsc wrote to dist/ bundled by esbuild into one
// CommonJS file, dist/bundle/culprit.cjs, with the packages left to node_modules, and the loader
// that compiles it from V8's code cache, dist/bundle/boot.cjs (src/cli/boot.ts says why: about
// 19 ms of every culprit's start-up, `npm run bench:overhead`). What --help and --version do not
// need stays unevaluated: esbuild evaluates a module reached only through import() when it is
// imported. Stack traces name the bundle's lines; NODE_OPTIONS=--enable-source-maps maps them to
// src/ through the linked source maps (the loader then leaves the bundle to node).
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Chunks are named by their content: those of an earlier build would stay beside the new ones.
rmSync(join(root, "dist/bundle"), { recursive: true, force: true });
/** The options of both files. */
const common = {
  absWorkingDir: root,
  outdir: "dist/bundle",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  // The modules are ES modules (strict), and ask for their own place through import.meta.url.
  banner: {
    js: '"use strict";\nvar __culpritUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  logLevel: "warning",
};
await build({
  ...common,
  entryPoints: { culprit: "dist/cli/main.js" },
  define: { "import.meta.url": "__culpritUrl" },
});
// The loader names its code caches by the bundle's sha1, given here: hashing it at every start
// would load node:crypto into `culprit --version`.
const id = createHash("sha1")
  .update(readFileSync(join(root, "dist/bundle/culprit.cjs")))
  .digest("hex");
await build({
  ...common,
  entryPoints: { boot: "dist/cli/boot.js" },
  define: { "import.meta.url": "__culpritUrl", __culpritBundleId: JSON.stringify(id) },
});
// `culprit --help` alone is answered by the bin without loading the CLI (bin/culprit.js): the
// CLI's own text, written here from the module that prints it otherwise.
const { helpText } = await import(pathToFileURL(join(root, "dist/cli/parse-args.js")).href);
writeFileSync(join(root, "dist/bundle/help.txt"), helpText);
