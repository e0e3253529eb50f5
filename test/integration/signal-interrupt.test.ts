import { afterEach, expect, test } from "vitest";
import { captureState, culpritRefs, type TestRepo } from "../repos/harness.js";
import { slowRepo, startCulprit, waitForState } from "../repos/slow-check.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const)(
  "%s during a baseline run: the test's group is killed, the tree restored and verified, exit %i",
  async (signal, code) => {
    repo = slowRepo();
    const before = captureState(repo);
    const { child, exited } = startCulprit(repo);
    await waitForState(repo, "probe-baseline", "run 1");
    await new Promise((r) => setTimeout(r, 300));
    child.kill(signal);
    const result = await exited;
    expect(result.code, result.stderr).toBe(code);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
    const json = JSON.parse(result.stdout);
    expect(json.interrupted).toBe(signal);
    expect(json.restore.verified).toBe(true);
    expect(result.stderr).toContain("restoring your work");
  },
);

test("a second Ctrl-C during the restore does not abort it", async () => {
  repo = slowRepo();
  const before = captureState(repo);
  const { child, exited } = startCulprit(repo);
  await waitForState(repo, "probe-baseline", "run 1");
  await new Promise((r) => setTimeout(r, 300));
  child.kill("SIGINT");
  child.kill("SIGINT");
  setTimeout(() => child.kill("SIGINT"), 30);
  const result = await exited;
  expect(result.code).toBe(130);
  expect(result.stderr).toContain("please wait");
  expect(captureState(repo)).toEqual(before);
});
