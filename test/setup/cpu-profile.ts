import { appendFileSync, readFileSync } from "node:fs";
import { afterAll, expect } from "vitest";

/*
 * With CULPRIT_TEST_PROFILE=FILE, each test file appends one line to FILE when it ends: the CPU
 * seconds its worker and every process it waited for used (culprit, the runners it ran, git,
 * npm...: the children's times come from /proc/self/stat once they are reaped), its wall
 * seconds, and its path. `node bench/suite-cpu.js FILE` sums them: what the suite's time is
 * made of on a machine whose cores it keeps busy. Off (no hook) without the variable.
 */
const log = process.env["CULPRIT_TEST_PROFILE"];

/** utime + stime + cutime + cstime of this process, in seconds (Linux; null elsewhere). */
function cpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command's name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime is field 14 of proc(5), the 12th after the name; clock ticks of 1/100 s on Linux.
    const ticks = fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
    return ticks / 100;
  } catch {
    return null;
  }
}

if (log) {
  // A setup file is evaluated in each test file's worker before the file is.
  const cpuAtStart = cpuSeconds();
  const wallAtStart = performance.now();
  afterAll(() => {
    const now = cpuSeconds();
    if (now === null || cpuAtStart === null) return;
    const wall = (performance.now() - wallAtStart) / 1000;
    const file = expect.getState().testPath ?? "?";
    appendFileSync(log, `${(now - cpuAtStart).toFixed(2)} ${wall.toFixed(2)} ${file}\n`);
  });
}
