#!/usr/bin/env node
// CommonJS (bin/package.json): node's ES module loader, about 3 ms of start-up, is not started.
// The loader compiles the CLI from V8's code cache (src/cli/boot.ts).
require("../dist/bundle/boot.cjs").loadCli().main(process.argv.slice(2));
