import { expect, test } from "vitest";
import { captureState, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { commitSeries } from "../repos/history.js";
import { runnerKits, runnerRepo, writeAll } from "../repos/runner-scenarios.js";

// The everyday suite in `culprit bisect`: one test already failing at the good end (`formats
// money`), one a later commit breaks (`adds`). The command fails at both ends, and bisect
// answered "FAILS AT THE GOOD END TOO: pick an older --good where it passes", where no such
// commit exists. It now follows the tests that fail at the bad end and pass at the good end.
test("node --test test/: the commit that broke `adds` is found, the old failure set aside", async () => {
  const kit = runnerKits["node"]!;
  const repo = runnerRepo(kit);
  try {
    const shas = commitSeries(repo, 10, (i) => {
      if (i !== 6) return null;
      writeAll(repo, kit.bug);
      return "the refactor";
    });
    repo.write("scratch.txt", "the user's own work\n");
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
      tested: { end: string | null; runs: { outcome: string; command: string }[] }[];
    };
    expect(doc.verdict, result.stdout + result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[6]);
    expect(doc.tests).toHaveLength(1);
    expect(doc.tests[0]).toMatch(/adds$/);
    // The good end's runs failed as commands (the old failure) and passed as the search took them.
    const good = doc.tested.find((t) => t.end === "good")!;
    expect(good.runs.map((r) => [r.command, r.outcome])).toContainEqual(["fail", "pass"]);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);

    // At a terminal, the report names the test it followed.
    const human = await runCulpritAsync(repo, ["bisect", "--good", shas[0]!, "--", ...kit.suite]);
    expect(human.stdout).toMatch(
      /followed 1 test that fails at the bad end and passes at the good end \(the command fails at the good end too\): .*adds/,
    );
  } finally {
    repo.cleanup();
  }
}, 180_000);

// What fails at the bad end only is a test the good end does not have: an older --good, which
// the answer advised, has it even less (jshttp/mime-types trial: a test of `.mp4` added since).
test("node --test test/: the test that fails at the bad end only was added since the good end: a newer --good, not an older one", async () => {
  const kit = runnerKits["node"]!;
  const repo = runnerRepo(kit);
  try {
    const shas = commitSeries(repo, 4, (i) => {
      if (i !== 2) return null;
      repo.write(
        "test/extra.test.mjs",
        `${'import assert from "node:assert/strict";\nimport { it } from "node:test";'}\nit("rounds", () => assert.equal(Math.round(2.5), 2));\n`,
      );
      return "a test of rounding";
    });
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["bisect", "--good", shas[0]!, "--", ...kit.suite]);
    expect(result.status, result.stdout + result.stderr).toBe(2);
    expect(result.stdout).toMatch(/FAILS AT THE GOOD END TOO/);
    expect(result.stdout).toContain(
      "test/extra.test.mjs::rounds is a test the good end does not have (added since): pick a newer --good where it exists and passes",
    );
    expect(result.stdout).not.toMatch(/older --good/);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    repo.cleanup();
  }
}, 180_000);
