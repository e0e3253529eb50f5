import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { culpritWorktrees } from "../repos/fault-matrix.js";
import {
  captureState,
  createRepo,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { runUntouched, runUntouchedAsync } from "../repos/worktree-runs.js";

// A monorepo with workspaces (npm, yarn, pnpm): `npm install` links each workspace package into
// node_modules (`node_modules/@mono/lib -> ../../packages/lib`). Every worktree culprit makes
// (--worktree, --jobs, bisect, isolate) got a link to your node_modules, and through it to your
// packages/lib, uncommitted changes included: the baseline imported your lib, so a regression in
// it read PRE-EXISTING (exit 0), and bisect tested your lib at every commit. Fixed in
// src/git/worktree.ts (`linkNodeModules`): the worktree's node_modules is a folder of links to
// yours, workspace packages leading to the worktree's own copy.

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const npm = spawnSync("npm", ["--version"], { encoding: "utf8" });
const skip = npm.status !== 0;
if (skip) console.log("worktree-workspaces: skipped, npm is not on PATH");

const libAdds = 'exports.add = (a, b) => a + b;\nexports.label = (n) => "#" + n;\n';
const libBroken = 'exports.add = (a, b) => a + b + 1;\nexports.label = (n) => "#" + n;\n';

/**
 * The files of a monorepo: @mono/lib, and mono-app whose tests use it (depending on it as
 * `dependency` says), with one new failure (adds, once lib breaks) and one old one (labels).
 */
function writeMonorepo(r: TestRepo, gitignore: string, dependency: string): void {
  r.write(".gitignore", gitignore);
  r.write("package.json", '{ "name": "mono", "private": true, "workspaces": ["packages/*"] }\n');
  r.write(
    "packages/lib/package.json",
    '{ "name": "@mono/lib", "version": "1.0.0", "main": "index.js" }\n',
  );
  r.write("packages/lib/index.js", libAdds);
  r.write(
    "packages/app/package.json",
    `{ "name": "mono-app", "version": "1.0.0", "dependencies": { "@mono/lib": ${dependency} } }\n`,
  );
  r.write(
    "packages/app/app.test.js",
    'const test = require("node:test");\nconst assert = require("node:assert");\n' +
      'const { add, label } = require("@mono/lib");\n' +
      'test("adds", () => assert.strictEqual(add(2, 2), 4));\n' +
      'test("labels", () => assert.strictEqual(label(7), "7"));\n',
  );
}

/** npm workspaces: writeMonorepo's packages and mono-tool (a bin using the lib), installed. */
function workspaceRepo(): TestRepo {
  const r = createRepo();
  writeMonorepo(r, "node_modules/\n", '"1.0.0"');
  r.write(
    "packages/tool/package.json",
    '{ "name": "mono-tool", "version": "1.0.0", "bin": { "mono-check": "check.js" },\n' +
      '  "dependencies": { "@mono/lib": "1.0.0" } }\n',
  );
  r.write(
    "packages/tool/check.js",
    '#!/usr/bin/env node\nconst { add } = require("@mono/lib");\nprocess.exit(add(2, 2) === 4 ? 0 : 1);\n',
    0o755,
  );
  const install = spawnSync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"],
    { cwd: r.dir, env: r.env, encoding: "utf8" },
  );
  if (install.status !== 0) throw new Error(`npm install: ${install.stderr}`);
  r.commit("a monorepo");
  return r;
}

type Shared = { path: string; mode: string; workspacePackages?: string[] }[];

test.skipIf(skip)(
  "--worktree: a regression in a workspace package is judged with the worktree's package",
  () => {
    repo = workspaceRepo();
    // npm made links into the tree: the case at hand.
    expect(readlinkSync(join(repo.dir, "node_modules/@mono/lib"))).toBe("../../packages/lib");
    repo.write("packages/lib/index.js", libBroken);
    const result = runUntouched(repo, [
      "--worktree",
      "--json",
      "--",
      "node",
      "--test",
      "packages/app/",
    ]);
    const json = parseJsonOutput(result);
    expect(json.verdict, result.stderr).toBe("regression");
    expect(result.status).toBe(1);
    const tests = (json["tests"] as { name: string; verdict: string }[])
      .map((t) => `${t.name}: ${t.verdict}`)
      .sort();
    expect(tests).toEqual(["adds: regression", "labels: pre-existing"]);
    expect((json["worktrees"] as { shared: Shared }).shared).toEqual([
      {
        path: "node_modules",
        mode: "link",
        workspacePackages: ["@mono/lib", "mono-app", "mono-tool"],
      },
    ]);
  },
  120_000,
);

test.skipIf(skip)(
  "--jobs 2: a workspace package's bin, called by its path, runs the worktree's code",
  () => {
    repo = workspaceRepo();
    repo.write("packages/lib/index.js", libBroken);
    const result = runUntouched(repo, [
      "--jobs",
      "2",
      "--runs",
      "2",
      "--",
      "node_modules/.bin/mono-check",
    ]);
    expect(result.stdout).toContain("REGRESSION");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "node_modules (linked; workspace packages @mono/lib, mono-app and mono-tool from the worktree's tree) shared",
    );
    // Your node_modules is as npm made it: links, not folders (nothing was written through them).
    expect(lstatSync(join(repo.dir, "node_modules/.bin/mono-check")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(repo.dir, "node_modules/mono-tool"))).toBe("../packages/tool");
  },
  120_000,
);

test.skipIf(skip)(
  "bisect: the commit that broke a workspace package, from a dirty tree",
  async () => {
    repo = workspaceRepo();
    const shas = [repo.git("rev-parse", "HEAD").trim()];
    for (let i = 1; i <= 6; i++) {
      repo.write(`packages/app/notes/${i}.txt`, `note ${i}\n`);
      if (i === 4) repo.write("packages/lib/index.js", libBroken);
      repo.commit(`commit ${i}`);
      shas.push(repo.git("rev-parse", "HEAD").trim());
    }
    // Your uncommitted work: the lib as broken as HEAD has it, plus a comment.
    repo.write("packages/lib/index.js", `// looking into it\n${libBroken}`);
    const result = await runUntouchedAsync(repo, [
      "bisect",
      "--json",
      "--good",
      shas[0]!,
      "--",
      "node",
      "--test",
      "--test-name-pattern",
      "adds",
      "packages/app/",
    ]);
    const doc = JSON.parse(result.stdout) as {
      verdict: string;
      culprit: { sha: string } | null;
      worktrees: { shared: unknown[]; env: string[] };
    };
    expect(doc.verdict, result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[4]);
    expect(result.status).toBe(0);
    expect(doc.worktrees.shared).toEqual([
      {
        path: "node_modules",
        mode: "link",
        workspacePackages: ["@mono/lib", "mono-app", "mono-tool"],
      },
    ]);
  },
  180_000,
);

// Yarn Plug'n'Play: no node_modules, a .pnp.cjs map (ignored here, as many set it) that names
// each workspace relative to itself. Linked, node resolved it to your tree and the map to your
// packages: the same PRE-EXISTING. It is copied now.
const yarn = join(process.cwd(), "node_modules", "@yarnpkg", "cli-dist", "bin", "yarn.js");

test("Yarn Plug'n'Play: the .pnp.cjs map is copied, so the baseline uses its own packages", () => {
  repo = createRepo();
  writeMonorepo(repo, ".pnp.*\n.yarn/\n", '"workspace:*"');
  repo.write("yarn.lock", "");
  const install = spawnSync(process.execPath, [yarn, "install"], {
    cwd: repo.dir,
    env: { ...repo.env, YARN_ENABLE_TELEMETRY: "0", YARN_ENABLE_GLOBAL_CACHE: "0" },
    encoding: "utf8",
  });
  expect(install.status, install.stdout).toBe(0);
  repo.commit("a monorepo with Plug'n'Play");
  repo.write("packages/lib/index.js", libBroken);
  const result = runUntouched(repo, [
    "--worktree",
    "--json",
    "--",
    "node",
    "-r",
    "./.pnp.cjs",
    "--test",
    "packages/app/",
  ]);
  const json = parseJsonOutput(result);
  expect(json.verdict, result.stderr).toBe("regression");
  expect((json["worktrees"] as { shared: Shared }).shared).toContainEqual({
    path: ".pnp.cjs",
    mode: "copy",
  });
}, 120_000);

test.skipIf(skip)(
  "kill -9 with the mirrored node_modules in a worktree, then culprit recover: only links go",
  () => {
    repo = workspaceRepo();
    repo.write("packages/lib/index.js", libBroken);
    const before = captureState(repo);
    const killed = runCulprit(repo, ["--worktree", "--", "node", "--test", "packages/app/"], {
      CULPRIT_FAULT: "probe-parallel/baseline run 1@SIGKILL",
    });
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    // The baseline's worktree, its node_modules a folder of links into yours, is left.
    expect(existsSync(culpritWorktrees(repo))).toBe(true);
    const recovered = runUntouched(repo, ["recover"]);
    expect(recovered.status, recovered.stderr).toBe(0);
    // Your node_modules, its links and the packages they lead to: byte for byte.
    expect(captureState(repo)).toEqual(before);
  },
  120_000,
);
