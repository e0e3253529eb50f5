import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { captureState, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { historyRepo } from "../repos/history.js";

// `culprit bisect` tests each commit in a worktree with your ignored folders linked in (your
// node_modules, .venv, target). A link to a folder is a file to git, so a `deps/` rule does not
// ignore it there: the worktree's snapshots must leave the links out. They did not: the first
// run's settle took the link for something the test wrote, kept it under a residue ref and
// removed it, and every later run in that worktree found no `deps/` (a tool called by its path,
// as `./node_modules/.bin/vitest` is, then cannot run). Fixed in src/machine/worktrees.ts
// (`shareInto`, now used by attribution's worktrees, bisect and isolate alike).
test("bisect: an ignored folder the check calls by path is there for every run", async () => {
  const { repo, shas } = historyRepo(12, 7);
  try {
    repo.write(".gitignore", "deps/\n");
    repo.commit("ignore deps");
    shas.push(repo.git("rev-parse", "HEAD").trim());
    mkdirSync(join(repo.dir, "deps"));
    // The check, through a tool in the ignored folder (exit 127 when the folder is gone).
    repo.write("deps/run-check.sh", '#!/bin/sh\nexec ./check.sh "$@"\n', 0o755);
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "bisect",
      "--json",
      "--good",
      shas[0]!,
      "--",
      "./deps/run-check.sh",
    ]);
    const doc = JSON.parse(result.stdout) as {
      verdict: string;
      culprit: { sha: string } | null;
      tested: { runs: { outcome: string }[] }[];
    };
    expect(doc.verdict, result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[7]);
    // Every run could run: none found the folder gone.
    const outcomes = doc.tested.flatMap((t) => t.runs.map((r) => r.outcome));
    expect(outcomes.length).toBeGreaterThan(3);
    expect(outcomes.filter((o) => o === "cannot-run")).toEqual([]);
    // Nothing was taken for the test's writing.
    expect(culpritRefs(repo)).toEqual([]);
    expect(captureState(repo)).toEqual(before);
  } finally {
    repo.cleanup();
  }
}, 180_000);
