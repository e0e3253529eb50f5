import { appendFileSync, readFileSync } from "node:fs";
import { CancelledError, ExitCode, NotRestoredError, UsageError } from "../errors.js";
import { openRepo } from "../git/repo.js";
import { attribute } from "../machine/attribute.js";
import { bisect } from "../machine/bisect.js";
import { recover, status } from "../machine/recover.js";
import type { AttributionResult } from "../machine/types.js";
import { messages } from "../messages.js";
import { bisectExitCode, bisectJson, renderBisectHuman } from "../report/bisect.js";
import { annotation, stepSummary } from "../report/github.js";
import { renderHuman } from "../report/human.js";
import { toJson } from "../report/json.js";
import { renderLine } from "../report/line.js";
import { applyConfig, loadConfig } from "./config.js";
import { isCI, isGitHubActions, useColor } from "./environment.js";
import { type CliOptions, helpText, parseArgs } from "./parse-args.js";
import { canPrompt, promptSuspects } from "./pick-suspects.js";
import { createProgress } from "./progress.js";
import { promptConfirmTouch, promptMoreRuns } from "./prompts.js";

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
      case "bisect": {
        const repo = await openRepo(process.cwd());
        const options = applyConfig(command.options, loadConfig(repo.root), repo.root);
        return await runBisect(options, command.good, command.bad);
      }
      case "attribute": {
        // Defaults from the repository's config; flags win. Outside a repository preflight says so.
        const repo = await openRepo(process.cwd());
        return await runAttribute(applyConfig(command.options, loadConfig(repo.root), repo.root));
      }
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
  const env = process.env;
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
  // The spinner: a person watching a terminal, not CI, not when the output is for a machine, and
  // not when the test's own output streams by (--verbose).
  const progress = createProgress(
    options.format === "human" &&
      !options.quiet &&
      !options.verbose &&
      Boolean(process.stderr.isTTY) &&
      !isCI(env),
    options.runs,
  );
  // Prompts only for a person at a terminal (never in CI or with stdin not a terminal); each has
  // a flag that answers it.
  const interactive = canPrompt({
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env,
  });
  const prompting =
    interactive &&
    options.strategy !== "stash" &&
    options.strategy !== "reset" &&
    options.suspects.length === 0;
  let moreGiven = false;
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
      ...(options.base !== undefined ? { base: options.base } : {}),
      ...(prompting
        ? {
            pickSuspects: (changes, preselected) => {
              progress.stop();
              return promptSuspects(changes, preselected, controller.signal);
            },
          }
        : {}),
      ...(interactive && !options.yes
        ? {
            confirmAbove: options.confirmAbove,
            confirmTouch: (changed: number) => {
              progress.stop();
              return promptConfirmTouch(changed, controller.signal);
            },
          }
        : {}),
      // `--more N` answers the prompt once; without it a person at a terminal is asked.
      ...(options.more > 0
        ? {
            moreRuns: async () => {
              if (moreGiven) return 0;
              moreGiven = true;
              return options.more;
            },
          }
        : interactive
          ? {
              moreRuns: () => {
                progress.stop();
                return promptMoreRuns(Math.max(options.runs, 5), controller.signal);
              },
            }
          : {}),
      ...(options.verbose ? { onOutput: (chunk: Buffer) => process.stderr.write(chunk) } : {}),
      ...(options.cache ? { cache: { version: version(), env: options.cacheEnv } } : {}),
      ...(options.worktree
        ? { worktree: true, jobs: options.jobs, share: { copy: options.shareCopy } }
        : {}),
      signal: controller.signal,
      onProgress: progress.update,
    });
    progress.stop();
    const code = exitCodeFor(result);
    const gitHub = isGitHubActions(env);
    if (options.format === "json") {
      process.stdout.write(`${JSON.stringify(toJson(result, code), null, 2)}\n`);
    } else if (options.format === "line") {
      process.stdout.write(renderLine(result));
    } else {
      process.stdout.write(
        renderHuman(result, {
          color: useColor(Boolean(process.stdout.isTTY), env),
          quiet: options.quiet,
        }),
      );
    }
    // After the report: the last lines of a failing run, where they do not break a machine's stdout.
    if (options.showOutput) {
      const shown = failingOutput(result);
      if (shown) (options.format === "human" ? process.stdout : process.stderr).write(shown);
    }
    if (gitHub) {
      // GitHub's runner reads workflow commands from the step's stdout and stderr alike; with
      // --json stdout is one JSON document, so the annotation goes to stderr there.
      (options.format === "json" ? process.stderr : process.stdout).write(annotation(result));
      writeStepSummary(env["GITHUB_STEP_SUMMARY"], result);
    }
    return code;
  } finally {
    progress.stop();
    for (const signal of handled) process.off(signal, onSignal);
  }
}

/** `culprit bisect`: the search, its report, its exit code; signals stop it and remove its worktrees. */
async function runBisect(
  options: CliOptions,
  good: string | undefined,
  bad: string | undefined,
): Promise<number> {
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
  try {
    const report = await bisect({
      argv: options.argv,
      ...(options.shell !== undefined ? { shell: options.shell } : {}),
      cwd: process.cwd(),
      ...(good !== undefined ? { good } : {}),
      ...(bad !== undefined ? { bad } : {}),
      confidence: options.confidence,
      runs: options.runs,
      maxRuns: options.maxRuns,
      timeoutMs: options.timeoutMs,
      killAfterMs: options.killAfterMs,
      ...(options.cannotRunPattern ? { cannotRunPattern: options.cannotRunPattern } : {}),
      ...(options.cannotRunExit ? { cannotRunExit: options.cannotRunExit } : {}),
      ...(options.runner ? { runner: options.runner } : {}),
      jobs: options.jobs,
      share: { copy: options.shareCopy },
      signal: controller.signal,
    });
    const code = bisectExitCode(report);
    if (options.format === "json")
      process.stdout.write(`${JSON.stringify(bisectJson(report, code), null, 2)}\n`);
    else process.stdout.write(renderBisectHuman(report, { quiet: options.quiet }));
    return code;
  } finally {
    for (const signal of handled) process.off(signal, onSignal);
  }
}

/** `--show-output`: the last lines of the last failing run, your tree's first (null if none). */
function failingOutput(result: AttributionResult): string | null {
  const failing = (side: string) =>
    [...result.runs].reverse().find((r) => r.side === side && r.outcome !== "pass" && r.tail);
  const run = failing("current") ?? failing("baseline");
  if (!run?.tail) return null;
  const where = run.side === "current" ? "your tree" : "the baseline";
  const lines = run.tail.split("\n").map((line) => `  | ${line}`);
  const log = run.logPath ? ` (full log: ${run.logPath})` : "";
  return `culprit: last lines of run ${run.index} on ${where}, ${run.outcome}${log}:\n${lines.join("\n")}\n`;
}

/** Appends the Markdown summary to $GITHUB_STEP_SUMMARY; a failure to write it is only a warning. */
function writeStepSummary(path: string | undefined, result: AttributionResult): void {
  if (!path) return;
  try {
    appendFileSync(path, stepSummary(result));
  } catch (error) {
    process.stderr.write(
      `culprit: could not write the step summary to ${path}: ${(error as Error).message}\n`,
    );
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
