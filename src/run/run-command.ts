import { spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { OutputCapture } from "./capture-output.js";
import { type ClassifyOptions, classify } from "./classify.js";
import { ProcessGroup } from "./kill-group.js";
import { pnpmScriptText } from "./package-scripts.js";
import type { RunResult, RunSpec } from "./types.js";

/** Classification options for a run; the command itself comes from the RunSpec. */
export type RunClassifyOptions = Omit<ClassifyOptions, "command">;

const defaultTailBytes = 64 * 1024;
const defaultLogLimitBytes = 32 * 1024 * 1024;
// Once the process group is gone, a pipe still open is held by something that
// left the group (setsid): stop reading after this long without data...
const streamIdleMs = 250;
// ...or after this long in any case.
const streamCapMs = 5_000;

// Groups still running, killed outright if this process exits mid-run.
const liveGroups = new Set<ProcessGroup>();
let exitHookInstalled = false;

function track(group: ProcessGroup): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const live of liveGroups) live.killNow();
    });
  }
  liveGroups.add(group);
}

// Waits for `promise`, but at most `ms`; leaves no timer behind.
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise.then(noop, noop), expiry]);
  } finally {
    clearTimeout(timer);
  }
}

const noop = (): void => {};

interface RawRun {
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  /** Bytes of output when the timeout fired. */
  outputAtTimeout?: number;
  interrupted: boolean;
  spawnError: string | null;
}

// Waits for the pipes to close; gives up on them when they go quiet (or after
// a cap) so that a process outside the group holding them cannot stall the run.
async function drain(streams: Readable[], capture: OutputCapture): Promise<void> {
  const open = streams.filter((stream) => !stream.closed);
  if (open.length === 0) return;
  let closed = false;
  const allClosed = Promise.all(
    open.map((stream) => new Promise<void>((resolve) => stream.once("close", () => resolve()))),
  ).then(() => {
    closed = true;
  });
  const started = performance.now();
  while (!closed) {
    await waitAtMost(allClosed, 25);
    if (closed) return;
    const now = performance.now();
    const quietFor = now - Math.max(capture.lastDataAt, started);
    if ((!capture.paused && quietFor >= streamIdleMs) || now - started >= streamCapMs) {
      for (const stream of open) stream.destroy();
      await allClosed;
    }
  }
}

/** Runs the user's command once in its own process group, with timeout, bounded capture and classification. */
export async function runCommand(
  spec: RunSpec,
  classifyOptions: RunClassifyOptions = {},
): Promise<RunResult> {
  const viaShell = spec.shell !== undefined;
  const file = viaShell ? "/bin/sh" : spec.argv[0];
  if (file === undefined) throw new TypeError("runCommand: empty argv and no shell string");
  const args = viaShell ? ["-c", spec.shell!] : spec.argv.slice(1);
  const command = viaShell ? spec.shell! : (spec.classifyAs ?? spec.argv);

  if (spec.signal?.aborted) {
    return {
      outcome: "cannot-run",
      exitCode: null,
      signal: null,
      durationMs: 0,
      timedOut: false,
      interrupted: true,
      spawnError: null,
      outputBytes: 0,
      tail: "",
      logPath: null,
      reason: "interrupted before it started",
    };
  }

  const capture = await OutputCapture.open({
    tailBytes: spec.tailBytes ?? defaultTailBytes,
    logPath: spec.logPath,
    logLimitBytes: spec.logLimitBytes ?? defaultLogLimitBytes,
  });

  const finish = async (raw: RawRun): Promise<RunResult> => {
    await capture.close();
    const tail = capture.tail();
    // pnpm's exit 1 may stand for its script's 127: told by the script (src/run/classify.ts).
    const script =
      raw.exitCode === 1 && typeof command !== "string"
        ? pnpmScriptText(spec.cwd, command)
        : undefined;
    const classification = classify(
      { ...raw, tail },
      { ...classifyOptions, command, ...(script !== undefined ? { script } : {}) },
    );
    const result: RunResult = {
      ...(classification.byOutput ? { cannotRunByOutput: true as const } : {}),
      outcome: classification.outcome,
      exitCode: raw.exitCode,
      signal: raw.signal,
      durationMs: Math.round(raw.durationMs),
      timedOut: raw.timedOut,
      ...(raw.outputAtTimeout !== undefined ? { outputAtTimeout: raw.outputAtTimeout } : {}),
      interrupted: raw.interrupted,
      spawnError: raw.spawnError,
      outputBytes: capture.outputBytes,
      tail,
      logPath: spec.logPath !== undefined && capture.logError === null ? spec.logPath : null,
      reason: raw.interrupted ? `interrupted (${classification.reason})` : classification.reason,
    };
    if (capture.logError !== null) result.logError = capture.logError;
    return result;
  };

  const started = performance.now();
  // node's own spawn (execa cost 120 ms of start-up for what this needs): a new session (its pid
  // is its process group), stdin closed, both pipes read as they come.
  const subprocess = spawn(file, args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const spawnFailed = new Promise<NodeJS.ErrnoException>((resolve) =>
    subprocess.once("error", resolve),
  );

  const pid = subprocess.pid;
  if (pid === undefined) {
    // Node could not spawn it at all: ENOENT (not found, or no such cwd), EACCES...
    const code = (await spawnFailed).code ?? "ESPAWN";
    return finish({
      exitCode: code === "ENOENT" ? 127 : 126,
      signal: null,
      durationMs: performance.now() - started,
      timedOut: false,
      interrupted: false,
      spawnError: code,
    });
  }
  const closed = new Promise<void>((resolve) => subprocess.once("close", () => resolve()));

  // detached: the child calls setsid(), so its pid is its process group id.
  const group = new ProcessGroup(pid, spec.killAfterMs);
  track(group);
  spec.onSpawn?.(pid);
  capture.attach(subprocess.stdout);
  capture.attach(subprocess.stderr);
  if (spec.onOutput) {
    const forward = spec.onOutput;
    for (const stream of [subprocess.stdout, subprocess.stderr])
      stream.on("data", (chunk: Buffer | string) =>
        forward(typeof chunk === "string" ? Buffer.from(chunk) : chunk),
      );
  }

  let leaderExited = false;
  let timedOut = false;
  let outputAtTimeout: number | undefined;
  let interrupted = false;
  const exited = new Promise<[number | null, string | null]>((resolve) => {
    subprocess.once("exit", (code, signal) => {
      leaderExited = true;
      resolve([code, signal]);
    });
  });
  const timer =
    spec.timeoutMs > 0 && Number.isFinite(spec.timeoutMs)
      ? setTimeout(() => {
          if (leaderExited) return;
          timedOut = true;
          outputAtTimeout = capture.outputBytes;
          let first: NodeJS.Signals | undefined;
          try {
            first = spec.onTimeout?.();
          } catch {
            // What the report's keeper could not do never keeps the run from being stopped.
          }
          void group.terminate(first);
        }, spec.timeoutMs)
      : undefined;
  const onAbort = (): void => {
    if (leaderExited) return;
    interrupted = true;
    void group.terminate();
  };
  spec.signal?.addEventListener("abort", onAbort, { once: true });
  // An abort that came while the log file was being opened found no listener yet.
  if (spec.signal?.aborted) onAbort();

  const [exitCode, signal] = await exited;
  const durationMs = performance.now() - started;
  clearTimeout(timer);
  spec.signal?.removeEventListener("abort", onAbort);

  // Whatever the leader left in its group (a server, a `sleep &`) goes too.
  await group.terminate();
  liveGroups.delete(group);
  await drain([subprocess.stdout, subprocess.stderr], capture);
  // "close" comes once the pipes are closed; never let it hold the run.
  await waitAtMost(closed, 1_000);

  return finish({
    exitCode,
    signal,
    durationMs,
    timedOut,
    ...(outputAtTimeout !== undefined ? { outputAtTimeout } : {}),
    interrupted,
    spawnError: null,
  });
}
