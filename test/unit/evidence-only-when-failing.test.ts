import { expect, test } from "vitest";
import { defaultCompareOptions } from "../../src/compare/decide.js";
import { Evidence } from "../../src/machine/evidence.js";
import type { RunRecord } from "../../src/machine/types.js";
import type { TestCaseResult } from "../../src/run/reports/types.js";

// A runner that names a test only when it fails (uvu: a dot for each that passed) gives reports
// of its failing tests, each `onlyWhenFailing`, and one passing entry a file that ran. A test
// absent from such a report passed in that run when the run ran its file, and was not there
// when it did not (a test file your change adds): `new`, as for a runner that names every test.

const failing = (id: string, file: string): TestCaseResult => ({
  id: `${file}::${id}`,
  name: id,
  file,
  line: null,
  status: "fail",
  message: `${id} broke`,
  onlyWhenFailing: true,
});
const ran = (file: string): TestCaseResult => ({
  id: file,
  name: file,
  file,
  line: null,
  status: "pass",
  message: null,
  kind: "file",
});

function run(
  side: "current" | "baseline",
  index: number,
  entries: TestCaseResult[],
  partial = false,
): RunRecord {
  const fails = entries.some((t) => t.status === "fail");
  return {
    side,
    index,
    ...(side === "baseline" ? { attempt: 1 } : {}),
    outcome: partial ? "hang" : fails ? "fail" : "pass",
    exitCode: partial ? null : fails ? 1 : 0,
    signal: partial ? "SIGTERM" : null,
    durationMs: 100,
    hangRetried: partial,
    logPath: null,
    tests: { source: "uvu output", entries, ...(partial ? { partial: true as const } : {}) },
  };
}

const yours = [
  failing("cart > adds", "test/cart.test.js"),
  failing("old > floats", "test/old.test.js"),
  ran("test/cart.test.js"),
  ran("test/old.test.js"),
];

function judged(baseline: TestCaseResult[], partial = false, current = yours) {
  const evidence = new Evidence();
  // Five runs a side: beside an old failure, 3 + 3 runs stay short of Holm's bar (suite.ts).
  for (let i = 1; i <= 5; i++) evidence.add(run("current", i, current));
  for (let i = 1; i <= 5; i++) evidence.add(run("baseline", i, baseline, partial));
  evidence.decide(1, defaultCompareOptions);
  return evidence
    .testResults()
    .map((t) => [t.id, t.verdict, `${t.baseline.failures}/${t.baseline.runs}`]);
}

test.each<[string, TestCaseResult[], boolean, string[][]]>([
  [
    "absent from a whole report of a run that ran its file: passed there",
    [
      failing("old > floats", "test/old.test.js"),
      ran("test/cart.test.js"),
      ran("test/old.test.js"),
    ],
    false,
    [
      ["test/cart.test.js::cart > adds", "regression", "0/5"],
      ["test/old.test.js::old > floats", "pre-existing", "5/5"],
    ],
  ],
  [
    "its file did not run there (your change adds it): new, not passed",
    [failing("old > floats", "test/old.test.js"), ran("test/old.test.js")],
    false,
    [
      ["test/cart.test.js::cart > adds", "new", "0/0"],
      ["test/old.test.js::old > floats", "pre-existing", "5/5"],
    ],
  ],
  [
    // A hung run's report as far as it went: uvu runs its files one after the other, in order;
    // one that reports old's failure went past cart's tests, which it did not name: passed.
    "absent from a hung run's partial report that went past it: passed there",
    [
      failing("old > floats", "test/old.test.js"),
      ran("test/cart.test.js"),
      ran("test/old.test.js"),
    ],
    true,
    [
      ["test/cart.test.js::cart > adds", "regression", "0/5"],
      ["test/old.test.js::old > floats", "pre-existing", "5/5"],
    ],
  ],
  [
    "absent from a hung run's partial report that names nothing after it: not reached",
    [ran("test/cart.test.js")],
    true,
    [
      ["test/cart.test.js::cart > adds", "inconclusive", "0/0"],
      ["test/old.test.js::old > floats", "inconclusive", "0/0"],
    ],
  ],
])("%s", (_, baseline, partial, rows) => {
  expect(judged(baseline, partial)).toEqual(rows);
});

// A test your change adds to a file that was there (test first): each file's entry lists the
// titles its source gives literally, and a title your tree's file gives and the baseline's does
// not is a test that was not there. A title made as the test runs is in neither: passed.
const titled = (file: string, titles: string[]): TestCaseResult => ({ ...ran(file), titles });

test.each<[string, TestCaseResult[], TestCaseResult[], string[]]>([
  [
    "your file gives its title, the baseline's does not: new there",
    [titled("test/cart.test.js", ["subtracts", "adds"]), titled("test/old.test.js", ["floats"])],
    [titled("test/cart.test.js", ["subtracts"]), titled("test/old.test.js", ["floats"])],
    ["test/cart.test.js::cart > adds", "new", "0/0"],
  ],
  [
    "both files give it: passed at the baseline",
    [titled("test/cart.test.js", ["adds"]), titled("test/old.test.js", ["floats"])],
    [titled("test/cart.test.js", ["adds"]), titled("test/old.test.js", ["floats"])],
    ["test/cart.test.js::cart > adds", "regression", "0/5"],
  ],
  [
    "your file does not give it literally (a template, a loop): passed at the baseline",
    [titled("test/cart.test.js", []), titled("test/old.test.js", ["floats"])],
    [titled("test/cart.test.js", []), titled("test/old.test.js", ["floats"])],
    ["test/cart.test.js::cart > adds", "regression", "0/5"],
  ],
])("%s", (_, yourFiles, baselineFiles, row) => {
  const current = [
    failing("cart > adds", "test/cart.test.js"),
    failing("old > floats", "test/old.test.js"),
    ...yourFiles,
  ];
  const baseline = [failing("old > floats", "test/old.test.js"), ...baselineFiles];
  expect(judged(baseline, false, current)[0]).toEqual(row);
});

// unittest's subtests are named only when they fail, each `within` its test: absent from a run
// that has that test, a subtest passed there; from one that does not (a test method your change
// adds to a file that was there), it was not there, whatever else of the file ran.
const method = (id: string, status: "pass" | "fail" = "pass"): TestCaseResult => ({
  id,
  name: id,
  file: "tests/test_lib.py",
  line: null,
  status,
  message: status === "fail" ? "broke" : null,
});
const subtest = (test: string, label: string): TestCaseResult => ({
  ...method(`${test} ${label}`, "fail"),
  onlyWhenFailing: true,
  within: test,
});

test.each<[string, TestCaseResult[], TestCaseResult[], string[][]]>([
  [
    "an old failing subtest and a new one of the same test: the new one is the regression",
    [method("m.T.test_sub"), subtest("m.T.test_sub", "(i=1)"), subtest("m.T.test_sub", "(i=2)")],
    [method("m.T.test_sub"), subtest("m.T.test_sub", "(i=1)")],
    [
      ["m.T.test_sub (i=2)", "regression", "0/5"],
      ["m.T.test_sub (i=1)", "pre-existing", "5/5"],
    ],
  ],
  [
    "a test method your change adds, its subtest failing: not there at the baseline, new",
    [method("m.T.test_old"), method("m.T.test_new"), subtest("m.T.test_new", "(i=1)")],
    [method("m.T.test_old")],
    [["m.T.test_new (i=1)", "new", "0/0"]],
  ],
])("%s", (_name, current, baseline, rows) => {
  const evidence = new Evidence();
  for (let i = 1; i <= 5; i++) evidence.add(run("current", i, current));
  for (let i = 1; i <= 5; i++) evidence.add(run("baseline", i, baseline));
  evidence.decide(1, defaultCompareOptions);
  expect(
    evidence
      .testResults()
      .map((t) => [t.id, t.verdict, `${t.baseline.failures}/${t.baseline.runs}`]),
  ).toEqual(rows);
});
