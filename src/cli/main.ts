import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  CancelledError,
  ExitCode,
  NotRestoredError,
  promptCancelled,
  StoppedError,
  UsageError,
} from "../errors.js";
import type { Repo } from "../git/repo.js";
import type { StatusReport } from "../machine/recover.js";
import type { AttributionResult } from "../machine/types.js";
import { messages, stoppedIn } from "../messages.js";
import { isCI, isGitHubActions, useColor } from "./environment.js";
import { type CliOptions, helpText, parseArgs } from "./parse-args.js";
import { canPrompt, promptSuspects } from "./pick-suspects.js";
import { createProgress, createSpinner, readTerminalSize } from "./progress.js";
import { PromptCancelled, promptConfirmTouch, promptMoreRuns } from "./prompts.js";
import {
  openTerminalWriter,
  releaseHungUpTerminal,
  type TerminalWriter,
} from "./write-terminal.js";

// Only what --help and --version need is imported up front: git, execa, the machine, the
// reports and inquirer load when a command needs them (`culprit --version` starts in about the
// time of `node -e 0`; bench/startup.js measures it).

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

/**
 * What cached runs are keyed by as "culprit's version": the package's version and the newest
 * file of the build's src/run (how a run is run, read and classified), so that runs judged by
 * an earlier build are not mixed with this one's, also between two builds of one version.
 */
function cacheVersion(): string {
  let newest = 0;
  const folders = [new URL("../run/", import.meta.url)];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    try {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (entry.isDirectory()) folders.push(new URL(`${entry.name}/`, folder));
        else if (entry.name.endsWith(".js"))
          newest = Math.max(newest, statSync(new URL(entry.name, folder)).mtimeMs);
      }
    } catch {}
  }
  return `${version()}+${Math.floor(newest)}`;
}

/** Exit codes of the signals culprit stops on. */
const signalExitCodes: Record<string, number> = {
  SIGINT: ExitCode.sigint,
  SIGTERM: ExitCode.sigterm,
  SIGHUP: ExitCode.sighup,
};

/** culprit's own stderr while an attribution runs (null otherwise): a writer that never blocks. */
let terminal: TerminalWriter | null = null;
/** Until when to wait for a terminal that is not reading (Ctrl-S): not long after a signal. */
let writeDeadline = Number.POSITIVE_INFINITY;
/** After a signal, the report and the lines still queued get this long in all, then culprit exits. */
const signalGraceMs = 2_000;

const timeLeft = (): number => writeDeadline - Date.now();

const ignore = (): void => {};

/** What the bin's loader (src/cli/boot.ts) is told of the run. */
export interface MainHooks {
  /** The line names an attribution, a bisection or an isolation: most of the code is compiled. */
  onCommand?: () => void;
}

/** The entry: runs a command line and exits. The only place culprit exits. */
export async function main(args: string[], hooks: MainHooks = {}): Promise<never> {
  // A terminal that is gone (a closed tab: SIGHUP, then EIO) or a closed pipe (EPIPE) makes a
  // write emit 'error'; unhandled, that would kill culprit in the middle of a restore.
  process.stdout.on("error", ignore);
  process.stderr.on("error", ignore);
  const code = await runCli(args, hooks);
  // Lines still queued for a terminal that is not reading (Ctrl-S): they are written once it
  // reads again; after a signal, only for a little while.
  await terminal?.flush(timeLeft());
  releaseHungUpTerminal();
  process.exit(code);
}

/** Writes to stderr: through the writer while an attribution runs. */
function sayError(text: string): void {
  if (terminal) terminal.line(text);
  else process.stderr.write(text);
}

/** The folder culprit was started in was removed (a shell left in it): one line, exit 3. */
function assertCwdExists(): void {
  try {
    process.cwd();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError(messages.cwdGone());
    throw error;
  }
}

/** Runs a command line and returns the exit code (for tests and the bin). */
export async function runCli(args: string[], hooks: MainHooks = {}): Promise<number> {
  try {
    const command = parseArgs(args);
    if (command.kind !== "help" && command.kind !== "version") assertCwdExists();
    if (command.kind === "attribute" || command.kind === "bisect" || command.kind === "isolate")
      hooks.onCommand?.();
    switch (command.kind) {
      case "help":
        process.stdout.write(helpText);
        return ExitCode.ok;
      case "version":
        process.stdout.write(`${version()}\n`);
        return ExitCode.ok;
      case "recover": {
        const { recover } = await import("../machine/recover.js");
        const result = await recover(process.cwd());
        if (command.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else {
          process.stderr.write(`${result.message}\n`);
          for (const ref of result.residue)
            process.stderr.write(`  ${messages.residueKept(ref)}\n`);
        }
        return ExitCode.ok;
      }
      case "status": {
        const { status } = await import("../machine/recover.js");
        const report = await status(process.cwd());
        if (command.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write(renderStatus(report));
        // Scripts can ask: 1 while a run that died left work for `culprit recover`.
        return report.pending && !report.running ? ExitCode.recoverPending : ExitCode.ok;
      }
      case "bisect": {
        const [{ openRepo }, { applyConfig, loadConfig }] = await Promise.all([
          import("../git/repo.js"),
          import("./config.js"),
        ]);
        const repo = await openRepo(process.cwd());
        const options = applyConfig(command.options, loadConfig(repo.root), repo.root);
        return await runBisect(options, repo, command.good, command.bad);
      }
      case "isolate": {
        const [{ openRepo }, { applyConfig, loadConfig }] = await Promise.all([
          import("../git/repo.js"),
          import("./config.js"),
        ]);
        const repo = await openRepo(process.cwd());
        const options = applyConfig(command.options, loadConfig(repo.root), repo.root);
        return await runIsolate(options, repo, command.lines, command.patch);
      }
      case "attribute": {
        // Defaults from the repository's config; flags win. Outside a repository preflight says so.
        const [{ openRepo }, { applyConfig, loadConfig }] = await Promise.all([
          import("../git/repo.js"),
          import("./config.js"),
        ]);
        const opening = openRepo(process.cwd());
        opening.catch(() => {});
        // The machine's modules load while git finds the repository (runAttribute awaits them).
        import("../machine/attribute.js").catch(() => {});
        const repo = await opening;
        return await runAttribute(
          applyConfig(command.options, loadConfig(repo.root), repo.root),
          repo,
        );
      }
    }
  } catch (error) {
    return reportError(error);
  }
}

function renderStatus(report: StatusReport): string {
  const lines: string[] = [];
  if (report.running)
    lines.push(
      `culprit: a run is in progress (pid ${report.running.pid}, since ${report.running.startedAt}).`,
    );
  else if (report.pending) {
    const p = report.pending;
    const where = p.isolated
      ? `your tree was never written (it ran in worktrees): \`culprit recover\` removes ${p.worktrees === 1 ? "its worktree" : `its ${p.worktrees} worktrees`}`
      : p.backupRef
        ? `your work is backed up in ${p.backupRef}: \`culprit recover\` puts it back and verifies it`
        : "it stopped before touching your tree (no backup was needed yet): `culprit recover` clears its journal";
    lines.push(
      `culprit: run ${p.runId} did not finish (${stoppedIn(p.state, p.detail)}); ${where}.`,
    );
  } else lines.push("culprit: no run in progress, no backup pending.");
  if (report.refs.length > 0)
    lines.push(
      "culprit's refs (residue/...: what a test wrote during a run, kept for you; backup: your work):",
    );
  for (const ref of report.refs) lines.push(`  ${ref}`);
  const last = report.lastRun;
  if (last && !report.running && !report.pending) {
    const ending = last.ending;
    lines.push(
      messages.lastRun({
        runId: last.runId,
        at: ending?.at ?? last.history.at(-1)?.at ?? last.startedAt,
        state: last.state,
        ...(ending?.signal ? { signal: ending.signal.name } : {}),
        ...(ending?.verdict ? { verdict: ending.verdict } : {}),
        ...(ending?.exitCode !== undefined ? { exitCode: ending.exitCode } : {}),
        ...(ending?.restore ? { restore: ending.restore } : {}),
        ...(ending?.error ? { error: ending.error } : {}),
        ...(ending?.recovered ? { recovered: true } : {}),
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The report modules, loaded once (an attribution starts loading them at its first run). */
let reportModules: Promise<
  [
    typeof import("../report/json.js"),
    typeof import("../report/line.js"),
    typeof import("../report/human.js"),
    typeof import("../report/github.js"),
  ]
> | null = null;
function reports() {
  reportModules ??= Promise.all([
    import("../report/json.js"),
    import("../report/line.js"),
    import("../report/human.js"),
    import("../report/github.js"),
  ]);
  return reportModules;
}

async function runAttribute(options: CliOptions, repo: Repo): Promise<number> {
  const stateDir = repo.stateDir;
  const env = process.env;
  const { attribute } = await import("../machine/attribute.js");
  const { recordEnding } = await import("../machine/journal.js");
  const controller = new AbortController();
  // Everything culprit writes to the terminal while the run is in progress (spinner, prompts,
  // the signal lines, --verbose output) goes through this writer: it never blocks the event loop
  // (so signals are handled while the terminal is not reading) and never throws (so a terminal
  // that is gone cannot stop the restore).
  const writer = openTerminalWriter(2);
  terminal = writer;
  const size = () => readTerminalSize(process.stderr);
  // The spinner: a person watching a terminal, not CI, not when the output is for a machine, and
  // not when the test's own output streams by (--verbose).
  const progress = createProgress(
    options.format === "human" &&
      !options.quiet &&
      !options.verbose &&
      process.stderr.isTTY &&
      !isCI(env)
      ? writer
      : null,
    options.runs,
    size,
  );
  // Set from signal handlers and prompts (a closure: `as` keeps TypeScript from narrowing it).
  let received = null as { name: string; at: string } | null;
  let reporting = false;
  // The first signal (or Ctrl-C / Escape in a prompt) aborts the run: the machine stops the
  // test's process group, restores and verifies the tree; later ones only say to wait.
  const interrupt = (signal: NodeJS.Signals, line: string, reason: string = signal) => {
    received = { name: signal, at: new Date().toISOString() };
    const erased = progress.end();
    writer.line(`${erased ? "" : "\n"}${line}\n`);
    controller.abort(reason);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // The tree is restored and the journal closed: nothing is left to protect.
    if (reporting) {
      releaseHungUpTerminal();
      process.exit(signalExitCodes[received?.name ?? signal] ?? ExitCode.sigint);
    }
    if (received === null) interrupt(signal, messages.signalReceived(signal, options.worktree));
    else writer.line(`${messages.signalAgain(options.worktree)}\n`);
  };
  // The terminal closed while a question was open (its input ended): as the SIGHUP that comes
  // with it, whichever of the two culprit sees first.
  const hungUp = () => {
    if (received === null) interrupt("SIGHUP", messages.signalReceived("SIGHUP", options.worktree));
  };
  const handled: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of handled) process.on(signal, onSignal);
  // Prompts only for a person at a terminal (never in CI or with stdin not a terminal); each has
  // a flag that answers it.
  const interactive = canPrompt({
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env,
    size: size(),
  });
  const io = { signal: controller.signal, writer, size };
  const prompting =
    interactive &&
    options.strategy !== "stash" &&
    options.strategy !== "reset" &&
    options.suspects.length === 0;
  let moreGiven = false;
  try {
    const result = await attribute({
      ...(await commandOptionsOf(options)),
      repo,
      margin: options.margin,
      interleave: options.interleave,
      strategy: options.strategy,
      suspects: options.suspects,
      keep: options.keep,
      ...(options.base !== undefined ? { base: options.base } : {}),
      ...(prompting
        ? {
            pickSuspects: (changes, preselected) => {
              progress.stop();
              return promptSuspects(changes, preselected, { ...io, onClosed: hungUp });
            },
          }
        : {}),
      ...(interactive && !options.yes
        ? {
            confirmAbove: options.confirmAbove,
            confirmTouch: async (changed: number) => {
              progress.stop();
              try {
                return await promptConfirmTouch(changed, io);
              } catch (error) {
                if (!(error instanceof PromptCancelled)) throw error;
                if (error.how === "closed") hungUp();
                // Nothing is touched yet: the run ends here (exit 130, or the signal's code).
                throw new CancelledError(messages.cancelled());
              }
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
              moreRuns: async () => {
                progress.stop();
                try {
                  return await promptMoreRuns(Math.max(options.runs, 5), io);
                } catch (error) {
                  if (!(error instanceof PromptCancelled)) throw error;
                  // Ctrl-C or Escape: stop as Ctrl-C does anywhere else (restore, exit 130).
                  if (error.how === "closed") hungUp();
                  else if (error.how !== "signal")
                    interrupt("SIGINT", messages.promptCancelled(), promptCancelled);
                  return 0;
                }
              },
            }
          : {}),
      ...(options.verbose ? { onOutput: (chunk: Buffer) => writer.line(chunk) } : {}),
      ...(options.cache ? { cache: { version: cacheVersion(), env: options.cacheEnv } } : {}),
      perTest: options.perTest,
      ...(options.junit !== undefined ? { junit: options.junit } : {}),
      ...(options.worktree
        ? { worktree: true, jobs: options.jobs, share: { copy: options.shareCopy } }
        : {}),
      signal: controller.signal,
      onProgress: (event) => {
        // The reports load while the first run goes, not after the last one.
        if (event.kind === "run-start") void reports();
        progress.update(event);
      },
    });
    progress.end();
    const code = received ? signalExitCodes[received.name]! : exitCodeFor(result);
    // What happened goes to .git/culprit/last-run.json before anything is printed: after a
    // closed terminal that record is all the user has.
    recordEnding(stateDir, thisProcess(), {
      at: new Date().toISOString(),
      ...(received ? { signal: received } : {}),
      verdict: result.verdict,
      exitCode: code,
      restore: {
        touched: result.restore.touched,
        via: result.restore.via,
        verified: result.restore.verified,
      },
    });
    reporting = true;
    if (received) writeDeadline = Date.now() + signalGraceMs;
    if (writer.droppedBytes > 0) writer.line(`${messages.outputNotShown(writer.droppedBytes)}\n`);
    // The report follows the lines still queued on the terminal.
    await writer.flush(timeLeft());
    const stdout = process.stdout.isTTY
      ? openTerminalWriter(1, { maxQueuedBytes: Infinity })
      : null;
    const out = (text: string) => (stdout ? stdout.line(text) : process.stdout.write(text));
    const gitHub = isGitHubActions(env);
    const [{ toJson }, { renderLine }, { renderHuman }, { annotation }] = await reports();
    if (options.format === "json") {
      out(`${JSON.stringify(toJson(result, code), null, 2)}\n`);
    } else if (options.format === "line") {
      out(renderLine(result, (path) => existsSync(join(repo.root, path))));
    } else {
      out(
        renderHuman(result, {
          color: useColor(Boolean(process.stdout.isTTY), env),
          quiet: options.quiet,
        }),
      );
    }
    // After the report: the last lines of a failing run, where they do not break a machine's stdout.
    if (options.showOutput) {
      const human = options.format === "human";
      const stream = human ? process.stdout : process.stderr;
      const shown = await failingOutput(result, useColor(Boolean(stream.isTTY), env));
      if (shown) (human ? out : sayError)(shown);
    }
    if (gitHub) {
      // GitHub's runner reads workflow commands from the step's stdout and stderr alike; with
      // --json stdout is one JSON document, so the annotation goes to stderr there.
      (options.format === "json" ? sayError : out)(annotation(result));
      await writeStepSummary(env["GITHUB_STEP_SUMMARY"], result);
    }
    await stdout?.flush(timeLeft());
    return code;
  } catch (error) {
    progress.end();
    if (received) writeDeadline = Date.now() + signalGraceMs;
    const code = reportError(error);
    const ending = {
      at: new Date().toISOString(),
      ...(received ? { signal: received } : {}),
      exitCode: received ? signalExitCodes[received.name]! : code,
      error: (error as Error)?.message ?? String(error),
    };
    recordEnding(stateDir, thisProcess(), ending);
    return ending.exitCode;
  } finally {
    reporting = true;
    for (const signal of handled) process.off(signal, onSignal);
  }
}

/**
 * `culprit bisect`: the search, its report, its exit code. The first SIGINT / SIGTERM / SIGHUP
 * stops the runs and removes the worktrees (the user's tree was never written); culprit's lines
 * go through the writer that never blocks, as for an attribution.
 */
async function runBisect(
  options: CliOptions,
  repo: Repo,
  good: string | undefined,
  bad: string | undefined,
): Promise<number> {
  const { bisect } = await import("../machine/bisect.js");
  return withSignals(
    repo,
    options,
    messages.bisectSignal,
    async ({ controller, writer, progress, report: reporting }) => {
      const report = await bisect({
        ...(await commandOptionsOf(options)),
        ...(good !== undefined ? { good } : {}),
        ...(bad !== undefined ? { bad } : {}),
        jobs: options.jobs,
        share: { copy: options.shareCopy },
        perTest: options.perTest,
        ...(options.junit !== undefined ? { junit: options.junit } : {}),
        signal: controller.signal,
        onProgress: (event) =>
          progress(
            event.kind === "phase"
              ? event.text
              : `${event.label} ${event.commit.slice(0, 12)}: ${event.outcome}`,
          ),
      });
      const { bisectExitCode, bisectJson, renderBisectHuman } = await import("../report/bisect.js");
      const code = bisectExitCode(report);
      reporting(
        report.verdict === "culprit"
          ? `culprit ${report.culprit?.sha.slice(0, 12) ?? ""}`.trim()
          : report.verdict,
        code,
      );
      await writer.flush(timeLeft());
      if (options.format === "json")
        process.stdout.write(`${JSON.stringify(bisectJson(report, code), null, 2)}\n`);
      else process.stdout.write(renderBisectHuman(report, { quiet: options.quiet }));
      return code;
    },
  );
}

/**
 * `culprit isolate`: the attribution, then the search over your hunks, its report and exit code.
 * Signals stop the runs and remove the worktrees (the user's tree is never written), as for bisect.
 */
async function runIsolate(
  options: CliOptions,
  repo: Repo,
  lines: boolean,
  patchFile: string | undefined,
): Promise<number> {
  // A --patch that cannot be written is the user's to fix, before any run.
  const patchPath = patchFile === undefined ? undefined : resolve(process.cwd(), patchFile);
  if (patchPath !== undefined) {
    const dir = dirname(patchPath);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(messages.isolatePatchUnwritable(patchFile!, `no folder ${dir}`));
    if (existsSync(patchPath) && statSync(patchPath).isDirectory())
      throw new UsageError(messages.isolatePatchUnwritable(patchFile!, "it is a folder"));
  }
  const { isolateChanges } = await import("../machine/isolate.js");
  return withSignals(
    repo,
    options,
    messages.isolateSignal,
    async ({ controller, writer, progress, received, report: reporting }) => {
      const report = await isolateChanges({
        ...(await commandOptionsOf(options)),
        ...(options.base !== undefined ? { base: options.base } : {}),
        timeoutChosen: options.timeoutChosen === true,
        margin: options.margin,
        jobs: options.jobs,
        share: { copy: options.shareCopy },
        lines,
        perTest: options.perTest,
        ...(options.junit !== undefined ? { junit: options.junit } : {}),
        ...(options.cache ? { cache: { version: cacheVersion(), env: options.cacheEnv } } : {}),
        signal: controller.signal,
        onProgress: (event) =>
          progress(
            event.kind === "phase"
              ? event.text
              : `configuration ${event.index} (${event.units} change(s)): ${event.judgement}`,
          ),
      });
      const { isolateExitCode, isolateJson, renderIsolateHuman, renderIsolateLine } = await import(
        "../report/isolate.js"
      );
      const signalled = received();
      const code = signalled ? signalExitCodes[signalled]! : isolateExitCode(report);
      reporting(report.verdict, code);
      if (patchPath !== undefined && report.patchBytes) {
        try {
          writeFileSync(patchPath, report.patchBytes);
          writer.line(
            `${messages.isolatePatchWritten(patchFile!, report.hunks.length, report.needed.length, report.baseline.revert ? { paths: report.baseline.revert.length, rev: report.baseline.rev } : undefined)}\n`,
          );
        } catch (error) {
          writer.line(`${messages.isolatePatchUnwritable(patchFile!, (error as Error).message)}\n`);
        }
      }
      await writer.flush(timeLeft());
      if (options.format === "json")
        process.stdout.write(`${JSON.stringify(isolateJson(report, code), null, 2)}\n`);
      else if (options.format === "line") process.stdout.write(renderIsolateLine(report));
      else if (report.verdict === "not-regression")
        // The refusal is one line, where errors go.
        sayError(renderIsolateHuman(report));
      else process.stdout.write(renderIsolateHuman(report, { quiet: options.quiet }));
      return code;
    },
  );
}

/** What `withSignals` gives the command it runs. */
interface SignalContext {
  /** Aborted by the first SIGINT, SIGTERM or SIGHUP. */
  controller: AbortController;
  /** culprit's lines to the terminal (never blocks). */
  writer: TerminalWriter;
  /** The first signal received, if any. */
  received: () => NodeJS.Signals | null;
  /**
   * What the command is doing: a line with --verbose, else the spinner's text at a terminal
   * (nothing in CI, in a pipe, with --json, --format line or --quiet).
   */
  progress: (text: string) => void;
  /**
   * The report starts: records how the command ended in last-run.json (`culprit status` says it)
   * and, after a signal, gives the report a short grace; a signal from now on exits at once.
   */
  report: (verdict: string, exitCode: number) => void;
}

/**
 * The signal wiring of bisect and isolate (their worktrees are removed by the machine; the
 * user's tree is never written): the first SIGINT / SIGTERM / SIGHUP stops the runs, another
 * says culprit is stopping, one that comes while the report is written exits. An error ends the
 * command as for an attribution, with its ending recorded.
 */
async function withSignals(
  repo: Repo,
  options: CliOptions,
  say: (signal: string) => string,
  command: (context: SignalContext) => Promise<number>,
): Promise<number> {
  const { recordEnding } = await import("../machine/journal.js");
  const controller = new AbortController();
  const writer = openTerminalWriter(2);
  terminal = writer;
  let status = "starting";
  const spinner = createSpinner(
    options.format === "human" &&
      !options.quiet &&
      !options.verbose &&
      process.stderr.isTTY &&
      !isCI(process.env)
      ? writer
      : null,
    () => status,
    () => readTerminalSize(process.stderr),
  );
  let received = null as { name: NodeJS.Signals; at: string } | null;
  let reporting = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (reporting) {
      releaseHungUpTerminal();
      process.exit(signalExitCodes[received?.name ?? signal] ?? ExitCode.sigint);
    }
    if (received === null) {
      received = { name: signal, at: new Date().toISOString() };
      spinner.stop();
      writer.line(`\n${say(signal)}\n`);
      controller.abort(signal);
    } else writer.line(`${messages.signalAgain(true)}\n`);
  };
  const handled: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of handled) process.on(signal, onSignal);
  const untouched = { touched: false, via: "none", verified: false };
  try {
    return await command({
      controller,
      writer,
      received: () => received?.name ?? null,
      progress: (text) => {
        if (options.verbose) writer.line(`culprit: ${text}\n`);
        else {
          status = text;
          spinner.poke();
        }
      },
      report: (verdict, exitCode) => {
        reporting = true;
        spinner.end();
        recordEnding(repo.stateDir, thisProcess(), {
          at: new Date().toISOString(),
          ...(received ? { signal: received } : {}),
          verdict,
          exitCode,
          restore: untouched,
        });
        if (received) writeDeadline = Date.now() + signalGraceMs;
      },
    });
  } catch (error) {
    spinner.end();
    if (received) writeDeadline = Date.now() + signalGraceMs;
    const code = reportError(error);
    const exitCode = received ? signalExitCodes[received.name]! : code;
    recordEnding(repo.stateDir, thisProcess(), {
      at: new Date().toISOString(),
      ...(received ? { signal: received } : {}),
      exitCode,
      error: (error as Error)?.message ?? String(error),
      restore: untouched,
    });
    return exitCode;
  } finally {
    reporting = true;
    for (const signal of handled) process.off(signal, onSignal);
  }
}

/**
 * What attribution, bisect and isolate take alike from the command line (`commandOptions`,
 * loaded when a command runs: --help and --version load no machine module).
 */
async function commandOptionsOf(options: CliOptions) {
  const { commandOptions } = await import("../machine/types.js");
  return commandOptions({ ...options, cwd: process.cwd() });
}

/** This process's runs, for the last-run record (a pid is reused, a start time is not). */
function thisProcess(): { pid: number; since: number } {
  return { pid: process.pid, since: Date.now() - process.uptime() * 1000 - 1_000 };
}

/** `--show-output`: the last lines of the last failing run, your tree's first (null if none). */
async function failingOutput(result: AttributionResult, color: boolean): Promise<string | null> {
  const failing = (side: string) =>
    [...result.runs].reverse().find((r) => r.side === side && r.outcome !== "pass" && r.tail);
  const run = failing("current") ?? failing("baseline");
  if (!run?.tail) return null;
  const where = run.side === "current" ? "your tree" : "the baseline";
  // Colours as the test printed them where colour is on; plain text anywhere else.
  const { plainOutput } = await import("../run/classify.js");
  const tail = color ? run.tail : plainOutput(run.tail);
  const lines = tail.split("\n").map((line) => `  | ${line}`);
  const log = run.logPath ? ` (full log: ${run.logPath})` : "";
  return `culprit: last lines of run ${run.index} on ${where}, ${run.outcome}${log}:\n${lines.join("\n")}\n`;
}

/** Appends the Markdown summary to $GITHUB_STEP_SUMMARY; a failure to write it is only a warning. */
async function writeStepSummary(
  path: string | undefined,
  result: AttributionResult,
): Promise<void> {
  if (!path) return;
  const { stepSummary } = await import("../report/github.js");
  try {
    appendFileSync(path, stepSummary(result));
  } catch (error) {
    sayError(`culprit: could not write the step summary to ${path}: ${(error as Error).message}\n`);
  }
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    sayError(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof CancelledError) {
    sayError(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof StoppedError) {
    sayError(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof NotRestoredError) {
    sayError(`${error.message}\nTo restore it, run:\n  ${error.recovery}\n`);
    return error.exitCode;
  }
  sayError(`${(error as Error)?.stack ?? String(error)}\n${messages.internalError()}\n`);
  return ExitCode.notRestored;
}
