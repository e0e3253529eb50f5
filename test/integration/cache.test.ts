import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, runCulprit, type TestRepo } from "../repos/harness.js";
import { runnerMissing, worktreeModules } from "../repos/runner-projects.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

type Run = { side: string; cached: string | null };
const runsOf = (json: Record<string, unknown>) => json["runs"] as Run[];
const cacheOf = (json: Record<string, unknown>) =>
  json["cache"] as { enabled: boolean; reused: number };

/** Every cached run file under .git/culprit/cache. */
function cachedFiles(r: TestRepo): string[] {
  const dir = join(r.dir, ".git", "culprit", "cache");
  return readdirSync(dir).flatMap((key) =>
    readdirSync(join(dir, key)).map((name) => join(dir, key, name)),
  );
}

test("a second identical run reuses the first one's runs: no run made, the tree not even touched", () => {
  repo = regressionRepo();
  const first = attributeUntouched(repo, checkCommand);
  expect(first.json.verdict).toBe("regression");
  expect(cacheOf(first.json)).toEqual({ enabled: true, reused: 0 });
  const second = attributeUntouched(repo, checkCommand);
  expect(second.json.verdict).toBe("regression");
  expect(second.status).toBe(1);
  expect(cacheOf(second.json).reused).toBe(6);
  expect(runsOf(second.json).every((r) => r.cached !== null)).toBe(true);
  expect((second.json["restore"] as { touched: boolean }).touched).toBe(false);
  // The human report says so.
  const human = runCulprit(repo, ["--", ...checkCommand]);
  expect(human.stdout).toMatch(/6 runs reused from the cache/);
});

test("--no-cache runs everything, and more runs than cached are made as usual", () => {
  repo = regressionRepo();
  attributeUntouched(repo, checkCommand);
  const fresh = attributeUntouched(repo, checkCommand, ["--no-cache"]);
  expect(cacheOf(fresh.json)).toEqual({ enabled: false, reused: 0 });
  expect(runsOf(fresh.json).filter((r) => r.cached === null)).toHaveLength(6);
  // A larger first sample: the cached runs count, the rest are run.
  const more = attributeUntouched(repo, checkCommand, ["--runs", "5"]);
  const runs = runsOf(more.json);
  expect(runs.filter((r) => r.side === "current" && r.cached !== null)).toHaveLength(3);
  expect(runs.filter((r) => r.side === "current")).toHaveLength(5);
});

test("another tree, another command, an ignored file changed, or a day gone: nothing reused", () => {
  repo = regressionRepo();
  attributeUntouched(repo, checkCommand);
  // Another tree: one more untracked file.
  repo.write("notes.txt", "more work\n");
  expect(cacheOf(attributeUntouched(repo, checkCommand).json).reused).toBe(3); // the baseline's
  // Another command.
  expect(cacheOf(attributeUntouched(repo, ["node", "./check.mjs"]).json).reused).toBe(0);
  // An ignored build output changed (.gitignore has build/).
  repo.write("build/out.js", "rebuilt\n");
  expect(cacheOf(attributeUntouched(repo, checkCommand).json).reused).toBe(0);
  // Every entry a day and a minute old.
  for (const file of cachedFiles(repo)) {
    const run = JSON.parse(readFileSync(file, "utf8")) as { at: number };
    run.at -= 24 * 60 * 60 * 1000 + 60_000;
    writeFileSync(file, JSON.stringify(run));
  }
  expect(cacheOf(attributeUntouched(repo, checkCommand).json).reused).toBe(0);
});

test("--cache-env: a named variable's value is part of the key", () => {
  repo = regressionRepo();
  attributeUntouched(repo, checkCommand, ["--cache-env", "MODE"], { MODE: "a" });
  const same = attributeUntouched(repo, checkCommand, ["--cache-env", "MODE"], { MODE: "a" });
  expect(cacheOf(same.json).reused).toBe(6);
  const other = attributeUntouched(repo, checkCommand, ["--cache-env", "MODE"], { MODE: "b" });
  expect(cacheOf(other.json).reused).toBe(0);
  // --kill-after too: a hung pytest run writes its report in that grace, or loses it.
  const longer = ["--cache-env", "MODE", "--kill-after", "9s"];
  expect(cacheOf(attributeUntouched(repo, checkCommand, longer, { MODE: "a" }).json).reused).toBe(
    0,
  );
});

test("what a runner reads as its options or import path, the time zone and the locale are in every key", () => {
  // Unnamed: `PYTEST_ADDOPTS="-k cart"` runs other tests (humanize trial: runs made under
  // PYTEST_ADDOPTS=--sw were replayed without it).
  repo = regressionRepo();
  attributeUntouched(repo, checkCommand, [], { PYTEST_ADDOPTS: "-q" });
  const same = attributeUntouched(repo, checkCommand, [], { PYTEST_ADDOPTS: "-q" });
  expect(cacheOf(same.json).reused).toBe(6);
  for (const [name, value] of [
    ["PYTEST_ADDOPTS", "-q -v"],
    ["PYTEST_PLUGINS", "xdist.plugin"],
    // Empty, which pytest reads as unset, where the suite sets "1" (vitest.config.ts).
    ["PYTEST_DISABLE_PLUGIN_AUTOLOAD", ""],
    ["NODE_OPTIONS", "--no-warnings"],
    ["PYTHONPATH", "/nonexistent"],
    ["TZ", "America/New_York"],
    ["LANG", "de_DE.UTF-8"],
    ["LC_ALL", "de_DE.UTF-8"],
  ] as const) {
    // Beside the PYTEST_ADDOPTS of the stored runs: left out of the key, it would reuse them.
    const other = attributeUntouched(repo, checkCommand, [], {
      PYTEST_ADDOPTS: "-q",
      [name]: value,
    });
    expect(cacheOf(other.json).reused, name).toBe(0);
  }
});

test("real vitest rewrites its results cache (node_modules/.vite) every run: the runs are reused all the same", () => {
  // node_modules a folder of the project's own (vitest a link in it), as npm install makes it:
  // vitest writes node_modules/.vite/vitest/<hash>/results.json at every run. That file was in
  // the ignored files' stamp of the cache key: no run of a vitest project was ever reused.
  repo = createRepo();
  repo.write(".gitignore", "node_modules\n");
  repo.write("package.json", '{ "type": "module" }\n');
  repo.write(
    "test/add.test.js",
    'import { expect, test } from "vitest";\nimport { add } from "../lib.js";\ntest("adds", () => expect(add(1, 2)).toBe(3));\n',
  );
  repo.write("lib.js", "export const add = (a, b) => a + b;\n");
  repo.commit("adds");
  mkdirSync(join(repo.dir, "node_modules"));
  symlinkSync(join(worktreeModules, "vitest"), join(repo.dir, "node_modules", "vitest"));
  repo.write("lib.js", "export const add = (a, b) => a - b;\n");
  const vitest = ["node", "node_modules/vitest/vitest.mjs", "run"];
  const first = attributeUntouched(repo, vitest, [], {}, ["node_modules/.vite"]);
  expect(first.json.verdict, first.stderr).toBe("regression");
  expect(existsSync(join(repo.dir, "node_modules", ".vite", "vitest"))).toBe(true);
  const second = attributeUntouched(repo, vitest, [], {}, ["node_modules/.vite"]);
  expect(second.json.verdict).toBe("regression");
  expect(cacheOf(second.json).reused).toBe(6);
  // npm install still invalidates them (node_modules' own entries are stamped).
  writeFileSync(join(repo.dir, "node_modules", ".package-lock.json"), "{}\n");
  expect(
    cacheOf(attributeUntouched(repo, vitest, [], {}, ["node_modules/.vite"]).json).reused,
  ).toBe(0);
}, 120_000);

// pytest makes .pytest_cache/ with a .gitignore of its own (`*`): git lists the folder and then
// its files one by one, and v/cache/lastfailed, rewritten every run, was stamped by its own name:
// no run of a pytest project was ever reused (pallets/markupsafe trial).
const pytestMissing = runnerMissing("pytest");
if (pytestMissing) console.log(`cache.test.ts: pytest case skipped, ${pytestMissing}`);
test.skipIf(pytestMissing !== null)(
  "real pytest rewrites .pytest_cache every run: the runs are reused all the same",
  () => {
    repo = createRepo();
    repo.write(".gitignore", "__pycache__/\n");
    repo.write("lib.py", "def add(a, b):\n    return a + b\n");
    repo.write(
      "tests/test_add.py",
      "import sys, os\nsys.path.insert(0, os.getcwd())\nfrom lib import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    );
    repo.commit("adds");
    const pytest = ["python3", "-m", "pytest", "-q", "tests"];
    // The user ran the tests before: .pytest_cache is there, ignored by its own .gitignore only.
    expect(spawnSync(pytest[0]!, pytest.slice(1), { cwd: repo.dir, env: repo.env }).status).toBe(0);
    repo.write("lib.py", "def add(a, b):\n    return a - b\n");
    const made = [".pytest_cache", "__pycache__", "tests/__pycache__"];
    const first = attributeUntouched(repo, pytest, [], {}, made);
    expect(first.json.verdict, first.stderr).toBe("regression");
    expect(existsSync(join(repo.dir, ".pytest_cache", "v", "cache", "lastfailed"))).toBe(true);
    const second = attributeUntouched(repo, pytest, [], {}, made);
    expect(second.json.verdict).toBe("regression");
    expect(cacheOf(second.json).reused).toBe(6);
  },
  120_000,
);

// A command that builds before its tests (`npm run build && node --test test/`): the build
// rewrites dist/, which was in the cache key's stamp of the ignored files, so no run was ever
// reused (found on yargs/yargs-parser, whose isolate then cost 4 minutes again). What it builds
// comes from the tree, which the key has: dist/ is left out of the stamp for such a command.
test("a command that builds its dist/ before the tests: the second run reuses the first's", () => {
  repo = createRepo();
  repo.write(".gitignore", "dist/\n");
  repo.write(
    "package.json",
    `${JSON.stringify({ type: "module", scripts: { build: "node build.mjs" } }, null, 2)}\n`,
  );
  repo.write(
    "build.mjs",
    'import { mkdirSync, readFileSync, writeFileSync } from "node:fs";\nmkdirSync("dist", { recursive: true });\nwriteFileSync("dist/total.mjs", readFileSync("src/total.mjs"));\n',
  );
  repo.write("src/total.mjs", "export const total = (a, b) => a + b;\n");
  repo.write(
    "test/total.test.mjs",
    'import { test } from "node:test";\nimport assert from "node:assert";\nimport { total } from "../dist/total.mjs";\ntest("adds", () => assert.strictEqual(total(2, 3), 5));\n',
  );
  repo.commit("a library built into dist/");
  repo.write("src/total.mjs", "export const total = (a, b) => a - b;\n");
  const shell = ["--shell", "npm run build && node --test test/"];
  const first = attributeUntouched(repo, [], shell, {}, ["dist"]);
  expect(first.json.verdict).toBe("regression");
  const second = attributeUntouched(repo, [], shell, {}, ["dist"]);
  expect(second.json.verdict).toBe("regression");
  expect(cacheOf(second.json).reused).toBe(6);
});
