import { spawn } from "node:child_process";
import { GitCommandError } from "../errors.js";

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
 * One git process: `-c` settings first, the allowlisted environment, stdin fed when given. Done
 * on "close" (every byte of output read). Rejects only when git cannot be started at all.
 */
function spawnGit(cwd: string, args: readonly string[], options: GitCallOptions): Promise<Spawned> {
  const config = options.identity ? [...alwaysConfig, ...identityConfig] : alwaysConfig;
  const argv = [...config.flatMap((c) => ["-c", c]), ...args];
  const started = trace ? performance.now() : 0;
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
      if (trace)
        process.stderr.write(
          `[git @${started.toFixed(0)} ${(performance.now() - started).toFixed(1)}ms] ${args.join(" ")}\n`,
        );
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

/** Creates the git runner for a directory. */
export function createGit(cwd: string): Git {
  async function tryRun(args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
    const result = await spawnGit(cwd, args, options);
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
    const result = await spawnGit(cwd, args, options);
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
