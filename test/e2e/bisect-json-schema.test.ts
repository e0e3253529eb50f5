import { expect, test } from "vitest";
import { createRepo, runCulpritAsync } from "../repos/harness.js";
import { historyRepo, parseBisectJson } from "../repos/history.js";

// Real `culprit bisect --json` output of each way a bisection ends, against the schema shipped
// in the package (schema/bisect.schema.json).

const valid = (stdout: string) => parseBisectJson(stdout);

test("culprit named, good end failing, interrupted: each document fits the schema", async () => {
  const { repo, shas } = historyRepo(8, 5);
  try {
    const found = await runCulpritAsync(repo, [
      "bisect",
      "--good",
      shas[0]!,
      "--json",
      "--",
      "./check.sh",
    ]);
    const doc = valid(found.stdout);
    expect(doc["verdict"]).toBe("culprit");
    expect(found.status).toBe(0);

    const goodFails = await runCulpritAsync(repo, [
      "bisect",
      "--good",
      shas[6]!,
      "--json",
      "--",
      "./check.sh",
    ]);
    expect(valid(goodFails.stdout)["verdict"]).toBe("good-fails");
    expect(goodFails.status).toBe(2);

    const stopped = await runCulpritAsync(
      repo,
      ["bisect", "--good", shas[0]!, "--json", "--", "./check.sh"],
      { CULPRIT_FAULT: "probe-parallel/commit 4/8 run@SIGTERM" },
    );
    expect(valid(stopped.stdout)["interrupted"]).toBe("SIGTERM");
    expect(stopped.status).toBe(143);
  } finally {
    repo.cleanup();
  }
}, 120_000);

test("a culprit among commits that cannot run (exit 125): a range, in the schema", async () => {
  const repo = createRepo();
  try {
    repo.write(
      "check.sh",
      "#!/bin/sh\n[ -f unbuildable ] && { echo 'does not build'; exit 125; }\ngrep -q broken state.txt && exit 1\nexit 0\n",
      0o755,
    );
    repo.write("state.txt", "fine\n");
    repo.commit("the good end");
    const good = repo.git("rev-parse", "HEAD").trim();
    for (let i = 1; i <= 8; i++) {
      if (i === 3) repo.write("unbuildable", "x\n");
      if (i === 5) repo.write("state.txt", "broken\n");
      if (i === 7) repo.remove("unbuildable");
      repo.write(`log/${i}.txt`, `${i}\n`);
      repo.commit(`commit ${i}`);
    }
    const result = await runCulpritAsync(repo, [
      "bisect",
      "--good",
      good,
      "--json",
      "--",
      "./check.sh",
    ]);
    const doc = valid(result.stdout) as {
      verdict: string;
      range: { commits: { subject: string }[] };
    };
    expect(doc.verdict, result.stderr).toBe("range");
    expect(doc.range.commits.map((c) => c.subject)).toEqual([
      "commit 3",
      "commit 4",
      "commit 5",
      "commit 6",
      "commit 7",
    ]);
  } finally {
    repo.cleanup();
  }
}, 120_000);
