import { describe, expect, it } from "vitest";
import type { IsolateReport, IsolateRun } from "../../src/machine/isolate.js";
import { regressedTests, renderIsolateHuman } from "../../src/report/isolate.js";

/*
 * How `culprit isolate` shows what a configuration's runs did, as found trying it on
 * expressjs/express: runs that hung (one that its report judged, "fail, then hung"; one run
 * again and hung twice; one that failed otherwise, a hang) and the limit they hit; runs that
 * failed the regressed test at another line of it, and your changes without the guilty hunk
 * failing that way.
 */

const run = (over: Partial<IsolateRun>): IsolateRun => ({
  outcome: "fail",
  judged: "fail",
  exitCode: 1,
  signal: null,
  durationMs: 100,
  log: null,
  ...over,
});

function report(runs: IsolateRun[], timeoutChosen: boolean): IsolateReport {
  return {
    runId: "r",
    verdict: "isolated",
    reason: "1 hunk of your changes makes it fail (1 configuration tested)",
    confidence: 0.95,
    attribution: { runId: "a", verdict: "regression", reason: "", reused: 0 },
    baseline: { rev: "HEAD", commit: "0123456789abcdef", revert: null },
    target: { kind: "tests", tests: ["test/a.js::works"] },
    judge: {
      deterministic: true,
      regressionRate: 1,
      baselineRate: 0,
      calibration: { current: { runs: 10, failures: 10 }, baseline: { runs: 3, failures: 0 } },
      maxRuns: 40,
      timeoutMs: timeoutChosen ? 4_000 : 27_100,
      timeoutChosen,
    },
    units: 2,
    files: 2,
    hunks: [],
    needed: [],
    othersFail: null,
    patch: null,
    patchBytes: null,
    configurations: runs.map((r, i) => ({
      index: i + 1,
      units: [`lib/${i}.js#1`],
      judgement: r.judged,
      again: false,
      runs: [r],
    })),
    distinct: runs.length,
    runs: { calibration: 10, search: runs.length },
    calibrationRuns: [],
    interrupted: null,
    command: { argv: ["npm", "test"], shell: null, cwd: "/r" },
    timing: { totalMs: 1, runsMs: 1 },
    worktrees: { shared: [], env: [] },
  };
}

describe("isolate's human report: configurations that hung", () => {
  it("says how each hang was judged, and the limit they hit", () => {
    const text = renderIsolateHuman(
      report(
        [
          run({ outcome: "hang", judged: "fail" }),
          run({ outcome: "hang", judged: "pass" }),
          run({ outcome: "hang", judged: "fail", hangRetried: true }),
          run({ outcome: "hang", judged: "cannot-run", otherFailure: "a hang", hangRetried: true }),
          run({ outcome: "pass", judged: "pass", hangRetried: true }),
        ],
        false,
      ),
    );
    expect(text).toContain("#1 fail: lib/0.js#1 [fail, then hung]");
    expect(text).toContain("#2 pass: lib/1.js#1 [pass, then hung]");
    expect(text).toContain("#3 fail: lib/2.js#1 [fail (hung twice)]");
    expect(text).toContain("#4 cannot-run: lib/3.js#1 [failed otherwise (a hang)]");
    // Slow, not hung: run again with the whole --timeout, it ended.
    expect(text).toContain("#5 pass: lib/4.js#1 [pass]");
    expect(text).toContain(
      "a configuration's run is a hang after 27.1 s (5 times the slowest calibration run, at least 10 s; --timeout sets it)",
    );
  });

  it("names the timeout the user set; says nothing of a limit no run hit", () => {
    const chosen = renderIsolateHuman(report([run({ outcome: "hang" })], true));
    expect(chosen).toContain("a configuration's run is a hang after 4 s (the timeout you set)");
    const none = renderIsolateHuman(report([run({})], false));
    expect(none).not.toContain("is a hang after");
  });
});

describe("isolate's human report: failures at another line of the test", () => {
  it("shows the line, and what the rest of your changes did", () => {
    const other = "Error at another line: test/res.json.js:123";
    const base = report([run({ judged: "cannot-run", otherFailure: other })], false);
    const hunk = {
      id: "lib/0.js#1",
      kind: "hunk",
      file: "lib/0.js",
      startLine: 3,
      endLine: 3,
      patch: "@@ -3 +3 @@\n-a\n+b\n",
    };
    const text = renderIsolateHuman({ ...base, hunks: [hunk], othersFailure: other });
    expect(text).toContain(`#1 cannot-run: lib/0.js#1 [failed otherwise (${other})]`);
    expect(text).toContain(
      `your changes without this hunk fail the test another way (${other}): another cause may be among them, or what leaving it out broke`,
    );
    expect(text).not.toContain("not the only cause");
    expect(renderIsolateHuman(base)).not.toContain("fail the test another way");
  });
});

describe("isolate's human report: what a configuration that cannot run missed", () => {
  it("names it beside the runs", () => {
    const base = report([run({ judged: "cannot-run", otherFailure: "TypeError" })], false);
    const [config] = base.configurations;
    const text = renderIsolateHuman({
      ...base,
      configurations: [{ ...config!, missed: ["slugify", "module slug"] }],
    });
    expect(text).toContain(
      "#1 cannot-run: lib/0.js#1 [failed otherwise (TypeError)] missed: slugify, module slug",
    );
    expect(renderIsolateHuman(base)).not.toContain("missed:");
  });
});

// jest's suite in vercel/ms: a rounding change broke 14 tests, and the line named each of them.
describe("isolate's human report: the regressed tests it judges by", () => {
  it.each([
    [["a.test.js::one"], "the regressed test a.test.js::one"],
    [["a::1", "a::2"], "the regressed tests a::1, a::2"],
    [["a::1", "a::2", "b::3"], "the regressed tests a::1, a::2, b::3"],
    [
      ["a::1", "a::2", "b::3", "b::4", "c::5"],
      "the 5 regressed tests a::1, a::2, b::3 and 2 more (--json lists them)",
    ],
  ])("%j", (tests, text) => {
    expect(regressedTests(tests)).toBe(text);
  });
});
