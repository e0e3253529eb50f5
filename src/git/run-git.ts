import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { GitCommandError } from "../errors.js";
import { ensurePrivateRoot, privateRoot } from "./private-root.js";
import { dropStaleIndexLock, dropStaleRealIndexLock, lockExists, sweepDead } from "./stale-lock.js";

/** Options of one git call. */
export interface GitCallOptions {
  /** Run against this index file instead of the repository's (GIT_INDEX_FILE). */
  indexFile?: string;
  /** Text fed to git's stdin. */
  input?: string;
  /** Supply a committer/author identity (for commands that write commits). */
  identity?: boolean;
}

/** The outcome of a git call that is allowed to fail. */
export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Every git call culprit makes goes through one of these. */
export interface Git {
  readonly cwd: string;
  /** Runs git; throws GitCommandError on a non-zero exit. Output is not trimmed. */
  run(args: readonly string[], options?: GitCallOptions): Promise<string>;
  /** Runs git and returns the exit code instead of throwing on failure. */
  tryRun(args: readonly string[], options?: GitCallOptions): Promise<GitResult>;
  /** The bytes of a blob, exactly as stored (no filter, no end-of-line conversion). */
  readBlob(sha: string): Promise<Buffer>;
  /**
   * Runs git and returns its stdout as bytes (a patch of a Latin-1 file or a binary patch is not
   * UTF-8); throws GitCommandError on a non-zero exit.
   */
  runBytes(args: readonly string[], options?: GitCallOptions): Promise<Buffer>;
}

// Config applied to every call: never recurse into submodules (a user's
// `submodule.recurse=true` would make `reset --hard` rewrite submodule trees),
// never prompt for credentials, no automatic gc mid-run.
const alwaysConfig = [
  "submodule.recurse=false",
  "gc.auto=0",
  "maintenance.auto=false",
  "advice.detachedHead=false",
];

// Commands that write commits (stash, commit-tree) fail without an identity;
// supply one per command instead of ever writing the user's config.
const identityConfig = ["user.name=culprit", "user.email=culprit@localhost"];

// Git runs with an environment built from an allowlist, never process.env spread: a user's
// GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE or GIT_CONFIG_* would point culprit's plumbing at
// another repository, index or configuration, and an EDITOR or PAGER could be started.
const inheritedKeys = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "TMPDIR",
  "XDG_CONFIG_HOME",
  "SYSTEMROOT",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
];

function gitEnv(indexFile: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of inheritedKeys) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  env["LC_ALL"] = "C";
  env["GIT_TERMINAL_PROMPT"] = "0";
  if (process.env["GIT_CONFIG_NOSYSTEM"]) env["GIT_CONFIG_NOSYSTEM"] = "1";
  if (indexFile) env["GIT_INDEX_FILE"] = indexFile;
  return env;
}

// CULPRIT_TRACE_GIT=1 prints every git call on stderr: when it started (ms since the process
// started) and how long it took.
const trace = Boolean(process.env["CULPRIT_TRACE_GIT"]);

interface Spawned {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  signal: NodeJS.Signals | null;
}

/**
 * The private index files this process's git calls are using: how many calls each, and who
 * waits for them to be done.
 */
const indexUse = new Map<string, { calls: number; idle: (() => void)[] }>();

/**
 * One git process: `-c` settings first, the allowlisted environment, stdin fed when given.
 * Started by the spawner where there is one (below), else by node. Rejects only when git cannot
 * be started at all.
 */
async function spawnGit(
  cwd: string,
  args: readonly string[],
  options: GitCallOptions,
  gitDir: string | undefined,
): Promise<Spawned> {
  const config = options.identity ? [...alwaysConfig, ...identityConfig] : alwaysConfig;
  const argv = [...config.flatMap((c) => ["-c", c]), ...args];
  const started = trace ? performance.now() : 0;
  const index = options.indexFile;
  const start = async () => {
    const use = index ? (indexUse.get(index) ?? { calls: 0, idle: [] }) : null;
    if (use) {
      use.calls += 1;
      indexUse.set(index!, use);
    }
    try {
      return (
        (await GitSpawner.get(gitEnv(undefined))?.call(cwd, argv, options)) ??
        (await spawnDirect(cwd, argv, options))
      );
    } finally {
      if (use && --use.calls === 0) {
        indexUse.delete(index!);
        for (const done of use.idle) done();
      }
    }
  };
  const startedAt = Date.now();
  let spawned = await start();
  // The same for the repository's index.lock, left by a killed git that wrote the real index.
  if (spawned.signal && !index && gitDir) dropStaleRealIndexLock(gitDir, cwd, startedAt);
  // A lock on a private index that a killed git of culprit's left (src/git/stale-lock.ts): the
  // call did nothing, and is made again once the lock is gone. Asked once this process's other
  // calls on that index are done (one of them may be the holder).
  if (index && spawned.exitCode === 128 && !spawned.signal) {
    const stderr = spawned.stderr.toString("utf8");
    if (lockExists(stderr)) {
      // Asked again after each wait: a call may start before this one resumes. The look and the
      // removal are synchronous: no call can start between them.
      for (let use = indexUse.get(index); use; use = indexUse.get(index))
        await new Promise<void>((resolve) => use!.idle.push(resolve));
      if (dropStaleIndexLock(index)) spawned = await start();
    }
  }
  if (trace)
    process.stderr.write(
      `[git @${started.toFixed(0)} ${(performance.now() - started).toFixed(1)}ms] ${args.join(" ")}\n`,
    );
  return spawned;
}

/** git started by node itself: done on "close" (every byte of output read). */
function spawnDirect(cwd: string, argv: string[], options: GitCallOptions): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const input = options.input;
    const child = spawn("git", argv, {
      cwd,
      env: gitEnv(options.indexFile),
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      // Out of the terminal's process group: a Ctrl-C goes to culprit, which stops at a point of
      // its choosing, not to a git command half way through writing a tree or an index (a
      // `read-tree -u` killed by the key made isolate end in an error instead of "interrupted").
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({
        // Killed by a signal: not a success, whatever it printed.
        exitCode: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        signal: code === null ? signal : null,
      });
    });
    if (input !== undefined && child.stdin) {
      // git may exit before reading it all: its error is the one to report.
      child.stdin.on("error", () => {});
      child.stdin.end(input);
    }
  });
}

/** A word for the shell: quoted whole, whatever it holds. */
const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** Signal names by number. */
const signalNames = new Map(
  Object.entries(constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

/** The private folders of this process's spawners, removed when it exits. */
const spawnerFolders = new Set<string>();
let cleanupRegistered = false;

/**
 * Where culprit's git processes are started from: one `/bin/sh` kept for culprit's lifetime,
 * which starts each git as a background job. node starts a process by forking itself: 1 to 2 ms
 * of its only thread each time (it copies the page tables of 50 MB and more), and an attribution
 * makes some 40 git calls, most of them one after another. The shell forks in a tenth of that,
 * off culprit's thread. Output goes through files in a folder of its own in culprit's private
 * folder (`<tmpdir>/culprit-<uid>/git/<pid>-*`), read once the job says it is done ("<id> <status>" on the shell's stdout).
 *
 * It is the same git as node would start: the same allowlisted environment (another shell when
 * that changes), the same folder (`cd -P`, PWD unset as node leaves it), stdin from /dev/null or
 * a file, out of the terminal's process group (the shell has a session of its own). Where there
 * is no shell to be had, or a job could not start git (no such folder, git not found, a
 * redirection refused), node starts it, and says what it always said. A shell that dies
 * (something killed culprit's process tree) answers the calls it left as killed by that signal,
 * as their gits were; the next call starts another shell.
 *
 * CULPRIT_DIRECT_GIT=1 makes node start every git (bench/overhead.js compares the two).
 */
class GitSpawner {
  private static current: GitSpawner | null = null;
  private static off = process.platform === "win32" || Boolean(process.env["CULPRIT_DIRECT_GIT"]);
  private static swept = false;

  /** The spawner for git's environment `env` (started now if need be); null: node starts git. */
  static get(env: Record<string, string>): GitSpawner | null {
    if (GitSpawner.off) return null;
    const key = JSON.stringify(env);
    const live = GitSpawner.current;
    if (live && live.key === key && !live.dead) return live;
    // Its pending calls are still answered: their jobs hold its stdout until they are done.
    live?.child.stdin?.end();
    try {
      GitSpawner.current = new GitSpawner(env, key);
    } catch {
      GitSpawner.off = true;
      GitSpawner.current = null;
    }
    return GitSpawner.current;
  }

  private readonly child: ChildProcess;
  private readonly dir: string;
  private readonly pending = new Map<string, (status: string) => void>();
  private next = 0;
  private started = false;
  private dead = false;
  private lines = "";

  private constructor(
    env: Record<string, string>,
    private readonly key: string,
  ) {
    // culprit's private folder under the temporary folder (not /dev/shm: a container's is
    // often 64 MB, and a patch of isolate's can be larger).
    ensurePrivateRoot();
    const base = join(privateRoot(), "git");
    mkdirSync(base, { recursive: true, mode: 0o700 });
    // The folders of processes that are gone (a kill -9).
    if (!GitSpawner.swept) sweepDead(base, /^(\d+)-/);
    GitSpawner.swept = true;
    this.dir = mkdtempSync(join(base, `${process.pid}-`));
    spawnerFolders.add(this.dir);
    if (!cleanupRegistered) {
      cleanupRegistered = true;
      process.on("exit", () => {
        for (const dir of spawnerFolders) rmSync(dir, { recursive: true, force: true });
      });
    }
    const child = spawn("/bin/sh", ["-s"], {
      env,
      stdio: ["pipe", "pipe", "ignore"],
      detached: true,
    });
    this.child = child;
    child.on("spawn", () => {
      this.started = true;
    });
    // No shell to start (ENOENT): node starts git, for these calls and from now on.
    child.on("error", () => {
      if (!this.started) GitSpawner.off = true;
    });
    child.stdin!.on("error", () => {});
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => this.read(chunk));
    child.on("close", (_code, signal) => {
      this.dead = true;
      spawnerFolders.delete(this.dir);
      const answer = this.started ? `killed ${signal ?? "SIGKILL"}` : "unstarted";
      for (const done of [...this.pending.values()]) done(answer);
      rmSync(this.dir, { recursive: true, force: true });
    });
    // Culprit may exit with the shell still there: it ends with culprit's end of its stdin.
    child.unref();
    (child.stdout as { unref?: () => void }).unref?.();
    (child.stdin as { unref?: () => void }).unref?.();
  }

  /** Runs git in `cwd`; null when node is to start it instead (git was not started). */
  call(cwd: string, argv: readonly string[], options: GitCallOptions): Promise<Spawned | null> {
    const id = String(++this.next);
    const out = join(this.dir, `${id}.o`);
    const err = join(this.dir, `${id}.e`);
    const input = options.input !== undefined ? join(this.dir, `${id}.i`) : null;
    if (input) {
      try {
        writeFileSync(input, options.input!);
      } catch {
        return Promise.resolve(null);
      }
    }
    const index = options.indexFile ? `GIT_INDEX_FILE=${quote(options.indexFile)} ` : "";
    // stdout is redirected last: once its file is there, every redirection was made and git
    // was started (or the shell said 126 or 127). git holds the shell's stdout too (fd 3): a
    // job killed under a git that goes on (a tree-kill that missed it) is not answered until
    // that git is done, so that the restore does not meet its lock.
    // The job says it is done from its exit trap: also when the shell itself gives up on it
    // (a fork refused), which would otherwise leave the call waiting for an answer.
    const job =
      `{ trap 'echo "${id} $?"' EXIT; ` +
      `cd -P -- ${quote(cwd)} 2>/dev/null || { trap - EXIT; echo "${id} cd"; exit; }; ` +
      `unset PWD OLDPWD; ` +
      `${index}git ${argv.map(quote).join(" ")} 3>&1 2>${quote(err)} <${input ? quote(input) : "/dev/null"} >${quote(out)}; } &\n`;
    return new Promise((resolve) => {
      this.pending.set(id, (status) => {
        this.pending.delete(id);
        if (this.pending.size === 0) {
          // A shell without job control reaps its background jobs only when it waits for them:
          // each would stay a zombie (1 500 after 1 500 calls). None is running now but those
          // that just said they are done, so this returns as soon as they have exited.
          this.child.stdin!.write("wait\n");
          this.hold(false);
        }
        const ran = existsSync(out);
        const stdout = readOrEmpty(out);
        const stderr = readOrEmpty(err);
        for (const path of [out, err, input]) if (path) rmSync(path, { force: true });
        if (status === "unstarted" || status === "cd" || !ran) return resolve(null);
        if (status.startsWith("killed ")) {
          const signal = status.slice("killed ".length) as NodeJS.Signals;
          return resolve({ exitCode: 128, stdout, stderr, signal });
        }
        const code = Number(status);
        // The shell's "cannot execute" and "not found": node says what it always said.
        if ((code === 126 || code === 127) && stdout.length === 0) return resolve(null);
        // 128 + n: killed by signal n (129 stays git's own "usage" exit).
        const signal = code > 129 ? (signalNames.get(code - 128) ?? null) : null;
        resolve({ exitCode: signal ? 128 : code, stdout, stderr, signal });
      });
      if (this.pending.size === 1) this.hold(true);
      this.child.stdin!.write(job);
    });
  }

  /**
   * Keeps culprit alive while calls wait (else culprit may exit): the shell's stdout, and the
   * shell itself, whose end may come after its stdout's (a shell killed with its jobs).
   */
  private hold(on: boolean): void {
    const stdout = this.child.stdout as { ref?: () => void; unref?: () => void };
    if (on) {
      this.child.ref();
      stdout.ref?.();
    } else {
      this.child.unref();
      stdout.unref?.();
    }
  }

  /** Answers the calls whose jobs said they are done. */
  private read(chunk: string): void {
    this.lines += chunk;
    for (let end = this.lines.indexOf("\n"); end >= 0; end = this.lines.indexOf("\n")) {
      const line = this.lines.slice(0, end);
      this.lines = this.lines.slice(end + 1);
      const space = line.indexOf(" ");
      this.pending.get(line.slice(0, space))?.(line.slice(space + 1));
    }
  }
}

function readOrEmpty(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

/** The error of a git call that failed, or that a signal killed. */
function commandError(args: readonly string[], result: Spawned): GitCommandError {
  return new GitCommandError(
    args,
    result.exitCode,
    result.stderr.toString("utf8"),
    result.stdout.toString("utf8"),
    result.signal,
  );
}

/**
 * Creates the git runner for a directory; `gitDir`, the repository's git folder, is where a git
 * of culprit's killed while it wrote the real index may have left index.lock (src/git/stale-lock.ts).
 */
export function createGit(cwd: string, gitDir?: string): Git {
  async function tryRun(args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
    const result = await spawnGit(cwd, args, options, gitDir);
    // A git killed by a signal (something killed culprit's process tree: a CI runner cancelling,
    // a tree-kill) has no answer: its exit code would read as one ("no such ref", "differs").
    if (result.signal) throw commandError(args, result);
    return {
      exitCode: result.exitCode,
      stdout: result.stdout.toString("utf8"),
      stderr: result.stderr.toString("utf8"),
    };
  }
  async function runBytes(args: readonly string[], options: GitCallOptions = {}): Promise<Buffer> {
    const result = await spawnGit(cwd, args, options, gitDir);
    if (result.exitCode !== 0) throw commandError(args, result);
    return result.stdout;
  }
  return {
    cwd,
    tryRun,
    runBytes,
    readBlob: (sha) => runBytes(["cat-file", "blob", sha]),
    async run(args, options) {
      const result = await tryRun(args, options);
      if (result.exitCode !== 0) {
        throw new GitCommandError(args, result.exitCode, result.stderr, result.stdout);
      }
      return result.stdout;
    },
  };
}

/**
 * Runs a git call whose outcome does not matter (a stat refresh, a ref or worktree removal that
 * a later run or `culprit recover` also makes): not even a git killed by a signal stops the
 * restore or cleanup it is part of.
 */
export async function bestEffort(
  git: Git,
  args: readonly string[],
  options?: GitCallOptions,
): Promise<void> {
  try {
    await git.tryRun(args, options);
  } catch (error) {
    if (!(error instanceof GitCommandError && error.signal !== null)) throw error;
  }
}
