import { expect, test } from "vitest";
import { captureState, runCulprit } from "../repos/harness.js";
import { backupRefs, readJournal } from "../repos/journal.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

/*
 * `git add -N` (intent to add) beside --strategy stash: git stash refuses such an entry ("Entry
 * 'x' not uptodate. Cannot merge."). culprit ran your tree's runs, then failed to prepare the
 * baseline and said UNRUNNABLE, exit 2 (iamkun/dayjs trial). It is a usage error, said before
 * anything runs; the default baseline keeps such an entry as it is.
 */

test("--strategy stash with an intent-to-add file: refused before anything runs, exit 3", () => {
  const repo = regressionRepo();
  try {
    repo.write("src/new helper.js", "export const helper = 1;\n");
    repo.git("add", "-N", "src/new helper.js");
    const before = captureState(repo);
    const result = runCulprit(repo, ["--strategy", "stash", "--", ...checkCommand]);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr.trim()).toBe(
      "culprit: git stash cannot stash intent-to-add files (git add -N: src/new helper.js): leave out --strategy stash (the default baseline keeps them as they are), or git add them first.",
    );
    expect(captureState(repo)).toEqual(before);
    expect(readJournal(repo)).toBeNull();
    expect(backupRefs(repo)).toEqual([]);
    // The default baseline takes it as it is: the regression is found, the entry kept.
    const json = JSON.parse(runCulprit(repo, ["--json", "--", ...checkCommand]).stdout);
    expect(json["verdict"]).toBe("regression");
    expect(captureState(repo)).toEqual(before);
  } finally {
    repo.cleanup();
  }
});
