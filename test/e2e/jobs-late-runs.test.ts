import { afterEach, expect, test } from "vitest";
import {
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { preExistingRepo } from "../repos/scenarios.js";

// With --jobs, the runs still going when the comparator decides are let finish (a test killed
// mid-write could leave your linked dist/ half written), and they are in the report's rows. The
// reason kept the counts of the decision: "fails 3/3 with your changes" beside a row of 4 (found
// on ljharb/qs and tj/commander.js). The reason now gives the counts the rows show, and the ones
// it was decided at in brackets, as a test's line does.

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("--jobs 2: the reason's counts are the rows' counts", () => {
  repo = preExistingRepo();
  // Runs of uneven length, so that one is still going when the others decide.
  const shell = 'sleep "0.$(( (CULPRIT_RUN % 3) * 3 + 1 ))"; node check.mjs';
  const before = captureState(repo);
  const run = runCulprit(repo, ["--jobs", "2", "--json", "--per-test", "off", "--shell", shell]);
  const json = parseJsonOutput(run) as ReturnType<typeof parseJsonOutput> & {
    runs: { side: string; outcome: string }[];
  };
  expect(json.verdict, String(json.reason)).toBe("pre-existing");
  const count = (side: string) => json.runs.filter((r) => r.side === side).length;
  const shown = /^fails (\d+)\/(\d+) with your changes, (\d+)\/(\d+) without/.exec(
    String(json.reason),
  );
  expect(shown, String(json.reason)).not.toBeNull();
  expect([Number(shown![2]), Number(shown![4])]).toEqual([count("current"), count("baseline")]);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
});
