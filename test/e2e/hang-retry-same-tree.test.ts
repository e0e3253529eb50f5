import { afterEach, expect, test } from "vitest";
import { attributeUntouched, killRecoverUntouched, twoRuns } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * A hang is run once more before it counts (a hang is a signal, not a verdict), and that retry
 * must start from the tree the hung run started from. It started from what the hung run left:
 * a test that takes a lock file as it starts found its own lock and failed at once, so every
 * run of your tree read "fail", not "hang" (a hang your change makes read as a failing test).
 * Now what the hung run wrote is kept aside under the residue ref first, as after any run.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const runner = `import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
if (existsSync("run.lock")) {
  console.error("run.lock is there: another run is going");
  process.exit(1);
}
writeFileSync("run.lock", String(process.pid));
if (readFileSync("lib.txt", "utf8").includes("loop")) setInterval(() => {}, 1000);
else {
  rmSync("run.lock");
  process.exit(0);
}
`;

/** A repository whose test takes a lock and, with the change, hangs holding it. */
function lockingRepo(): TestRepo {
  const r = createRepo();
  r.write("runner.mjs", runner);
  r.write("lib.txt", "v = 1\n");
  r.commit("a test that takes a lock");
  r.write("lib.txt", "v = loop\n");
  return r;
}

test("a hung run's retry starts from the tree it started from, not from what it left", () => {
  repo = lockingRepo();
  const { json, status } = attributeUntouched(
    repo,
    ["node", "runner.mjs"],
    [...twoRuns, "--no-cache", "--timeout", "1.5s", "--kill-after", "1s"],
  );
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const runs = json["runs"] as { side: string; outcome: string; hangRetried: boolean }[];
  const current = runs.filter((r) => r.side === "current");
  expect(current.length).toBeGreaterThanOrEqual(2);
  for (const run of current) expect(run).toMatchObject({ outcome: "hang", hangRetried: true });
  expect(runs.filter((r) => r.side === "baseline").every((r) => r.outcome === "pass")).toBe(true);
}, 120_000);

test("killed (-9) as the hung run's writes are put aside before its retry: culprit recover gives the tree back", () => {
  repo = lockingRepo();
  // The first settle of your tree's side is the one before the retry (the hung run left its lock).
  killRecoverUntouched(repo, ["node", "runner.mjs"], "probe-current/settle", [
    "--no-cache",
    "--timeout",
    "1.5s",
    "--kill-after",
    "1s",
  ]);
}, 120_000);
