import { expect, test } from "vitest";
import { attributeUntouchedAsync, twoRuns } from "../repos/expect-untouched.js";
import { concurrentRepos } from "../repos/harness.js";

/*
 * A runner that writes its report as it is stopped: node's own runner, stopped by --timeout,
 * reports the file it was running as failed ('test failed') when it gets there before it dies
 * (one hung run in four under load), Playwright reports its interrupted tests. Read as the hung
 * run's tests, those failures were tests failing with your changes: a test seen failing in one
 * hung run of four stayed open, and culprit ran the hang to --max-runs (15 to 30 runs of 3 s
 * where 7 decide it: stopped-before-report.test.ts took 57 to 127 s in 5 of 23 CI runs). The
 * report is read as the tests left it when the timer fired: not at all when they had not written
 * it, and as it was then when the stop rewrote it (the results it already held are kept: a
 * whole report dropped turned a regression into PRE-EXISTING, found in review).
 * Real signals: the "runners" below write their JUnit report on the SIGTERM culprit sends.
 */

// The cases wait on hung runs (--timeout) most of their time: they wait together.
const newRepo = concurrentRepos();

// The runners' start: a JUnit report of [name, failure message or null] pairs.
const head = `import { readFileSync, writeFileSync } from "node:fs";
const junit = (cases) =>
  '<?xml version="1.0"?>\\n<testsuite name="suite" tests="' + cases.length + '">\\n' +
  cases.map(([name, failed]) =>
    '<testcase classname="suite" name="' + name + '">' +
    (failed ? '<failure message="' + failed + '"/>' : "") + "</testcase>\\n").join("") +
  "</testsuite>\\n";
`;

const runner = `${head}if (readFileSync("lib.txt", "utf8").includes("loop")) {
  // Hangs; stopped, it reports the test it was in as failed, as it dies.
  process.on("SIGTERM", () => {
    writeFileSync("junit.xml", junit([["old failure", "expected 1 to be 2"], ["v", "interrupted"]]));
    process.exit(1);
  });
  setInterval(() => {}, 1000);
} else {
  writeFileSync("junit.xml", junit([["old failure", "expected 1 to be 2"], ["v", null]]));
  process.exit(1);
}
`;

/** culprit on a repository of `runnerText`, its lib.txt changed to `change`, the report junit.xml. */
function attributeHanging(runnerText: string, change: string, extra: readonly string[]) {
  const repo = newRepo();
  repo.write("runner.mjs", runnerText);
  repo.write("lib.txt", "v = 1\n");
  repo.write(".gitignore", "junit.xml\n");
  repo.commit("a runner and its JUnit report");
  repo.write("lib.txt", change);
  return attributeUntouchedAsync(
    repo,
    ["node", "runner.mjs"],
    [...extra, "--no-cache", "--junit", "junit.xml", "--timeout", "1.5s", "--kill-after", "1s"],
    {},
    ["junit.xml"],
  );
}

test.concurrent("a report the hung run writes as it is stopped is not read: the hang is the regression", async () => {
  const { json, status } = await attributeHanging(runner, "v = loop\n", []);
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const runs = json["runs"] as { side: string; outcome: string }[];
  const current = runs.filter((r) => r.side === "current");
  expect(current.map((r) => r.outcome)).toEqual(["hang", "hang", "hang", "hang"]);
  expect(runs.filter((r) => r.side === "baseline").map((r) => r.outcome)).toEqual([
    "fail",
    "fail",
    "fail",
  ]);
  // Only the command: "v", failed by the stop, is no test of your tree's.
  const rows = json["tests"] as { id: string; verdict: string; name: string }[];
  expect(rows.map((t) => [t.id, t.verdict])).toEqual([["(command)", "regression"]]);
}, 120_000);

// Writes its report as it goes (test "a" first), then hangs, on both sides (an old hang); on the
// stop's SIGTERM it rewrites the report with the test it was in as interrupted.
const goingRunner = `${head}const a = ["a", readFileSync("lib.txt", "utf8").includes("bug") ? "expected 2 to be 1" : null];
writeFileSync("junit.xml", junit([a]));
process.on("SIGTERM", () => {
  writeFileSync("junit.xml", junit([a, ["slow", "interrupted"]]));
  process.exit(1);
});
setInterval(() => {}, 1000);
`;

test.concurrent("a report the stop rewrites is read as the tests had left it: their results are kept", async () => {
  const { json, status } = await attributeHanging(goingRunner, "v = bug\n", twoRuns);
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const rows = json["tests"] as { id: string; verdict: string }[];
  expect(rows.find((t) => t.id.endsWith("a"))?.verdict).toBe("regression");
  // "slow" only ever failed as the stop wrote it.
  expect(rows.some((t) => t.id.includes("slow"))).toBe(false);
}, 120_000);
