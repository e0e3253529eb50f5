#!/usr/bin/env node
// `npm run demo`: builds a sample repository in a temp folder, shows culprit's two main verdicts
// on it (a suite where one test is a regression and another was already failing; then that old
// failure alone, pre-existing), and deletes the folder. No network, no set-up.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "culprit.js");
const root = mkdtempSync(join(tmpdir(), "culprit-demo-"));
const identity = ["-c", "user.name=Demo", "-c", "user.email=demo@example.invalid"];

function git(dir, ...args) {
  const result = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

function write(dir, path, content) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

function sampleRepo(name) {
  const dir = join(root, name);
  mkdirSync(dir);
  git(dir, "init", "-q", "-b", "main");
  write(
    dir,
    "src/price.mjs",
    "export function total(items) {\n  return items.reduce((sum, i) => sum + i.price * i.qty, 0);\n}\n",
  );
  write(
    dir,
    "src/format.mjs",
    "export function money(cents) {\n  return (cents / 100).toFixed(2);\n}\n",
  );
  write(
    dir,
    "test/price.test.mjs",
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { total } from "../src/price.mjs";\n\ntest("total multiplies price by quantity", () => {\n  assert.equal(total([{ price: 250, qty: 2 }, { price: 100, qty: 1 }]), 600);\n});\n\ntest("an empty cart costs nothing", () => {\n  assert.equal(total([]), 0);\n});\n',
  );
  write(
    dir,
    "test/format.test.mjs",
    'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { money } from "../src/format.mjs";\n\ntest("money has thousands separators", () => {\n  assert.equal(money(123456), "1,234.56");\n});\n',
  );
  git(dir, "add", "-A");
  git(dir, ...identity, "commit", "-q", "-m", "sample project");
  return dir;
}

function show(title, dir, command) {
  console.log(`\n\u2500\u2500 ${title}`);
  console.log(`$ culprit -- ${command.join(" ")}\n`);
  const result = spawnSync(process.execPath, [bin, "--", ...command], {
    cwd: dir,
    stdio: "inherit",
  });
  console.log(`(exit code ${result.status})`);
  const status = git(dir, "status", "--short");
  console.log(
    `git status afterwards, your uncommitted work as it was:\n${status.replace(/^/gm, "  ")}`,
  );
}

try {
  const dir = sampleRepo("shop");
  // Mid-refactor: a "cleanup" of price.mjs breaks total(), plus unrelated work in progress.
  write(
    dir,
    "src/price.mjs",
    "export function total(items) {\n  return items.reduce((sum, i) => sum + i.price, 0); // qty dropped\n}\n",
  );
  write(dir, "notes/todo.md", "- finish the refactor\n");
  // format.test has failed since before the refactor (money() never had thousands separators):
  // the whole suite fails with and without the edit, yet one of its failures is new.
  show("1. The whole suite: one test newly fails because of the edit, one failed already", dir, [
    "node",
    "--test",
    "test/",
  ]);
  show("2. The old failure alone: pre-existing, with or without the edit", dir, [
    "node",
    "--test",
    "test/format.test.mjs",
  ]);
} finally {
  rmSync(root, { recursive: true, force: true });
}
