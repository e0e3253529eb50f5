import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { captureState, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";
import { slowRepo, startCulprit, waitForState } from "../repos/slow-check.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const lockPath = (r: TestRepo) => join(r.dir, ".git", "culprit", "lock");

/** A pid that existed a moment ago and is dead now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid!;
}

test("while a run is in progress: a second run, `recover` and `status` all name the holder", async () => {
  repo = slowRepo();
  const before = captureState(repo);
  const first = startCulprit(repo);
  await waitForState(repo, "probe-baseline", "run 1");
  // The baseline run writes two files, then sleeps: wait for them before taking the state.
  while (!existsSync(join(repo.dir, "baseline-output.txt")))
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  const pid = first.child.pid!;
  const during = captureState(repo);

  // A second run exits 3 with one line naming the holder's pid, and touches nothing.
  const second = runCulprit(repo, ["--", ...checkCommand]);
  expect(second.status, second.stderr).toBe(3);
  expect(second.stderr.trim().split("\n")).toHaveLength(1);
  expect(second.stderr).toContain(`pid ${pid}`);
  expect(second.stderr).not.toContain("culprit recover");
  expect(captureState(repo)).toEqual(during);

  // `culprit recover` must not restore under a live run's feet.
  const recover = runCulprit(repo, ["recover"]);
  expect(recover.status).toBe(3);
  expect(recover.stderr).toContain(`pid ${pid}`);
  expect(captureState(repo)).toEqual(during);

  const status = runCulprit(repo, ["status"]);
  expect(status.status).toBe(0);
  expect(status.stdout).toContain(`a run is in progress (pid ${pid}`);
  const statusJson = JSON.parse(runCulprit(repo, ["status", "--json"]).stdout);
  expect(statusJson.running.pid).toBe(pid);

  // The first run is unaffected: interrupted, it restores everything and lets go of the lock.
  first.child.kill("SIGINT");
  const ended = await first.exited;
  expect(ended.code, ended.stderr).toBe(130);
  expect(captureState(repo)).toEqual(before);
  expect(existsSync(lockPath(repo))).toBe(false);
  expect(runCulprit(repo, ["status"]).stdout).toContain("no run in progress");
});

test("a lock left by a dead culprit is taken over", () => {
  repo = regressionRepo();
  mkdirSync(join(repo.dir, ".git", "culprit"), { recursive: true });
  const pid = deadPid();
  writeFileSync(lockPath(repo), JSON.stringify({ pid, startedAt: "2026-01-01T00:00:00.000Z" }));
  expect(runCulprit(repo, ["status"]).stdout).toContain("no run in progress");
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(existsSync(lockPath(repo))).toBe(false);
});

test("a half-written lock (a crash while taking it) is taken over", () => {
  repo = regressionRepo();
  mkdirSync(join(repo.dir, ".git", "culprit"), { recursive: true });
  writeFileSync(lockPath(repo), '{"pid": 12');
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(existsSync(lockPath(repo))).toBe(false);
});

test("`culprit recover` takes over a dead run's lock too, and restores", () => {
  repo = regressionRepo();
  const before = captureState(repo);
  const killed = runCulprit(repo, ["--json", "--", ...checkCommand], {
    CULPRIT_FAULT: "enter-baseline/checked out",
  });
  expect(killed.signal).toBe("SIGKILL");
  // The killed run's lock is still there, with its (now dead) pid.
  expect(existsSync(lockPath(repo))).toBe(true);
  const recovered = runCulprit(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
  expect(existsSync(lockPath(repo))).toBe(false);
});
