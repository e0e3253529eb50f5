#!/usr/bin/env node
// The CLI as the bin loads it: dist/bundle/, the modules tsc wrote to dist/ bundled by esbuild,
// split at the dynamic imports (what --help and --version load stays small) with the packages
// left to node_modules. Node 20 loads a few large files much faster than the 90 small ones:
// about 15 ms of every culprit's start-up (`npm run bench:startup`, `npm run bench:overhead`).
// dist/bundle/meta.json says which modules each file holds (test/e2e/startup-imports.test.ts).
// Stack traces name the bundle's files and functions; NODE_OPTIONS=--enable-source-maps maps
// them to src/ through the linked source maps.
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Chunks are named by their content: those of an earlier build would stay beside the new ones.
rmSync(join(root, "dist/bundle"), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ["dist/cli/main.js"],
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});
writeFileSync(join(root, "dist/bundle/meta.json"), JSON.stringify(result.metafile));
