import { spawn } from "node:child_process";
import { GitError, type SimpleGit, type SimpleGitOptions, simpleGit } from "simple-git";
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

// simple-git strips every GIT_* variable and the editor/pager ones it inherits,
// and rejects them when given through .env(): build the environment from an
// allowlist instead of spreading process.env.
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
  // simple-git waits a fixed 50 ms after any git process that printed nothing (most plumbing:
  // add, update-ref, read-tree); git's trace on stderr makes every call print, and is stripped.
  env["GIT_TRACE"] = "1";
  if (process.env["GIT_CONFIG_NOSYSTEM"]) env["GIT_CONFIG_NOSYSTEM"] = "1";
  if (indexFile) env["GIT_INDEX_FILE"] = indexFile;
  return env;
}

const traceLine = /^\d\d:\d\d:\d\d\.\d+ \S+:\d+ +trace: .*\n?/gm;

/** Removes GIT_TRACE lines from git's stderr. */
export function stripTrace(stderr: string): string {
  return stderr.replace(traceLine, "");
}

// Subclassing simple-git's GitError keeps it from wrapping ours and losing the exit code.
class ExitError extends GitError {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(undefined, `git exited ${exitCode}`);
  }
}

// CULPRIT_TRACE_GIT=1 prints every git call with its duration on stderr.
const trace = Boolean(process.env["CULPRIT_TRACE_GIT"]);

/** Creates the git runner for a directory. */
export function createGit(cwd: string): Git {
  function instance(options: GitCallOptions): SimpleGit {
    const config = options.identity ? [...alwaysConfig, ...identityConfig] : alwaysConfig;
    const sgOptions: Partial<SimpleGitOptions> = {
      baseDir: cwd,
      config,
      trimmed: false,
      maxConcurrentProcesses: 4,
      // Done on "close" (all output read), not 50 ms after "exit" (simple-git's default).
      completion: { onClose: true, onExit: false },
      allowEnvironment: [
        "GIT_INDEX_FILE",
        "GIT_TERMINAL_PROMPT",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_TRACE",
      ],
      errors: (_error, result) => {
        if (result.exitCode === 0) return undefined;
        return new ExitError(
          result.exitCode,
          Buffer.concat(result.stdOut).toString("utf8"),
          stripTrace(Buffer.concat(result.stdErr).toString("utf8")),
        );
      },
    };
    if (options.input !== undefined) {
      const input = options.input;
      sgOptions.input = () => input;
    }
    return simpleGit(sgOptions).env(gitEnv(options.indexFile));
  }
  async function tryRun(args: readonly string[], options: GitCallOptions = {}): Promise<GitResult> {
    const git = instance(options);
    const started = trace ? performance.now() : 0;
    try {
      const stdout = await git.raw([...args]);
      return { exitCode: 0, stdout, stderr: "" };
    } catch (error) {
      if (error instanceof ExitError) {
        return { exitCode: error.exitCode, stdout: error.stdout, stderr: error.stderr };
      }
      throw error;
    } finally {
      if (trace)
        process.stderr.write(
          `[git ${(performance.now() - started).toFixed(1)}ms] ${args.join(" ")}\n`,
        );
    }
  }
  /** simple-git decodes stdout as text: bytes need a plain spawn, with the same config and env. */
  function runBytes(args: readonly string[], options: GitCallOptions = {}): Promise<Buffer> {
    const config = options.identity ? [...alwaysConfig, ...identityConfig] : alwaysConfig;
    const argv = [...config.flatMap((c) => ["-c", c]), ...args];
    const env = gitEnv(options.indexFile);
    delete env["GIT_TRACE"];
    return new Promise((resolve, reject) => {
      const input = options.input;
      const child = spawn("git", argv, {
        cwd,
        env,
        stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code === 0) resolve(Buffer.concat(out));
        else
          reject(
            new GitCommandError(
              args,
              code ?? -1,
              Buffer.concat(err).toString("utf8"),
              Buffer.concat(out).toString("utf8"),
            ),
          );
      });
      if (input !== undefined && child.stdin) {
        // git may exit before reading it all: its error is the one to report.
        child.stdin.on("error", () => {});
        child.stdin.end(input);
      }
    });
  }
  return {
    cwd,
    tryRun,
    runBytes,
    async readBlob(sha) {
      try {
        return (await instance({}).binaryCatFile(["blob", sha])) as Buffer;
      } catch (error) {
        if (error instanceof ExitError)
          throw new GitCommandError(["cat-file", "blob", sha], error.exitCode, error.stderr, "");
        throw error;
      }
    },
    async run(args, options) {
      const result = await tryRun(args, options);
      if (result.exitCode !== 0) {
        throw new GitCommandError(args, result.exitCode, result.stderr, result.stdout);
      }
      return result.stdout;
    },
  };
}
