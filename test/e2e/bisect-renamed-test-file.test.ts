import { expect, test } from "vitest";
import { captureState, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { commitSeries } from "../repos/history.js";
import { runnerKits, runnerRepo, writeAll } from "../repos/runner-scenarios.js";

/** 8 commits of the node kit's shop: the break at 3, test/lib.test.mjs renamed at 6. */
function breakThenRename() {
  const kit = runnerKits["node"]!;
  const repo = runnerRepo(kit);
  const shas = commitSeries(repo, 8, (i) => {
    if (i === 3) {
      writeAll(repo, kit.bug);
      return "the refactor";
    }
    if (i === 6) {
      repo.git("mv", "test/lib.test.mjs", "test/shop.test.mjs");
      return "rename the tests";
    }
    return null;
  });
  return { repo, shas };
}

// `culprit bisect` over a history that renames the test file after the commit that broke a test
// (real node --test; an old failure at the good end, so bisect follows tests). The good end
// reported test/lib.test.mjs::adds, the bad end test/shop.test.mjs::adds: no test both failed
// at the bad end and passed at the good end, and bisect answered "FAILS AT THE GOOD END TOO".
// Each commit's tests are now read as the bad end names their files (git's rename detection).
test("a test file renamed after the breaking commit: the commit that broke `adds` is found", async () => {
  const kit = runnerKits["node"]!;
  const { repo, shas } = breakThenRename();
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "bisect",
      "--json",
      "--good",
      shas[0]!,
      "--",
      ...kit.suite,
    ]);
    const doc = JSON.parse(result.stdout) as {
      verdict: string;
      culprit: { sha: string } | null;
      tests: string[];
    };
    expect(doc.verdict, result.stdout + result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[3]);
    expect(doc.tests).toHaveLength(1);
    expect(doc.tests[0]).toMatch(/^test\/shop\.test\.mjs::.*adds$/);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    repo.cleanup();
  }
}, 180_000);

// The command names the file by its new name (`node --test test/shop.test.mjs`): before the
// rename no commit had it, and bisect answered UNRUNNABLE ("the command could not run at the
// good end"). The word now names the file as each commit has it.
test("the command names the renamed test file: it runs under its old name before the rename, the commit that broke it is found", async () => {
  const { repo, shas } = breakThenRename();
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "bisect",
      "--json",
      "--good",
      shas[0]!,
      "--",
      "node",
      "--test",
      "test/shop.test.mjs",
    ]);
    const doc = JSON.parse(result.stdout) as {
      verdict: string;
      culprit: { sha: string } | null;
      command: { renamed?: { word: string; as: string; commits: number }[] };
    };
    expect(doc.verdict, result.stdout + result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[3]);
    const renamed = doc.command.renamed ?? [];
    expect(renamed.map((w) => [w.word, w.as])).toEqual([
      ["test/shop.test.mjs", "test/lib.test.mjs"],
    ]);
    expect(renamed[0]!.commits).toBeGreaterThan(0);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    repo.cleanup();
  }
}, 180_000);
