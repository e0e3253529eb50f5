import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { captureState, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";
import {
  ignoredInTheWayRepo,
  narrowingRepo,
  neverRunnableRepo,
  newTestCommand,
  newTestRepo,
  newTestWithInnocentEditRepo,
  onlyTestChangedRepo,
  unusualTestNameRepo,
} from "../repos/revert-scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

interface Attempt {
  attempt: number;
  strategy: string;
  suspects: string[];
  outcome: string;
  counts: { runs: number; failures: number; passes: number; cannotRun: number };
}

function attemptsOf(json: Record<string, unknown>): Attempt[] {
  return json["attempts"] as Attempt[];
}

describe("selective revert: when the stash baseline cannot run", () => {
  test("a new untracked test and a buggy source edit: the regression is in that source file", () => {
    repo = newTestRepo();
    const { json, status } = attributeUntouched(repo, newTestCommand);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(json["strategy"]).toBe("selective-revert");
    expect(json["suspects"]).toEqual(["src/price.mjs"]);
    expect(json["reason"]).toMatch(/^caused by the changes in src\/price\.mjs: 1 test newly fails/);
    const [stash, revert, ...rest] = attemptsOf(json);
    expect(rest).toEqual([]);
    // The test file does not exist at HEAD: the baseline cannot run the command, no need to try.
    expect(stash).toMatchObject({
      strategy: "baseline-reset",
      suspects: [],
      outcome: "unrunnable",
      counts: { runs: 0, cannotRun: 0 },
      why: "the command names test/new.test.mjs, which the baseline does not have",
    });
    expect(revert).toMatchObject({
      strategy: "selective-revert",
      suspects: ["src/price.mjs"],
      outcome: "decided",
      counts: { runs: 3, failures: 0, passes: 3, cannotRun: 0 },
    });
    // The statistics are those of the attempt the verdict rests on.
    const stats = json["statistics"] as Record<string, { failures: number; runs: number }>;
    expect(stats["baseline"]).toMatchObject({ runs: 3, failures: 0, cannotRun: 0 });
    const runs = json["runs"] as { side: string; attempt: number | null; outcome: string }[];
    expect(runs.filter((r) => r.attempt === 1)).toEqual([]);
    expect((json["restore"] as { via: string }).via).toBe("reset");
  });

  test("--suspect naming an innocent file: reverting it does not help (pre-existing)", () => {
    repo = newTestWithInnocentEditRepo();
    const { json, status } = attributeUntouched(repo, newTestCommand, [
      "--suspect",
      "src/util.mjs",
    ]);
    expect(json.verdict).toBe("pre-existing");
    expect(status).toBe(0);
    expect(json["strategy"]).toBe("selective-revert");
    expect(json["suspects"]).toEqual(["src/util.mjs"]);
    expect(json["reason"]).toMatch(
      /^reverting src\/util\.mjs does not help: the failure lies elsewhere/,
    );
    expect(attemptsOf(json).map((a) => [a.strategy, a.outcome])).toEqual([
      ["baseline-reset", "unrunnable"],
      ["selective-revert", "decided"],
    ]);
  });

  test("the human report names the suspect files", () => {
    repo = newTestWithInnocentEditRepo();
    const before = captureState(repo);
    const result = runCulprit(repo, ["--suspect", "src/util.mjs", "--", ...newTestCommand]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(
      "culprit: PRE-EXISTING: reverting src/util.mjs does not help, the failure lies elsewhere",
    );
    expect(result.stdout).toMatch(
      /baseline: your tree with 1 path reverted to HEAD:\n\s+src\/util\.mjs/,
    );
    expect(result.stdout).toMatch(
      /1\. HEAD \(reset in place\)\s+could not run: the command names test\/new\.test\.mjs/,
    );
    expect(result.stdout).toContain("restored via a reset to your backed-up tree, verified");
    expect(captureState(repo)).toEqual(before);
  });

  // Before, the next set was the first half, src/format.mjs alone: the very file node named,
  // three more runs that could not run. Splitting in parts: revert-part-not-the-cause.test.ts.
  test("a suspect set whose revert cannot run as a whole: the next set keeps the file the run could not load", () => {
    repo = narrowingRepo();
    const { json, status } = attributeUntouched(repo, newTestCommand);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(json["suspects"]).toEqual(["src/price.mjs"]);
    expect(json["reason"]).toMatch(/^caused by the changes in src\/price\.mjs:/);
    expect(attemptsOf(json).map((a) => [a.strategy, a.suspects, a.outcome])).toEqual([
      ["baseline-reset", [], "unrunnable"],
      ["selective-revert", ["src/format.mjs", "src/price.mjs"], "unrunnable"],
      ["selective-revert", ["src/price.mjs"], "decided"],
    ]);
    expect(attemptsOf(json)[0]!.counts).toMatchObject({ runs: 0, cannotRun: 0 });
    // node said `The requested module '../src/format.mjs' does not provide an export named
    // 'fmt'`: HEAD's format.mjs, put back by the revert; one run, not three.
    expect(attemptsOf(json)[1]!.counts).toMatchObject({ runs: 0, cannotRun: 1 });
  });

  test("no baseline can run at all: unrunnable, listing every baseline tried", () => {
    repo = neverRunnableRepo();
    const { json, status } = attributeUntouched(repo, newTestCommand);
    expect(json.verdict).toBe("unrunnable");
    expect(status).toBe(2);
    expect(json["reason"]).toBe(
      "the baseline could not run at HEAD, nor with src/discount.mjs reverted",
    );
    expect(json["suspects"]).toEqual(["src/discount.mjs"]);
    expect(attemptsOf(json).map((a) => [a.strategy, a.outcome])).toEqual([
      ["baseline-reset", "unrunnable"],
      ["selective-revert", "unrunnable"],
    ]);
  });

  test("only test files changed: nothing to revert, and the reason says how to name suspects", () => {
    repo = onlyTestChangedRepo();
    const { json, status } = attributeUntouched(repo, newTestCommand);
    expect(json.verdict).toBe("unrunnable");
    expect(status).toBe(2);
    expect(json["reason"]).toMatch(/every change is a test file .* --suspect/);
    expect(attemptsOf(json)).toHaveLength(1);
  });

  test("a suspect set whose revert would delete an ignored file is not entered; a part is", () => {
    repo = ignoredInTheWayRepo();
    // `config/` keeps config/base.json: the suspects are the deleted file `config` and the bug.
    const { json, status } = attributeUntouched(repo, newTestCommand, [
      "--strategy",
      "revert",
      "--keep",
      "config/",
    ]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(attemptsOf(json).map((a) => [a.suspects, a.outcome])).toEqual([
      [["config", "src/price.mjs"], "not-prepared"],
      [["src/price.mjs"], "decided"],
    ]);
  });

  test("a suspect set giving HEAD's tree again is not run twice; its parts are", () => {
    repo = unusualTestNameRepo();
    const { json, status } = attributeUntouched(repo, ["node", "check.mjs"]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(attemptsOf(json).map((a) => [a.strategy, a.suspects, a.outcome])).toEqual([
      ["baseline-reset", [], "unrunnable"],
      ["selective-revert", ["check.mjs", "src/price.mjs"], "same-tree"],
      ["selective-revert", ["src/price.mjs"], "decided"],
    ]);
  });

  test("--strategy revert skips the stash", () => {
    repo = newTestRepo();
    const { json, status } = attributeUntouched(repo, newTestCommand, ["--strategy", "revert"]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(attemptsOf(json).map((a) => a.strategy)).toEqual(["selective-revert"]);
  });

  test("--strategy stash: an unrunnable baseline stays unrunnable (no revert)", () => {
    repo = newTestRepo();
    const { json, status } = attributeUntouched(repo, newTestCommand, ["--strategy", "stash"]);
    expect(json.verdict).toBe("unrunnable");
    expect(status).toBe(2);
    expect(json["strategy"]).toBe("baseline-stash");
    expect(json["suspects"]).toEqual([]);
    expect(json["reason"]).toBe(
      "the command names test/new.test.mjs, which the baseline does not have",
    );
  });

  test("--suspect takes folders, and several paths after one flag", () => {
    repo = newTestWithInnocentEditRepo();
    const { json } = attributeUntouched(repo, newTestCommand, ["--suspect", "src"]);
    expect(json["suspects"]).toEqual(["src/price.mjs", "src/util.mjs"]);
    expect(json.verdict).toBe("regression");
  });
});

describe("--suspect errors: exit 3, one line, nothing touched", () => {
  function expectRefusal(r: TestRepo, args: string[], pattern: RegExp): void {
    const before = captureState(r);
    const result = runCulprit(r, [...args, "--", ...newTestCommand]);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
    expect(captureState(r)).toEqual(before);
    expect(culpritRefs(r)).toEqual([]);
    expect(existsSync(join(r.dir, ".git", "culprit", "journal.json"))).toBe(false);
  }

  test("a path with no change", () => {
    repo = newTestRepo();
    expectRefusal(
      repo,
      ["--suspect", "README.md"],
      /--suspect README\.md: no change to revert there \(changed: src\/price\.mjs and test\/new\.test\.mjs\)/,
    );
  });

  test("a path that does not exist, among good ones", () => {
    repo = newTestRepo();
    expectRefusal(repo, ["--suspect", "src/price.mjs", "nope.js"], /--suspect nope\.js: no change/);
  });

  test("a path outside the repository", () => {
    repo = newTestRepo();
    expectRefusal(repo, ["--suspect", "../elsewhere"], /outside the repository/);
  });

  test("--strategy revert when every change is a test file", () => {
    repo = onlyTestChangedRepo();
    expectRefusal(repo, ["--strategy", "revert"], /nothing to revert/);
  });

  test("--suspect with --strategy stash", () => {
    repo = newTestRepo();
    expectRefusal(
      repo,
      ["--strategy", "stash", "--suspect", "src/price.mjs"],
      /do not apply with --strategy reset or stash/,
    );
  });
});
