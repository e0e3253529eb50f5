import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { TestRepo } from "./harness.js";
import { baseRepo, introduceBug, stageNotesPartially } from "./scenarios.js";

/**
 * A `git` placed first in PATH for culprit's process that makes one chosen git command really
 * fail at one chosen step of a run, and is the real git otherwise. culprit spawns plain "git"
 * with PATH from its own environment (src/git/run-git.ts), so nothing of culprit is mocked.
 *
 * The step is read from culprit's journal (`.git/culprit/journal.json`, written before each side
 * effect): the call fails while the journal's current state and detail are `at`'s. It fails for
 * real: the wrapper takes the lock of the index the command writes (GIT_INDEX_FILE, culprit's
 * private index, or .git/index), as another git process would, runs the real git (which refuses:
 * "Unable to create '...index.lock': File exists"), then lets the lock go and exits with git's
 * status.
 */
export interface GitFault {
  /** The subcommand that fails (the first word after culprit's `-c` settings). */
  command: string;
  /**
   * The journal transition during which it fails, as CULPRIT_FAULT names it: "<state>/<detail>"
   * ("enter-baseline/moved aside"), or "<state>" for the state without a detail; "*": whatever
   * the journal says (a step beside the states, e.g. the backup's pin beside the first run).
   */
  at: string;
  /** Only when this argument is given too (e.g. "-u": the read-tree that writes the tree). */
  withArg?: string;
  /**
   * The lock taken, relative to .git (default: the index the command writes), e.g.
   * "refs/culprit/backup.lock" for the update-ref that pins the backup.
   */
  lock?: string;
  /**
   * How many calls fail: the first at `at`, the next ones whatever the step (default 1;
   * Infinity: every call of `command` from `at` on, until `heal()`).
   */
  times?: number;
  /**
   * Instead of failing, the call dies by this signal holding its lock, as a git killed inside
   * the `open` that creates its lock does (the signal comes before git has armed the handler that
   * removes it; a SIGKILL never lets it). Before dying it sends the signal given to
   * `killCulpritToo` (SIGTERM by default) to the pid given there, if any: a tree-kill reaching
   * culprit and its git at once, or (SIGKILL) a `kill -9` of culprit while its git holds the lock.
   */
  dies?: NodeJS.Signals;
}

/** The wrapper's environment for culprit, and what it did. */
export interface FailingGit {
  /** Extra environment for culprit: PATH with the failing git first. */
  env: NodeJS.ProcessEnv;
  /** How many calls were made to fail. */
  failures(): number;
  /** From now on the wrapper is the real git (a persistent fault ends). */
  heal(): void;
  /** With `dies`: the dying git sends `signal` (default SIGTERM) to `pid` (culprit's) first. */
  killCulpritToo(pid: number, signal?: NodeJS.Signals): void;
  cleanup(): void;
}

/** The real git, found before PATH is changed. */
function realGit(env: NodeJS.ProcessEnv): string {
  const found = spawnSync("sh", ["-c", "command -v git"], { env, encoding: "utf8" });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path.startsWith("/")) throw new Error("no git on PATH");
  return path;
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Installs the failing git for `repo`; pass `env` to culprit. */
export function failingGit(repo: TestRepo, fault: GitFault): FailingGit {
  const real = realGit(repo.env);
  const dir = mkdtempSync(join(tmpdir(), "culprit-failing-git-"));
  const bin = join(dir, "bin");
  const marks = join(dir, "marks");
  mkdirSync(bin);
  mkdirSync(marks);
  const journal = join(repo.dir, ".git", "culprit", "journal.json");
  // The shell compares counts: "until healed" is a count never reached.
  const times = Math.min(fault.times ?? 1, 1_000_000);
  const [state, detail] = fault.at.split(/\/(.*)/s);
  // The journal is written with two-space indentation: its own keys are the ones indented by two.
  const stateLine = `^  "state": ${JSON.stringify(state)},?$`;
  const detailLine = `^  "detail": ${detail === undefined ? "" : `${JSON.stringify(detail)},?$`}`;
  const detailTest =
    detail === undefined
      ? `! grep -Eq ${quote(detailLine)} ${quote(journal)}`
      : `grep -Eq ${quote(detailLine)} ${quote(journal)}`;
  const script = `#!/bin/sh
# The subcommand: the first word that is not an option (culprit puts -c settings first).
sub=
skip=
needed=${fault.withArg ? "" : "yes"}
for a in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  case "$a" in
    -c|-C) skip=1 ;;
    -*) ;;
    *) sub=$a; break ;;
  esac
done
for a in "$@"; do
  [ "$a" = ${quote(fault.withArg ?? "")} ] && needed=yes
done
fail=
if [ "$sub" = ${quote(fault.command)} ] && [ -n "$needed" ] && [ ! -e ${quote(join(marks, "healed"))} ]; then
  if [ -e ${quote(join(marks, "failed"))} ]; then
    [ "$(wc -l < ${quote(join(marks, "failed"))})" -lt ${times} ] && fail=yes
  elif ${fault.at === "*" ? "true" : `grep -Eq ${quote(stateLine)} ${quote(journal)} 2>/dev/null && ${detailTest}`}; then
    fail=yes
  fi
fi
if [ -z "$fail" ]; then exec ${quote(real)} "$@"; fi
echo "$sub" >> ${quote(join(marks, "failed"))}
lock=${fault.lock ? quote(join(repo.dir, ".git", fault.lock)) : `"\${GIT_INDEX_FILE:-${repo.dir}/.git/index}.lock"`}
# Taken only if free (noclobber), and let go only if taken here.
made=
${fault.lock ? 'mkdir -p "$(dirname "$lock")"' : ""}
(set -C; : > "$lock") 2>/dev/null && made=yes
${
  fault.dies
    ? `[ -s ${quote(join(marks, "culprit-pid"))} ] && kill -"$(cat ${quote(join(marks, "culprit-signal"))})" "$(cat ${quote(join(marks, "culprit-pid"))})"
kill -${fault.dies.replace(/^SIG/, "")} $$
sleep 5
exit 99`
    : ""
}
${quote(real)} "$@"
status=$?
[ -z "$made" ] || rm -f "$lock"
[ "$status" -ne 0 ] || { echo "failing git: $sub succeeded despite $lock" >&2; status=99; }
exit "$status"
`;
  writeFileSync(join(bin, "git"), script);
  chmodSync(join(bin, "git"), 0o755);
  return {
    env: { PATH: `${bin}${delimiter}${repo.env["PATH"] ?? ""}` },
    failures() {
      const path = join(marks, "failed");
      if (!existsSync(path)) return 0;
      return readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.length > 0).length;
    },
    heal() {
      writeFileSync(join(marks, "healed"), "");
    },
    killCulpritToo(pid, signal = "SIGTERM") {
      writeFileSync(join(marks, "culprit-signal"), signal.replace(/^SIG/, ""));
      writeFileSync(join(marks, "culprit-pid"), String(pid));
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The regression repository with every kind of work: a modified tracked file (the bug in
 * lib.mjs), a staged change (notes.txt, then edited again unstaged), an untracked file in an
 * untracked folder, and ignored files (culprit never moves those).
 */
export function everyKindOfWorkRepo(): TestRepo {
  const repo = baseRepo();
  stageNotesPartially(repo);
  introduceBug(repo);
  repo.write("drafts/idea.txt", "untracked work\n");
  repo.write("debug.log", "ignored\n");
  repo.write("build/out.bin", Buffer.from([0, 1, 2, 255]));
  return repo;
}
