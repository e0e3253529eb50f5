import { describe, expect, test } from "vitest";
import type {
  AttemptReport,
  AttributionResult,
  RunRecord,
  TestResult,
} from "../../src/machine/types.js";
import { messages } from "../../src/messages.js";
import { annotation, stepSummary } from "../../src/report/github.js";
import {
  failureExcerpt,
  formatProbability,
  relation,
  renderHuman,
} from "../../src/report/human.js";
import { toJson } from "../../src/report/json.js";
import { renderLine } from "../../src/report/line.js";
import { plainOutput } from "../../src/run/index.js";

function run(
  side: "current" | "baseline",
  index: number,
  outcome: RunRecord["outcome"],
  attempt?: number,
): RunRecord {
  return {
    side,
    index,
    ...(attempt !== undefined ? { attempt } : {}),
    outcome,
    exitCode: outcome === "pass" ? 0 : 1,
    signal: null,
    durationMs: 40,
    hangRetried: false,
    logPath: `/r/.git/culprit/logs/x/${side}-${index}.log`,
    ...(outcome === "pass" ? {} : { tail: "line one\nexpected 4, got 5" }),
  };
}

function result(
  verdict: AttributionResult["verdict"],
  runs: RunRecord[],
  extra: Partial<AttributionResult> = {},
): AttributionResult {
  return {
    runId: "20261128T000000-abcd",
    verdict,
    reason: "fails 3/3 with your changes, 0/3 without",
    flaky: false,
    stats: {
      current: { failures: 3, runs: 3, rate: 1 },
      baseline: { failures: 0, runs: 3, rate: 0 },
      posterior: 0.97,
      pValue: 0.015625,
      confidence: 0.95,
      margin: 0.1,
    },
    failureWay: null,
    strategy: "baseline-stash",
    suspects: [],
    attempts: [],
    runs,
    command: { argv: ["node", "check.js"], shell: null, cwd: "/r" },
    restore: { touched: true, via: "stash-pop", verified: true, residue: [] },
    submodules: [],
    buildsLeft: [],
    buildsNotRebuilt: [],
    interrupted: null,
    base: null,
    cache: { enabled: true, reused: 0 },
    tests: [],
    perTest: { source: null, note: null },
    worktrees: null,
    timing: { totalMs: 900, runsMs: 240, overheadMs: 660, phases: { backup: 40, verify: 30 } },
    decision: { kind: "verdict", verdict, reason: "x", stats: {} as never },
    ...extra,
  };
}

const regression = result("regression", [
  run("current", 1, "fail"),
  run("current", 2, "fail"),
  run("current", 3, "fail"),
  run("baseline", 1, "pass"),
  run("baseline", 2, "pass"),
  run("baseline", 3, "pass"),
]);

describe("renderHuman", () => {
  test("leads with the verdict, a row a side, the statistics, and what was restored", () => {
    const text = renderHuman(regression, { color: false });
    const lines = text.split("\n");
    expect(lines[0]).toBe("culprit: REGRESSION: your changes cause this failure");
    expect(lines[1]).toBe("  fails 3/3 with your changes, 0/3 without");
    expect(lines[2]).toBe("  current  ✗ ✗ ✗   3/3 failed (100%)");
    expect(lines[3]).toBe("  baseline ✓ ✓ ✓   0/3 failed (0%)");
    expect(lines[4]).toBe(
      "  P(current fails more + 0.1) = 0.97, Boschloo p = 0.016, confidence 0.95",
    );
    expect(text).toContain("    | expected 4, got 5");
    expect(text).toContain("your work: restored via stash pop, verified");
    expect(text).not.toContain("\u001b[");
  });

  test.each([
    ["pre-existing", "culprit: PRE-EXISTING: it fails without your changes too"],
    ["not-reproduced", "culprit: NOT REPRODUCED: the command passed every run on your tree"],
    ["inconclusive", "culprit: INCONCLUSIVE: the runs did not decide"],
    ["unrunnable", "culprit: UNRUNNABLE: the command could not run"],
  ] as const)("%s headline", (verdict, headline) => {
    expect(renderHuman(result(verdict, []), { color: false }).split("\n")[0]).toBe(headline);
  });

  test("pre-existing by the exit code alone: it says what that cannot show; with tests judged, not", () => {
    const caution =
      "  by the exit code alone: a test your changes broke beside the one that already failed would not show (tests: below)";
    const note = "`npm` runs a script, where culprit cannot add a test report";
    const byExit = result("pre-existing", [], { perTest: { source: null, note } });
    const lines = renderHuman(byExit, { color: false }).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "culprit: PRE-EXISTING: it fails without your changes too",
      "  fails 3/3 with your changes, 0/3 without",
      caution,
    ]);
    expect(lines).toContain(`  tests: ${note}`);
    // A regression needs no such word; nor does a pre-existing verdict read from test reports.
    expect(
      renderHuman(result("regression", [], { perTest: { source: null, note } }), { color: false }),
    ).not.toContain(caution);
    expect(renderHuman(result("pre-existing", []), { color: false })).not.toContain(caution);
  });

  test("restored via the backup: empty folders a run made are named as such, other differences as they are", () => {
    const restored = (differed: string[]) =>
      renderHuman(
        result("regression", [], {
          restore: { touched: true, via: "backup", verified: true, residue: [], differed },
        }),
        { color: false },
      );
    // pytest-benchmark makes .benchmarks where it runs, every run (pallets/click trial).
    expect(restored(["empty folders (newpkg/.benchmarks/ made)"])).toContain(
      "your work: restored via the backup (a run left empty folders your tree did not have: newpkg/.benchmarks/; removed), verified",
    );
    expect(restored(["empty folders (a/ made, b/ gone)"])).toContain(
      "the backup (after the way back, these differed: empty folders (a/ made, b/ gone))",
    );
    expect(restored(["working tree", "empty folders (a/ made)"])).toContain(
      "these differed: working tree, empty folders (a/ made)",
    );
  });

  test("pre-existing by the exit code alone: how it failed without your changes is shown beside yours", () => {
    const mine = { ...run("current", 1, "fail"), tail: "not ok 1 - test/functions/minor.js" };
    const theirs = {
      ...run("baseline", 1, "fail"),
      tail: "Error: repository is expected to be removed",
    };
    const lines = renderHuman(result("pre-existing", [mine, theirs]), { color: false }).split("\n");
    const at = lines.indexOf("  last failure on your tree ended with:");
    expect(lines.slice(at, at + 4)).toEqual([
      "  last failure on your tree ended with:",
      "    | not ok 1 - test/functions/minor.js",
      "  last failure without your changes ended with:",
      "    | Error: repository is expected to be removed",
    ]);
    // A regression has no failing baseline run to show.
    expect(renderHuman(regression, { color: false })).not.toContain(
      "last failure without your changes",
    );
  });

  test("HEAD moved during the run: the kept commit is named, with the command that brings it back", () => {
    const ref = "refs/culprit/residue/20261128T000000-abcd/restore-head";
    const text = renderHuman(
      result("regression", [], {
        restore: { touched: true, via: "backup", verified: true, residue: [ref] },
      }),
      { color: false },
    );
    // A commit made while culprit ran (pallets/click trial): only the reflog said where it went.
    expect(text).toContain(
      `  HEAD had moved during the run (a commit made meanwhile?): it is back where it was when culprit started, and the commit is kept in ${ref}; to make it your branch's again (your files stay as they are): git reset --soft ${ref}`,
    );
    expect(text).not.toContain("files were written in your tree");
  });

  test.each([
    { again: [false, false], line: "2 runs hung (stopped at 2 s) and were retried once." },
    {
      again: [true, false],
      line: "2 runs hung (stopped at 2 s) and were retried once; 1 hung again.",
    },
    {
      again: [true],
      line: "1 run hung (stopped at 2 s) and was retried once, and hung again: each took twice the limit; if a test never ends, a lower --timeout decides sooner.",
    },
  ])("hung runs: $line", ({ again, line }) => {
    const hung = again.map((hangs, i) => ({
      ...run("current", i + 1, hangs ? "hang" : "fail"),
      hangRetried: true,
      hungMs: 2_040 + i * 30,
    }));
    const text = renderHuman(result("regression", [...hung, run("baseline", 1, "pass")]), {
      color: false,
    });
    expect(text.split("\n")).toContain(`  ${line}`);
  });

  test("interrupted before a verdict: the headline says so", () => {
    const stopped = result("inconclusive", [run("current", 1, "fail")], { interrupted: "SIGINT" });
    expect(renderHuman(stopped, { color: false }).split("\n")[0]).toBe(
      "culprit: INCONCLUSIVE: interrupted by SIGINT before the runs decided",
    );
    expect((toJson(stopped, 130) as Record<string, unknown>)["cancelled"]).toBe(false);
  });

  test("interrupted with tests judged so far: each test's line, not only the command's counts", () => {
    // jshttp/cookie trial: Ctrl-C during the baseline printed only the command's 3/3 against
    // 3/3, which read like PRE-EXISTING; one test was 3/3 against 0/3, not settled yet.
    const stopped = result("inconclusive", [run("current", 1, "fail")], {
      interrupted: "SIGINT",
      tests: [
        {
          id: "src/parse.spec.ts::trims",
          name: "parse > should trim whitespace",
          file: "src/parse.spec.ts",
          line: 12,
          verdict: "inconclusive" as const,
          reason: "fails 3/3 with your changes, 0/3 without: not settled yet",
          failureChanged: false,
          current: { runs: 3, failures: 3 },
          baseline: { runs: 3, failures: 0 },
          attempt: 1,
          message: "AssertionError: expected 'a' to be 'b'",
          baselineMessage: null,
        },
      ],
    });
    const text = renderHuman(stopped, { color: false });
    expect(text.split("\n")[0]).toBe(
      "culprit: INCONCLUSIVE: interrupted by SIGINT before the runs decided",
    );
    expect(text).toContain(
      "src/parse.spec.ts:12  parse > should trim whitespace: fails 3/3 with your changes, 0/3 without: not settled yet",
    );
  });

  test("a question answered with Escape or Ctrl-C: cancelled, not a signal", () => {
    const cancelled = result("inconclusive", [run("current", 1, "fail")], {
      interrupted: "SIGINT",
      cancelled: true,
    });
    expect(renderHuman(cancelled, { color: false }).split("\n")[0]).toBe(
      "culprit: INCONCLUSIVE: cancelled before the runs decided",
    );
    const doc = toJson(cancelled, 130) as Record<string, unknown>;
    expect([doc["interrupted"], doc["cancelled"]]).toEqual(["SIGINT", true]);
  });

  test("residue: in your tree it may be your own edits made meanwhile; in worktrees, the test's", () => {
    const residue = ["refs/culprit/residue/x/baseline"];
    const inPlace = renderHuman(
      result("regression", [], {
        restore: { touched: true, via: "reset", verified: true, residue },
      }),
      { color: false },
    );
    expect(inPlace).toContain(
      "files were written in your tree during the runs (by the test, or by you meanwhile: your tree is back as it was when culprit started); kept in refs/culprit/residue/x/baseline",
    );
    const isolated = renderHuman(
      result("regression", [], {
        restore: { touched: false, via: "none", verified: true, residue },
        worktrees: { shared: [], env: [] } as never,
      }),
      { color: false },
    );
    expect(isolated).toContain(
      "the test wrote files during the runs (in culprit's worktrees); kept in refs/culprit/residue/x/baseline",
    );
  });

  test("flaky, quiet, colour, residue, untouched tree", () => {
    const flaky = result("pre-existing", [run("current", 1, "fail"), run("current", 2, "pass")], {
      flaky: true,
      restore: {
        touched: false,
        via: "none",
        verified: true,
        residue: ["refs/culprit/residue/x/current"],
      },
    });
    expect(renderHuman(flaky, { color: false, quiet: true })).toBe(
      "culprit: PRE-EXISTING: it fails without your changes too (flaky)\n",
    );
    const text = renderHuman(flaky, { color: false });
    expect(text).toContain("untouched (the baseline was not needed)");
    expect(text).toContain("kept in refs/culprit/residue/x/current");
    // A baseline tried, given up before anything was written (HEAD lacks the new test file),
    // then none run (Esc at the suspects' checkbox): not "not needed".
    const tried = {
      ...flaky,
      attempts: [
        {
          attempt: 1,
          strategy: "baseline-reset" as const,
          suspects: [],
          outcome: "unrunnable" as const,
          counts: { runs: 0, failures: 0, passes: 0, hangs: 0, cannotRun: 0 },
          why: "test/new.test.js is not in HEAD",
        },
      ],
    };
    expect(renderHuman(tried, { color: false })).toContain(
      "untouched (no baseline was written in it), verified",
    );
    expect(renderHuman(flaky, { color: true })).toContain("\u001b[33m");
  });

  test.each([
    [0.0001, "< 0.001"],
    [0.015625, "0.016"],
    [0.5, "0.5"],
    [0.95, "0.95"],
    [0.9999, "> 0.999"],
  ])("formatProbability(%f) = %s", (p, text) => {
    expect(formatProbability(p)).toBe(text);
  });

  test.each([
    [0.015625, "= 0.016"],
    [0.9999, "> 0.999"],
    [0.00001, "< 0.001"],
  ])("relation(%f) = %s", (p, text) => {
    expect(relation(p)).toBe(text);
  });
});

describe("toJson", () => {
  test("counts per side are reproducible from the runs, and the document is versioned", () => {
    const doc = toJson(regression, 1) as Record<string, unknown>;
    expect(doc["schemaVersion"]).toBe(2);
    expect(doc["verdict"]).toBe("regression");
    expect(doc["exitCode"]).toBe(1);
    expect(doc["statistics"]).toMatchObject({
      current: { runs: 3, failures: 3, passes: 0, cannotRun: 0, failureRate: 1 },
      baseline: { runs: 3, failures: 0, passes: 3, cannotRun: 0, failureRate: 0 },
      posterior: 0.97,
      pValue: 0.015625,
    });
    expect((doc["runs"] as unknown[]).length).toBe(6);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  test("a side that never ran is null", () => {
    const doc = toJson(result("not-reproduced", [run("current", 1, "pass")]), 0);
    expect((doc["statistics"] as Record<string, unknown>)["baseline"]).toBeNull();
  });
});

describe("selective revert in the reports", () => {
  const counts = (runs: number, failures: number, cannotRun: number) => ({
    runs,
    failures,
    passes: runs - failures,
    hangs: 0,
    cannotRun,
  });
  const attempts: AttemptReport[] = [
    {
      attempt: 1,
      strategy: "baseline-stash",
      suspects: [],
      outcome: "unrunnable",
      counts: counts(0, 0, 3),
      why: null,
    },
    {
      attempt: 2,
      strategy: "selective-revert",
      suspects: ["src/format.mjs", "src/price.mjs"],
      outcome: "unrunnable",
      counts: counts(0, 0, 3),
      why: null,
    },
    {
      attempt: 3,
      strategy: "selective-revert",
      suspects: ["src/price.mjs"],
      outcome: "decided",
      counts: counts(3, 0, 0),
      why: null,
    },
  ];
  const runs = [
    run("current", 1, "fail"),
    run("current", 2, "fail"),
    run("current", 3, "fail"),
    ...[1, 2, 3].map((i) => run("baseline", i, "cannot-run", 1)),
    ...[4, 5, 6].map((i) => run("baseline", i, "cannot-run", 2)),
    ...[7, 8, 9].map((i) => run("baseline", i, "pass", 3)),
  ];
  const reverted = result("regression", runs, {
    strategy: "selective-revert",
    suspects: ["src/price.mjs"],
    attempts,
    reason: "caused by the changes in src/price.mjs: fails 3/3 with your changes, 0/3 without",
    restore: { touched: true, via: "reset", verified: true, residue: [] },
  });

  test("reverted, the test failed another way: the changes are needed, not shown to be the cause", () => {
    // more-itertools trial: the suspect was a correct new helper that code changed elsewhere
    // imports; reverted, the test failed with ModuleNotFoundError, and the headline named it
    // the cause.
    const otherwise = {
      ...reverted,
      tests: [
        {
          id: "tests.test_ilen_new.NewIlenTests.test_empty",
          name: "tests.test_ilen_new.NewIlenTests.test_empty",
          file: "tests/test_ilen_new.py",
          line: 8,
          verdict: "regression" as const,
          reason: "fails 3/3 with your changes, 0/3 without: p = 0.016",
          failureChanged: true,
          current: { runs: 3, failures: 3 },
          baseline: { runs: 3, failures: 0 },
          attempt: 3,
          message: "AssertionError: 1 != 0",
          baselineMessage: "ModuleNotFoundError: No module named 'more_itertools._counting'",
        },
      ],
    };
    expect(renderHuman(otherwise, { color: false }).split("\n")[0]).toBe(
      "culprit: REGRESSION: with src/price.mjs reverted the test fails another way",
    );
    expect(renderLine(otherwise)).toContain(
      "src/price.mjs:1: culprit: regression needs changes here (reverted, it fails another way)",
    );
    expect(messages.revertFailsOtherwise(["src/price.mjs"], "1 test newly fails")).toBe(
      "the failure needs the changes in src/price.mjs, and its cause may lie in others too (1 test newly fails)",
    );
  });

  // Judged by the way your tree fails (no report, both sides fail, not alike): the line says so
  // beside the command's counts, which alone read "3/3 failed" on both sides.
  test("a regression by the way your tree fails: both counts on the line, both failures in the report", () => {
    const runs = [
      ...[1, 2, 3].map((i) => ({
        ...run("current", i, "fail"),
        tail: "  ✖  2:1  no-var\n\n  1 error",
      })),
      ...[1, 2, 3].map((i) => ({
        ...run("baseline", i, "fail", 1),
        tail: "  ✖ mul: expected 7, got 6",
      })),
    ];
    const way = result("regression", runs, {
      reason:
        "your changes make it fail another way: 3/3 runs with them failed as your tree does, 0/3 without your changes (3 failed otherwise): p = 0.016",
      failureWay: {
        current: { runs: 3, failures: 3 },
        baseline: { runs: 3, failures: 0 },
        lines: ["✖ #:# no-var"],
      },
    });
    expect(renderLine(way).split("\n")[0]).toBe(
      "culprit: regression: node check.js (fails another way: current 3/3, baseline 0/3; the command: current 3/3 failed, baseline 3/3 failed)",
    );
    const text = renderHuman(way, { color: false });
    expect(text).toContain("last failure on your tree ended with:\n    |   ✖  2:1  no-var");
    expect(text).toContain("failing with your changes only:\n    | ✖ #:# no-var\n");
    expect(text).toContain(
      "last failure without your changes ended with:\n    |   ✖ mul: expected 7, got 6",
    );
  });

  test("several suspects: the cause is among them, not each of them", () => {
    const among = {
      ...reverted,
      attempts: reverted.attempts.map((a) =>
        a.attempt === 3 ? { ...a, suspects: ["Readme.md", "notes.txt", "src/price.mjs"] } : a,
      ),
    };
    expect(renderHuman(among, { color: false }).split("\n")[0]).toBe(
      "culprit: REGRESSION: the cause is among the changes in Readme.md, notes.txt and src/price.mjs",
    );
    expect(messages.revertRegression(["Readme.md", "src/price.mjs"], "fails 3/3")).toBe(
      "caused by changes among Readme.md and src/price.mjs (culprit isolate tells which): fails 3/3",
    );
    expect(messages.revertRegression(["src/price.mjs"], "fails 3/3")).toBe(
      "caused by the changes in src/price.mjs: fails 3/3",
    );
  });

  test("--format line: the guilty file, or each file the cause is among, saying so", () => {
    expect(
      renderLine({ ...reverted, tests: [] })
        .split("\n")
        .slice(1, -1),
    ).toEqual(["src/price.mjs:1: culprit: regression caused by changes here"]);
    const among = { ...reverted, tests: [], suspects: ["Readme.md", "notes.txt", "src/price.mjs"] };
    expect(renderLine(among).split("\n").slice(1, -1)).toEqual([
      "Readme.md:1: culprit: regression caused by changes here or in 2 other files",
      "notes.txt:1: culprit: regression caused by changes here or in 2 other files",
      "src/price.mjs:1: culprit: regression caused by changes here or in 2 other files",
    ]);
    // A deleted file and a rename's old path: counted, but no line an editor would open.
    const gone = new Set(["notes.txt", "Readme.md"]);
    expect(
      renderLine(among, (path) => !gone.has(path))
        .split("\n")
        .slice(1, -1),
    ).toEqual(["src/price.mjs:1: culprit: regression caused by changes here or in 2 other files"]);
    // None there: each is still named.
    expect(
      renderLine(among, () => false)
        .split("\n")
        .slice(1, -1),
    ).toHaveLength(3);
  });

  test("the headline and the rows name the suspects; earlier baselines are listed", () => {
    const text = renderHuman(reverted, { color: false });
    const lines = text.split("\n");
    expect(lines[0]).toBe("culprit: REGRESSION: the changes in src/price.mjs cause this failure");
    expect(lines[1]).toBe(
      "  caused by the changes in src/price.mjs: fails 3/3 with your changes, 0/3 without",
    );
    expect(lines[3]).toBe("  baseline ✓ ✓ ✓   0/3 failed (0%)");
    expect(lines[4]).toBe("  baseline: your tree with 1 path reverted to HEAD:");
    expect(lines[5]).toBe("    src/price.mjs");
    expect(lines[6]).toBe("  baselines tried:");
    expect(lines[7]).toBe("    1. stash (HEAD)  ∅ ∅ ∅  could not run");
    expect(lines[8]).toBe("    2. revert src/format.mjs and src/price.mjs  ∅ ∅ ∅  could not run");
    expect(lines[9]).toBe("    3. revert src/price.mjs  ✓ ✓ ✓  the verdict rests on it");
    expect(text).toContain("your work: restored via a reset to your backed-up tree, verified");
  });

  test("--jobs / --worktree: the first baseline is HEAD in a worktree, not a revert of nothing", () => {
    // iamkun/dayjs trial: "1. revert (nothing)  could not run".
    const inWorktree = {
      ...reverted,
      attempts: reverted.attempts.map((a, i) =>
        i === 0 ? { ...a, strategy: "worktree" as const } : a,
      ),
    };
    expect(renderHuman(inWorktree, { color: false })).toContain(
      "    1. HEAD (in a worktree)  ∅ ∅ ∅  could not run\n",
    );
  });

  test("pre-existing: reverting the suspects does not help", () => {
    const text = renderHuman(
      result("pre-existing", runs, { strategy: "selective-revert", attempts }),
      { color: false, quiet: true },
    );
    expect(text).toBe(
      "culprit: PRE-EXISTING: reverting src/price.mjs does not help, the failure lies elsewhere\n",
    );
  });

  test("JSON: strategy, suspects, every attempt, and the baseline statistics of the last one", () => {
    const doc = toJson(reverted, 1) as Record<string, unknown>;
    expect(doc["strategy"]).toBe("selective-revert");
    expect(doc["suspects"]).toEqual(["src/price.mjs"]);
    expect(doc["attempts"]).toEqual(attempts);
    expect((doc["statistics"] as Record<string, unknown>)["baseline"]).toMatchObject({
      runs: 3,
      failures: 0,
      cannotRun: 0,
    });
    const docRuns = doc["runs"] as { side: string; attempt: number | null }[];
    expect(docRuns.map((r) => r.attempt)).toEqual([null, null, null, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });
});

describe("one verdict per test in the reports", () => {
  const test2 = (over: Partial<TestResult>): TestResult => ({
    id: "test/cart.test.js::cart > adds",
    name: "cart > adds",
    file: "test/cart.test.js",
    line: 12,
    verdict: "regression",
    reason: "fails 5/5 with your changes, 0/3 without: p = 0.005",
    failureChanged: false,
    current: { runs: 5, failures: 5 },
    baseline: { runs: 3, failures: 0 },
    attempt: 1,
    message: "AssertionError: expected 5 to be 4\n\n    at test/cart.test.js:12:5",
    baselineMessage: null,
    ...over,
  });
  const suite = result(
    "regression",
    [
      ...[1, 2, 3, 4, 5].map((i) => run("current", i, "fail")),
      ...[1, 2, 3].map((i) => run("baseline", i, "fail", 1)),
    ],
    {
      reason: "1 test newly fails; 1 failure was already there",
      tests: [
        test2({}),
        test2({
          id: "test/money.test.js::money > formats",
          name: "money > formats",
          file: "test/money.test.js",
          line: 4,
          verdict: "pre-existing",
          reason:
            "fails 5/5 with your changes, 3/3 without: it failed every run without your changes too",
          baseline: { runs: 3, failures: 3 },
          message: 'expected "1234.56" to be "1,234.56"',
          failureChanged: true,
          baselineMessage: "TypeError: money is not a function",
        }),
      ],
      perTest: { source: "vitest --reporter=json", note: null },
    },
  );

  test("human: the headline counts the tests, a line a test with its message, no command tail", () => {
    const lines = renderHuman(suite, { color: false }).split("\n");
    expect(lines[0]).toBe("culprit: REGRESSION: 1 test newly fails; 1 failure was already there");
    const text = lines.join("\n");
    expect(text).toContain("  tests that failed (from vitest --reporter=json):");
    expect(text).toContain(
      "    ✗ regression   test/cart.test.js:12  cart > adds: fails 5/5 with your changes, 0/3 without: p = 0.005\n        AssertionError: expected 5 to be 4\n            at test/cart.test.js:12:5",
    );
    expect(text).toContain(
      "    · pre-existing test/money.test.js:4  money > formats: fails 5/5 with your changes, 3/3 without",
    );
    expect(text).toContain(
      "        without your changes it failed otherwise: TypeError: money is not a function",
    );
    expect(text).not.toContain("last failure on your tree ended with");
    expect(text).not.toContain("P(current fails more)");
  });

  test("a whole file's entry (it could not load) is named by its file once", () => {
    const fileLevel = {
      ...suite,
      tests: [
        { ...suite.tests[0]!, id: "test.js", name: "test.js", file: "test.js", line: null },
        { ...suite.tests[0]!, id: "t/a.js", name: "t/a.js", file: "t/a.js", line: 7 },
      ],
    };
    const text = renderHuman(fileLevel, { color: false });
    expect(text).toContain("    ✗ regression   test.js: fails 5/5");
    expect(text).toContain("    ✗ regression   t/a.js:7: fails 5/5");
  });

  test("several baselines each decided some tests: each row says which (it said 'the verdict rests on it' on all)", () => {
    const row = (attempt: number, strategy: AttemptReport["strategy"], suspects: string[]) => ({
      attempt,
      strategy,
      suspects,
      outcome: "decided" as const,
      counts: { runs: 3, failures: 3, passes: 0, hangs: 0, cannotRun: 0 },
      why: null,
    });
    const several = {
      ...suite,
      strategy: "selective-revert" as const,
      suspects: ["src/lib.js"],
      attempts: [row(1, "baseline-reset", []), row(2, "selective-revert", ["src/lib.js"])],
      tests: [
        test2({ attempt: 2 }),
        test2({ id: "b", name: "b", verdict: "new", attempt: 2 }),
        test2({ id: "c", name: "c", verdict: "pre-existing", attempt: 1 }),
        test2({ id: "d", name: "d", verdict: "pre-existing", attempt: 1 }),
      ],
    };
    const text = renderHuman(several, { color: false });
    expect(text).toContain(
      "    1. HEAD (reset in place)  ✗ ✗ ✗  decided 2 tests (2 pre-existing)\n",
    );
    expect(text).toContain(
      "    2. revert src/lib.js  decided 1 test (1 regression); 1 test that never ran there\n",
    );
    expect(text).not.toContain("the verdict rests on it");
  });

  test("a baseline failure that starts like ours: the line where the two part is shown", () => {
    const pre = suite.tests[1]!;
    const both = {
      ...suite,
      tests: [
        {
          ...pre,
          message:
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n3.1 !== 0.3\n",
          baselineMessage:
            "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n+ actual - expected\n\n+ 0.30000000000000004\n- 0.3\n",
        },
      ],
    };
    expect(renderHuman(both, { color: false })).toContain(
      "        without your changes it failed otherwise: + 0.30000000000000004\n",
    );
  });

  test("jest's Expected and Received lines are shown together", () => {
    const pre = suite.tests[1]!;
    const jest = {
      ...suite,
      tests: [
        {
          ...pre,
          message:
            "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 365\nReceived: 366",
        },
      ],
    };
    expect(renderHuman(jest, { color: false })).toContain(
      "        Error: expect(received).toBe(expected) // Object.is equality\n        Expected: 365\n        Received: 366\n",
    );
  });

  // jest 22-26 put each value on its own line under its label: the two lines shown were the same
  // boilerplate for every test (iamkun/dayjs trial). Message as jest 22.4 printed it there.
  test.each([
    [
      "jest 22's labels above their values",
      "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected value to be:\n  false\nReceived:\n  true",
      "        Error: expect(received).toBe(expected) // Object.is equality\n        Expected value to be: false\n        Received: true\n",
    ],
    [
      "a label whose value spans lines keeps its first line",
      'Error: expect(received).toEqual(expected)\n\nExpected value to equal:\n  {"a": 1}\nReceived:\n  {"a": 2}',
      '        Error: expect(received).toEqual(expected)\n        Expected value to equal: {"a": 1}\n        Received: {"a": 2}\n',
    ],
    [
      "a traceback's label is left as it is",
      'Traceback (most recent call last):\n  File "t.py", line 3, in <module>\nAssertionError',
      '        Traceback (most recent call last):\n          File "t.py", line 3, in <module>\n',
    ],
  ])("%s", (_name, message, shown) => {
    const pre = suite.tests[1]!;
    expect(renderHuman({ ...suite, tests: [{ ...pre, message }] }, { color: false })).toContain(
      shown,
    );
  });

  test("the command's tail: its trailing blank lines are not what is shown", () => {
    const runs = [run("current", 1, "fail"), run("baseline", 1, "pass", 1)];
    runs[0]!.tail = "  1 failing\n\n  expected 4, got 5\n\n\n";
    const text = renderHuman(result("regression", runs), { color: false });
    expect(text).toContain("ended with:\n    |   1 failing\n    | \n    |   expected 4, got 5\n");
  });

  test("--format line: one line a regressed test, at its place", () => {
    expect(renderLine(suite).split("\n").slice(1, -1)).toEqual([
      "test/cart.test.js:12: culprit: regression: cart > adds",
    ]);
  });

  test("--format line: beside old failures, the summary counts the tests that newly fail first", () => {
    // The rates are the command's, which failed on both sides (hukkin/tomli trial).
    expect(renderLine(suite).split("\n")[0]).toMatch(
      /^culprit: regression: .* \(1 test newly fails; the command: current \d+\/\d+ failed, baseline \d+\/\d+ failed\)$/,
    );
  });

  test("GitHub: an error annotation a regressed test, a table of tests in the summary", () => {
    const text = annotation(suite);
    expect(text).toContain(
      "::error file=test/cart.test.js,line=12,title=culprit%3A regression::cart > adds",
    );
    expect(text.trim().split("\n")).toHaveLength(2);
    const summary = stepSummary(suite);
    expect(summary).toContain(
      "| cart > adds (`test/cart.test.js:12`) | regression | 5/5 failed | 0/3 failed |",
    );
    expect(summary).toContain(
      "| money > formats (`test/money.test.js:4`) | pre-existing, failure changed | 5/5 failed | 3/3 failed |",
    );
    // The command's statistics (both sides fail every run) would contradict the tests' rows.
    expect(summary).not.toContain("Boschloo");
    expect(stepSummary({ ...suite, tests: [] })).toContain("Boschloo");
  });

  test("JSON: a tests array in the versioned schema's shape, and where the tests came from", () => {
    const doc = toJson(suite, 1) as { tests: Record<string, unknown>[]; perTest: unknown };
    expect(doc.perTest).toEqual({ source: "vitest --reporter=json", note: null });
    expect(doc.tests[1]).toMatchObject({
      id: "test/money.test.js::money > formats",
      file: "test/money.test.js",
      line: 4,
      verdict: "pre-existing",
      failureChanged: true,
      current: { runs: 5, failures: 5 },
      baseline: { runs: 3, failures: 3 },
    });
  });
});

describe("what the report shows of a failing run's output", () => {
  const esc = "\u001b";
  test.each([
    ["colours", `${esc}[31m${esc}[1mError${esc}[22m: boom${esc}[39m`, "Error: boom"],
    [
      "a link (OSC 8) and a title",
      `${esc}]8;;http://x${esc}\\here${esc}]8;;${esc}\\${esc}]0;t\u0007`,
      "here",
    ],
    ["CRLF and a lone CR", "a\r\nb\rc", "a\nb\nc"],
    ["a bell, a backspace, C1", "a\u0007b\bc\u0085d", "abcd"],
    ["tabs and newlines stay", "a\tb\nc", "a\tb\nc"],
  ])("plainOutput: %s", (_, raw, plain) => {
    expect(plainOutput(raw)).toBe(plain);
  });

  test.each<[string, string, { at: "error" | "end"; lines: string[] } | null]>([
    ["nothing", "\n\n", null],
    ["no error named: the last three lines", "1\n2\n3\n4\n", { at: "end", lines: ["2", "3", "4"] }],
    [
      "an error among the last three lines: those lines",
      "x\ny\nTypeError: t is undefined\n",
      { at: "end", lines: ["x", "y", "TypeError: t is undefined"] },
    ],
    [
      // node's uncaught error: the stack and node's version come after it.
      "node's uncaught error: from the error, blank lines skipped",
      "file:///r/check.mjs:3\n  throw new Error('boom')\n  ^\n\nError: boom\n    at file:///r/check.mjs:3:9\n    at ModuleJob.run (node:internal)\n\nNode.js v20.20.2\n",
      {
        at: "error",
        lines: [
          "Error: boom",
          "    at file:///r/check.mjs:3:9",
          "    at ModuleJob.run (node:internal)",
        ],
      },
    ],
    [
      // vitest 4 when no test file loads (coloured even into a pipe), its summary after.
      "vitest's load error, colours removed",
      `${esc}[31m${esc}[1mError${esc}[22m: Transform failed with 1 error:\n\n[TSCONFIG_ERROR] Failed to load tsconfig 'x': Tsconfig not found\n${esc}[39m\n  Plugin: ${esc}[35mvite:oxc${esc}[39m\n\n ${esc}[2mTest Files ${esc}[22m 4 failed (4)\n      Tests  no tests\n   Duration  1.54s\n`,
      {
        at: "error",
        lines: [
          "Error: Transform failed with 1 error:",
          "[TSCONFIG_ERROR] Failed to load tsconfig 'x': Tsconfig not found",
          "  Plugin: vite:oxc",
        ],
      },
    ],
    [
      // pytest 8 when a test module cannot be imported: the cause comes before pytest's summary.
      "pytest's collection error: the E line",
      "tests/test_timed.py:7: in <module>\n    from freezegun import freeze_time\nE   ModuleNotFoundError: No module named 'freezegun'\n- generated xml file: /r/pytest.xml -\n=== short test summary info ===\nERROR tests/test_timed.py\n!!! Interrupted: 1 error during collection !!!\n=== 1 error in 0.87s ===\n",
      {
        at: "error",
        lines: [
          "E   ModuleNotFoundError: No module named 'freezegun'",
          "- generated xml file: /r/pytest.xml -",
          "=== short test summary info ===",
        ],
      },
    ],
    [
      // jest interrupted: its last line names the report culprit asked for (vercel/ms trial).
      "the runner's line about culprit's own report is left out",
      "  ● cart › adds\n\n    expect(received).toBe(expected)\nTests: 1 failed, 3 passed\nTest results written to: .git/culprit/logs/20261201T170000-ab12/current-2.report/jest.json\n",
      {
        at: "end",
        lines: ["", "    expect(received).toBe(expected)", "Tests: 1 failed, 3 passed"],
      },
    ],
    [
      "pytest's xml line, with culprit's real path, is left out too",
      "E   AssertionError: assert 5 == 10\n- generated xml file: /home/u/p/.git/culprit/logs/20261201T170000-ab12/baseline-1.report/pytest.xml -\n=== short test summary info ===\nFAILED t.py::test_x\n=== 1 failed in 0.1s ===\n",
      {
        at: "error",
        lines: [
          "E   AssertionError: assert 5 == 10",
          "=== short test summary info ===",
          "FAILED t.py::test_x",
        ],
      },
    ],
    [
      "npm's ERR!",
      "> x\nnpm ERR! code ELIFECYCLE\nnpm ERR! errno 1\n\na\nb\nc\n",
      { at: "error", lines: ["npm ERR! code ELIFECYCLE", "npm ERR! errno 1", "a"] },
    ],
    [
      // node --test's TAP totals: the counts that differ, not "# todo 0" (fs-extra trial).
      "node --test's totals end with the tests, pass and fail counts",
      "# Subtest: mul\nok 2 - mul\n1..2\n# tests 2\n# suites 0\n# pass 1\n# fail 1\n# cancelled 0\n# skipped 0\n# todo 0\n# duration_ms 169.48\n",
      { at: "end", lines: ["# tests 2", "# pass 1", "# fail 1"] },
    ],
    [
      "TAP's not ok starts it, when no line names an error",
      "# Subtest: mul\nnot ok 2 - mul\n1..2\n# tests 2\n# suites 0\n# pass 1\n# fail 1\n# cancelled 0\n# skipped 0\n# todo 0\n# duration_ms 169.48\n",
      { at: "error", lines: ["not ok 2 - mul", "1..2", "# tests 2"] },
    ],
    [
      "a word that only contains error is not one",
      "terrorist\nerrors: 0\nTSCONFIG_ERROR_X\nq\nr\ns\n",
      { at: "end", lines: ["q", "r", "s"] },
    ],
  ])("failureExcerpt: %s", (_, tail, expected) => {
    expect(failureExcerpt(tail)).toEqual(expected);
  });

  test("the report says where the excerpt starts, and prints no escape of the test's", () => {
    const runs = [run("current", 1, "fail"), run("baseline", 1, "pass", 1)];
    runs[0]!.tail = `${esc}[31mAssertionError${esc}[39m: 5 == 4\n    at t.js:3\n    at a\n    at b\n`;
    const text = renderHuman(result("regression", runs), { color: false });
    expect(text).toContain(
      "said:\n    | AssertionError: 5 == 4\n    |     at t.js:3\n    |     at a\n",
    );
    expect(text).not.toContain(esc);
  });
});

// `--format line` and the annotations print the command so that it can be pasted back into a
// shell (the vercel/ms trial: `npx jest -t should round` lost its quotes).
test.each([
  ["npx", "npx"],
  ["src/a.test.ts", "src/a.test.ts"],
  ["--reporter=dot", "--reporter=dot"],
  ["should round", "'should round'"],
  ["it's", "'it'\\''s'"],
  ["$HOME", "'$HOME'"],
  ["a*b", "'a*b'"],
  ["", "''"],
])("shellWord(%j) = %s", async (word, quoted) => {
  const { shellWord } = await import("../../src/report/github.js");
  expect(shellWord(word)).toBe(quoted);
});
