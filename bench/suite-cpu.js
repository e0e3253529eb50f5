#!/usr/bin/env node
// What the test suite's time is made of: the CPU each test file used, itself and every process
// it waited for (culprit, the runners it ran, git, npm), written by test/setup/cpu-profile.ts.
//   CULPRIT_TEST_PROFILE=/tmp/cpu.log npx vitest run && node bench/suite-cpu.js /tmp/cpu.log [top]
// The floor it prints is the sum over the cores: no worker count brings the suite's wall time
// below it on this machine.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { relative } from "node:path";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node bench/suite-cpu.js LOG [top]   (LOG: CULPRIT_TEST_PROFILE's file)");
  process.exit(3);
}
const top = Number(topArg ?? 25);
const rows = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => {
    const [cpu, wall, ...path] = line.split(" ");
    return { cpu: Number(cpu), wall: Number(wall), path: relative(process.cwd(), path.join(" ")) };
  });
const total = rows.reduce((sum, row) => sum + row.cpu, 0);
const cores = availableParallelism();
console.log(
  `${rows.length} test files: ${total.toFixed(0)} CPU seconds; on ${cores} cores the wall time cannot go below ${(total / cores).toFixed(0)} s`,
);
const byFolder = new Map();
for (const row of rows) {
  const folder = row.path.split("/").slice(0, 2).join("/");
  byFolder.set(folder, (byFolder.get(folder) ?? 0) + row.cpu);
}
for (const [folder, cpu] of [...byFolder].sort((a, b) => b[1] - a[1]))
  console.log(
    `  ${folder.padEnd(20)} ${cpu.toFixed(0).padStart(6)} s  ${((100 * cpu) / total).toFixed(1).padStart(5)}%`,
  );
console.log(`the ${Math.min(top, rows.length)} costliest files (CPU s, share, wall s):`);
let running = 0;
for (const row of [...rows].sort((a, b) => b.cpu - a.cpu).slice(0, top)) {
  running += row.cpu;
  console.log(
    `  ${row.cpu.toFixed(1).padStart(7)}  ${((100 * row.cpu) / total).toFixed(1).padStart(5)}%  (${((100 * running) / total).toFixed(0).padStart(3)}% so far)  ${row.wall.toFixed(0).padStart(5)}  ${row.path}`,
  );
}
