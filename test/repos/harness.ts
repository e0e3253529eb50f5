import {
  type ChildProcessByStdio,
  type SpawnSyncReturns,
  spawn,
  spawnSync,
} from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

/** The built bin, as a user runs it. */
export const binPath = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "bin",
  "culprit.js",
);

/** A throwaway repository and the environment its git and culprit run with. */
export interface TestRepo {
  dir: string;
  /** HOME without any git config: no identity, no global excludes. */
  home: string;
  env: NodeJS.ProcessEnv;
  git(...args: string[]): string;
  write(path: string, content: string | Buffer, mode?: number): void;
  remove(path: string): void;
  symlink(target: string, path: string): void;
  commit(message: string): void;
  cleanup(): void;
}

/** Environment without the developer's git config, editor, pager or CI variables. */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("GIT_") || key === "CI" || key === "GITHUB_ACTIONS") continue;
    env[key] = value;
  }
  env["HOME"] = home;
  env["XDG_CONFIG_HOME"] = join(home, ".config");
  env["GIT_CONFIG_NOSYSTEM"] = "1";
  env["NO_COLOR"] = "1";
  return env;
}

/** Creates an empty repository with one commit-less main branch. */
export function createRepo(): TestRepo {
  const root = mkdtempSync(join(tmpdir(), "culprit-test-"));
  const dir = join(root, "repo");
  const home = join(root, "home");
  mkdirSync(dir);
  mkdirSync(home);
  const env = isolatedEnv(home);
  const repo = testRepoAt(dir, home, env, () => rmSync(root, { recursive: true, force: true }));
  repo.git("init", "-q", "-b", "main");
  return repo;
}

/**
 * `createRepo` for a file whose cases run at once (`test.concurrent`: cases that mostly wait,
 * on runs that hang until --timeout): each repository is removed once all the file's cases end.
 */
export function concurrentRepos(): () => TestRepo {
  const repos: TestRepo[] = [];
  afterAll(() => {
    for (const repo of repos) repo.cleanup();
  });
  return () => {
    const repo = createRepo();
    repos.push(repo);
    return repo;
  };
}

/**
 * A linked worktree of `main` (`git worktree add`), on a new branch: its `.git` is a file. Its
 * cleanup is main's (the worktree lives beside main's folder, in the same temp root).
 */
export function addWorktree(main: TestRepo, name: string, branch: string): TestRepo {
  const dir = join(dirname(main.dir), name);
  main.git("worktree", "add", "-q", "-b", branch, dir);
  return testRepoAt(dir, main.home, main.env, () => {});
}

/** The TestRepo methods for a work tree at `dir`. */
function testRepoAt(
  dir: string,
  home: string,
  env: NodeJS.ProcessEnv,
  cleanup: () => void,
): TestRepo {
  const git = (...args: string[]): string => {
    const result = spawnSync("git", args, { cwd: dir, env, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  const repo: TestRepo = {
    dir,
    home,
    env,
    git,
    write(path, content, mode) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      if (mode !== undefined) chmodSync(full, mode);
    },
    remove(path) {
      rmSync(join(dir, path), { recursive: true, force: true });
    },
    symlink(target, path) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      symlinkSync(target, full);
    },
    commit(message) {
      git("add", "-A");
      git(
        "-c",
        "user.name=Fixture",
        "-c",
        "user.email=fixture@example.invalid",
        "commit",
        "-q",
        "-m",
        message,
      );
    },
    cleanup,
  };
  return repo;
}

/** Runs the built culprit bin in the repository. */
export function runCulprit(
  repo: TestRepo,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
  /** A folder of the repository to run it in (the top by default). */
  folder = "",
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [binPath, ...args], {
    cwd: join(repo.dir, folder),
    env: { ...repo.env, ...extraEnv },
    encoding: "utf8",
    // The limit on a hang: spawnSync blocks the event loop, so vitest's timeout fires only
    // after it. Generous: one Playwright attribution, 47 s alone on 2 idle cores, took 231 s on a
    // slow, loaded machine (and was killed at the 230 s this was). A slower one still fails at
    // the test's own timeout.
    timeout: 450_000,
  });
}

/** How a culprit process ended, as `runCulpritAsync` reports it. */
export interface CulpritExit {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the built culprit bin without waiting for it: the process (to signal it, or its
 * descendants), and how it ends, its output collected.
 */
export function startCulprit(
  repo: TestRepo,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): { child: ChildProcessByStdio<null, Readable, Readable>; exited: Promise<CulpritExit> } {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: repo.dir,
    env: { ...repo.env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const exited = new Promise<CulpritExit>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, exited };
}

/**
 * Runs the built culprit bin without blocking the test's event loop (for `test.concurrent`),
 * killing it after `timeoutMs`.
 */
export async function runCulpritAsync(
  repo: TestRepo,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
  timeoutMs = 120_000,
): Promise<CulpritExit> {
  const { child, exited } = startCulprit(repo, args, extraEnv);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Everything the user could lose, read without culprit's code: HEAD, index entries, every file
 * under the work tree (tracked, untracked and ignored: type, mode, bytes), and the stash list.
 */
export function captureState(repo: TestRepo): Record<string, string> {
  const state: Record<string, string> = {};
  state["HEAD"] = repo.git("rev-parse", "HEAD").trim();
  state["HEAD ref"] = spawnSync("git", ["symbolic-ref", "-q", "HEAD"], {
    cwd: repo.dir,
    env: repo.env,
    encoding: "utf8",
  }).stdout.trim();
  state["index"] = repo.git("ls-files", "--stage", "-v", "--eol");
  state["stash"] = repo.git("stash", "list", "--format=%H %gs");
  // --no-optional-locks: a status refreshes the index under index.lock, and a test that takes
  // the state while culprit starts (a pseudo-terminal test) made culprit refuse ("index.lock
  // exists: another git process is running").
  state["status"] = repo.git(
    "--no-optional-locks",
    "status",
    "--porcelain=v1",
    "--untracked-files=all",
    "--ignored",
  );
  const walk = (rel: string): void => {
    const full = rel ? join(repo.dir, rel) : repo.dir;
    for (const name of readdirSync(full).sort()) {
      if (!rel && name === ".git") continue;
      const path = rel ? `${rel}/${name}` : name;
      const stat = lstatSync(join(repo.dir, path));
      if (stat.isSymbolicLink())
        state[`file ${path}`] = `symlink -> ${readlinkSync(join(repo.dir, path))}`;
      else if (stat.isDirectory()) {
        state[`file ${path}/`] = "dir";
        walk(path);
      } else {
        const hash = createHash("sha256")
          .update(readFileSync(join(repo.dir, path)))
          .digest("hex");
        state[`file ${path}`] = `mode ${(stat.mode & 0o777).toString(8)} sha256 ${hash}`;
      }
    }
  };
  walk("");
  return state;
}

/** Refs culprit left under refs/culprit (backup refs must be gone after a verified run). */
export function culpritRefs(repo: TestRepo): string[] {
  return repo
    .git("for-each-ref", "--format=%(refname)", "refs/culprit/")
    .split("\n")
    .filter((l) => l.length > 0);
}

/** Parses the single JSON document culprit printed. */
export function parseJsonOutput(
  result: Pick<SpawnSyncReturns<string>, "stdout" | "stderr">,
): Record<string, unknown> & { verdict: string } {
  try {
    return JSON.parse(result.stdout) as Record<string, unknown> & { verdict: string };
  } catch {
    throw new Error(
      `stdout is not one JSON document:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}
