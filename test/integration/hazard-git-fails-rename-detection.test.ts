import { expect, test } from "vitest";
import { failingGit } from "../repos/failing-git.js";
import { captureState, createRepo, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { readJournal } from "../repos/journal.js";

/*
 * The rename detection (src/git/renames.ts: `git diff-tree -M` between the baseline's tree and
 * yours) is best effort: it only reads git's objects, and when git fails it, the attribution
 * goes on as it did before renames were read (a renamed test file's old failure reads as new).
 * Here every `diff-tree -M` fails for real (the failing git: exit 99), beside your tree's runs
 * and before each baseline; the verdict comes as it did then, and your work is as it was.
 */
test("git fails every rename detection: the attribution decides as before it had one, your work untouched", async () => {
  const repo = createRepo();
  repo.write("src/lib.mjs", "export const money = (c) => (c / 100).toFixed(2);\n");
  repo.write(
    "test/lib.test.mjs",
    [
      'import assert from "node:assert/strict";',
      'import { test } from "node:test";',
      'import { money } from "../src/lib.mjs";',
      'test("formats money", () => assert.equal(money(123456), "1,234.56"));',
      "",
    ].join("\n"),
  );
  repo.commit("an old failure");
  repo.git("mv", "test/lib.test.mjs", "test/shop.test.mjs");
  repo.write("notes.txt", "the user's own work\n");
  const git = failingGit(repo, { command: "diff-tree", at: "*", withArg: "-M", times: Infinity });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(
      repo,
      ["--json", "--no-cache", "--", "node", "--test", "test/"],
      git.env,
    );
    // Beside your tree's runs, before HEAD's runs, and before the selective revert's.
    expect(git.failures()).toBe(3);
    const json = JSON.parse(result.stdout) as {
      verdict: string;
      strategy: string;
      restore: { verified: boolean };
      tests: { verdict: string }[];
    };
    // Without the renames, as before them: the test is new at HEAD, and the selective revert
    // that keeps the test files (it reverts notes.txt) decides it. With them, HEAD decides.
    expect(json.verdict, result.stderr).toBe("pre-existing");
    expect(result.status).toBe(0);
    expect(json.strategy).toBe("selective-revert");
    expect(json.tests.map((t) => t.verdict)).toEqual(["pre-existing"]);
    expect(json.restore.verified).toBe(true);
    expect(captureState(repo)).toEqual(before);
    expect(readJournal(repo)).toBeNull();
    expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
  } finally {
    git.cleanup();
    repo.cleanup();
  }
});
