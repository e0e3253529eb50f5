#!/usr/bin/env node
// culprit's cost beside what it automates, measured side by side in one run (paired, alternating
// order, medians of the per-pair ratios), on two repositories it builds in a temp folder:
//   1. small: 200 tracked files, one changed, a 200 ms test. Against the hand recipe: 3 runs,
//      `git stash push -u`, 3 runs, `git stash pop --index`.
//   2. large: 20 000 tracked files, 2 000 of them changed, 2 000 untracked, a test that takes no
//      time. Against the bare git round trip `git stash push -u && git stash pop --index`.
//   3. --jobs 2 (both sides at once, in worktrees) against --jobs 1 (in place), on a 1 s test.
//   4. git started by culprit's shell against git forked by node for each call (small repository).
// Then culprit's own time per phase (from its --json), and the cost of --interleave.
// Usage: npm run bench:overhead [-- pairs [small|large|jobs|spawn ...]]   (build first: npm run build)
// With case names, only those cases run (e.g. `npm run bench:overhead -- 7 small`).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pairs = Number(process.argv[2] ?? 7);
const only = new Set(process.argv.slice(3));
const wanted = (name) => only.size === 0 || only.has(name);
const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "culprit.js");
const root = mkdtempSync(join(tmpdir(), "culprit-bench-"));
const env = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: "1" };
delete env.CI;
const identity = "-c user.name=b -c user.email=b@b";

function sh(dir, command) {
  const r = spawnSync("sh", ["-c", command], { cwd: dir, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command}: ${r.stderr}`);
}

/** CPU time (ms) of this process's reaped children so far (Linux: /proc/self/stat). */
function childrenCpuMs() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // cutime and cstime, fields 16 and 17 of proc(5), in clock ticks (100 a second here).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Wall and children's CPU time (ms) of `fn`. */
function measure(fn) {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const out = fn();
  return {
    wall: Number(process.hrtime.bigint() - t0) / 1e6,
    cpu: childrenCpuMs() - cpu0,
    out,
  };
}

function culprit(dir, args, expected, extraEnv = {}) {
  const r = spawnSync(process.execPath, [bin, "--json", "--no-cache", ...args], {
    cwd: dir,
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(
      `culprit printed no JSON (exit ${r.status}, ${r.error ?? "no spawn error"}): ${r.stderr}`,
    );
  }
  if (json.verdict !== expected)
    throw new Error(`unexpected verdict ${json.verdict}: ${json.reason}`);
  return json;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Paired runs of a baseline procedure and culprit, alternating which goes first. */
function paired(name, dir, baseline, args, expected) {
  const rows = [];
  for (let i = 0; i < pairs; i++) {
    const runBase = () => measure(baseline);
    const runCulprit = () => measure(() => culprit(dir, args, expected));
    const [b, c] =
      i % 2 === 0
        ? [runBase(), runCulprit()]
        : (() => {
            const c = runCulprit();
            return [runBase(), c];
          })();
    rows.push({ base: b, culprit: c, json: c.out });
  }
  const ratio = median(rows.map((r) => r.culprit.wall / r.base.wall));
  const cpuRatio = median(rows.map((r) => r.culprit.cpu / r.base.cpu));
  const phases = {};
  for (const r of rows)
    for (const [k, v] of Object.entries(r.json.timing.phases)) {
      phases[k] ??= [];
      phases[k].push(v);
    }
  return {
    name,
    base: median(rows.map((r) => r.base.wall)),
    culprit: median(rows.map((r) => r.culprit.wall)),
    ratio,
    cpuRatio,
    runsMs: median(rows.map((r) => r.json.timing.runsMs)),
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, median(v)])),
  };
}

function smallRepo() {
  const dir = join(root, "small");
  mkdirSync(dir);
  sh(dir, "git init -q -b main");
  for (let i = 0; i < 200; i++) {
    mkdirSync(join(dir, `src/m${i % 10}`), { recursive: true });
    writeFileSync(
      join(dir, `src/m${i % 10}/f${i}.mjs`),
      `export const v${i} = ${i};\n${"// padding line\n".repeat(20)}`,
    );
  }
  // A 200 ms test: the import, then a wait.
  writeFileSync(
    join(dir, "check.mjs"),
    'import { v1 } from "./src/m1/f1.mjs";\nsetTimeout(() => process.exit(v1 === 1 ? 0 : 1), 200);\n',
  );
  sh(dir, `git add -A && git ${identity} commit -qm init`);
  writeFileSync(join(dir, "src/m1/f1.mjs"), "export const v1 = 2;\n");
  return dir;
}

function largeRepo() {
  const dir = join(root, "large");
  mkdirSync(dir);
  sh(dir, "git init -q -b main");
  for (let i = 0; i < 20_000; i++) {
    const folder = join(dir, `src/d${i % 100}/e${Math.floor(i / 100) % 20}`);
    if (i < 2000) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `f${i}.txt`), `file ${i}\n${"x".repeat(200)}\n`);
  }
  sh(dir, `git add -A && git ${identity} commit -qm init`);
  for (let i = 0; i < 20_000; i += 10) {
    const file = join(dir, `src/d${i % 100}/e${Math.floor(i / 100) % 20}/f${i}.txt`);
    writeFileSync(file, `${readFileSync(file, "utf8")}changed\n`);
  }
  for (let i = 0; i < 2000; i++) {
    mkdirSync(join(dir, `new/n${i % 50}`), { recursive: true });
    writeFileSync(join(dir, `new/n${i % 50}/u${i}.txt`), `untracked ${i}\n`);
  }
  return dir;
}

try {
  const small = smallRepo();
  const test = ["node", "check.mjs"];
  const runTest = () => spawnSync(test[0], test.slice(1), { cwd: small, env });
  const hand = () => {
    for (let i = 0; i < 3; i++) runTest();
    sh(small, `git ${identity} stash push -q -u`);
    for (let i = 0; i < 3; i++) runTest();
    sh(small, "git stash pop -q --index");
  };
  const fmt = (ms) => `${Math.round(ms)} ms`.padStart(8);
  console.log(`culprit overhead, ${pairs} pairs each, medians (ratios: median of per-pair ratios)`);
  const phaseTables = [];

  if (wanted("small")) {
    const s = paired("small", small, hand, ["--runs", "3", "--", ...test], "regression");
    phaseTables.push(s);
    console.log(
      `1. small repository (200 files, 1 changed), a 200 ms test, 3 + 3 runs:\n` +
        `   hand recipe (3 runs, stash -u, 3 runs, pop)  ${fmt(s.base)}\n` +
        `   culprit --runs 3                            ${fmt(s.culprit)}   ratio ${s.ratio.toFixed(2)}x wall, ${s.cpuRatio.toFixed(2)}x CPU   (target <= 1.10x wall)`,
    );
  }

  if (wanted("large")) {
    const large = largeRepo();
    // Fails while the untracked file is there (your tree), passes without it (the baseline).
    // (Through sh -c: an argument naming a path your tree has and the baseline lacks reads as a
    // new test file, which the baseline cannot run.)
    const quick = ["sh", "-c", "test ! -f new/n0/u0.txt"];
    const bare = () => sh(large, `git ${identity} stash push -q -u && git stash pop -q --index`);
    const l = paired("large", large, bare, ["--runs", "3", "--", ...quick], "regression");
    phaseTables.push(l);
    console.log(
      `2. large repository (20 000 files, 2 000 changed, 2 000 untracked), a test that takes no time:\n` +
        `   git stash push -u && git stash pop --index   ${fmt(l.base)}\n` +
        `   culprit --runs 3                            ${fmt(l.culprit)}   ratio ${l.ratio.toFixed(2)}x wall, ${l.cpuRatio.toFixed(2)}x CPU   (target <= 1.30x wall)`,
    );
  }

  if (wanted("jobs")) {
    // A 1 s test (it waits, like a test on I/O): both sides at once against one after the other.
    writeFileSync(
      join(small, "slow-check.mjs"),
      'import { v1 } from "./src/m1/f1.mjs";\nsetTimeout(() => process.exit(v1 === 1 ? 0 : 1), 1000);\n',
    );
    const slow = ["node", "slow-check.mjs"];
    const jobs1 = () => culprit(small, ["--runs", "3", "--", ...slow], "regression");
    const j = paired(
      "jobs",
      small,
      jobs1,
      ["--jobs", "2", "--runs", "3", "--", ...slow],
      "regression",
    );
    console.log(
      `3. a 1 s test, 3 + 3 runs:\n` +
        `   culprit --jobs 1 (in place, one run at a time)  ${fmt(j.base)}\n` +
        `   culprit --jobs 2 (worktrees, both sides at once) ${fmt(j.culprit)}   ratio ${j.ratio.toFixed(2)}x wall   (target <= 0.65x)`,
    );
  }

  if (wanted("spawn")) {
    // How git is started: by node forking itself for each call (CULPRIT_DIRECT_GIT=1), against
    // the one shell culprit keeps for it (src/git/run-git.ts).
    const direct = () =>
      culprit(small, ["--runs", "3", "--", ...test], "regression", { CULPRIT_DIRECT_GIT: "1" });
    const g = paired("spawn", small, direct, ["--runs", "3", "--", ...test], "regression");
    console.log(
      `4. how git is started, on the small repository (3 + 3 runs of the 200 ms test):\n` +
        `   each git forked by node (CULPRIT_DIRECT_GIT=1)  ${fmt(g.base)}\n` +
        `   each git started by culprit's shell            ${fmt(g.culprit)}   ratio ${g.ratio.toFixed(2)}x wall`,
    );
  }

  if (phaseTables.length > 0) {
    console.log("culprit's own time per phase (ms, medians; runs themselves excluded):");
    const names = [...new Set(phaseTables.flatMap((t) => Object.keys(t.phases)))];
    console.log(`   ${"phase".padEnd(10)}${phaseTables.map((t) => t.name.padStart(8)).join("")}`);
    for (const name of names)
      console.log(
        `   ${name.padEnd(10)}${phaseTables.map((t) => String(Math.round(t.phases[name] ?? 0)).padStart(8)).join("")}`,
      );
    console.log(
      `   ${"(runs)".padEnd(10)}${phaseTables.map((t) => String(Math.round(t.runsMs)).padStart(8)).join("")}`,
    );
  }

  if (wanted("small")) {
    const interleave = measure(() =>
      culprit(small, ["--interleave", "--runs", "3", "--", ...test], "regression"),
    );
    const block = measure(() => culprit(small, ["--runs", "3", "--", ...test], "regression"));
    console.log(
      `--interleave on the small repository: ${fmt(interleave.wall)} against ${fmt(block.wall)} in blocks (one run each)`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
