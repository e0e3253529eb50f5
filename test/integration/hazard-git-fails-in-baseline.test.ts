import { expect, test } from "vitest";
import { everyKindOfWorkRepo, failingGit, type GitFault } from "../repos/failing-git.js";
import { leftAside } from "../repos/fault-matrix.js";
import { captureState, runCulpritAsync, type TestRepo } from "../repos/harness.js";
import { backupRefs, readJournal } from "../repos/journal.js";
import { readLastRun } from "../repos/pty.js";

/*
 * A git command that fails (a non-zero exit, not a crash) while culprit is inside the default
 * baseline, after it moved your changed and untracked files aside into .git/culprit/aside
 * (src/git/aside.ts, src/strategies/baseline-reset.ts). git fails for real: a `git` first in
 * culprit's PATH takes the lock of the index the chosen command writes, at the chosen journal
 * step, as another git process would (test/repos/failing-git.ts).
 * - Once, entering or leaving (before or after the files went back): culprit restores from the
 *   backup by itself, says so, and the work is byte-identical; no aside folder is left.
 * - Every time from then on (the lock never goes): culprit cannot restore by itself; it says so
 *   in one message, not a stack, with the one command to run; `culprit recover` (git working
 *   again) makes the work byte-identical and removes the aside folder.
 * The repository has a modified tracked file, a staged change (edited again unstaged), an
 * untracked file in an untracked folder and ignored files.
 */

const command = ["node", "check.mjs"];
// A stack trace's frames: never shown for a condition of the user's machine.
const stackFrame = /^\s+at .+:\d+:\d+\)?$/m;

/** Runs culprit with `fault`, and then `after` with the repository and what culprit printed. */
async function withFault(
  fault: GitFault,
  options: string[],
  after: (
    repo: TestRepo,
    before: Record<string, string>,
    result: { status: number | null; stdout: string; stderr: string; failures: number },
    heal: () => void,
  ) => Promise<void>,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<void> {
  const repo = everyKindOfWorkRepo();
  const git = failingGit(repo, fault);
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["--json", ...options, "--", ...command], {
      ...git.env,
      ...extraEnv,
    });
    await after(repo, before, { ...result, failures: git.failures() }, () => git.heal());
  } finally {
    git.cleanup();
    repo.cleanup();
  }
}

/** The work is as before, restored from the backup by culprit itself, nothing left over. */
function expectRestoredByItself(
  repo: TestRepo,
  before: Record<string, string>,
  stdout: string,
): Record<string, unknown> {
  expect(captureState(repo)).toEqual(before);
  expect(leftAside(repo)).toBe(false);
  expect(backupRefs(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
  const json = JSON.parse(stdout) as Record<string, unknown>;
  expect(json["restore"]).toMatchObject({ touched: true, via: "backup", verified: true });
  return json;
}

/** The step after the last `step` ("state/detail") of the last run was the restore from the backup. */
function expectRestoreRightAfter(repo: TestRepo, step: string): void {
  const steps = (readLastRun(repo)?.history ?? []).map((h) => `${h.state}/${h.detail ?? ""}`);
  const failedAt = steps.lastIndexOf(step);
  expect(failedAt, steps.join("\n")).toBeGreaterThanOrEqual(0);
  expect(steps.slice(failedAt + 1, failedAt + 2)).toEqual(["restore-from-backup/"]);
}

test.concurrent("entering, once: the reset to HEAD fails after the move aside; unrunnable, work restored", async () => {
  const fault = { command: "read-tree", withArg: "-u", at: "enter-baseline/moved aside" };
  await withFault(fault, ["--runs", "1", "--max-runs", "1"], async (repo, before, result) => {
    expect(result.failures, result.stderr).toBe(1);
    const json = expectRestoredByItself(repo, before, result.stdout);
    expect(result.status, result.stderr).toBe(2);
    expect(json["verdict"]).toBe("unrunnable");
    expect(json["reason"]).toMatch(
      /^the baseline could not be prepared \(git read-tree --reset -u \S+ failed \(exit 128\): fatal: Unable to create '.*index\.lock': File exists\.\); your work was restored from the backup$/,
    );
    expect(result.stderr).not.toMatch(stackFrame);
  });
}, 120_000);

test.concurrent("leaving, once, before your files go back: the verdict stands, work restored", async () => {
  const fault = { command: "read-tree", withArg: "-u", at: "leave-baseline/reset to your tree" };
  await withFault(fault, [], async (repo, before, result) => {
    expect(result.failures, result.stderr).toBe(1);
    const json = expectRestoredByItself(repo, before, result.stdout);
    expect(json["verdict"]).toBe("regression");
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).not.toMatch(stackFrame);
    // The leave stopped before "moving back": the files were still aside when the backup came in.
    expectRestoreRightAfter(repo, "leave-baseline/reset to your tree");
  });
}, 120_000);

test.concurrent("leaving, once, after your files went back: the verdict stands, work restored", async () => {
  // trackPaths: the moved-back files hashed into the private index (update-index --add).
  const fault = { command: "update-index", at: "leave-baseline/moving back" };
  await withFault(fault, ["--runs", "1", "--max-runs", "1"], async (repo, before, result) => {
    expect(result.failures, result.stderr).toBe(1);
    const json = expectRestoredByItself(repo, before, result.stdout);
    // One run a side cannot show a regression: the comparator's verdict, not the failed leave's.
    expect(json["verdict"]).toBe("inconclusive");
    expect(json["reason"]).not.toMatch(/could not be prepared/);
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(stackFrame);
    expectRestoreRightAfter(repo, "leave-baseline/moving back");
  });
}, 120_000);

// The restore after a failed leave fails once too; culprit's rescue restores on its second try.
// The run has no verdict: exit 2 (as an undecided one), one line with what git said and that the
// work is back and verified; not an internal error (exit 4 says "could not restore").
test.concurrent("leaving, and the first restore from the backup fails too: work restored, exit 2", async () => {
  const fault = {
    command: "read-tree",
    withArg: "-u",
    at: "leave-baseline/reset to your tree",
    times: 2,
  };
  await withFault(fault, ["--runs", "1", "--max-runs", "1"], async (repo, before, result) => {
    expect(result.failures, result.stderr).toBe(2);
    expect(captureState(repo)).toEqual(before);
    expect(leftAside(repo)).toBe(false);
    expect(backupRefs(repo)).toEqual([]);
    expect(readJournal(repo)).toBeNull();
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(stackFrame);
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).toMatch(
      /^culprit: stopped, no verdict: git read-tree --reset -u \S+ failed \(exit 128\): fatal: Unable to create '.*index\.lock': File exists\.\. Your work was restored from the backup and verified\. Run culprit again once git can work here \(CULPRIT_TRACE_GIT=1 shows every git call\)\.\n$/,
    );
  });
}, 120_000);

// The same while a SIGTERM stops culprit (it signals itself at that step): the git failures
// come with the stop, and the report is the interrupted one (JSON, exit 143), not "stopped by
// git" on stderr alone, as a clean-clone CI run once printed after a tree-kill.
test.concurrent("the same while a SIGTERM stops culprit: interrupted, work restored, exit 143", async () => {
  const fault = {
    command: "read-tree",
    withArg: "-u",
    at: "leave-baseline/reset to your tree",
    times: 2,
  };
  await withFault(
    fault,
    ["--runs", "1", "--max-runs", "1"],
    async (repo, before, result) => {
      expect(result.failures, result.stderr).toBe(2);
      expect(result.status, result.stderr).toBe(143);
      const json = expectRestoredByItself(repo, before, result.stdout);
      expect(json["interrupted"]).toBe("SIGTERM");
      expect(json["reason"]).toMatch(/^interrupted by SIGTERM/);
      expect(readJournal(repo)).toBeNull();
      expect(result.stderr).not.toMatch(stackFrame);
      expect(result.stderr).not.toContain("stopped, no verdict");
    },
    { CULPRIT_FAULT: "leave-baseline/reset to your tree@SIGTERM" },
  );
}, 120_000);

for (const [label, at] of [
  ["entering", "enter-baseline/moved aside"],
  ["leaving", "leave-baseline/reset to your tree"],
] as const) {
  test.concurrent(`${label}, and git keeps failing: exit 4, one message, \`culprit recover\` restores`, async () => {
    const fault = { command: "read-tree", withArg: "-u", at, times: Infinity };
    await withFault(
      fault,
      ["--runs", "1", "--max-runs", "1"],
      async (repo, before, result, heal) => {
        // The baseline's reset, the restore from the backup, the rescue's second try.
        expect(result.failures, result.stderr).toBe(3);
        expect(result.status, result.stderr).toBe(4);
        expect(result.stderr).not.toMatch(stackFrame);
        expect(result.stderr).not.toContain("internal error");
        expect(result.stderr).toMatch(
          /^culprit: could not restore your work by itself \(git read-tree --reset -u \S+ failed \(exit 128\): fatal: Unable to create '.*index\.lock': File exists\.\)\. It is safe in refs\/culprit\/backup\.\nTo restore it, run:\n {2}culprit recover\n$/,
        );
        // Left for recovery: the backup, the journal, and your files still in the aside folder.
        expect(backupRefs(repo)).toEqual(["refs/culprit/backup"]);
        expect(readJournal(repo)).not.toBeNull();
        expect(leftAside(repo)).toBe(true);
        heal();
        const recovered = await runCulpritAsync(repo, ["recover"]);
        expect(recovered.status, recovered.stderr).toBe(0);
        expect(recovered.stderr).toMatch(/^culprit: restored your work from the backup of run /);
        expect(captureState(repo)).toEqual(before);
        expect(leftAside(repo)).toBe(false);
        expect(backupRefs(repo)).toEqual([]);
        expect(readJournal(repo)).toBeNull();
      },
    );
  }, 120_000);
}
