import { afterEach, expect, test } from "vitest";
import { captureState, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";
import { newTestCommand, newTestWithInnocentEditRepo } from "../repos/revert-scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("kill -9 right after the suspects were reverted: `culprit recover` restores everything", () => {
  repo = newTestWithInnocentEditRepo();
  const before = captureState(repo);
  const killed = runCulprit(repo, ["--json", "--", ...newTestCommand], {
    CULPRIT_FAULT: "enter-baseline/reverted",
  });
  expect(killed.signal).toBe("SIGKILL");
  // The tree is the selective-revert baseline now: the bug is gone from src/price.mjs.
  expect(captureState(repo)).not.toEqual(before);
  const refused = runCulprit(repo, ["--", ...newTestCommand]);
  expect(refused.status).toBe(3);
  expect(refused.stderr).toMatch(/culprit recover/);

  const recovered = runCulprit(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
});

test("SIGINT during a run at the reverted baseline: the tree comes back, verified, exit 130", () => {
  repo = newTestWithInnocentEditRepo();
  const before = captureState(repo);
  // HEAD cannot run the new test (not even tried): run 1 is the first at the reverted baseline.
  const result = runCulprit(repo, ["--json", "--", ...newTestCommand], {
    CULPRIT_FAULT: "probe-baseline/run 1@SIGINT",
  });
  expect(result.status, result.stderr).toBe(130);
  const json = JSON.parse(result.stdout);
  expect(json.interrupted).toBe("SIGINT");
  expect(json.restore.verified).toBe(true);
  expect(json.attempts.map((a: { outcome: string }) => a.outcome)).toEqual([
    "unrunnable",
    "stopped",
  ]);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
});
