import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, defaultCompareOptions } from "../../src/compare/decide.js";
import { stepDown } from "../../src/compare/holm.js";
import { simulateSuite } from "../../src/compare/loop.js";
import {
  commandTestId,
  decideSuite,
  memoizedDecideSuite,
  nextSide,
  type SettledTests,
  type SuiteDecision,
  settledTests,
  type TestEvidence,
} from "../../src/compare/suite.js";
import type { CompareOptions, SideCounts } from "../../src/compare/types.js";

const o = defaultCompareOptions;

const side = (failures: number, runs: number, cannotRun = 0): SideCounts => ({
  failures,
  runs,
  cannotRun,
});

/** A test that failed fc of nc runs with the changes and fb of nb without. */
const test = (id: string, fc: number, nc: number, fb: number, nb: number): TestEvidence => ({
  id,
  current: { failures: fc, runs: nc },
  baseline: { failures: fb, runs: nb },
});

/** A test that failed fc of nc runs with the changes, in no baseline run's report: `hung` of them ended before it. */
const unreached = (id: string, fc: number, nc: number, hung: number): TestEvidence => ({
  id,
  current: { failures: fc, runs: nc },
  baseline: { failures: 0, runs: 0, unreached: hung },
});

/** The command's counts for tests observed in every run, all failing in the same runs. */
const commandOf = (tests: readonly TestEvidence[]) => {
  const most = (pick: (t: TestEvidence) => number) => Math.max(0, ...tests.map(pick));
  return {
    current: side(
      most((t) => t.current.failures),
      most((t) => t.current.runs),
    ),
    baseline: side(
      most((t) => t.baseline.failures),
      most((t) => Math.max(t.baseline.runs, t.baseline.unreached ?? 0)),
    ),
  };
};

const look = (
  tests: readonly TestEvidence[],
  settled: SettledTests = new Map(),
  options: CompareOptions = o,
) => decideSuite(commandOf(tests), tests, settled, options);

const outcome = (d: SuiteDecision) => (d.kind === "verdict" ? d.verdict : `next ${d.side}`);
const verdicts = (d: SuiteDecision) => Object.fromEntries(d.tests.map((t) => [t.id, t.verdict]));

describe("stepDown: Holm's procedure", () => {
  // Raw p-values and Holm-adjusted ones computed by R (package multtest, mt.rawp2adjp, whose
  // "Holm" column is p.adjust(p, method = "holm")), as recorded in statsmodels'
  // statsmodels/stats/tests/test_multi.py (res_multtest1 columns 0 and 2, res_multtest3 columns
  // 0 and 2). An item is rejected at alpha exactly when its adjusted p-value is at most alpha.
  const references: [string, [number, number][]][] = [
    [
      "res_multtest1",
      [
        [5.23656777208e-5, 5.2365677720800005e-4],
        [2.8140506198e-4, 2.5326455578199999e-3],
        [1.49877310796e-2, 1.1990184863680001e-1],
        [2.02732688798e-2, 1.4191288215860001e-1],
        [0.177096952723, 1],
        [0.642193923795, 1],
        [0.680845947633, 1],
        [0.71626938238, 1],
        [0.838541367553, 1],
        [0.967833824309, 1],
      ],
    ],
    [
      "res_multtest3",
      [
        [0.001, 0.01],
        [0.002, 0.018],
        [0.003, 0.024],
        [0.004, 0.028],
        [0.005, 0.03],
        [0.05, 0.25],
        [0.06, 0.25],
        [0.07, 0.25],
        [0.08, 0.25],
        [0.09, 0.25],
      ],
    ],
  ];
  const holm = (pValues: number[], alpha: number) => {
    const family = { change: pValues.length, "no-change": 0 };
    const { decided } = stepDown(
      family,
      alpha,
      { change: 0, "no-change": 0 },
      pValues.map((_, i) => i),
      (i, alphas) =>
        pValues[i]! <= alphas.change ? { verdict: "reject", claim: "change" as const } : null,
    );
    return decided;
  };

  it.each(references)(
    "rejects at alpha exactly where R's adjusted p-value is at most alpha (%s)",
    (_name, rows) => {
      // Shuffled, so that the order given does not matter.
      const order = [3, 7, 0, 9, 5, 1, 8, 2, 6, 4];
      const pValues = order.map((i) => rows[i]![0]);
      order.forEach((row, i) => {
        const adjusted = rows[row]![1];
        if (adjusted < 1) {
          expect(holm(pValues, adjusted * (1 + 1e-9)).has(i), `row ${row} at its p`).toBe(true);
        }
        expect(holm(pValues, adjusted * (1 - 1e-9)).has(i), `row ${row} below its p`).toBe(false);
      });
    },
  );

  it("reports the alpha each item was decided at: alpha / (family - claims before)", () => {
    const rows = references[1]![1];
    // At 0.03: 0.001, 0.002, 0.003 <= 0.03 / 10; then 0.004 <= 0.03 / 7; then 0.005 <= 0.03 / 6.
    const decided = holm(
      rows.map(([p]) => p),
      0.03,
    );
    expect([...decided.entries()].map(([i, d]) => [i, d.alpha])).toEqual([
      [0, 0.003],
      [1, 0.003],
      [2, 0.003],
      [3, 0.03 / 7],
      [4, 0.005],
    ]);
  });

  it("loosens a kind's bar only with claims of that kind", () => {
    // "pre" claims no change at any alpha; "reg" claims a change at p = 0.04.
    const judge = (item: string, alphas: { change: number; "no-change": number }) => {
      if (item === "pre") return { verdict: "pre-existing", claim: "no-change" as const };
      return 0.04 <= alphas.change ? { verdict: "regression", claim: "change" as const } : null;
    };
    const byKind = stepDown(
      { change: 2, "no-change": 2 },
      0.05,
      { change: 0, "no-change": 0 },
      ["pre", "reg"],
      judge,
    );
    expect([...byKind.decided.keys()]).toEqual(["pre"]);
    expect(byKind.alphas).toEqual({ change: 0.025, "no-change": 0.05 });
    // One more change claimed at an earlier look does loosen it.
    const after = stepDown(
      { change: 2, "no-change": 2 },
      0.05,
      { change: 1, "no-change": 0 },
      ["pre", "reg"],
      judge,
    );
    expect([...after.decided.keys()]).toEqual(["pre", "reg"]);
  });
});

describe("decideSuite: the command's opening is decide()'s", () => {
  const cases: [string, SideCounts, SideCounts | null][] = [
    ["first run", side(0, 0), null],
    ["initial runs", side(1, 2), null],
    ["passed every initial run", side(0, 3), null],
    ["reproduced: now the baseline", side(2, 3), null],
    ["initial baseline runs", side(2, 3), side(0, 1)],
    ["could not run on your tree", side(0, 0, 3), null],
    ["the baseline could not run", side(3, 3), side(0, 0, 3)],
  ];
  it.each(cases)("%s", (_name, current, baseline) => {
    const tests = [
      test("a", current.failures, current.runs, baseline?.failures ?? 0, baseline?.runs ?? 0),
    ];
    const { tests: judged, ...rest } = decideSuite({ current, baseline }, tests, new Map(), o);
    expect(rest).toEqual(decide(current, baseline, o));
    for (const j of judged) expect(j.verdict).toBeNull();
  });

  it("a regression settled at an earlier baseline stays one where the next hangs before it", () => {
    // Attempt 2's runs all hang before R (in a new test that waits on your code): R is unreached
    // there, and was read inconclusive, exit 2, over the regression attempt 1 settled (review).
    const d = look(
      [unreached("R", 5, 5, 5), unreached("N", 5, 5, 5)],
      new Map([["R", "regression"]]),
    );
    expect(outcome(d)).toBe("regression");
    expect(verdicts(d)).toEqual({ R: "regression", N: "inconclusive" });
  });

  it("keeps settled verdicts through the opening of another baseline", () => {
    const d = decideSuite(
      { current: side(3, 3), baseline: side(0, 1) },
      [test("a", 3, 3, 0, 1), test("b", 3, 3, 0, 0)],
      new Map([["a", "regression"]]),
      o,
    );
    expect(outcome(d)).toBe("next baseline");
    expect(verdicts(d)).toEqual({ a: "regression", b: null });
  });
});

describe("decideSuite: without failing tests the command decides, as with --per-test off", () => {
  it.each([
    [side(3, 3), side(0, 3)],
    [side(3, 3), side(3, 3)],
    [side(2, 3), side(0, 3)],
    [side(10, 20), side(4, 20)],
  ])("%o against %o", (current, baseline) => {
    const never = test("passes", 0, current.runs, 0, baseline.runs);
    expect(decideSuite({ current, baseline }, [], new Map(), o)).toEqual({
      ...decide(current, baseline, o),
      tests: [],
    });
    expect(decideSuite({ current, baseline }, [never], new Map(), o)).toEqual({
      ...decide(current, baseline, o),
      tests: [],
    });
  });
});

describe("decideSuite: one verdict per test", () => {
  const cases: [string, TestEvidence[], string, Record<string, string | null>][] = [
    [
      "one regression, judged as decide() judges it",
      [test("a", 3, 3, 0, 3)],
      "regression",
      { a: "regression" },
    ],
    ["one pre-existing failure", [test("a", 3, 3, 3, 3)], "pre-existing", { a: "pre-existing" }],
    ["comparable rates", [test("a", 2, 3, 3, 3)], "pre-existing", { a: "pre-existing" }],
    ["a flake not settled yet", [test("a", 2, 3, 0, 3)], "next current", { a: null }],
    [
      "a regression beside a pre-existing failure needs more than 3/3 against 0/3",
      [test("a", 3, 3, 0, 3), test("b", 3, 3, 3, 3)],
      "next current",
      { a: null, b: "pre-existing" },
    ],
    [
      "4/4 against 0/3 is not enough either (P = 0.99783 < 1 - 0.05/30)",
      [test("a", 4, 4, 0, 3), test("b", 4, 4, 3, 3)],
      "next current",
      { a: null, b: "pre-existing" },
    ],
    [
      "4/4 against 0/4 is",
      [test("a", 4, 4, 0, 4), test("b", 4, 4, 4, 4)],
      "regression",
      { a: "regression", b: "pre-existing" },
    ],
    [
      "a test no report at the baseline has is new",
      [test("a", 3, 3, 0, 0), test("b", 3, 3, 3, 3)],
      "unrunnable",
      { a: "new", b: "pre-existing" },
    ],
    [
      "a test every baseline run hung before is not new: inconclusive, no other baseline asked for",
      [unreached("a", 3, 3, 3), test("b", 3, 3, 3, 3)],
      "inconclusive",
      { a: "inconclusive", b: "pre-existing" },
    ],
    [
      "a regression outranks a test the baseline never reached",
      [unreached("a", 4, 4, 4), test("b", 4, 4, 0, 4)],
      "regression",
      { a: "inconclusive", b: "regression" },
    ],
    [
      "a regression outranks a new test (which still counts as a hypothesis)",
      [test("a", 4, 4, 0, 0), test("b", 4, 4, 0, 4)],
      "regression",
      { a: "new", b: "regression" },
    ],
    [
      "fixed: fails only without the changes",
      [test("a", 0, 6, 6, 6), test("b", 6, 6, 6, 6)],
      "pre-existing",
      { a: "fixed", b: "pre-existing" },
    ],
    [
      "a test failing only at the baseline asks for no runs and ends inconclusive",
      [test("a", 0, 3, 3, 3), test("b", 3, 3, 3, 3)],
      "pre-existing",
      { a: "inconclusive", b: "pre-existing" },
    ],
    [
      "while others run it stays open",
      [test("a", 0, 3, 1, 3), test("b", 2, 3, 0, 3)],
      "next current",
      { a: null, b: null },
    ],
  ];
  it.each(cases)("%s", (_name, tests, expected, perTest) => {
    const d = look(tests);
    expect(outcome(d)).toBe(expected);
    expect(verdicts(d)).toEqual(perTest);
  });

  it("says what the baseline is at a selective revert, test by test and in the headline", () => {
    const d = look(
      [test("a", 4, 4, 0, 4), test("b", 4, 4, 4, 4), test("c", 0, 4, 2, 4)],
      new Map(),
      { ...o, baselineIs: "with 3 paths reverted" },
    );
    expect(d.reason).toBe(
      "1 test newly fails; 1 failure was already there; 1 test failed only with 3 paths reverted",
    );
    expect(d.tests.map((t) => t.reason)).toEqual([
      "fails 4/4 with your changes, 0/4 with 3 paths reverted: p = 0.0039",
      "fails 4/4 with your changes, 4/4 with 3 paths reverted: it failed every run with 3 paths reverted too",
      expect.stringMatching(/^fails 0\/4 with your changes, 2\/4 with 3 paths reverted: /),
    ]);
  });

  it("the command failing outside its tests is no test in the headline", () => {
    // A pretest lint your change broke: no report, the pseudo-test fails (validator.js trial).
    const d = look([test(commandTestId, 4, 4, 0, 4), test("b", 4, 4, 4, 4)]);
    expect(d.reason).toBe(
      "your changes make the command fail outside its tests; 1 failure was already there",
    );
    const both = look([test(commandTestId, 4, 4, 0, 4), test("a", 4, 4, 0, 4)]);
    expect(both.reason).toBe(
      "your changes make the command fail outside its tests; 1 test newly fails",
    );
  });

  it("says why, test by test, with the numbers and the level reached", () => {
    const d = look([test("a", 4, 4, 0, 4), test("b", 4, 4, 4, 4), test("c", 0, 4, 2, 4)]);
    expect(d).toMatchObject({
      kind: "verdict",
      verdict: "regression",
      reason:
        "1 test newly fails; 1 failure was already there; 1 test failed only without your changes",
    });
    expect(d.tests).toEqual([
      {
        id: "a",
        verdict: "regression",
        reason: "fails 4/4 with your changes, 0/4 without: p = 0.0039",
        posterior: expect.closeTo(0.99904, 5),
        pValue: expect.closeTo(0.0039, 4),
        // Change hypotheses: a and b failed with the changes, b and c without: 4.
        level: 1 - 0.05 / 4,
      },
      {
        id: "b",
        verdict: "pre-existing",
        reason:
          "fails 4/4 with your changes, 4/4 without: it failed every run without your changes too",
        posterior: expect.any(Number),
        pValue: 1,
        level: 1 - 0.05 / 3,
      },
      {
        id: "c",
        verdict: "inconclusive",
        reason:
          "fails 0/4 with your changes, 2/4 without: it passed every run with your changes (runs are added only for tests that fail with them), not enough to call it fixed",
        posterior: expect.any(Number),
        pValue: 1,
        // After a's claim: 1 - 0.05 / (4 - 1).
        level: 1 - 0.05 / 3,
      },
    ]);
  });

  it("gives an open test its posterior, and no p-value yet", () => {
    expect(look([test("a", 2, 3, 0, 3)]).tests[0]).toEqual({
      id: "a",
      verdict: null,
      reason:
        "fails 2/3 with your changes, 0/3 without: not settled yet (P(your changes made it fail more often) = 0.961)",
      posterior: expect.closeTo(0.961, 3),
      pValue: null,
      level: null,
    });
  });

  it("mirrors the numbers of a fixed test", () => {
    const d = look([test("a", 0, 6, 6, 6), test("b", 6, 6, 6, 6)]);
    const fixed = d.tests.find((t) => t.id === "a")!;
    const mirror = look([test("a", 6, 6, 0, 6), test("b", 6, 6, 6, 6)]).tests.find(
      (t) => t.id === "a",
    )!;
    expect(fixed.verdict).toBe("fixed");
    expect(mirror.verdict).toBe("regression");
    expect(fixed.posterior).toBe(mirror.posterior);
    expect(fixed.pValue).toBe(mirror.pValue);
    expect(fixed.reason).toBe(
      "fails 0/6 with your changes, 6/6 without: fixed by your changes (p < 0.001, P(it fails more often without them) > 0.999)",
    );
  });

  // newAfter: a selective revert's first run where the file of every test still to judge could
  // not load a file that revert took away. The file's own entry fails at that baseline only.
  const file = (id: string) => test(id, 0, 5, 1, 1);
  const settledAdds: SettledTests = new Map([["adds", "regression"]]);
  it.each([
    [
      "every test still to judge unseen after 1 run, newAfter 1: new there, no more runs",
      [test("new", 5, 5, 0, 0), file("new.test.js"), test("adds", 5, 5, 0, 1)],
      { newAfter: 1 },
      "regression",
      { new: "new", adds: "regression" },
    ],
    [
      "the same without newAfter: the baseline's first runs first",
      [test("new", 5, 5, 0, 0), file("new.test.js"), test("adds", 5, 5, 0, 1)],
      {},
      "next baseline",
      { new: null, adds: "regression" },
    ],
    [
      "a test still to judge that the run showed: the baseline's first runs first",
      [test("new", 5, 5, 0, 0), test("old", 5, 5, 0, 1), test("adds", 5, 5, 0, 1)],
      { newAfter: 1 },
      "next baseline",
      { new: null, old: null, adds: "regression" },
    ],
    [
      "before any run of that baseline: its first run",
      [test("new", 5, 5, 0, 0), test("adds", 5, 5, 0, 0)],
      { newAfter: 1 },
      "next baseline",
      { new: null, adds: "regression" },
    ],
  ] as const)("%s", (_, tests, extra, expected, judged) => {
    const ran = tests.some((t) => t.baseline.runs > 0) ? 1 : 0;
    const command = { current: side(5, 5), baseline: side(ran, ran) };
    const d = decideSuite(command, tests, settledAdds, { ...o, ...extra });
    expect(outcome(d)).toBe(expected);
    const got = verdicts(d);
    for (const [id, verdict] of Object.entries(judged)) expect(got[id], id).toBe(verdict);
  });

  it("names a new test's need", () => {
    const d = look([test("a", 3, 3, 0, 0), test("b", 3, 3, 3, 3)]);
    expect(d.reason).toBe("1 new test needs another baseline; 1 failure was already there");
    expect(d.tests[0]).toEqual({
      id: "a",
      verdict: "new",
      reason:
        "fails 3/3 with your changes and never ran at this baseline: it needs a baseline that has it",
      posterior: null,
      pValue: null,
      level: null,
    });
  });

  it("reports the command's own statistics", () => {
    const tests = [test("a", 4, 4, 0, 4), test("b", 4, 4, 4, 4)];
    const command = { current: side(4, 4), baseline: side(4, 4) };
    expect(decideSuite(command, tests, new Map(), o).stats).toEqual(
      decide(command.current, command.baseline, o).stats,
    );
  });
});

describe("decideSuite: settled verdicts stay", () => {
  it("keeps a verdict whatever the counts say now, with its level and reason", () => {
    const tests = [test("a", 1, 10, 9, 10), test("b", 3, 3, 3, 3)];
    const d = look(tests, new Map([["a", { verdict: "regression", level: 0.99, reason: "then" }]]));
    expect(d.tests[0]).toMatchObject({
      id: "a",
      verdict: "regression",
      level: 0.99,
      reason: "then",
    });
    expect(outcome(d)).toBe("regression");
  });

  it("accepts a bare verdict and says it was reached earlier", () => {
    const d = look([test("a", 3, 5, 0, 5)], new Map([["a", "pre-existing"]]));
    expect(d.tests[0]).toMatchObject({
      verdict: "pre-existing",
      level: null,
      reason: "fails 3/5 with your changes, 0/5 without: pre-existing at an earlier look",
    });
  });

  it("judges again a test left inconclusive", () => {
    expect(verdicts(look([test("a", 3, 3, 0, 3)], new Map([["a", "inconclusive"]])))).toEqual({
      a: "regression",
    });
  });

  it("counts settled claims in the step-down", () => {
    // With a's regression claimed earlier, b's 3/3 against 0/3 is judged at alpha / (3 - 1).
    const tests = [test("a", 3, 3, 0, 3), test("b", 3, 3, 0, 3), test("c", 3, 3, 3, 3)];
    expect(verdicts(look(tests))).toEqual({ a: null, b: null, c: "pre-existing" });
    expect(verdicts(look(tests, new Map([["a", "regression"]])))).toMatchObject({ b: null });
    const two = [test("a", 3, 3, 0, 3), test("b", 3, 3, 0, 3)];
    expect(verdicts(look(two, new Map([["a", "regression"]])))).toEqual({
      a: "regression",
      b: "regression",
    });
  });

  it("settledTests hands back what a decision settled", () => {
    const d = look([
      test("a", 4, 4, 0, 4),
      test("b", 4, 4, 4, 4),
      test("c", 0, 4, 4, 4),
      test("d", 3, 3, 0, 0),
    ]);
    // c is fixed once a's claim loosened the change bar to alpha / 3 (0/4 against 4/4: 0.99904).
    expect(verdicts(d)).toEqual({ a: "regression", b: "pre-existing", c: "fixed", d: "new" });
    expect([...settledTests(d).keys()]).toEqual(["a", "b", "c"]);
    expect(settledTests(d).get("a")).toEqual({
      verdict: "regression",
      // Change hypotheses: a, b and the new d failed with the changes, b and c without.
      level: 1 - 0.05 / 5,
      reason: "fails 4/4 with your changes, 0/4 without: p = 0.0039",
    });
  });
});

describe("decideSuite: the budget", () => {
  const spent = (tests: TestEvidence[]) =>
    decideSuite({ current: side(20, 20), baseline: side(20, 20) }, tests, new Map(), o);

  it("settles for the budget bars, Holm-adjusted", () => {
    // 12/20 against 3/20: P = 0.9904, above the budget's bar 1 - 0.05 / 4 (four change hypotheses).
    const d = spent([test("a", 12, 20, 3, 20), test("b", 20, 20, 20, 20)]);
    expect(outcome(d)).toBe("regression");
    expect(d.tests[0]).toMatchObject({
      verdict: "regression",
      level: 1 - 0.05 / 4,
      reason:
        "fails 12/20 with your changes, 3/20 without: p = 0.0017, P(your changes made it fail more often by over 0.1) = 0.990 once the budget of 20 runs a side was spent",
    });
    // The same counts beside three more flaky tests: H = 8 and the bar 0.99375 is not reached.
    const crowded = spent([
      test("a", 12, 20, 3, 20),
      test("b", 5, 20, 5, 20),
      test("c", 5, 20, 6, 20),
      test("d", 6, 20, 5, 20),
    ]);
    expect(crowded.tests[0]!.verdict).toBe("inconclusive");
  });

  it("leaves the rest inconclusive, with what more runs would settle", () => {
    const d = spent([test("a", 10, 20, 4, 20), test("b", 9, 20, 6, 20)]);
    expect(d).toMatchObject({
      kind: "verdict",
      verdict: "inconclusive",
      reason: "2 failing tests are undecided",
    });
    expect(d.tests[0]!.reason).toBe(
      "fails 10/20 with your changes, 4/20 without after the budget of 20 runs a side: p = 0.027, P(your changes made it fail more often by over 0.1) = 0.907; at these rates about 104 runs a side would settle it (--max-runs 104)",
    );
  });

  it("calls fixed only at the regular bar", () => {
    // 0/20 against 5/20 mirrors 5/20 against 0/20, a regression at the budget's bar.
    const d = spent([test("a", 5, 20, 0, 20), test("b", 0, 20, 5, 20), test("c", 20, 20, 20, 20)]);
    expect(verdicts(d)).toEqual({ a: "regression", b: "inconclusive", c: "pre-existing" });
  });

  it("runs the side that still has budget", () => {
    const tests = [test("a", 5, 20, 1, 12), test("b", 20, 20, 12, 12)];
    expect(
      outcome(decideSuite({ current: side(20, 20), baseline: side(12, 12) }, tests, new Map(), o)),
    ).toBe("next baseline");
    const other = [test("a", 1, 4, 0, 20), test("b", 4, 4, 20, 20)];
    expect(
      outcome(decideSuite({ current: side(4, 4), baseline: side(20, 20) }, other, new Map(), o)),
    ).toBe("next current");
  });
});

describe("decideSuite: the side of the next run", () => {
  it("goes where the next run likelier settles tests, as decide() would for one", () => {
    // decide(): 3/4 vs 0/3 balances the sides; 4/5 vs 0/4 a baseline pass is likelier to settle.
    expect(outcome(look([test("a", 3, 4, 0, 3)]))).toBe("next baseline");
    expect(outcome(look([test("a", 4, 5, 0, 4)]))).toBe("next baseline");
  });

  it.each([
    ["one test's likelier settler", [{ current: 0.9, baseline: 0.875 }], "current"],
    [
      "the sum over open tests: two that favour the baseline outweigh one",
      [
        { current: 0.9, baseline: 0 },
        { current: 0, baseline: 0.5 },
        { current: 0, baseline: 0.5 },
      ],
      "baseline",
    ],
    ["a tie: fewer runs", [{ current: 0.5, baseline: 0.5 }], "current"],
  ] as const)("nextSide: %s", (_name, chances, expected) => {
    const command = { current: side(3, 4), baseline: side(0, 4) };
    expect(nextSide(command, o, chances)).toBe(expected);
  });

  it("nextSide: a tie goes to the side with fewer runs, and a spent side is never chosen", () => {
    const tie = [{ current: 0, baseline: 0 }];
    expect(nextSide({ current: side(3, 5), baseline: side(0, 4) }, o, tie)).toBe("baseline");
    const spent = [{ current: 1, baseline: 0 }];
    expect(nextSide({ current: side(3, 19, 1), baseline: side(0, 4) }, o, spent)).toBe("baseline");
    expect(
      nextSide({ current: side(3, 4), baseline: side(0, 20) }, o, [{ current: 0, baseline: 1 }]),
    ).toBe("current");
  });

  it("on a tie, runs the side with fewer runs, your tree first", () => {
    expect(outcome(look([test("a", 2, 3, 0, 3)]))).toBe("next current");
    expect(outcome(look([test("a", 3, 4, 0, 4)]))).toBe("next current");
  });
});

describe("decideSuite: the command's verdict", () => {
  const cases: [string, TestEvidence[], string, string][] = [
    ["regression when any test is", [test("a", 3, 3, 0, 3)], "regression", "1 test newly fails"],
    [
      "pre-existing when every failing test is",
      [test("a", 3, 3, 3, 3), test("b", 2, 3, 3, 3)],
      "pre-existing",
      "2 failures were already there",
    ],
    [
      "pre-existing beside a fixed test",
      [test("a", 6, 6, 6, 6), test("b", 0, 6, 6, 6)],
      "pre-existing",
      "1 failure was already there; 1 test is fixed by your changes",
    ],
    [
      "unrunnable when a new test needs another baseline",
      [test("a", 3, 3, 0, 0), test("b", 3, 3, 3, 3)],
      "unrunnable",
      "1 new test needs another baseline; 1 failure was already there",
    ],
  ];
  it.each(cases)("%s", (_name, tests, verdict, reason) => {
    expect(look(tests)).toMatchObject({ kind: "verdict", verdict, reason });
  });

  it("inconclusive when a test failing with the changes is, not when one failing only without is", () => {
    const budget = { current: side(20, 20), baseline: side(20, 20) };
    const undecided = decideSuite(
      budget,
      [test("a", 10, 20, 4, 20), test("b", 20, 20, 20, 20)],
      new Map(),
      o,
    );
    expect(undecided).toMatchObject({
      verdict: "inconclusive",
      reason: "1 failing test is undecided; 1 failure was already there",
    });
    const elsewhere = decideSuite(
      budget,
      [test("a", 0, 20, 3, 20), test("b", 20, 20, 20, 20)],
      new Map(),
      o,
    );
    expect(elsewhere).toMatchObject({
      verdict: "pre-existing",
      reason: "1 failure was already there; 1 test failed only without your changes",
    });
  });

  it("judges the command as a whole when no test failed with the changes", () => {
    const command = { current: side(3, 3), baseline: side(0, 3) };
    const d = decideSuite(command, [test("a", 0, 3, 1, 3)], new Map(), o);
    const { tests, ...rest } = d;
    expect(rest).toEqual(decide(command.current, command.baseline, o));
    expect(tests.map((t) => t.id)).toEqual(["a"]);
  });
});

describe("decideSuite driven by simulated runs: what it costs", () => {
  const play = (rates: [boolean, boolean][]) =>
    simulateSuite(rates.length, (s, _i, t) => rates[t]![s === "current" ? 0 : 1], o);

  it("settles one deterministic regression in 3 + 3 runs, as decide() does", () => {
    const run = play([[true, false]]);
    expect(run).toMatchObject({ runs: 6, decision: { verdict: "regression" } });
  });

  it("one deterministic pre-existing failure in 3 + 3 runs", () => {
    expect(play([[true, true]])).toMatchObject({ runs: 6, decision: { verdict: "pre-existing" } });
    expect(play(Array.from({ length: 10 }, () => [true, true]))).toMatchObject({ runs: 6 });
  });

  it("one regression beside one pre-existing failure in 5 + 3", () => {
    const run = play([
      [true, false],
      [true, true],
    ]);
    expect([run.current.runs, run.baseline?.runs]).toEqual([5, 3]);
    expect(run.decision).toMatchObject({
      verdict: "regression",
      reason: "1 test newly fails; 1 failure was already there",
    });
    expect(verdicts(run.decision)).toEqual({ "test 0": "regression", "test 1": "pre-existing" });
  });

  it("one regression beside nine in 5 + 5", () => {
    const run = play([
      [true, false],
      ...Array.from({ length: 9 }, (): [boolean, boolean] => [true, true]),
    ]);
    expect(run.runs).toBe(10);
    expect(run.decision.verdict).toBe("regression");
  });
});

describe("decideSuite: properties", () => {
  const testArb = (id: string, max = 12) =>
    fc
      .record({ nc: fc.integer({ min: 3, max }), nb: fc.integer({ min: 3, max }) })
      .chain(({ nc, nb }) =>
        fc
          .record({ fc: fc.integer({ min: 0, max: nc }), fb: fc.integer({ min: 0, max: nb }) })
          .map(({ fc: f, fb }) => test(id, f, nc, fb, nb)),
      );
  const suiteArb = fc
    .integer({ min: 1, max: 5 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => testArb(`t${i}`))));
  const decider = memoizedDecideSuite();
  const commandFor = (tests: TestEvidence[], o2: CompareOptions = o) => {
    const c = commandOf(tests);
    return {
      current: side(c.current.failures, Math.min(c.current.runs, o2.maxRuns)),
      baseline: side(c.baseline.failures, Math.min(c.baseline.runs, o2.maxRuns)),
    };
  };

  it("a test that never failed changes nothing", () => {
    fc.assert(
      fc.property(suiteArb, fc.integer({ min: 0, max: 5 }), (tests, at) => {
        const command = commandFor(tests);
        const never = test("never", 0, command.current.runs, 0, command.baseline.runs);
        const more = [...tests];
        more.splice(Math.min(at, more.length), 0, never);
        expect(decider(command, more, new Map(), o)).toEqual(decider(command, tests, new Map(), o));
      }),
      { numRuns: 100 },
    );
  });

  it("swapping the sides swaps regression and fixed, for tests failing on one side", () => {
    // Only on one side: `pre-existing` is decide()'s one-sided rule (your changes did not make
    // it worse), so a test failing on both sides may be pre-existing one way and fixed the other.
    // Below the budget (12 runs a side of 20): `fixed` is never reached at the budget's bars.
    const oneSided = (id: string) =>
      fc
        .record({
          n: fc.integer({ min: 3, max: 12 }),
          m: fc.integer({ min: 3, max: 12 }),
          f: fc.integer({ min: 0, max: 12 }),
          here: fc.boolean(),
        })
        .map(({ n, m, f, here }) =>
          here ? test(id, Math.min(f, n), n, 0, m) : test(id, 0, n, Math.min(f, m), m),
        );
    const swap = (t: TestEvidence): TestEvidence => ({
      ...t,
      current: t.baseline,
      baseline: t.current,
    });
    const mirror: Record<string, string> = { regression: "fixed", fixed: "regression" };
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 5 })
          .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => oneSided(`t${i}`))))
          .filter(
            (tests) =>
              tests.some((t) => t.current.failures > 0) &&
              tests.some((t) => t.baseline.failures > 0),
          ),
        (tests) => {
          const command = commandFor(tests);
          const swapped = { current: command.baseline, baseline: command.current };
          const d = decider(command, tests, new Map(), o);
          const s = decider(swapped, tests.map(swap), new Map(), o);
          d.tests.forEach((j, i) => {
            const other = s.tests[i]!.verdict;
            if (j.verdict === "regression" || j.verdict === "fixed") {
              expect(other, j.id).toBe(mirror[j.verdict]);
            } else {
              expect(other === "regression" || other === "fixed", j.id).toBe(false);
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("one test that never failed at the baseline is judged as decide() judges the command", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 20 }),
        fc.integer({ min: 3, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        (nc, nb, f) => {
          const fcount = Math.min(f, nc);
          const current = side(fcount, nc);
          const baseline = side(0, nb);
          const d = decider({ current, baseline }, [test("a", fcount, nc, 0, nb)], new Map(), o);
          const single = decide(current, baseline, o);
          expect(outcome(d)).toBe(
            single.kind === "verdict" ? single.verdict : `next ${single.side}`,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("settled verdicts come back unchanged", () => {
    fc.assert(
      fc.property(
        suiteArb,
        fc.constantFrom("regression", "pre-existing", "fixed" as const),
        (tests, verdict) => {
          const id = tests.find((t) => t.current.failures > 0 || t.baseline.failures > 0)?.id;
          if (id === undefined) return;
          const d = decider(commandFor(tests), tests, new Map([[id, verdict]]), o);
          expect(d.tests.find((t) => t.id === id)!.verdict).toBe(verdict);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a whole attribution stays within --max-runs a side and ends in a verdict", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer(),
        (maxRuns, rates, seed) => {
          const options = { ...o, maxRuns };
          let state = seed >>> 0;
          const random = () => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state / 4_294_967_296;
          };
          const draws = rates.map(() => ({
            current: Array.from({ length: maxRuns }, random),
            baseline: Array.from({ length: maxRuns }, random),
          }));
          const run = simulateSuite(
            rates.length,
            (s, i, t) => draws[t]![s][i]! < rates[t]![s === "current" ? 0 : 1],
            options,
            decider,
          );
          expect(run.current.runs).toBeLessThanOrEqual(maxRuns);
          expect(run.baseline?.runs ?? 0).toBeLessThanOrEqual(maxRuns);
          expect(run.decision.kind).toBe("verdict");
          for (const j of run.decision.tests) expect(j.verdict).not.toBeNull();
        },
      ),
      { numRuns: 100 },
    );
  });
});
