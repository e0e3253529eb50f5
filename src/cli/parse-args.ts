import { UsageError } from "../errors.js";
import { messages } from "../messages.js";
// Not ../run/index.js: that pulls in execa, and --help / --version must start fast.
import { runnerProfiles } from "../run/runner-profiles.js";

const runnerNames = runnerProfiles.map((profile) => profile.name);

/** Options of `culprit [options] -- <command>`, before defaults from the environment. */
export interface CliOptions {
  argv: string[];
  shell: string | undefined;
  runs: number;
  maxRuns: number;
  confidence: number;
  margin: number;
  timeoutMs: number;
  killAfterMs: number;
  json: boolean;
  cannotRunPattern: RegExp | undefined;
  cannotRunExit: number[] | undefined;
  runner: string | undefined;
  quiet: boolean;
  interleave: boolean;
  /** `--strategy`: how the baseline is produced. */
  strategy: "auto" | "reset" | "stash" | "revert";
  /** `--suspect` paths (repeatable; each may be followed by more paths). */
  suspects: string[];
  /** `--keep` globs (repeatable), added to the test-file globs. */
  keep: string[];
  /** `--base REV` or `--base merge-base:REF`: the baseline is that revision. */
  base: string | undefined;
  /** `--format human|json|line` (`--json` is `--format json`). */
  format: OutputFormat;
  /** `--yes`: answers "touch a tree with many changes?" with yes. */
  yes: boolean;
  /** `--more N`: once the budget is spent without a verdict, N more runs a side (0: none). */
  more: number;
  /** `--verbose`: the test's output, live, on stderr. */
  verbose: boolean;
  /** `--show-output`: the last lines of a failing run after the report. */
  showOutput: boolean;
  /** Changed files above which a person at a terminal is asked first (config `confirmAbove`). */
  confirmAbove: number;
  /** `--per-test on|off`: one verdict per failing test from the runner's report (default on). */
  perTest: boolean;
  /** `--junit PATH`: the user's runner writes a JUnit XML report at PATH. */
  junit: string | undefined;
  /** `--worktree`: both sides run in worktrees; the user's tree is never written. */
  worktree: boolean;
  /** `--jobs N`: runs at the same time (N > 1 implies --worktree). */
  jobs: number;
  /** Ignored paths (globs) copied into worktrees instead of linked (config `worktree.copy`). */
  shareCopy: string[];
  /** `--no-cache`: earlier runs are neither reused nor stored. */
  cache: boolean;
  /** `--cache-env NAME` (repeatable): environment variables whose values key the cache. */
  cacheEnv: string[];
  /** The options given on the command line (keys of this interface): the config fills the rest. */
  given: ReadonlySet<string>;
  /**
   * Set by applyConfig: true when `timeoutMs` is the user's choice (`--timeout`, or `timeout` in
   * the config file), not the default; isolate then keeps it for every configuration.
   */
  timeoutChosen?: boolean;
}

/** How the verdict is printed. */
export type OutputFormat = "human" | "json" | "line";
const formats: readonly OutputFormat[] = ["human", "json", "line"];

/** What the command line asks for. */
export type Command =
  | { kind: "attribute"; options: CliOptions }
  | { kind: "bisect"; options: CliOptions; good: string | undefined; bad: string | undefined }
  | { kind: "isolate"; options: CliOptions; lines: boolean; patch: string | undefined }
  | { kind: "recover"; json: boolean }
  | { kind: "status"; json: boolean }
  | { kind: "help" }
  | { kind: "version" };

/** Defaults of DESIGN.md. */
export const defaults = {
  runs: 3,
  maxRuns: 20,
  confidence: 0.95,
  margin: 0.1,
  timeoutMs: 300_000,
  killAfterMs: 5_000,
} as const;

/** `culprit bisect`'s default --confidence. */
export const bisectConfidence = 0.99;

/** Changed files above which culprit asks before touching the tree (a TTY only). */
export const defaultConfirmAbove = 20;

/** Parses "300", "90s", "5m", "1h", "500ms" into milliseconds (a bare number is seconds). */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `culprit: ${flag} expects a duration like 300, 90s, 5m or 1h, not "${text}".`,
    );
  const value = Number(match[1]);
  const unit = match[2] ?? "s";
  const ms = value * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
  if (ms <= 0) throw new UsageError(`culprit: ${flag} must be more than zero.`);
  return Math.round(ms);
}

function parseInteger(text: string, flag: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(
      `culprit: ${flag} expects a whole number of at least ${min}, not "${text}".`,
    );
  }
  return Number(text);
}

function parseProbability(text: string, flag: string, lo: number, hi: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < lo || value >= hi) {
    throw new UsageError(`culprit: ${flag} expects a number in [${lo}, ${hi}), not "${text}".`);
  }
  return value;
}

function parseRegex(text: string, flag: string): RegExp {
  try {
    return new RegExp(text, "m");
  } catch (error) {
    throw new UsageError(
      `culprit: ${flag} is not a valid regular expression: ${(error as Error).message}`,
    );
  }
}

function parseExitCodes(text: string, flag: string): number[] {
  const codes = text.split(",").map((c) => c.trim());
  if (codes.some((c) => !/^\d+$/.test(c) || Number(c) > 255)) {
    throw new UsageError(`culprit: ${flag} expects exit codes like 3,4 (0-255), not "${text}".`);
  }
  return codes.map(Number);
}

function parseOnOff(text: string): boolean {
  if (text === "on" || text === "off") return text === "on";
  throw new UsageError(`culprit: --per-test expects on or off, not "${text}".`);
}

function parseRunner(text: string): string {
  if (text === "none" || runnerNames.includes(text)) return text;
  throw new UsageError(
    `culprit: unknown --runner ${text}; known: ${runnerNames.join(", ")}, none.`,
  );
}

const valueFlags = new Set([
  "--runs",
  "--max-runs",
  "--confidence",
  "--margin",
  "--timeout",
  "--kill-after",
  "--shell",
  "--cannot-run-pattern",
  "--cannot-run-exit",
  "--runner",
  "--strategy",
  "--base",
  "--format",
  "--more",
  "--jobs",
  "--good",
  "--bad",
  "--patch",
  "--per-test",
  "--junit",
]);
/** Flag -> the option key it sets (what `given` reports). */
const optionKeys: Record<string, string> = {
  "--runs": "runs",
  "--max-runs": "maxRuns",
  "--confidence": "confidence",
  "--margin": "margin",
  "--timeout": "timeout",
  "--kill-after": "killAfter",
  "--cannot-run-pattern": "cannotRunPattern",
  "--cannot-run-exit": "cannotRunExit",
  "--runner": "runner",
  "--strategy": "strategy",
  "--base": "base",
  "--format": "format",
  "--more": "more",
  "--jobs": "jobs",
  "--per-test": "perTest",
  "--junit": "junit",
  "--worktree": "worktree",
  "--suspect": "suspects",
  "--keep": "keep",
  "--cache-env": "cacheEnv",
  "--no-cache": "cache",
};
// Flags that may be given more than once; `--suspect` also takes the paths that follow it.
const listFlags = new Set(["--suspect", "--keep", "--cache-env"]);
const strategies = ["auto", "reset", "stash", "revert"] as const;

function parseStrategy(text: string): CliOptions["strategy"] {
  const found = strategies.find((s) => s === text);
  if (found) return found;
  throw new UsageError(`culprit: --strategy expects ${strategies.join(", ")}, not "${text}".`);
}
const booleanFlags = new Set([
  "--json",
  "--quiet",
  "-q",
  "--interleave",
  "--yes",
  "-y",
  "--verbose",
  "-v",
  "--show-output",
  "--no-cache",
  "--worktree",
  "--lines",
  "--help",
  "-h",
  "--version",
  "-V",
]);

/** Parses culprit's argv (without node and the script). Pure: throws UsageError, never exits. */
export function parseArgs(args: readonly string[]): Command {
  const dashDash = args.indexOf("--");
  const own = dashDash >= 0 ? args.slice(0, dashDash) : [...args];
  const command = dashDash >= 0 ? args.slice(dashDash + 1) : [];
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>([
    ["--suspect", []],
    ["--keep", []],
    ["--cache-env", []],
  ]);
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const arg = own[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (valueFlags.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : own[++i];
      if (value === undefined) throw new UsageError(`culprit: ${name} needs a value.`);
      values.set(name, value);
    } else if (listFlags.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : own[++i];
      if (value === undefined || value === "")
        throw new UsageError(`culprit: ${name} needs a value.`);
      const list = lists.get(name)!;
      list.push(value);
      if (name === "--suspect" && eq < 0) {
        while (i + 1 < own.length && !own[i + 1]!.startsWith("-")) list.push(own[++i]!);
      }
    } else if (booleanFlags.has(name) && eq < 0) {
      flags.add(name);
    } else if (arg.startsWith("-") && arg !== "-") {
      throw new UsageError(`culprit: unknown option ${name}. See culprit --help.`);
    } else {
      positionals.push(arg);
    }
  }
  if (flags.has("--help") || flags.has("-h")) return { kind: "help" };
  if (flags.has("--version") || flags.has("-V")) return { kind: "version" };
  const sub = positionals[0];
  const formatFlag = values.get("--format");
  if (formatFlag !== undefined && !formats.includes(formatFlag as OutputFormat))
    throw new UsageError(`culprit: --format expects ${formats.join(", ")}, not "${formatFlag}".`);
  if (formatFlag !== undefined && formatFlag !== "json" && flags.has("--json"))
    throw new UsageError(`culprit: --json and --format ${formatFlag} contradict each other.`);
  const format: OutputFormat = flags.has("--json")
    ? "json"
    : ((formatFlag as OutputFormat) ?? "human");
  const json = format === "json";
  if (sub === "recover" || sub === "status") {
    const listed = [...lists.values()].some((list) => list.length > 0);
    if (positionals.length > 1 || command.length > 0 || values.size > 0 || listed) {
      throw new UsageError(`culprit: ${sub} takes no command or options other than --json.`);
    }
    return { kind: sub, json };
  }
  const bisecting = sub === "bisect";
  const isolating = sub === "isolate";
  // `culprit bisect A B -- cmd`, as `git bisect start` takes them: revisions, not a command.
  if (bisecting && positionals.length > 1 && command.length > 0)
    throw new UsageError(
      `culprit: culprit bisect takes its revisions as --good and --bad (HEAD when left out), as in: culprit bisect --good <rev> --bad <rev> -- ${command.join(" ")}`,
    );
  if ((bisecting || isolating) && positionals.length > 1)
    throw new UsageError(
      `culprit: put the command after --, as in: culprit ${sub} -- ${positionals.slice(1).join(" ")}`,
    );
  if (!bisecting && (values.has("--good") || values.has("--bad")))
    throw new UsageError("culprit: --good and --bad are options of culprit bisect.");
  if (!isolating && (values.has("--patch") || flags.has("--lines")))
    throw new UsageError("culprit: --patch and --lines are options of culprit isolate.");
  const patch = values.get("--patch");
  if (patch !== undefined && patch.trim() === "")
    throw new UsageError("culprit: --patch needs a file name.");
  if (isolating && (values.has("--strategy") || lists.get("--suspect")!.length > 0))
    throw new UsageError(
      "culprit: culprit isolate builds its own baselines in worktrees; --strategy and --suspect do not apply.",
    );
  if (sub !== undefined && !bisecting && !isolating) {
    throw new UsageError(
      `culprit: put the command after --, as in: culprit -- ${positionals.join(" ")} (or see culprit --help).`,
    );
  }
  const shell = values.get("--shell");
  if (shell !== undefined && command.length > 0) {
    throw new UsageError("culprit: give either --shell STRING or a command after --, not both.");
  }
  if (shell === undefined && command.length === 0) {
    throw new UsageError(
      "culprit: no command given. Usage: culprit [options] -- <command> [args...]",
    );
  }
  if (shell !== undefined && shell.trim() === "")
    throw new UsageError("culprit: --shell needs a non-empty command.");
  const get = <T>(flag: string, parse: (text: string) => T, fallback: T): T => {
    const text = values.get(flag);
    return text === undefined ? fallback : parse(text);
  };
  const runs = get("--runs", (t) => parseInteger(t, "--runs", 1), defaults.runs);
  const maxRuns = get(
    "--max-runs",
    (t) => parseInteger(t, "--max-runs", 1),
    Math.max(defaults.maxRuns, runs),
  );
  if (maxRuns < runs)
    throw new UsageError(`culprit: --max-runs (${maxRuns}) must be at least --runs (${runs}).`);
  const strategy = get("--strategy", parseStrategy, "auto" as CliOptions["strategy"]);
  const suspects = lists.get("--suspect")!;
  const keep = lists.get("--keep")!;
  if ((strategy === "stash" || strategy === "reset") && (suspects.length > 0 || keep.length > 0))
    throw new UsageError(messages.suspectsNeedRevert());
  const base = values.get("--base");
  if (base !== undefined && base.trim() === "") throw new UsageError(messages.baseEmpty());
  if (base !== undefined && strategy === "stash") throw new UsageError(messages.baseNeedsNoStash());
  const given = new Set<string>();
  for (const flag of values.keys()) if (optionKeys[flag]) given.add(optionKeys[flag]);
  for (const [flag, list] of lists) if (list.length > 0) given.add(optionKeys[flag]!);
  if (flags.has("--no-cache")) given.add("cache");
  if (flags.has("--worktree")) given.add("worktree");
  const jobs = get("--jobs", (t) => parseInteger(t, "--jobs", 1), 1);
  if (jobs > 1 && strategy === "stash")
    throw new UsageError("culprit: --jobs runs in worktrees; --strategy stash does not apply.");
  if (flags.has("--worktree") && strategy === "stash")
    throw new UsageError("culprit: --worktree runs in worktrees; --strategy stash does not apply.");
  if (flags.has("--worktree") && flags.has("--interleave"))
    throw new UsageError(
      "culprit: --interleave does not apply with --worktree: both sides run side by side.",
    );
  const options: CliOptions = {
    argv: command,
    shell,
    runs,
    maxRuns,
    confidence: get(
      "--confidence",
      (t) => parseProbability(t, "--confidence", 0.5, 1),
      defaults.confidence,
    ),
    margin: get("--margin", (t) => parseProbability(t, "--margin", 0, 1), defaults.margin),
    timeoutMs: get("--timeout", (t) => parseDuration(t, "--timeout"), defaults.timeoutMs),
    killAfterMs: get("--kill-after", (t) => parseDuration(t, "--kill-after"), defaults.killAfterMs),
    json,
    cannotRunPattern: get(
      "--cannot-run-pattern",
      (t) => parseRegex(t, "--cannot-run-pattern"),
      undefined,
    ),
    cannotRunExit: get(
      "--cannot-run-exit",
      (t) => parseExitCodes(t, "--cannot-run-exit"),
      undefined,
    ),
    runner: get("--runner", parseRunner, undefined),
    quiet: flags.has("--quiet") || flags.has("-q"),
    interleave: flags.has("--interleave"),
    strategy,
    suspects,
    keep,
    base,
    format,
    yes: flags.has("--yes") || flags.has("-y"),
    more: get("--more", (t) => parseInteger(t, "--more", 0), 0),
    verbose: flags.has("--verbose") || flags.has("-v"),
    showOutput: flags.has("--show-output"),
    confirmAbove: defaultConfirmAbove,
    cache: !flags.has("--no-cache"),
    perTest: get("--per-test", parseOnOff, true),
    junit: values.get("--junit"),
    worktree: flags.has("--worktree") || jobs > 1,
    jobs,
    shareCopy: [],
    cacheEnv: lists.get("--cache-env")!,
    given,
  };
  if (bisecting) {
    // An editor's problem matcher reads file:line; a commit has neither.
    if (format === "line")
      throw new UsageError(
        "culprit: culprit bisect has no --format line (a commit is no file:line): use --json, or the default report.",
      );
    // A commit named at 0.95 is right about 95% of the time; 0.99 keeps a flaky search's wrong
    // answers under 2% (npm run bench:bisect).
    if (!values.has("--confidence")) options.confidence = bisectConfidence;
    return { kind: "bisect", options, good: values.get("--good"), bad: values.get("--bad") };
  }
  if (isolating) return { kind: "isolate", options, lines: flags.has("--lines"), patch };
  return { kind: "attribute", options };
}

/** The --help text. */
export const helpText = `culprit: did my uncommitted changes break this test, or was it already failing?

Usage:
  culprit [options] -- <command> [args...]   attribute a failure (runs the command as an argv, no shell)
  culprit [options] --shell "<string>"       the same, through /bin/sh -c
  culprit isolate [options] -- <command>     after a regression: which of your hunks make it fail
                                             (--lines: down to lines; --patch FILE: write them
                                             as a patch for the baseline)
  culprit bisect [--good REV] [--bad REV] [options] -- <command>
                                             which commit made it fail, even when it is flaky
  culprit recover                            restore your work after a crash, from the journal
  culprit status                             is a run in progress, is a backup pending? (exit 1: recover)

Options:
  --runs N                  runs a side before deciding (default 3)
  --max-runs N              most runs a side while the evidence is mixed (default 20)
  --confidence P            confidence asked for a verdict (default 0.95)
  --margin M                worsening of an existing flake not called a regression (default 0.1)
  --timeout DUR             a run longer than this is a hang: 300, 90s, 5m (default 300s;
                            isolate stops a configuration sooner, see the README)
  --kill-after DUR          SIGKILL this long after the timeout's SIGTERM, or pytest's
                            SIGINT (default 5s)
  --cannot-run-pattern RE   output matching RE means the command could not run
  --cannot-run-exit CODES   exit codes meaning "could not run" (125, 126, 127 always are)
  --runner NAME             force a runner profile (pytest, unittest, vitest, jest, node, mocha,
                            tape, uvu, tap, ava, playwright, go, cargo, maven, tsc)
  --strategy S              how the baseline is made: auto (HEAD's files reset in place, then a
                            selective revert if the baseline cannot run; default), reset (the same
                            without the revert), stash (git stash -u: HEAD's index too), or revert
  --suspect PATH...         files or folders a selective revert reverts (repeatable; each must
                            have changes); default: every change but test files, or a pick on a TTY
  --keep GLOB               changes never picked as suspects, besides test files (repeatable)
  --interleave              alternate current and baseline runs (drift hits both sides alike)
  --base REV                the baseline is REV's tree instead of HEAD (e.g. origin/main, HEAD~2,
                            merge-base:origin/main); a clean tree is fine (CI)
  --format F                human (default), json (= --json), or line (one line for editors)
  --json                    print one JSON document on stdout (schema/result.schema.json)
  -q, --quiet               print only the verdict line
  -y, --yes                 do not ask before touching a tree with many changes
  --more N                  when the budget is spent undecided, N more runs a side (no prompt)
  -v, --verbose             stream the test's output live (on stderr)
  --show-output             print the last lines of a failing run after the report
  --per-test on|off         one verdict per failing test, from the runner's own report (default on;
                            off: the command's exit code alone)
  --junit PATH              your runner writes a JUnit XML report at PATH: read it for the tests
  --worktree                run both sides in worktrees (culprit's, under the temporary folder):
                            your tree, index and HEAD are never written: keep editing meanwhile
  --jobs N                  runs at the same time, both sides at once, each in its own worktree
                            (default 1; more implies --worktree; see the README for the risks)
  --no-cache                do not reuse (nor store) earlier runs of the same command on the same
                            trees (.git/culprit/cache, kept a day)
  --cache-env NAME          an environment variable whose value the cached runs depend on
                            (repeatable; culprit's version, the trees, the command, its folder
                            and the ignored files always are)
  -h, --help, -V, --version

culprit bisect (each commit is tested in a worktree; your tree may be dirty and is never written):
  --good REV                a commit where the command passes (default: the merge base with the
                            upstream branch; merge-base:REF works too)
  --bad REV                 a commit where it fails (default HEAD)
  --confidence P            posterior asked for the culprit (default 0.99 for bisect)
  --jobs N                  commits tested at the same time
  --cannot-run-pattern RE   a commit whose output matches is skipped (as git bisect skip)
  Exit 0 culprit named, 2 not named (the best range is printed), 3 usage.

Defaults for runs, maxRuns, timeout, killAfter, confidence, margin, keep, suspects, runner,
cannotRunPattern, cannotRunExit, confirmAbove, cache, cacheEnv, perTest, junit, worktree and jobs
come from culprit.config.json or the "culprit" key of package.json at the repository's top;
flags win. In CI (CI set) there is no spinner, no prompt and no colour (unless FORCE_COLOR);
NO_COLOR is honoured everywhere. Under GitHub Actions a workflow annotation is printed and a
summary is appended to $GITHUB_STEP_SUMMARY.

Exit codes: 1 regression, 0 pre-existing or not reproduced, 2 inconclusive or unrunnable,
3 usage or precondition error, 4 the tree could not be restored (the message says how),
130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (the tree is restored first).
`;
