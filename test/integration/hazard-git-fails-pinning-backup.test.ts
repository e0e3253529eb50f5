import { expect, test } from "vitest";
import { everyKindOfWorkRepo, failingGit } from "../repos/failing-git.js";
import { captureState, runCulpritAsync } from "../repos/harness.js";
import { backupRefs, readJournal } from "../repos/journal.js";

/*
 * The backup's trees are captured before the first run on your tree; the commits and the ref
 * that pin them are written while that run goes (src/machine/attribute.ts, `backup`). Here the
 * pin fails for real (another process holds the ref's lock) while the first run writes into the
 * tree: culprit must bring the tree back from the captured trees by itself, say in one line that
 * git stopped it, and leave nothing behind.
 */

// Writes into your tree on every run, as a test that keeps a report or a snapshot does.
const writingCheck = `import { writeFileSync } from "node:fs";
writeFileSync("run-output.txt", "written by the run " + process.env.CULPRIT_RUN + "\\n");
await import("./check.mjs");
`;

test("the backup's ref cannot be written during the first run: the tree comes back, exit 2", async () => {
  const repo = everyKindOfWorkRepo();
  repo.write("writing-check.mjs", writingCheck);
  repo.git("add", "writing-check.mjs");
  repo.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "writing check");
  const git = failingGit(repo, {
    command: "update-ref",
    at: "*",
    withArg: "refs/culprit/backup",
    lock: "refs/culprit/backup.lock",
  });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["--json", "--", "node", "writing-check.mjs"], {
      ...git.env,
    });
    expect(git.failures()).toBe(1);
    expect(result.status, result.stderr).toBe(2);
    // One line that names git's refusal, no stack.
    expect(result.stderr).toMatch(/backup\.lock/);
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    // The run's file is gone (kept under a residue ref), everything else as it was.
    expect(captureState(repo)).toEqual(before);
    expect(readJournal(repo)).toBeNull();
    expect(backupRefs(repo)).toEqual([]);
  } finally {
    git.cleanup();
    repo.cleanup();
  }
});
