import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { orphanedTestPids } from "../../src/machine/orphans.js";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulprit,
  startCulprit,
} from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";
import { waitForState } from "../repos/slow-check.js";

/*
 * A hung pytest run is stopped with SIGINT first, and SIGKILL only --kill-after later: while
 * culprit waits in that grace, at the baseline (its old hang; your change ends it) (HEAD's files in your tree, your work in the
 * backup), it is killed with SIGKILL. The hung pytest outlives it (its own process group, and it
 * swallows the KeyboardInterrupt); `culprit recover` stops it and gives the tree back byte for
 * byte. The real python3 -m pytest, real signals.
 */

const missing = runnerMissing("pytest");
if (missing) console.log(`pytest kill case skipped: ${missing}`);

test.skipIf(missing !== null)(
  "kill -9 while a hung pytest run is in its SIGINT grace at the baseline, then culprit recover: the tree as it was, no pytest left",
  async () => {
    const repo = createRepo();
    try {
      repo.write(".gitignore", "__pycache__/\n");
      repo.write("shop/__init__.py", "");
      repo.write("shop/lib.py", "def v():\n    return 1\n");
      repo.write(
        "tests/test_lib.py",
        [
          "import os, time",
          "from shop.lib import v",
          "",
          "def test_v_is_one():",
          "    assert v() == 1",
          "",
          "def test_slow():",
          "    while v() == 1:",
          "        try:",
          "            time.sleep(0.05)",
          "        except KeyboardInterrupt:",
          '            open(os.environ["SIGINT_SEEN"], "a").write("SIGINT\\n")',
          "",
        ].join("\n"),
      );
      repo.commit("a test that never ends at HEAD, not even on Ctrl-C");
      repo.write("shop/lib.py", "def v():\n    return 2\n");
      repo.write("notes.txt", "untracked work in progress\n");
      const before = captureState(repo);
      // Outside the tree: where the hung test says it had culprit's SIGINT.
      const seen = join(repo.dir, "..", "sigint-seen.txt");
      const { child, exited } = startCulprit(
        repo,
        [
          "--json",
          "--runs",
          "1",
          "--no-cache",
          "--timeout",
          "2s",
          "--kill-after",
          "60s",
          "--",
          "python3",
          "-m",
          "pytest",
          "-p",
          "no:cacheprovider",
          "tests",
        ],
        { SIGINT_SEEN: seen },
      );
      await waitForState(repo, "probe-baseline");
      // Past the timer: the run has had its SIGINT, and swallowed it.
      for (let waited = 0; !existsSync(seen) && waited < 60_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      expect(readFileSync(seen, "utf8")).toBe("SIGINT\n");
      child.kill("SIGKILL");
      await exited;
      const journal = JSON.parse(
        readFileSync(join(repo.dir, ".git", "culprit", "journal.json"), "utf8"),
      ) as { testGroups: number[]; runId: string };
      expect(journal.testGroups.length).toBeGreaterThan(0);
      expect(orphanedTestPids(journal.testGroups[0]!, journal.runId).length).toBeGreaterThan(0);

      const recovered = runCulprit(repo, ["recover"]);
      expect(recovered.status, recovered.stderr).toBe(0);
      expect(captureState(repo)).toEqual(before);
      expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
      expect(orphanedTestPids(journal.testGroups[0]!, journal.runId)).toEqual([]);
    } finally {
      repo.cleanup();
    }
  },
  180_000,
);
