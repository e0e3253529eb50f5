import { readFileSync } from "node:fs";
import { CancelledError, ExitCode, NotRestoredError, UsageError } from "../errors.js";
import { attribute } from "../machine/attribute.js";
import { recover, status } from "../machine/recover.js";
import type { AttributionResult } from "../machine/types.js";
import { messages } from "../messages.js";
import { renderHuman } from "../report/human.js";
import { toJson } from "../report/json.js";
import { type CliOptions, helpText, parseArgs } from "./parse-args.js";
import { canPrompt, promptSuspects } from "./pick-suspects.js";
import { createProgress } from "./progress.js";

/** Exit code of a verdict (DESIGN.md's table). */
export function exitCodeFor(result: AttributionResult): number {
  if (result.interrupted === "SIGTERM") return ExitCode.sigterm;
  if (result.interrupted === "SIGHUP") return ExitCode.sighup;
  if (result.interrupted) return ExitCode.sigint;
  switch (result.verdict) {
    case "regression":
      return ExitCode.regression;
    case "pre-existing":
    case "not-reproduced":
      return ExitCode.ok;
    default:
      return ExitCode.undecided;
  }
}

function useColor(stream: NodeJS.WriteStream): boolean {
  if ("NO_COLOR" in process.env) return false;
  if (process.env["FORCE_COLOR"] && process.env["FORCE_COLOR"] !== "0") return true;
  return Boolean(stream.isTTY) && !process.env["CI"];
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The entry: runs a command line and exits. The only place culprit exits. */
export async function main(args: string[]): Promise<never> {
  process.exit(await runCli(args));
}

/** Runs a command line and returns the exit code (for tests and the bin). */
export async function runCli(args: string[]): Promise<number> {
  try {
    const command = parseArgs(args);
    switch (command.kind) {
      case "help":
        process.stdout.write(helpText);
        return ExitCode.ok;
      case "version":
        process.stdout.write(`${version()}\n`);
        return ExitCode.ok;
      case "recover": {
        const result = await recover(process.cwd());
        if (command.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stderr.write(`${result.message}\n`);
          for (const ref of result.residue)
            process.stderr.write(`  what the test wrote is kept in ${ref}\n`);
        }
        return ExitCode.ok;
      }
      case "status": {
        const report = await status(process.cwd());
        if (command.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write(renderStatus(report));
        return ExitCode.ok;
      }
      case "attribute":
        return await runAttribute(command.options);
    }
  } catch (error) {
    return reportError(error);
  }
}

function renderStatus(report: Awaited<ReturnType<typeof status>>): string {
  const lines: string[] = [];
  if (report.running)
    lines.push(
      `culprit: a run is in progress (pid ${report.running.pid}, since ${report.running.startedAt}).`,
    );
  else if (report.pending) {
    lines.push(
      `culprit: run ${report.pending.runId} did not finish (stopped in "${report.pending.state}"); your work is in ${report.pending.backupRef ?? "(no backup yet: untouched)"}. Run \`culprit recover\`.`,
    );
  } else lines.push("culprit: no run in progress, no backup pending.");
  for (const ref of report.refs) lines.push(`  ${ref}`);
  return `${lines.join("\n")}\n`;
}

async function runAttribute(options: CliOptions): Promise<number> {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      process.stderr.write(`\n${messages.signalReceived(signal)}\n`);
      controller.abort(signal);
    } else process.stderr.write(`${messages.signalAgain()}\n`);
  };
  const handled: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of handled) process.on(signal, onSignal);
  const progress = createProgress(!options.json && !options.quiet);
  // The suspects are picked in a checkbox only by a person at a terminal who named none.
  const prompting =
    options.strategy !== "stash" &&
    options.suspects.length === 0 &&
    canPrompt({
      stdinIsTTY: Boolean(process.stdin.isTTY),
      stderrIsTTY: Boolean(process.stderr.isTTY),
      env: process.env,
    });
  try {
    const result = await attribute({
      argv: options.argv,
      ...(options.shell !== undefined ? { shell: options.shell } : {}),
      cwd: process.cwd(),
      runs: options.runs,
      maxRuns: options.maxRuns,
      confidence: options.confidence,
      margin: options.margin,
      timeoutMs: options.timeoutMs,
      killAfterMs: options.killAfterMs,
      ...(options.cannotRunPattern ? { cannotRunPattern: options.cannotRunPattern } : {}),
      ...(options.cannotRunExit ? { cannotRunExit: options.cannotRunExit } : {}),
      ...(options.runner ? { runner: options.runner } : {}),
      interleave: options.interleave,
      strategy: options.strategy,
      suspects: options.suspects,
      keep: options.keep,
      ...(prompting
        ? {
            pickSuspects: (changes, preselected) => {
              progress.stop();
              return promptSuspects(changes, preselected, controller.signal);
            },
          }
        : {}),
      signal: controller.signal,
      onProgress: progress.update,
    });
    progress.stop();
    const code = exitCodeFor(result);
    if (options.json) process.stdout.write(`${JSON.stringify(toJson(result, code), null, 2)}\n`);
    else
      process.stdout.write(
        renderHuman(result, { color: useColor(process.stdout), quiet: options.quiet }),
      );
    return code;
  } finally {
    progress.stop();
    for (const signal of handled) process.off(signal, onSignal);
  }
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CancelledError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof NotRestoredError) {
    process.stderr.write(`${error.message}\nTo restore it, run:\n  ${error.recovery}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `${(error as Error)?.stack ?? String(error)}\n${messages.internalError()}\n`,
  );
  return ExitCode.notRestored;
}
