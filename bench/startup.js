#!/usr/bin/env node
// Start-up of `culprit --version` and `culprit --help` against `node -e 0`, in one run: paired
// runs (the three commands in turn, so that a machine busy for a while slows all alike), medians
// of wall time from spawn to exit, and the ratio to node's own start-up.
// Usage: npm run bench:startup [-- rounds]   (build first: npm run build)
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const rounds = Number(process.argv[2] ?? 30);
const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "culprit.js");
const commands = {
  "node -e 0": ["-e", "0"],
  "culprit --version": [bin, "--version"],
  "culprit --help": [bin, "--help"],
};

function timeOnce(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`${args.join(" ")}: exit ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (const args of Object.values(commands)) timeOnce(args); // warm the file cache
for (let round = 0; round < rounds; round++) {
  for (const [name, args] of Object.entries(commands)) times[name].push(timeOnce(args));
}

const base = median(times["node -e 0"]);
console.log(`start-up, median of ${rounds} paired runs (node ${process.version}):`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`  ${name.padEnd(18)} ${m.toFixed(1).padStart(7)} ms   x${(m / base).toFixed(2)}`);
}
