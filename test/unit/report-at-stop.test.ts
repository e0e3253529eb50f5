import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planReport, type ReportPlan } from "../../src/run/reports/plan.js";

/*
 * A hung run's report as the tests left it when --timeout fired (ReportPlan.atTimeout): the text
 * the stop writes after is not read (src/run/reports/plan.ts, AtStop). Real files; the plan's
 * calls in the order a run makes them: prepare, the tests' writes, atTimeout, the stop's
 * writes, read.
 */

const dir = mkdtempSync(join(tmpdir(), "culprit-at-stop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const junit = (cases: [string, string | null][]) =>
  `<?xml version="1.0"?>\n<testsuite name="s" tests="${cases.length}">\n${cases
    .map(
      ([name, failed]) =>
        `<testcase classname="s" name="${name}">${failed ? `<failure message="${failed}"/>` : ""}</testcase>\n`,
    )
    .join("")}</testsuite>\n`;

const jestJson = (tests: [string, "passed" | "failed"][]) =>
  JSON.stringify({
    numFailedTests: tests.filter(([, s]) => s === "failed").length,
    testResults: [
      {
        name: join(dir, "a.test.js"),
        assertionResults: tests.map(([title, status]) => ({
          title,
          fullName: title,
          ancestorTitles: [],
          status,
          failureMessages: status === "failed" ? ["interrupted"] : [],
        })),
      },
    ],
  });

type Report = Extract<ReportPlan, { kind: "report" }>;
const asReport = (plan: ReportPlan): Report => {
  if (plan.kind !== "report") throw new Error(`no report plan: ${plan.why}`);
  return plan;
};
const output = { startedAt: Date.now() - 60_000, logPath: null, tail: "", exitCode: 1 };
const names = async (plan: Report) => {
  const read = await plan.read(output);
  return read.ok ? read.report.tests.map((t) => `${t.name}:${t.status}`) : read.why;
};

describe("the user's --junit file", () => {
  const file = join(dir, "junit.xml");
  const plan = () =>
    asReport(
      planReport({
        argv: ["node", "r.mjs"],
        cwd: dir,
        root: dir,
        reportDir: dir,
        junitPath: "junit.xml",
      }),
    );

  it("rewritten by the stop: read as the tests had written it", async () => {
    const p = plan();
    await p.prepare();
    writeFileSync(file, junit([["a", "expected 2 to be 1"]]));
    p.atTimeout?.();
    writeFileSync(
      file,
      junit([
        ["a", "expected 2 to be 1"],
        ["slow", "interrupted"],
      ]),
    );
    expect(await names(p)).toEqual(["s > a:fail"]);
  });

  it("deleted by the stop: read as the tests had written it", async () => {
    const p = plan();
    await p.prepare();
    writeFileSync(file, junit([["a", null]]));
    p.atTimeout?.();
    unlinkSync(file);
    expect(await names(p)).toEqual(["s > a:pass"]);
  });

  it("the file from before the run, written only by the stop: not read", async () => {
    writeFileSync(file, junit([["old", null]]));
    const p = plan();
    await p.prepare();
    p.atTimeout?.();
    writeFileSync(
      file,
      junit([
        ["old", null],
        ["slow", "interrupted"],
      ]),
    );
    expect(await names(p)).toMatch(/written only as culprit stopped the hung run/);
  });

  it("not touched by the stop: read as it is", async () => {
    const p = plan();
    await p.prepare();
    writeFileSync(
      file,
      junit([
        ["a", null],
        ["b", "no"],
      ]),
    );
    p.atTimeout?.();
    expect(await names(p)).toEqual(["s > a:pass", "s > b:fail"]);
  });

  it("the retry's prepare forgets the hung run's text", async () => {
    const p = plan();
    await p.prepare();
    writeFileSync(file, junit([["hung", "x"]]));
    p.atTimeout?.();
    await p.prepare();
    writeFileSync(file, junit([["retry", null]]));
    expect(await names(p)).toEqual(["s > retry:pass"]);
  });
});

describe("culprit's own report file (jest --json)", () => {
  const plan = () => asReport(planReport({ argv: ["jest"], cwd: dir, root: dir, reportDir: dir }));
  const fileOf = (p: Report) =>
    p.argv.find((a) => a.startsWith("--outputFile="))!.slice("--outputFile=".length);

  it("absent when the timer fired, written by the stop: not read", async () => {
    const p = plan();
    await p.prepare();
    p.atTimeout?.();
    writeFileSync(fileOf(p), jestJson([["slow", "failed"]]));
    expect(await names(p)).toMatch(/written only as culprit stopped the hung run/);
  });

  it("rewritten by the stop: read as the tests had written it", async () => {
    const p = plan();
    await p.prepare();
    writeFileSync(fileOf(p), jestJson([["a", "passed"]]));
    p.atTimeout?.();
    writeFileSync(
      fileOf(p),
      jestJson([
        ["a", "passed"],
        ["slow", "failed"],
      ]),
    );
    expect(await names(p)).toEqual(["a:pass"]);
  });

  it("a run that ended by itself: read as it is", async () => {
    const p = plan();
    await p.prepare();
    writeFileSync(fileOf(p), jestJson([["a", "failed"]]));
    expect(await names(p)).toEqual(["a:fail"]);
  });
});

describe("pytest's junitxml, own and the user's: written as SIGINT stops the run", () => {
  // What pytest 9 writes when SIGINT comes during test_slow (seen by hand): the tests that
  // ended, and an empty <testcase/> for the one it was in.
  const interrupted =
    '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2"><testcase classname="test_a" name="test_one" file="test_a.py" line="1" time="0.001"><failure message="assert 1 == 2">test_a.py:3: AssertionError</failure></testcase><testcase classname="test_a" name="test_two" file="test_a.py" line="3" time="0.000" /><testcase time="0.000" /></testsuite></testsuites>';
  const own = () =>
    asReport(planReport({ argv: ["pytest", "test_a.py"], cwd: dir, root: dir, reportDir: dir }));
  const fileOf = (p: Report) =>
    p.argv.find((a) => a.startsWith("--junitxml="))!.slice("--junitxml=".length);
  /** pytest writing `file` (its --junitxml), culprit told of it by `--junit` or not. */
  const writing = (file: string, junitPath?: string) =>
    asReport(
      planReport({
        argv: ["python3", "-m", "pytest", `--junitxml=${file}`],
        cwd: dir,
        root: dir,
        reportDir: dir,
        ...(junitPath !== undefined ? { junitPath } : {}),
      }),
    );

  it("the timer asks for SIGINT, and what pytest writes then is read, partial", async () => {
    const p = own();
    await p.prepare();
    expect(p.atTimeout?.()).toBe("SIGINT");
    writeFileSync(fileOf(p), interrupted);
    const read = await p.read(output);
    expect(read.ok && read.report.partial).toBe(true);
    expect(await names(p)).toEqual(["test_a.py::test_one:fail", "test_a.py::test_two:pass"]);
  });

  it("written before the timer (the session ended, the run hung on its way out): read whole", async () => {
    const p = own();
    await p.prepare();
    writeFileSync(fileOf(p), interrupted);
    expect(p.atTimeout?.()).toBe("SIGINT");
    const read = await p.read(output);
    expect(read.ok && read.report.partial).toBeFalsy();
  });

  it("the user's --junitxml from an earlier run, still there at the timer: this run's is partial", async () => {
    const file = join(dir, "user-pytest-old.xml");
    writeFileSync(file, interrupted);
    const p = writing(file);
    await p.prepare();
    expect(p.atTimeout?.()).toBe("SIGINT");
    writeFileSync(file, interrupted.replace('name="test_two"', 'name="test_three"'));
    const read = await p.read(output);
    expect(read.ok && read.report.partial).toBe(true);
    expect(await names(p)).toEqual(["test_a.py::test_one:fail", "test_a.py::test_three:pass"]);
  });

  it("culprit's --junit with a pytest command: SIGINT too, read as pytest's", async () => {
    const file = join(dir, "named.xml");
    const p = writing(file, "named.xml");
    await p.prepare();
    expect(p.atTimeout?.()).toBe("SIGINT");
    writeFileSync(file, interrupted);
    const read = await p.read(output);
    expect(read.ok && read.report.partial).toBe(true);
  });

  it("a run that ended by itself: read whole, not partial", async () => {
    const p = own();
    await p.prepare();
    writeFileSync(fileOf(p), interrupted);
    const read = await p.read(output);
    expect(read.ok && read.report.partial).toBeFalsy();
  });

  it("the user's --junitxml: SIGINT too, and read as pytest wrote it", async () => {
    const file = join(dir, "user-pytest.xml");
    const p = writing(file);
    await p.prepare();
    expect(p.atTimeout?.()).toBe("SIGINT");
    writeFileSync(file, interrupted);
    expect(await names(p)).toEqual(["test_a.py::test_one:fail", "test_a.py::test_two:pass"]);
  });

  it("other runners are stopped with SIGTERM", async () => {
    const p = asReport(planReport({ argv: ["jest"], cwd: dir, root: dir, reportDir: dir }));
    await p.prepare();
    expect(p.atTimeout?.()).toBeUndefined();
  });
});

describe("a report read from the output (cargo test)", () => {
  const plan = () =>
    asReport(planReport({ argv: ["cargo", "test"], cwd: dir, root: dir, reportDir: dir }));
  const before = [
    "     Running unittests src/lib.rs (target/debug/deps/hangs-0123456789abcdef)",
    "",
    "running 2 tests",
    "test tests::v_is_one ... FAILED",
    "test tests::slow has been running for over 60 seconds",
    "",
  ].join("\n");
  // What a runner could print as the stop kills it: not the tests'.
  const after = "test tests::slow ... FAILED\n\ntest result: FAILED. 0 passed; 2 failed\n";
  const log = join(dir, "cargo.log");

  it("stopped: the output up to the timer, the tests that ended by then", async () => {
    writeFileSync(log, before + after);
    const read = await plan().read({
      ...output,
      logPath: log,
      outputAtTimeout: Buffer.byteLength(before),
    });
    expect(read.ok && read.report.tests.map((t) => [t.id, t.status])).toEqual([
      ["src/lib.rs (hangs)::tests::v_is_one", "fail"],
    ]);
  });

  it("stopped: the cut is in bytes, whatever they decode to (invalid UTF-8 before it)", async () => {
    const head = Buffer.concat([Buffer.alloc(300, 0xff), Buffer.from(`\n${before}`)]);
    writeFileSync(log, Buffer.concat([head, Buffer.from(after)]));
    const read = await plan().read({ ...output, logPath: log, outputAtTimeout: head.length });
    expect(read.ok && read.report.tests.map((t) => [t.id, t.status])).toEqual([
      ["src/lib.rs (hangs)::tests::v_is_one", "fail"],
    ]);
    expect(read.ok && read.report.partial).toBe(true);
  });

  it("stopped between two test binaries: what the first reported, as far as it went", async () => {
    const first = `${before.replace("test tests::slow has been running for over 60 seconds\n", "")}\ntest result: FAILED. 0 passed; 1 failed\n\n     Running tests/hang.rs (target/debug/deps/hang-0123456789abcdef)\n`;
    writeFileSync(log, first);
    const read = await plan().read({ ...output, logPath: log, outputAtTimeout: first.length });
    expect(read.ok && read.report.partial).toBe(true);
  });

  it("not stopped: the same output is a run cut short", async () => {
    writeFileSync(log, before);
    const read = await plan().read({ ...output, logPath: log });
    expect(read.ok ? "" : read.why).toMatch(/cut short/);
  });
});
