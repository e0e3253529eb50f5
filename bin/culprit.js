#!/usr/bin/env node
// CommonJS (bin/package.json): node's ES module loader, about 3 ms of start-up, is not started.
const argv = process.argv.slice(2);
if (argv.length === 1 && /^(?:--help|-h|--version|-V)$/.test(argv[0])) {
  // `culprit --help` or `--version` alone: answered without loading the CLI (35 ms of node's
  // 60 here): the help is the CLI's own text, written beside the bundle by scripts/bundle.js.
  const { readFileSync } = require("node:fs");
  const { join } = require("node:path");
  process.stdout.on("error", () => {});
  process.stdout.write(
    argv[0] === "--version" || argv[0] === "-V"
      ? `${JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")).version}\n`
      : readFileSync(join(__dirname, "..", "dist", "bundle", "help.txt"), "utf8"),
  );
} else {
  // The loader compiles the CLI from V8's code cache (src/cli/boot.ts).
  require("../dist/bundle/boot.cjs").loadCli().main(argv);
}
