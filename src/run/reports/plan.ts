import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, type Stats, statSync } from "node:fs";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { normalizeOutput } from "../classify.js";
import { coverageWrapped, detectRunner, locateProgram } from "../detect-runner.js";
import { leadingSelection, nearestScript, scriptNamed, splitAndChain } from "../package-scripts.js";
import { findProfile, type RunnerProfile, runnerProfiles } from "../runner-profiles.js";
import {
  changedReports,
  classSourceFile,
  mavenBuildEntries,
  mavenReportFolders,
  reportStamps,
  surefireFailed,
} from "./maven-reports.js";
import { reportMessages } from "./messages.js";
import { parseAvaTap } from "./parse-ava-tap.js";
import { parseCargoOutput } from "./parse-cargo-output.js";
import { parseGoJson } from "./parse-go-json.js";
import { parseJestJson } from "./parse-jest-json.js";
import type { JunitOptions } from "./parse-junit.js";
import { nodeReporterSource, parseNodeEvents } from "./parse-node-events.js";
import { parseNodeTap } from "./parse-node-tap.js";
import { parsePlaywrightJson } from "./parse-playwright-json.js";
import { parseTapeOutput } from "./parse-tape-output.js";
import { parseUnittestOutput } from "./parse-unittest-output.js";
import { parseUvuOutput } from "./parse-uvu-output.js";
import { type ReportFormat, type Rewrite, rewriteArgv } from "./rewrite-argv.js";
import { failedChecks } from "./run-checks.js";
import { type PathContext, withDefinitionLines, withFailureFile } from "./shape-results.js";
import { expandTapeFiles } from "./tape-files.js";
import type { ParsedTests, TestCaseResult, TestReport } from "./types.js";

/** One run of the user's command, as planReport needs to know it. */
export interface ReportRequest {
  /** The user's command (ignored when shell is set). */
  argv: readonly string[];
  /** The --shell string. */
  shell?: string;
  /** Where the command runs (absolute). */
  cwd: string;
  /** Top of the work tree the run happens in; ids and files are relative to it. */
  root: string;
  /** --runner NAME forced by the user, or "none" (profiles off). */
  runner?: string;
  /** --junit PATH as the user gave it (relative to cwd): the user's own runner writes it. */
  junitPath?: string;
  /** An existing folder culprit owns, outside the work tree, for this run's report file(s). */
  reportDir: string;
}

/** What the run left that a report may be read from. */
export interface RunOutput {
  startedAt: number;
  /** A hung run's bytes of output when --timeout fired (RunResult.outputAtTimeout). */
  outputAtTimeout?: number;
  logPath: string | null;
  tail: string;
  exitCode: number | null;
}

/** The tests of one run, or why there are none to read. */
export type ReportReading =
  | { ok: true; report: TestReport }
  | {
      ok: false;
      why: string;
      /** The run's own output says that tests failed (Maven's console, its reports not found). */
      testsFailed?: boolean;
    };

/** How to get the tests of one run, or why this command is judged by its exit code. */
export type ReportPlan =
  | {
      kind: "report";
      source: string;
      /** The argv to run instead of the user's: reporter flags added (the user's argv when nothing is added). */
      argv: string[];
      /** What the run's outcome is classified as (its runner profile), when not the user's argv: an npm script's words. */
      classifyAs?: string[];
      /**
       * Build steps run before the runner (`npm run build && node --test test/`): a run that
       * failed without its report never reached the tests (`buildStopped`).
       */
      afterBuild?: boolean;
      /**
       * The report is begun as the runner starts (node's reporter writes each event as it comes),
       * so a run without one never started the runner; a report written at the end (jest, mocha's
       * xunit) may be missing because a test called process.exit.
       */
      startsWithRunner?: boolean;
      /** The shell string to run instead of the user's --shell one (its runner's flags added). */
      shell?: string;
      /** Extra environment for the run (may be empty). */
      env: Record<string, string>;
      /**
       * The runner was told to exit 0 when tests fail (Maven's `maven.test.failure.ignore`, so
       * that the modules after a failing one still run): a failing test in the report fails the
       * run (`withReportedFailures`).
       */
      exitsZeroOnFailures?: boolean;
      /** Called just before the run (e.g. to note the --junit file's stat). */
      prepare(): Promise<void>;
      /**
       * Called when --timeout fires, before the run is stopped (RunSpec.onTimeout): the report
       * file is kept as the tests left it, and read so if the stop writes it (`atStop`). Returns
       * the stop's first signal when the runner has one it ends on gracefully (`gracefulStop`).
       */
      atTimeout?(): NodeJS.Signals | undefined;
      /** Called after the run: the tests, or why there is no readable report for this run (missing, empty, unparsable). */
      read(output: RunOutput): Promise<ReportReading>;
    }
  | { kind: "none"; why: string };

// Programs that run a script of the project's, where no report can be added.
const scriptRunners = new Set([
  "npm",
  "yarn",
  "pnpm",
  "bun",
  "make",
  "just",
  "task",
  "nx",
  "turbo",
]);

// Written by culprit's capture when a log grows past its limit (src/run/capture-output.ts).
const cutMarker = /^\[culprit: \d+ bytes omitted\]$/m;

interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** Whether a file's stat data is the one stamped (nothing rewrote it since). */
function sameStamp(stamp: FileStamp | null | undefined, info: FileStamp): boolean {
  return (
    stamp != null &&
    stamp.ino === info.ino &&
    stamp.size === info.size &&
    stamp.mtimeMs === info.mtimeMs &&
    stamp.ctimeMs === info.ctimeMs
  );
}

async function stampOf(path: string): Promise<FileStamp | null> {
  try {
    const info = await stat(path);
    return { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
  } catch {
    return null;
  }
}

/**
 * The tests of a report. The XML parser is loaded only for a JUnit report (43 ms of start-up
 * that no other runner's run needs).
 */
async function parse(
  format: ReportFormat,
  text: string,
  label: string,
  context: PathContext & Pick<JunitOptions, "classFile">,
  files?: { patterns: string[]; cwd: string },
  /** The text is the report as it was when --timeout fired (ends before the run did). */
  stopped = false,
): Promise<ParsedTests> {
  const parsed = await parseFormat(format, text, label, context, files, stopped);
  if (!parsed.ok) return parsed;
  const tests = withDefinitionLines(parsed.tests, context, testFileText);
  return { ...parsed, tests: withFailureFile(tests, context, testFileHash) };
}

interface TestFile {
  stamp: string;
  text: string;
  /** A short hash of the text, made when first asked for. */
  hash?: string;
}

/** Test files read for their tests' lines, by path: read again only when their stat changes. */
const testFiles = new Map<string, TestFile>();

/** A test file (null when it cannot be read), read once a version, not once a run. */
function testFile(path: string): TestFile | null {
  try {
    const info = statSync(path);
    const stamp = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const known = testFiles.get(path);
    if (known?.stamp === stamp) return known;
    const entry: TestFile = { stamp, text: readFileSync(path, "utf8") };
    testFiles.set(path, entry);
    return entry;
  } catch {
    return null;
  }
}

/** A test file's text (null when it cannot be read). */
function testFileText(path: string): string | null {
  return testFile(path)?.text ?? null;
}

/** A short hash of a test file's text, which tells its versions apart (null when unreadable). */
export function testFileHash(path: string): string | null {
  const entry = testFile(path);
  if (entry === null) return null;
  entry.hash ??= createHash("sha1").update(entry.text).digest("hex").slice(0, 16);
  return entry.hash;
}

async function parseFormat(
  format: ReportFormat,
  text: string,
  label: string,
  context: PathContext & Pick<JunitOptions, "classFile">,
  files: { patterns: string[]; cwd: string } | undefined,
  stopped: boolean,
): Promise<ParsedTests> {
  const parseJunit = async (...args: Parameters<typeof import("./parse-junit.js").parseJunit>) =>
    (await import("./parse-junit.js")).parseJunit(...args);
  switch (format) {
    case "junit":
      return parseJunit(text, { ...context, label });
    case "pytest-junit":
      return parseJunit(text, { ...context, label, pytest: true, ...(stopped ? { stopped } : {}) });
    case "jest-json":
      return parseJestJson(text, { ...context, label });
    case "node-events":
      return parseNodeEvents(text, { ...context, label, ...(stopped ? { stopped } : {}) });
    case "go-json":
      return parseGoJson(text, context.root);
    case "cargo-output":
      return parseCargoOutput(text, context, stopped);
    case "unittest-output":
      return parseUnittestOutput(text, context);
    case "tape-output": {
      // Expanded at each read: the run's side (your tree, the baseline) has its own files.
      const loaded = files ? expandTapeFiles(files.patterns, files.cwd) : null;
      return parseTapeOutput(
        text,
        context,
        loaded ? { files: loaded, read: testFileText } : undefined,
      );
    }
    case "uvu-output":
      return parseUvuOutput(
        text,
        context,
        files?.patterns[0] !== undefined
          ? { dir: files.patterns[0], read: testFileText }
          : undefined,
        stopped,
      );
    case "ava-tap":
      return parseAvaTap(text, context, files);
    case "playwright-json":
      return parsePlaywrightJson(text, { ...context, label });
    case "node-tap":
      return parseNodeTap(text, { ...context, label });
  }
}

function reading(source: string, parsed: ParsedTests): ReportReading {
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    report: { source, tests: parsed.tests, ...(parsed.partial ? { partial: true as const } : {}) },
  };
}

/**
 * A report file as the tests left it when --timeout fired. A runner stopped may write its report
 * as it dies: node's runner reports the file it was in as failed ('test failed') when it gets
 * there first (one hung run in four under load), Playwright its interrupted tests, pytest with a
 * SIGTERM handler its junitxml. Read, the stop's failures were tests failing with your changes
 * (one seen failing in one hung run of four kept the comparison going to --max-runs); and the
 * whole file dropped, the results it already held were lost. So the file is read when the timer
 * fires (its text, no clock: a file system's coarse or remote timestamps do not matter), and
 * when the stop changed it, that text is the run's report. `taken` is undefined until the timer
 * fires (the run ended by itself: read the file as it is), null when the tests had not written
 * the file by then.
 */
class AtStop {
  private taken: string | null | undefined;
  /** The timer fired for this run: its report ends before the run did. */
  fired = false;

  /**
   * `graceful`: the format's runner is stopped with a signal it ends on by writing the report
   * of the tests that ended (pytest and SIGINT, its Ctrl-C): that report is read, as far as it
   * went, where the timer found none (pytest writes its junitxml only at the end). One the timer
   * found was written as the session ended (the run hung on its way out: a thread left going):
   * it is whole.
   */
  constructor(
    private readonly path: string,
    readonly graceful: NodeJS.Signals | undefined = undefined,
  ) {}

  /** A new run (or the retry of a hung one): nothing taken. */
  reset(): void {
    this.taken = undefined;
    this.fired = false;
  }

  /**
   * The timer fired: the file as it is now (null when absent, or, `ours`, not written by this
   * run). Left untaken when it cannot be read (the file is then read as it is after the run), or
   * is no regular file (a FIFO would block the read, and the stop, until its writer closes it).
   */
  take(ours: (info: Stats) => boolean = () => true): NodeJS.Signals | undefined {
    this.fired = true;
    try {
      const info = statSync(this.path);
      if (!info.isFile()) return this.graceful;
      if (ours(info)) this.taken = readFileSync(this.path, "utf8");
      else if (!this.graceful) this.taken = null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" && !this.graceful) this.taken = null;
    }
    return this.graceful;
  }

  /**
   * The report ends before the run did (read as far as it went, partial): the timer fired, and,
   * for a graceful stop, the runner wrote it as it stopped, not before.
   */
  get stopped(): boolean {
    return this.fired && !(this.graceful && typeof this.taken === "string");
  }

  /**
   * The text to read: the file's, or the one taken at the stop when the stop changed it
   * (`taken`), or none when the tests had not written it by then (`stopped`).
   */
  resolve(
    read: { text: string } | { error: NodeJS.ErrnoException },
  ): { text: string; taken?: true } | { error: NodeJS.ErrnoException } | { stopped: true } {
    if (this.taken === undefined) return read;
    if (this.taken === null) return "error" in read ? read : { stopped: true };
    return "text" in read && read.text === this.taken ? read : { text: this.taken, taken: true };
  }
}

async function readText(
  path: string,
): Promise<{ text: string } | { error: NodeJS.ErrnoException }> {
  try {
    return { text: await readFile(path, "utf8") };
  } catch (error) {
    return { error: error as NodeJS.ErrnoException };
  }
}

// A report file someone else writes (--junit, the user's own --junitxml): never deleted or
// rewritten (DESIGN.md invariant 3, ignored files are never touched), so a run that did not
// write it is told by its unchanged stat.
function userFilePlan(
  context: PathContext,
  source: string,
  format: ReportFormat,
  argv: string[],
  file: string,
  label: string,
): ReportPlan {
  let before: FileStamp | null | undefined;
  const atStop = new AtStop(file, gracefulStop(format));
  return {
    kind: "report",
    source,
    argv,
    env: {},
    async prepare() {
      before = await stampOf(file);
      atStop.reset();
    },
    atTimeout() {
      // The file from before the run, not rewritten yet when the timer fired, is not this run's.
      return atStop.take((info) => !sameStamp(before, info));
    },
    async read(output) {
      // The tests' report as the timer found it, whatever the stop did to the file since.
      const resolved = atStop.resolve(await readText(file));
      if ("taken" in resolved)
        return reading(source, await parse(format, resolved.text, label, context));
      const after = await stampOf(file);
      if (after === null) return { ok: false, why: reportMessages.missing(label) };
      const unchanged =
        before === undefined ? after.mtimeMs < output.startedAt - 2_000 : sameStamp(before, after);
      if (unchanged) return { ok: false, why: reportMessages.notRewritten(label) };
      if ("stopped" in resolved) return { ok: false, why: reportMessages.writtenAsStopped(label) };
      if ("error" in resolved) {
        return resolved.error.code === "EISDIR"
          ? { ok: false, why: reportMessages.notAFile(label) }
          : { ok: false, why: reportMessages.unreadable(label, resolved.error.message) };
      }
      return reading(
        source,
        await parse(format, resolved.text, label, context, undefined, atStop.stopped),
      );
    },
  };
}

/**
 * The signal that stops a hung run of this format's runner with its report of the tests that
 * ended. pytest, on SIGINT (Ctrl-C), ends the test it is in with KeyboardInterrupt, leaves it
 * out of the junitxml, runs its teardowns and writes the file; on SIGTERM it dies without one,
 * and a hung run told nothing: beside an old hang, a test your change breaks went unseen.
 */
function gracefulStop(format: ReportFormat): NodeJS.Signals | undefined {
  return format === "pytest-junit" ? "SIGINT" : undefined;
}

function planRewrite(rewrite: Rewrite, request: ReportRequest, context: PathContext): ReportPlan {
  switch (rewrite.kind) {
    case "none":
      return rewrite;
    case "theirs":
      return userFilePlan(
        context,
        rewrite.source,
        rewrite.format,
        rewrite.argv,
        rewrite.file,
        reportMessages.userReport(rewrite.shown),
      );
    case "own": {
      const label = reportMessages.ownReport(rewrite.source);
      const atStop = new AtStop(rewrite.file, gracefulStop(rewrite.format));
      return {
        kind: "report",
        source: rewrite.source,
        ...(rewrite.format === "node-events" ? { startsWithRunner: true } : {}),
        argv: rewrite.argv,
        env: rewrite.env ?? {},
        async prepare() {
          await rm(rewrite.file, { force: true });
          atStop.reset();
          for (const [name, content] of Object.entries(rewrite.support)) {
            await writeFile(join(request.reportDir, name), content);
          }
        },
        atTimeout() {
          return atStop.take();
        },
        async read() {
          const read = atStop.resolve(await readText(rewrite.file));
          if ("stopped" in read) return { ok: false, why: reportMessages.writtenAsStopped(label) };
          if ("error" in read) {
            return read.error.code === "ENOENT"
              ? { ok: false, why: reportMessages.missing(label) }
              : { ok: false, why: reportMessages.unreadable(label, read.error.message) };
          }
          // A hung run's node:test events: the tests that ended before the timer fired.
          return reading(
            rewrite.source,
            await parse(rewrite.format, read.text, label, context, undefined, atStop.stopped),
          );
        },
      };
    }
    case "written":
      return writtenPlan(rewrite, context);
    case "log":
      return {
        kind: "report",
        source: rewrite.source,
        argv: rewrite.argv,
        env: {},
        async prepare() {},
        async read(output) {
          if (output.logPath === null) return { ok: false, why: reportMessages.noLog() };
          let bytes: Buffer;
          try {
            bytes = await readFile(output.logPath);
          } catch {
            return { ok: false, why: reportMessages.noLog() };
          }
          // A hung run: its output up to the timer, the tests that ended by then (what the
          // runner prints as the stop kills it is the stop's). Cut as bytes, then decoded.
          const stopped = output.outputAtTimeout;
          const text = (stopped === undefined ? bytes : bytes.subarray(0, stopped)).toString(
            "utf8",
          );
          if (cutMarker.test(text)) return { ok: false, why: reportMessages.logCut() };
          return reading(
            rewrite.source,
            await parse(rewrite.format, text, "", context, rewrite.files, stopped !== undefined),
          );
        },
      };
  }
}

/**
 * Reports the runner writes in the tree (Maven's Surefire, src/run/reports/maven-reports.ts):
 * the files this run made or changed, by their stat data before it, each parsed, their tests
 * together. Never written, moved or deleted: they are the user's files.
 */
function writtenPlan(
  rewrite: Extract<Rewrite, { kind: "written" }>,
  context: PathContext,
): ReportPlan {
  const label = reportMessages.mavenReports();
  let before = new Map<string, string>();
  const folders = () => mavenReportFolders(rewrite.project);
  return {
    kind: "report",
    source: rewrite.source,
    argv: rewrite.argv,
    env: {},
    // Told to (or by your POM's testFailureIgnore, or your own property), Maven exits 0 when
    // tests fail: the report says it.
    exitsZeroOnFailures: true,
    async prepare() {
      before = reportStamps(folders().map((f) => f.folder));
    },
    async read(output) {
      // Listed again: a module your change adds has reports of its own.
      const now = folders();
      const moduleOf = new Map(now.map((f) => [f.folder, f.module]));
      const files = changedReports(before, reportStamps(now.map((f) => f.folder)));
      // The run's output, colours taken out, read once when asked for.
      let text: Promise<string> | undefined;
      const log = () => {
        text ??= (async () => {
          const read = output.logPath === null ? null : await readText(output.logPath);
          return normalizeOutput(read !== null && "text" in read ? read.text : output.tail);
        })();
        return text;
      };
      if (files.length === 0) {
        // Reports elsewhere (a folder culprit does not know): Maven exited 0 all the same, and
        // only its console says whether tests failed.
        const failed = output.exitCode === 0 && surefireFailed(await log());
        return {
          ok: false,
          why: reportMessages.missing(label),
          ...(failed ? { testsFailed: true } : {}),
        };
      }
      // One test in two files is one test: Surefire 3 with JUnit 5 writes a class's tests
      // into the file of its @Nested class, beside an empty one of its own (a failure wins).
      const tests = new Map<string, TestCaseResult>();
      for (const file of files) {
        const read = await readText(file);
        const shown = relative(context.root, file);
        if ("error" in read) {
          return { ok: false, why: reportMessages.unreadable(shown, read.error.message) };
        }
        // The module's test sources name the test's file.
        const module = moduleOf.get(dirname(file))!;
        const parsed = await parse(rewrite.format, read.text, shown, {
          ...context,
          classFile: (classname) => classSourceFile(module, classname),
        });
        if (!parsed.ok) return parsed;
        for (const test of parsed.tests) {
          const known = tests.get(test.id);
          if (known === undefined || (known.status !== "fail" && test.status !== "skip"))
            tests.set(test.id, test);
        }
      }
      // A non-zero exit: what failed outside the tests (a module that does not compile).
      const outside =
        output.exitCode !== null && output.exitCode !== 0 ? mavenBuildEntries(await log()) : [];
      // Exit 0 and no failing test read, where Surefire's console says tests failed: their
      // reports are in a folder culprit does not know (a <reportsDirectory> named by another
      // property). The run failed; which tests, culprit cannot say (found in review).
      const failing = [...tests.values()].some((test) => test.status === "fail");
      if (output.exitCode === 0 && !failing && surefireFailed(await log())) {
        return { ok: false, why: reportMessages.mavenReportsElsewhere(), testsFailed: true };
      }
      return {
        ok: true,
        report: { source: rewrite.source, tests: [...tests.values(), ...outside] },
      };
    },
  };
}

// `sh -c "..."` given as an argv is a shell script too.
function isShellArgv(argv: readonly string[]): boolean {
  const program = argv[0]?.split("/").pop() ?? "";
  return ["sh", "bash", "dash", "zsh", "ksh"].includes(program) && argv[1] === "-c";
}

// The profile that applies to the program word: the one forced by --runner, else detected.
function profileFor(
  program: { program: string; args: readonly string[] },
  forced: string | undefined,
  launcher: string,
): RunnerProfile | { why: string } {
  if (forced !== undefined) {
    const profile = findProfile(forced);
    if (profile === undefined || !profile.detect(program)) {
      return { why: reportMessages.otherRunner(forced, program.program) };
    }
    return profile;
  }
  const detected = runnerProfiles.find((profile) => profile.detect(program));
  if (detected !== undefined) return detected;
  // `yarn test`, `pnpm run check`: the script's name is no runner, the launcher runs a script.
  const script = [program.program, launcher].find((name) => scriptRunners.has(name));
  return {
    why:
      script !== undefined
        ? reportMessages.scriptRunner(script)
        : reportMessages.unknownProgram(program.program),
  };
}

/** Pure except for `prepare`/`read`; called once per run (each run gets a fresh reportDir). */
export function planReport(request: ReportRequest): ReportPlan {
  const context: PathContext = { cwd: request.cwd, root: request.root, exists: existsSync };
  if (request.junitPath !== undefined) {
    const source = `--junit ${request.junitPath}`;
    // A pytest command writes the file (its --junitxml): read, and stopped, as pytest's.
    const program = locateProgram(request.argv);
    const pytest = program !== null && findProfile("pytest")?.detect(program) === true;
    return userFilePlan(
      context,
      source,
      pytest ? "pytest-junit" : "junit",
      [...request.argv],
      resolve(request.cwd, request.junitPath),
      reportMessages.userReport(request.junitPath),
    );
  }
  if (request.runner === "none") return { kind: "none", why: reportMessages.runnerNone() };
  if (request.shell !== undefined) {
    const planned = planShellString(request.shell, request);
    if (planned) return planned;
  }
  // `sh -c "node --test test/"` as an argv: planned as --shell is, run by the user's own shell.
  if (isShellArgv(request.argv) && request.argv.length === 3) {
    const planned = planShellString(request.argv[2]!, { ...request, shell: request.argv[2]! });
    if (planned?.kind === "report" && planned.shell !== undefined) {
      const { shell, ...plan } = planned;
      return { ...plan, argv: [request.argv[0]!, "-c", shell] };
    }
  }
  if (request.shell !== undefined || isShellArgv(request.argv)) {
    return { kind: "none", why: reportMessages.shellCommand() };
  }
  const script = packageScript(request.argv, request.cwd, request.root);
  const throughManager = script ? planThroughManager(script, request, context) : null;
  if (throughManager) return throughManager;
  const wrapped = planWrappedScript(request, context);
  if (wrapped) return wrapped;
  const program = locateProgram(request.argv);
  if (program === null) return { kind: "none", why: reportMessages.unknownProgram("") };
  const launcher = request.argv[0]?.split("/").pop() ?? "";
  const profile = profileFor(program, request.runner, launcher);
  if ("why" in profile) {
    // `npm test` whose script is `npm run lint && npm run unit`, or a runner culprit has no
    // report for (`tap`): the script says why, where "`npm` runs a script" did not (node-semver
    // and fs-extra trials).
    const quoted = scriptsText(request.argv, request.cwd, request.root);
    return {
      kind: "none",
      why: quoted
        ? reportMessages.scriptNotFollowed(quoted.shown, quoted.script, quoted.runnerKnown)
        : profile.why,
    };
  }
  const rewrite = rewriteArgv(
    profile.name,
    {
      argv: request.argv,
      offset: program.offset,
      cwd: request.cwd,
      reportDir: request.reportDir,
      vitestMajor: profile.name === "vitest" ? installedMajor("vitest", request.cwd) : null,
    },
    nodeReporterSource,
  );
  return planRewrite(rewrite, request, context);
}

/**
 * The text of the package script a plain `npm test`, `npm run NAME`, `pnpm NAME` or `yarn NAME`
 * runs (the nearest package.json at or above `cwd`, up to the top of the work tree); null for any
 * other command line, or without such a script.
 */
function scriptsText(
  argv: readonly string[],
  cwd: string,
  root: string,
): { shown: string; script: string; runnerKnown: boolean } | null {
  const manager = basename(argv[0] ?? "");
  if (manager !== "npm" && manager !== "pnpm" && manager !== "yarn") return null;
  const named = scriptNamed(manager, argv);
  if (named === null) return null;
  const script = nearestScript(cwd, root, named.name)?.script;
  if (typeof script !== "string") return null;
  // Only where the script's shape is why: more than build steps and one runner (a linter
  // first, a pipe, quotes), or a program culprit has no report for (`tap`).
  const parts = buildStepsThenRunner(script);
  const program = parts ? locateProgram(parts.words) : null;
  if (program && runnerProfiles.some((profile) => profile.detect(program))) return null;
  const shown = [manager, ...(named.form === "test" ? ["test"] : [named.verb, named.name])];
  // A runner culprit reads, somewhere in the script (not a build step): run alone, it is judged
  // test by test.
  const runner = detectRunner(script);
  const runnerKnown = runner !== null && findProfile(runner)?.buildStep !== true;
  return { shown: [...new Set(shown)].join(" "), script, runnerKnown };
}

/**
 * A script (an npm script's, a --shell string) as build steps then one runner's words, split on
 * `&&`; null when the shell would make more of it than that: other operators, `&`, `$`,
 * backquotes, backslashes, redirections, a `#` comment, or a step that is not a build. A word in
 * single quotes, or in double quotes without `$`, backquotes or backslashes, is one word without
 * them (`tape 'test/**\/*.js'`, as tape's projects write it: their glob is tape's to expand);
 * `quoted` says the script had one, so that it is not rebuilt from its words.
 */
function buildStepsThenRunner(
  script: string,
): { steps: string[]; words: string[]; quoted: boolean } | null {
  const split = splitAndChain(script);
  // `tsc&&mocha`: not rebuilt (the shell's own reading of it is left alone).
  if (!split || split.glued) return null;
  const steps = split.texts.slice(0, -1).map((text) => text.trim());
  if (split.quoted && steps.some((step) => /['"]/.test(step))) return null;
  if (!steps.every(isBuildStep)) return null;
  return { steps, words: split.words[split.words.length - 1]!, quoted: split.quoted };
}

/** A word the shell passes on as it is: no quoting needed (globs stay the shell's to expand). */
const plainWord = /^[\w@%+=:,./*?[\]{}~-]+$/;

/** A word as the shell must be given it to pass it on unchanged. */
function shellWord(word: string): string {
  return plainWord.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * `--shell "RUNNER ARGS"` or `--shell "BUILD && ... && RUNNER ARGS"` (build steps as an npm
 * script may have them: `tsc -p . && node --test dist/`): planned as the runner's own argv, the
 * string rebuilt with the report's flags. Null for anything else (operators, quotes, `$`,
 * redirections, a step that is not a build: what the shell makes of it is not ours to guess).
 * The run is classified as the whole string: a build step that fails could not run the tests.
 */
function planShellString(script: string, request: ReportRequest): ReportPlan | null {
  const parts = buildStepsThenRunner(script);
  if (parts === null) return null;
  const { steps, words, quoted } = parts;
  if (words.length === 0 || !words.every((word) => plainWord.test(word))) return null;
  const plan = planReport({ ...request, argv: words, shell: undefined });
  if (plan.kind !== "report" || plan.shell !== undefined) return null;
  // A quoted word (a glob for the runner) is the shell's to pass on as written: the string runs
  // as it is when the report needs no other words (tape's TAP), else it is not planned.
  const unchanged = plan.argv.length === words.length && plan.argv.every((w, i) => w === words[i]);
  if (quoted && !unchanged) return null;
  const runner = plan.argv.map(shellWord).join(" ");
  return {
    ...plan,
    shell: quoted ? script : [...steps, runner].join(" && "),
    classifyAs: steps.length > 0 ? ["sh", "-c", script] : (plan.classifyAs ?? words),
    ...(steps.length > 0 || plan.afterBuild ? { afterBuild: true } : {}),
  };
}

/** What `npm test`, `pnpm run NAME` or `yarn NAME` runs: the script's words with the user's args. */
interface PackageScript {
  /** The package manager: npm, pnpm or yarn (1). */
  manager: string;
  /** The script's name in package.json. */
  name: string;
  /** Its words, then the user's args to it (the manager appends them). */
  words: string[];
  /** The folder of the package.json: the manager runs the script there. */
  dir: string;
  /**
   * How more args reach the script: after a `--` (npm, and `pnpm test`, which takes options of
   * its own and drops one `--`), or at the end as they are (`pnpm run NAME`, which passes a `--`
   * on to the script; yarn 1, which drops it).
   */
  pass: "after-dashes" | "at-the-end";
  /** What the report calls it: "npm test", "pnpm run unit". */
  shown: string;
  /** The whole script, as runs are classified, when build steps come before the runner. */
  classifyAs?: string[];
}

/**
 * A command before the runner in a script (`tsc -p . && node --test dist/`) that builds: a
 * compiler or bundler, or a package script named for building (`npm run build`, `yarn
 * build:types`). Any other (a linter, another runner) may stop the script or print a report of
 * its own: such scripts are not followed.
 */
function isBuildStep(segment: string): boolean {
  const words = segment.split(/\s+/).filter((word) => word !== "");
  // A variable for the step (`NODE_ENV=production webpack`) is not ours to judge; an option's
  // `--mode=production` is the step's.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? "")) return false;
  const program = locateProgram(words);
  if (program === null) return false;
  const builders = [
    "tsc",
    "tsgo",
    "vue-tsc",
    "tsup",
    "esbuild",
    "rollup",
    "webpack",
    "babel",
    "swc",
  ];
  if (builders.includes(program.program)) return true;
  if (program.program === "vite") return program.args[0] === "build";
  const built =
    /^(?:pre)?(?:build|compile|typecheck|type-check|codegen|generate|bundle)(?:[:-][\w:-]*)?$/;
  const [manager, verb, name] = words;
  if (manager !== "npm" && manager !== "pnpm" && manager !== "yarn") return false;
  if (verb === "run" || verb === "run-script") return words.length === 3 && built.test(name ?? "");
  return manager === "yarn" && words.length === 2 && built.test(verb ?? "");
}

/**
 * Whether the project of the package at `dir` uses yarn 2 or later, whose handling of args is not
 * yarn 1's: a .yarnrc.yml or .yarn/releases, or a `packageManager` of yarn 2+, at `dir` or above
 * it up to the top of the work tree (a monorepo's root has them, its packages not).
 */
function yarnBerry(dir: string, root: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, ".yarnrc.yml")) || existsSync(join(at, ".yarn", "releases")))
      return true;
    try {
      const manager = JSON.parse(readFileSync(join(at, "package.json"), "utf8"))?.packageManager;
      if (typeof manager === "string" && /^yarn@(?!1\.)\d/.test(manager)) return true;
    } catch {}
    if (at === dirname(at) || relative(root, at) === "") return false;
  }
}

/** The args after the script's name, as the manager hands them to the script (null: not ours to guess). */
function scriptArgs(
  manager: string,
  pass: PackageScript["pass"],
  rest: readonly string[],
): string[] | null {
  if (pass === "after-dashes") {
    // npm's own options (or pnpm test's) before `--` are npm's: not ours to guess.
    if (rest.length > 0 && rest[0] !== "--") return null;
    return rest.slice(1);
  }
  // pnpm run NAME passes every word on, a `--` included, after which a runner takes no options.
  if (manager === "pnpm") return rest.includes("--") ? null : [...rest];
  // yarn 1 passes every word on but a first `--`.
  return rest[0] === "--" ? rest.slice(1) : [...rest];
}

/**
 * `npm test` (`t`, `tst`), `npm run NAME` (`run-script`), `pnpm test`, `pnpm run NAME`, `yarn
 * test`, `yarn run NAME` and `yarn NAME` (yarn 1: a project of yarn 2 or later is left out, see
 * yarnBerry), with the user's args, whose script is one plain command: null for
 * anything else (the manager's own options, a script with operators, quotes, variables or
 * redirections: what the shell makes of it is not ours to guess).
 */
function packageScript(
  command: readonly string[],
  cwd: string,
  root: string,
): PackageScript | null {
  const manager = basename(command[0] ?? "");
  if (manager !== "npm" && manager !== "pnpm" && manager !== "yarn") return null;
  // pnpm --filter NAME|./PATH, pnpm -C PATH, yarn workspace NAME: one package chosen up front.
  const chosen = leadingSelection(manager, command);
  if (chosen === null) return null;
  const argv = [command[0]!, ...command.slice(chosen.consumed)];
  const named = scriptNamed(manager, argv);
  if (named === null) return null;
  const { name, form, verb } = named;
  let rest: readonly string[] = named.rest;
  const pass =
    manager === "npm" || (manager === "pnpm" && form === "test") ? "after-dashes" : "at-the-end";
  // npm's -w: the script of one workspace's package.json.
  const workspace = manager === "npm" ? workspaceOption(rest) : null;
  if (workspace) rest = workspace.rest;
  const args = scriptArgs(manager, pass, rest);
  if (args === null) return null;
  // yarn passes on a second `--` of the args it was given here: not ours to guess.
  if (manager === "yarn" && chosen.member !== undefined && rest.includes("--")) return null;
  const from = chosen.dir === undefined ? cwd : resolve(cwd, chosen.dir);
  const member = workspace?.value ?? chosen.member;
  const start = member === undefined ? from : workspaceDir(manager, member, from, cwd, root);
  if (start === null) return null;
  // The manager runs the script of the nearest package.json at or above cwd (a workspace's own);
  // a chosen package's own package.json, or (pnpm -C) the folder's: nothing above it.
  const found = nearestScript(start, root, name, start !== cwd);
  if (found === null) return null;
  const { dir, script } = found;
  if (manager === "yarn" && yarnBerry(dir, root)) return null;
  // `tsc && mocha`: build steps, then the runner, whose options npm appends to the script's
  // end (a `#` comment would take them in).
  if (typeof script !== "string") return null;
  const parts = buildStepsThenRunner(script);
  if (parts === null) return null;
  const { steps, words } = parts;
  // `NODE_ENV=test mocha`: variables for the command, which the shell sets (the runner's
  // options still go at the end); a variable's name then its value, nothing else.
  const assigned = words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
  if (assigned < 0) return null;
  const verbShown =
    form === "test" ? "test" : manager === "yarn" && verb === name ? name : `run ${name}`;
  const shown = [
    manager,
    ...command.slice(1, chosen.consumed),
    verbShown,
    ...(workspace ? [`-w ${workspace.value}`] : []),
  ].join(" ");
  const run = [...words, ...args];
  // Classified as what the shell runs: a build step that fails could not run the tests.
  const classifyAs =
    steps.length > 0 ? ["sh", "-c", [...steps, run.join(" ")].join(" && ")] : undefined;
  return {
    manager,
    name,
    words: run,
    dir,
    pass,
    shown,
    ...(classifyAs ? { classifyAs } : {}),
  };
}

/**
 * npm's one workspace option before the script's args (`-w NAME`, `--workspace PATH`,
 * `--workspace=NAME`), and the args without it; null without one. Two of them, `--workspaces`
 * or any other option of npm's stay npm's business (scriptArgs then declines).
 */
function workspaceOption(rest: readonly string[]): { value: string; rest: string[] } | null {
  const [first, second] = rest;
  if ((first === "-w" || first === "--workspace") && second && !second.startsWith("-"))
    return single({ value: second, rest: rest.slice(2) });
  const joined = first?.match(/^(?:-w|--workspace)=(.+)$/);
  return joined ? single({ value: joined[1]!, rest: rest.slice(1) }) : null;
}

function single(found: { value: string; rest: string[] }): typeof found | null {
  const more = found.rest.findIndex(
    (arg) => arg === "--" || /^(?:-w|--workspaces?)(?:=|$)/.test(arg),
  );
  return more >= 0 && found.rest[more] !== "--" ? null : found;
}

/**
 * The folder of the workspace package `value` names, as the manager finds it: by its package
 * name, or (npm; pnpm for a value starting with `.`) by its folder, relative to `cwd` (the
 * folder culprit runs in, even with pnpm's -C). The workspaces are those of the project `from`
 * is in: pnpm's nearest pnpm-workspace.yaml above; npm's and yarn's nearest package.json if it
 * declares `workspaces`, else the nearest one above it that lists that package as one of them
 * (npm finds no workspace in a package that belongs to none). Patterns `dir/*` and plain
 * folders, `!` patterns excluding (`**` and `*` in them); null for other patterns, a package
 * yarn 1 would not take (no version), a value that names two packages, or none.
 */
function workspaceDir(
  manager: string,
  value: string,
  from: string,
  cwd: string,
  root: string,
): string | null {
  const project = workspaceProject(manager, from, root);
  if (project === null) return null;
  const { dir, patterns } = project;
  const folders: string[] = [];
  const excluded: RegExp[] = [];
  for (const pattern of patterns) {
    const clean = pattern.replace(/^!/, "").replace(/^\.\//, "").replace(/\/$/, "");
    if (pattern.startsWith("!")) {
      if (/[?[\]{}]/.test(clean)) return null;
      const source = clean
        .split("/")
        .map((part) =>
          part === "**"
            ? "(?:.*/)?"
            : `${part.replace(/[.+^$()|\\]/g, "\\$&").replace(/\*/g, "[^/]*")}/`,
        )
        .join("");
      excluded.push(new RegExp(`^${source}`));
      continue;
    }
    if (/[*?[\]{}]/.test(clean.replace(/\/\*$/, ""))) return null;
    if (!clean.endsWith("/*")) folders.push(join(dir, clean));
    else {
      const parent = join(dir, clean.slice(0, -2));
      try {
        for (const entry of readdirSync(parent, { withFileTypes: true }))
          if (entry.isDirectory()) folders.push(join(parent, entry.name));
      } catch {}
    }
  }
  const members = new Map<string, { name?: unknown; version?: unknown }>();
  for (const folder of folders) {
    if (excluded.some((pattern) => pattern.test(`${relative(dir, folder)}/`))) continue;
    try {
      members.set(folder, JSON.parse(readFileSync(join(folder, "package.json"), "utf8")));
    } catch {}
  }
  const found = new Set<string>();
  if (manager === "npm" || (manager === "pnpm" && value.startsWith("."))) {
    const byPath = resolve(cwd, value);
    if (members.has(byPath)) found.add(byPath);
  }
  if (manager !== "pnpm" || !value.startsWith(".")) {
    for (const [folder, manifest] of members) {
      if (manifest?.name !== value) continue;
      // yarn 1 leaves out a workspace without a version ("Unknown workspace").
      if (manager === "yarn" && typeof manifest.version !== "string") return null;
      found.add(folder);
    }
  }
  return found.size === 1 ? [...found][0]! : null;
}

/** The folder whose workspaces `value` is looked up in, and their patterns (see workspaceDir). */
function workspaceProject(
  manager: string,
  from: string,
  root: string,
): { dir: string; patterns: string[] } | null {
  const top = (dir: string) => dir === dirname(dir) || relative(root, dir) === "";
  if (manager === "pnpm") {
    for (let dir = from; ; dir = dirname(dir)) {
      const patterns = pnpmWorkspaces(dir);
      if (patterns !== null) return { dir, patterns };
      if (top(dir)) return null;
    }
  }
  let nearest: string | null = null;
  for (let dir = from; ; dir = dirname(dir)) {
    if (nearest === null && existsSync(join(dir, "package.json"))) nearest = dir;
    const patterns = packageWorkspaces(dir);
    if (patterns !== null) {
      if (nearest === dir) return { dir, patterns };
      // The nearest package.json must be one of this project's workspaces.
      const listed = patterns.some(
        (pattern) =>
          !pattern.startsWith("!") &&
          (resolve(dir, pattern.replace(/\/\*$/, "")) === nearest ||
            (pattern.endsWith("/*") &&
              resolve(dir, pattern.slice(0, -2)) === dirname(nearest ?? ""))),
      );
      return nearest === null || listed ? { dir, patterns } : null;
    }
    if (top(dir)) return null;
  }
}

/** The `workspaces` patterns of the package.json in `dir` (npm, yarn), or null. */
function packageWorkspaces(dir: string): string[] | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const patterns = Array.isArray(manifest?.workspaces)
      ? manifest.workspaces
      : manifest?.workspaces?.packages;
    return Array.isArray(patterns) && patterns.every((p) => typeof p === "string")
      ? patterns
      : null;
  } catch {
    return null;
  }
}

/** The `packages` patterns of pnpm-workspace.yaml in `dir` (its block list), or null. */
function pnpmWorkspaces(dir: string): string[] | null {
  let text: string;
  try {
    text = readFileSync(join(dir, "pnpm-workspace.yaml"), "utf8");
  } catch {
    return null;
  }
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*(?:#.*)?$/.test(line);
    else if (inPackages) {
      const item = line.match(/^\s+-\s+(["']?)([^"'#]+?)\1\s*(?:#.*)?$/);
      if (item) patterns.push(item[2]!);
      else if (line.trim() !== "" && !line.trim().startsWith("#")) return null;
    }
  }
  return patterns;
}

/**
 * The runner's words in the package script `argv` runs from `cwd` (`npm test` whose script is
 * `mocha`: `["mocha"]`, with the user's args after them), or null when it is not one of the
 * forms packageScript reads. `root` is the top of the work tree (the search for package.json
 * stops there).
 */
export function packageScriptRunner(
  argv: readonly string[],
  cwd: string,
  root: string,
): string[] | null {
  return packageScript(argv, cwd, root)?.words ?? null;
}

/**
 * The words a run of the package script `argv` runs from `cwd` is classified by: the runner's
 * (packageScriptRunner), or the whole script as `sh -c` when build steps come first (`tsc &&
 * mocha`: a build that fails could not run the tests). Null as packageScriptRunner.
 */
export function packageScriptWords(
  argv: readonly string[],
  cwd: string,
  root: string,
): string[] | null {
  const script = packageScript(argv, cwd, root);
  return script ? (script.classifyAs ?? script.words) : null;
}

/**
 * The report of the runner a package script runs, asked through its manager: culprit's options
 * go where the manager hands them on to the script (after `--` for npm). Null (the script is
 * then a script to culprit) when its runner is not one culprit knows, or when the report needs
 * more than options at the end.
 */
function planThroughManager(
  script: PackageScript,
  request: ReportRequest,
  context: PathContext,
  depth = 0,
): ReportPlan | null {
  const nested = planNestedScript(script, request, context, depth);
  if (nested) return nested;
  const program = locateProgram(script.words);
  if (program === null) return null;
  const profile = profileFor(program, request.runner, "");
  if ("why" in profile) return null;
  const rewrite = rewriteArgv(
    profile.name,
    {
      argv: script.words,
      offset: program.offset,
      cwd: script.dir,
      reportDir: request.reportDir,
      vitestMajor: profile.name === "vitest" ? installedMajor("vitest", script.dir) : null,
    },
    nodeReporterSource,
  );
  if (rewrite.kind === "none") return rewrite;
  if (script.words.some((word, i) => rewrite.argv[i] !== word)) {
    // node takes options only before the test files, where a script's args cannot go: given in
    // NODE_OPTIONS instead, which node reads for the reporter options.
    const env =
      profile.name === "node"
        ? nodeOptionsFor(script.words, program.offset, rewrite, script.dir, context.root)
        : null;
    if (env === null || rewrite.kind !== "own") return null;
    const source = `${rewrite.source}, through ${script.shown}`;
    const planned = planRewrite({ ...rewrite, argv: [...request.argv], env, source }, request, {
      ...context,
      cwd: script.dir,
    });
    return planned.kind === "report"
      ? {
          ...planned,
          classifyAs: script.classifyAs ?? script.words,
          ...(script.classifyAs ? { afterBuild: true } : {}),
        }
      : planned;
  }
  const added = rewrite.argv.slice(script.words.length);
  // cross-env reparses its arguments: it drops quotes and backslashes, and empty ones.
  const crossEnv = script.words.some((word) => basename(word) === "cross-env");
  if (crossEnv && added.some((arg) => arg === "" || /['\\]/.test(arg))) return null;
  const dashes = script.pass === "after-dashes" && !request.argv.includes("--") ? ["--"] : [];
  const argv = added.length === 0 ? [...request.argv] : [...request.argv, ...dashes, ...added];
  const source = `${rewrite.source}, through ${script.shown}`;
  const planned = planRewrite({ ...rewrite, argv, source }, request, {
    ...context,
    cwd: script.dir,
  });
  // A run that could not run is told by the runner's own words ("No test files found").
  return planned.kind === "report"
    ? {
        ...planned,
        classifyAs: script.classifyAs ?? script.words,
        ...(script.classifyAs ? { afterBuild: true } : {}),
      }
    : planned;
}

/**
 * The package script a coverage wrapper at the head of `words` runs (`nyc --reporter=text npm
 * test`: `npm test`, from `at`), planned through its manager from `dir`; null unless there is one
 * and its runner gets a report by options alone.
 */
function planWrapped(
  words: readonly string[],
  dir: string,
  request: ReportRequest,
  context: PathContext,
  depth: number,
  plain = false,
): { at: number; inner: string[]; planned: ReportPlan & { kind: "report" } } | null {
  // `plain`: a script that is another script (qs's `"test": "npm run tests-only"`) too.
  const manager = ["npm", "pnpm", "yarn"].includes(basename(words[0] ?? ""));
  const at = coverageWrapped(words) ?? (plain && manager ? 0 : null);
  if (at === null) return null;
  const inner = words.slice(at);
  const script = packageScript(inner, dir, context.root);
  if (script === null) return null;
  const planned = planThroughManager(script, { ...request, argv: inner }, context, depth);
  if (planned?.kind !== "report" || planned.shell !== undefined) return null;
  return { at, inner, planned };
}

/**
 * `nyc --reporter=text npm test` (`c8 npm test`, `npx c8 npm test`) typed out: the wrapper's
 * words kept in front of the planned script (it hands every word after its own options on).
 * Judged by its exit code, an old failure beside a new one read PRE-EXISTING, exit 0
 * (body-parser's `test-ci`). Null for anything else.
 */
function planWrappedScript(request: ReportRequest, context: PathContext): ReportPlan | null {
  const launcher = basename(request.argv[0] ?? "") === "npx" ? 1 : 0;
  const wrapped = planWrapped(request.argv.slice(launcher), request.cwd, request, context, 0);
  if (wrapped === null) return null;
  const prefix = request.argv.slice(0, launcher + wrapped.at);
  return { ...wrapped.planned, argv: [...prefix, ...wrapped.planned.argv] };
}

/**
 * A script that runs another through a coverage wrapper (body-parser's `"test-ci": "nyc
 * --reporter=text npm test"`): the inner script planned, and the words culprit adds to it passed
 * on through the outer one, after a `--` of their own (npm hands the outer's args to the end of
 * its script, where the inner `npm test` needs its `--`). Null when the user's command already
 * gives the outer script args (where culprit's would go is not ours to guess), or for anything
 * else.
 */
function planNestedScript(
  script: PackageScript,
  request: ReportRequest,
  context: PathContext,
  depth: number,
): ReportPlan | null {
  if (script.pass !== "after-dashes" || request.argv.includes("--")) return null;
  // A script that runs itself ("test": "nyc npm test") would never end: npm loops, culprit stops.
  if (depth >= 2) return null;
  const wrapped = planWrapped(script.words, script.dir, request, context, depth + 1, true);
  if (wrapped === null) return null;
  const { inner, planned } = wrapped;
  if (inner.some((word, i) => planned.argv[i] !== word)) return null;
  const added = planned.argv.slice(inner.length);
  return {
    ...planned,
    argv: added.length === 0 ? [...request.argv] : [...request.argv, "--", ...added],
  };
}

/**
 * NODE_OPTIONS that give node the options the rewrite of `words` inserted after the program (the
 * user's own NODE_OPTIONS first), or null when the rewrite did more than insert them. Every node
 * the script starts reads them (npm's own, the tests' children): the reporter options only act
 * where node runs tests, and `--enable-source-maps` only changes stack traces.
 */
function nodeOptionsFor(
  words: readonly string[],
  offset: number,
  rewrite: { argv: readonly string[] },
  dir: string,
  root: string,
): Record<string, string> | null {
  const own = process.env["NODE_OPTIONS"]?.trim();
  // Reporters of the user's in NODE_OPTIONS would not pair with culprit's destinations; and a
  // manager's `node-options` setting, or the script's own NODE_OPTIONS=, replaces it.
  if (own?.includes("--test-reporter") || nodeOptionsSetting(dir, root)) return null;
  if (words.slice(0, offset).some((word) => word.startsWith("NODE_OPTIONS="))) return null;
  const count = rewrite.argv.length - words.length;
  const at = offset + 1;
  const inserted = rewrite.argv.slice(at, at + count);
  const same = [...rewrite.argv.slice(0, at), ...rewrite.argv.slice(at + count)];
  if (count <= 0 || same.some((word, i) => word !== words[i])) return null;
  // NODE_OPTIONS splits at spaces, except within double quotes (where \ escapes).
  const quoted = inserted.map((option) =>
    /[\s"\\]/.test(option) ? `"${option.replace(/["\\]/g, "\\$&")}"` : option,
  );
  return { NODE_OPTIONS: [...(own ? [own] : []), ...quoted].join(" ") };
}

/** Whether npm's or pnpm's `node-options` is set (environment, an .npmrc from `dir` up, ~/.npmrc). */
function nodeOptionsSetting(dir: string, root: string): boolean {
  if (Object.keys(process.env).some((name) => name.toLowerCase() === "npm_config_node_options"))
    return true;
  const files: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    files.push(join(at, ".npmrc"));
    if (at === dirname(at) || relative(root, at) === "") break;
  }
  const home = process.env["HOME"];
  if (home) files.push(join(home, ".npmrc"));
  return files.some((file) => {
    try {
      return /^\s*node-options\s*=/m.test(readFileSync(file, "utf8"));
    } catch {
      return false;
    }
  });
}

/** The user's command and the options that say how its tests are read (attribution, bisect, isolate alike). */
export interface CommandReportOptions {
  argv: readonly string[];
  shell?: string;
  runner?: string;
  /** --junit PATH, relative to cwd. */
  junit?: string;
  /** false: --per-test off. */
  perTest?: boolean;
}

/**
 * The report plan of one run of the user's command in `where` (the cwd and top of the tree it
 * runs in), its files in `reportDir` (made here); null with --per-test off.
 */
export function planRunReport(
  command: CommandReportOptions,
  where: { cwd: string; root: string },
  reportDir: string,
): ReportPlan | null {
  if (command.perTest === false) return null;
  mkdirSync(reportDir, { recursive: true });
  return planReport({
    argv: command.argv,
    ...(command.shell !== undefined ? { shell: command.shell } : {}),
    cwd: where.cwd,
    root: where.root,
    ...(command.runner ? { runner: command.runner } : {}),
    ...(command.junit !== undefined ? { junitPath: command.junit } : {}),
    reportDir,
  });
}

/** The tests of a run that had a report plan (null without one). */
/**
 * Why a run could not run the tests, when a build step before the runner stopped it: the run
 * failed and the report that the runner begins as it starts (node's) is not there. A build step known by name (tsc) says so in its
 * own words (the tsc profile), but one through a script (`npm run build && node --test test/`)
 * did not: your type error read as a test failure, and with the baseline building fine, as a
 * test new in your tree (remarkjs/remark). Null otherwise.
 */
export function buildStopped(
  plan: ReportPlan | null,
  result: { outcome: string; exitCode: number | null },
  reading: ReportReading | null,
): string | null {
  if (plan?.kind !== "report" || !plan.afterBuild || !plan.startsWithRunner) return null;
  if (result.outcome !== "fail") return null;
  if (reading === null || reading.ok) return null;
  return `a build step before the tests failed (exit ${result.exitCode ?? "by a signal"}): the tests never ran`;
}

/**
 * The run as its report tells it, under a plan whose runner exits 0 when tests fail: a run with
 * a failing test failed. Any other run is returned as it is.
 */
export function withReportedFailures<R extends { outcome: string }>(
  plan: ReportPlan | null,
  result: R,
  reading: ReportReading | null,
): R {
  if (plan?.kind !== "report" || !plan.exitsZeroOnFailures || result.outcome !== "pass")
    return result;
  const failed = reading?.ok
    ? reading.report.tests.some((test) => test.status === "fail")
    : reading?.testsFailed === true;
  return failed ? { ...result, outcome: "fail" } : result;
}

/**
 * The tests of a run that ended (none for an interrupted one, or without a report plan), and the
 * run as they tell it (`withReportedFailures`).
 */
export async function readRunReport<
  R extends {
    outcome: string;
    interrupted?: unknown;
    logPath: string | null;
    tail: string;
    exitCode: number | null;
    outputAtTimeout?: number;
  },
>(
  plan: ReportPlan | null,
  startedAt: number,
  result: R,
): Promise<{ result: R; reading: ReportReading | null }> {
  if (result.interrupted || plan === null || plan.kind !== "report")
    return { result, reading: null };
  const read = await plan.read({
    startedAt,
    ...(result.outputAtTimeout !== undefined ? { outputAtTimeout: result.outputAtTimeout } : {}),
    logPath: result.logPath,
    tail: result.tail,
    exitCode: result.exitCode,
  });
  // Checks of the run the report leaves out (a coverage threshold not met, vitest's unhandled
  // errors): one more entry each (src/run/reports/run-checks.ts).
  const checks = read.ok && result.exitCode !== 0 ? failedChecks(result.tail) : [];
  const reading: ReportReading =
    !read.ok || checks.length === 0
      ? read
      : { ok: true, report: { ...read.report, tests: [...read.report.tests, ...checks] } };
  return { result: withReportedFailures(plan, result, reading), reading };
}

/**
 * The major version of package `name` as node would resolve it from `from` (the nearest
 * node_modules/<name>/package.json above), or null when none is installed or it cannot be read.
 */
export function installedMajor(name: string, from: string): number | null {
  // Planned for every run: read once a folder (an install mid-run is not looked for).
  const key = `${name}\0${from}`;
  const known = installedMajors.get(key);
  if (known !== undefined) return known;
  const read = readInstalledMajor(name, from);
  installedMajors.set(key, read);
  return read;
}

const installedMajors = new Map<string, number | null>();

function readInstalledMajor(name: string, from: string): number | null {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(
        readFileSync(join(dir, "node_modules", name, "package.json"), "utf8"),
      ) as { version?: unknown };
      const major = /^(\d+)\./.exec(String(manifest.version ?? ""));
      return major ? Number(major[1]) : null;
    } catch {}
    if (dirname(dir) === dir) return null;
  }
}
