import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { createRepo, parseJsonOutput, type TestRepo } from "../repos/harness.js";
import { runUntouched } from "../repos/worktree-runs.js";

// cargo's and Maven's target/ were linked into the worktrees like node_modules. Both record your
// sources there by their absolute paths and times, so the worktree's build took your binary or
// classes as up to date and ran them on both sides (a regression read PRE-EXISTING, or NOT
// REPRODUCED), or built the worktree's sources over them: your target/debug/app was the
// baseline's afterwards, and your next `cargo build` called it fresh. A build folder (and any
// folder tagged as a cache, CACHEDIR.TAG) is now not shared: each worktree builds its own
// (src/git/worktree.ts, isBuildFolder). Maven's case was run by hand (a real `mvn -o compile`
// took a minute of this suite under load); its target/maven-status is in git-worktree-share's
// table.

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const cargoEnv = {
  RUSTUP_HOME: process.env["RUSTUP_HOME"] ?? join(homedir(), ".rustup"),
  CARGO_HOME: process.env["CARGO_HOME"] ?? join(homedir(), ".cargo"),
  CARGO_TERM_COLOR: "never",
};
const cargo = spawnSync("cargo", ["--version"], { env: { ...process.env, ...cargoEnv } });
const skip = cargo.status !== 0;
if (skip) console.log("worktree-cargo-target: skipped, cargo is not installed");

const main = (value: number) =>
  `fn value() -> i32 {\n    ${value}\n}\n\nfn main() {\n    std::process::exit(if value() == 1 { 0 } else { 1 });\n}\n`;

test.skipIf(skip)(
  "--worktree on a cargo project: your target/ is left alone and the verdict is right",
  () => {
    repo = createRepo();
    Object.assign(repo.env, cargoEnv);
    repo.write(".gitignore", "target/\n");
    repo.write("Cargo.toml", '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n');
    repo.write("src/main.rs", main(1));
    // Cargo.lock as this cargo writes it: a hand-made one was rewritten at the baseline (a residue).
    const lock = spawnSync("cargo", ["generate-lockfile", "--offline"], {
      cwd: repo.dir,
      env: repo.env,
      encoding: "utf8",
    });
    expect(lock.status, lock.stderr).toBe(0);
    repo.commit("app");
    // Your change, built as you would: target/debug/app is yours.
    repo.write("src/main.rs", main(2));
    const build = spawnSync("cargo", ["build", "--offline", "-q"], {
      cwd: repo.dir,
      env: repo.env,
      encoding: "utf8",
    });
    expect(build.status, build.stderr).toBe(0);
    const result = runUntouched(repo, [
      "--worktree",
      "--json",
      "--no-cache",
      "--",
      "cargo",
      "run",
      "--offline",
      "-q",
    ]);
    // Every byte of target/ included.
    const json = parseJsonOutput(result);
    expect(json.verdict, result.stderr).toBe("regression");
    expect((json["worktrees"] as { shared: unknown[] }).shared).toEqual([
      { path: "target", mode: "own" },
    ]);
    // Your build still says what your tree is.
    const run = spawnSync("cargo", ["run", "--offline", "-q"], { cwd: repo.dir, env: repo.env });
    expect(run.status).toBe(1);
  },
  180_000,
);

/** A JavaScript package tested through its build: build.mjs copies src/ to dist/ (ignored). */
function distRepo(): TestRepo {
  const r = createRepo();
  r.write(".gitignore", "dist/\n");
  r.write(
    "build.mjs",
    'import { mkdirSync, readFileSync, writeFileSync } from "node:fs";\nmkdirSync("dist", { recursive: true });\nwriteFileSync("dist/calc.mjs", "// built\\n" + readFileSync("src/calc.mjs", "utf8"));\n',
  );
  r.write("src/calc.mjs", "export const add = (a, b) => a + b;\n");
  r.write(
    "test/calc.test.mjs",
    'import test from "node:test";\nimport assert from "node:assert";\nimport { add } from "../dist/calc.mjs";\ntest("adds", () => assert.strictEqual(add(2, 2), 4));\n',
  );
  r.commit("calc");
  r.write("src/calc.mjs", "export const add = (a, b) => a + b + 1;\n");
  // Your build of your tree.
  const build = spawnSync(process.execPath, ["build.mjs"], { cwd: r.dir, env: r.env });
  expect(build.status).toBe(0);
  return r;
}

test("--jobs 2, a command that builds dist/: the baseline builds its own, yours is left alone", () => {
  repo = distRepo();
  const result = runUntouched(repo, [
    "--jobs",
    "2",
    "--json",
    "--no-cache",
    "--shell",
    "node build.mjs && node --test test/",
  ]);
  // dist/calc.mjs included: your build, not the baseline's.
  const json = parseJsonOutput(result);
  expect(json.verdict, result.stderr).toBe("regression");
  expect((json["worktrees"] as { shared: unknown[] }).shared).toEqual([
    { path: "dist", mode: "link" },
    { path: "dist", mode: "own" },
  ]);
}, 120_000);

test("--worktree, a test of dist/ that does not build it: unrunnable at the baseline, and why", () => {
  repo = distRepo();
  const result = runUntouched(repo, ["--worktree", "--no-cache", "--", "node", "--test", "test/"]);
  // Not PRE-EXISTING (your dist/ tested on both sides): the baseline has no build of its own.
  expect(result.stdout).toContain("UNRUNNABLE");
  expect(result.stdout).toContain(
    "note: dist is not in the baseline's worktrees (a build output of your tree, not of the baseline's): build in the command",
  );
  // isolate, which starts from that attribution, says the same.
  const isolate = runUntouched(repo, ["isolate", "--no-cache", "--", "node", "--test", "test/"]);
  expect(isolate.stdout + isolate.stderr).toContain(
    "nothing to isolate. dist is not in the baseline's worktrees (a build output of your tree",
  );
}, 120_000);
