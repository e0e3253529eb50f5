import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { binPath, createRepo, type TestRepo } from "../repos/harness.js";

/*
 * The bin compiles the CLI from V8's code cache, a file in culprit's private folder under TMPDIR
 * (src/cli/boot.ts). Each case runs the real bin with a TMPDIR of its own: the cache is written
 * by an attribution (not by --version or status), read by the next run (not written again), written again
 * when V8 rejects it (garbage), and neither read nor written where the folder is not private or
 * source maps are on. Every run must answer as it does without any cache.
 */

let repo: TestRepo | undefined;
let tmp: string | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

const uid = process.getuid!();

function culprit(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    cwd: repo!.dir,
    env: { ...process.env, TMPDIR: tmp!, ...env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const folder = () => join(tmp!, `culprit-${uid}`, "code-cache");
const caches = () => (existsSync(folder()) ? readdirSync(folder()) : []);

function setUp(): void {
  repo = createRepo();
  repo.write("a.txt", "a\n");
  repo.commit("init");
  // A change of yours, so that an attribution has something to attribute.
  repo.write("a.txt", "b\n");
  tmp = mkdtempSync(join(tmpdir(), "culprit-code-cache-"));
}

/** An attribution (the command passes on your tree: not reproduced, exit 0). */
const attribution = ["--no-cache", "--runs", "1", "--", process.execPath, "-e", "0"];

test("written by an attribution, 0600 in a 0700 folder; read, not written, by the next", () => {
  setUp();
  expect(culprit(["--version"]).status).toBe(0);
  // Neither --version nor status compiles much of culprit: a cache of theirs would stay thin.
  expect(culprit(["status", "--json"]).status).toBe(0);
  expect(caches()).toEqual([]);

  expect(culprit(attribution).status).toBe(0);
  const [name] = caches();
  expect(caches()).toHaveLength(1);
  expect(name).toMatch(/^[0-9a-f]{40}-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8$/);
  const file = join(folder(), name!);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(folder()).mode & 0o777).toBe(0o700);
  const written = statSync(file);

  const plain = culprit(["status", "--json"], { CULPRIT_NO_CODE_CACHE: "1" });
  expect(culprit(["status", "--json"])).toEqual(plain);
  expect(culprit(attribution).status).toBe(0);
  expect(culprit(["--version"]).stdout).toMatch(/^\d+\.\d+\.\d+/);
  const after = statSync(file);
  expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
});

test("a cache V8 rejects (garbage) is written again, and the run answers as without one", () => {
  setUp();
  culprit(attribution);
  const [name] = caches();
  const file = join(folder(), name!);
  const plain = culprit(["status", "--json"], { CULPRIT_NO_CODE_CACHE: "1" });
  const garbage = Buffer.alloc(statSync(file).size, 7);
  writeFileSync(file, garbage);
  expect(culprit(["status", "--json"])).toEqual(plain);
  expect(culprit(attribution).status).toBe(0);
  expect(readFileSync(file).equals(garbage)).toBe(false);
  const again = culprit(["status", "--json"], { CULPRIT_NO_CODE_CACHE: "1" });
  expect(culprit(["status", "--json"])).toEqual(again);
});

test("a culprit folder others can write: no cache read or written", () => {
  setUp();
  const root = join(tmp!, `culprit-${uid}`);
  culprit(attribution);
  expect(caches()).toHaveLength(1);
  rmSync(folder(), { recursive: true });
  chmodSync(root, 0o777);
  const result = culprit(["--version"]);
  expect(result.status).toBe(0);
  culprit(attribution);
  expect(existsSync(folder())).toBe(false);
});

test("with source maps on, node loads the bundle itself: no cache", () => {
  setUp();
  const result = culprit(attribution, { NODE_OPTIONS: "--enable-source-maps" });
  expect(result.status).toBe(0);
  expect(caches()).toEqual([]);
});

test("the bundle's only import() is the fallback of importPackage: the loader's does the rest", () => {
  // A function compiled from a code cache has lost its script's dynamic import callback in
  // Node 20 (src/cli/import-package.ts): any other import() in the bundle would throw
  // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING from the second run on (it did, for the prompts and
  // `culprit isolate`).
  const bundle = readFileSync(join(binPath, "..", "..", "dist", "bundle", "culprit.cjs"), "utf8");
  const calls = bundle.split("\n").filter((line) => /\bimport\(/.test(line));
  expect(calls).toEqual(["  return importer ? importer(specifier) : import(specifier);"]);
});
