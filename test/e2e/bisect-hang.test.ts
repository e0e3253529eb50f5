import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, createRepo, runCulpritAsync } from "../repos/harness.js";
import { commitSeries } from "../repos/history.js";

/*
 * `culprit bisect` where the commit to find makes the check hang: a hang is bad, as
 * `git bisect run` takes a timeout's exit, and each hung run is run once more (from the commit's
 * tree again) before it counts. The time in runs counts each hung first attempt: it was left out,
 * and `timing.runsMs` read as if the hangs had taken half their time.
 */

type Doc = {
  verdict: string;
  culprit: { sha: string } | null;
  tested: { sha: string; runs: { outcome: string; durationMs: number }[] }[];
  timing: { runsMs: number };
};

test("a commit that makes the check hang is found, and the hung attempts are counted in runsMs", async () => {
  const repo = createRepo();
  try {
    repo.write("check.sh", "#!/bin/sh\ngrep -q wait state.txt && exec sleep 600\necho ok\n", 0o755);
    repo.write("state.txt", "fine\n");
    repo.commit("the good end");
    const shas = commitSeries(repo, 6, (i) => {
      if (i === 3) repo.write("state.txt", "wait\n");
      repo.write(`log/${i}.txt`, `commit ${i}\n`);
      return `commit ${i}`;
    });
    repo.write("notes.txt", "work in progress, untracked\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "bisect",
      "--good",
      shas[0]!,
      "--json",
      "--timeout",
      "1.5s",
      "--kill-after",
      "1s",
      "--",
      "./check.sh",
    ]);
    const doc = JSON.parse(result.stdout) as Doc;
    expect(doc.verdict, result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[3]);
    const runs = doc.tested.flatMap((c) => c.runs);
    const hangs = runs.filter((r) => r.outcome === "hang");
    expect(hangs.length).toBeGreaterThan(0);
    // Every hang was a retry of a first attempt that hung for the whole --timeout too.
    const inRuns = runs.reduce((sum, r) => sum + r.durationMs, 0);
    expect(doc.timing.runsMs).toBeGreaterThanOrEqual(inRuns + hangs.length * 1_500 - runs.length);
    expect(captureState(repo)).toEqual(before);
    expect(leftWorktrees(repo)).toEqual([]);
  } finally {
    repo.cleanup();
  }
}, 180_000);
