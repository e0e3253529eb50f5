#!/usr/bin/env node
// Measures culprit's own time (beyond the test command) on a small repository, side by side with
// the hand recipe it automates (3 runs, git stash -u, 3 runs, git stash pop), in one run.
// Usage: npm run bench:overhead [-- rounds]   (build first: npm run build)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const rounds = Number(process.argv[2] ?? 5);
const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "culprit.js");
const root = mkdtempSync(join(tmpdir(), "culprit-bench-"));
const dir = join(root, "repo");
const env = { ...process.env, HOME: root, GIT_CONFIG_NOSYSTEM: "1" };
delete env.CI;

function sh(command) {
  const r = spawnSync("sh", ["-c", command], { cwd: dir, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${command}: ${r.stderr}`);
}

mkdirSync(dir);
sh("git init -q -b main");
for (let i = 0; i < 200; i++) {
  mkdirSync(join(dir, `src/m${i % 10}`), { recursive: true });
  writeFileSync(
    join(dir, `src/m${i % 10}/f${i}.mjs`),
    `export const v${i} = ${i};\n${"// padding line\n".repeat(20)}`,
  );
}
writeFileSync(
  join(dir, "check.mjs"),
  'import { v1 } from "./src/m1/f1.mjs";\nprocess.exit(v1 === 1 ? 0 : 1);\n',
);
sh("git add -A && git -c user.name=b -c user.email=b@b commit -qm init");
writeFileSync(join(dir, "src/m1/f1.mjs"), "export const v1 = 2;\n");
writeFileSync(join(dir, "untracked.txt"), "wip\n");

const command = ["node", "check.mjs"];
const time = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const runTest = () => spawnSync(command[0], command.slice(1), { cwd: dir, env });
const hand = () => {
  for (let i = 0; i < 3; i++) runTest();
  sh("git -c user.name=b -c user.email=b@b stash push -q -u");
  for (let i = 0; i < 3; i++) runTest();
  sh("git stash pop -q --index");
};
const testOnly = () => {
  for (let i = 0; i < 6; i++) runTest();
};

const rows = [];
try {
  for (let r = 0; r < rounds; r++) {
    const tests = time(testOnly);
    const handMs = time(hand);
    let json;
    const culpritMs = time(() => {
      const out = spawnSync(process.execPath, [bin, "--json", "--", ...command], {
        cwd: dir,
        env,
        encoding: "utf8",
      });
      json = JSON.parse(out.stdout);
    });
    if (json.verdict !== "regression") throw new Error(`unexpected verdict ${json.verdict}`);
    let interleaved;
    const interleaveMs = time(() => {
      const out = spawnSync(process.execPath, [bin, "--json", "--interleave", "--", ...command], {
        cwd: dir,
        env,
        encoding: "utf8",
      });
      interleaved = JSON.parse(out.stdout);
    });
    if (interleaved.verdict !== "regression")
      throw new Error(`unexpected verdict ${interleaved.verdict}`);
    rows.push({
      tests,
      handMs,
      culpritMs,
      interleaveMs,
      internal: json.timing,
      runs: json.runs.length,
    });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const m = {
  tests: median(rows.map((r) => r.tests)),
  hand: median(rows.map((r) => r.handMs)),
  culprit: median(rows.map((r) => r.culpritMs)),
  interleave: median(rows.map((r) => r.interleaveMs)),
  overhead: median(rows.map((r) => r.internal.overheadMs)),
  runs: median(rows.map((r) => r.runs)),
};
console.log(
  `small repository (200 files), command: ${command.join(" ")}, ${rounds} rounds, medians`,
);
console.log(`  6 bare test runs                      ${m.tests.toFixed(0)} ms`);
console.log(
  `  hand recipe (3 + stash + 3 + pop)     ${m.hand.toFixed(0)} ms   (${(m.hand - m.tests).toFixed(0)} ms beyond the tests)`,
);
console.log(
  `  culprit --json (whole process)        ${m.culprit.toFixed(0)} ms   (${(m.culprit - m.tests).toFixed(0)} ms beyond the tests)`,
);
console.log(
  `  culprit's own overhead (from its JSON) ${m.overhead} ms over ${m.runs} runs = ${(m.overhead / m.runs).toFixed(0)} ms a run`,
);
console.log(`  ratio culprit / hand recipe           ${(m.culprit / m.hand).toFixed(2)}x`);
console.log(
  `  culprit --interleave                  ${m.interleave.toFixed(0)} ms   (+${(m.interleave - m.culprit).toFixed(0)} ms for 4 more stash round trips: ${((m.interleave - m.culprit) / 4).toFixed(0)} ms each; ratio ${(m.interleave / m.culprit).toFixed(2)}x)`,
);
