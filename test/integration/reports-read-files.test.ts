import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planReport, type ReportPlan, type RunOutput } from "../../src/run/index.js";

// How a plan reads files around a run, without a runner: the user's --junit file (never touched,
// only compared with its state before the run) and the run's log.

let dir: string;
let reportDir: string;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "culprit-read-")));
  reportDir = join(dir, "report");
  await mkdir(reportDir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const junit = `<testsuite name="s"><testcase classname="k" name="t"><failure message="no"/></testcase></testsuite>`;

function output(logPath: string | null = null): RunOutput {
  return { startedAt: Date.now(), logPath, tail: "", exitCode: 1 };
}

function junitPlan(path: string): Extract<ReportPlan, { kind: "report" }> {
  const plan = planReport({
    argv: ["make", "check"],
    cwd: dir,
    root: dir,
    junitPath: path,
    reportDir,
  });
  if (plan.kind !== "report") throw new Error(plan.why);
  return plan;
}

describe("--junit PATH", () => {
  it("reads the file the run wrote, and leaves it where it is", async () => {
    const plan = junitPlan("out/junit.xml");
    await plan.prepare();
    await mkdir(join(dir, "out"), { recursive: true });
    await writeFile(join(dir, "out/junit.xml"), junit);
    expect(await plan.read(output())).toEqual({
      ok: true,
      report: {
        source: "--junit out/junit.xml",
        tests: [
          { id: "k > t", name: "k > t", file: null, line: null, status: "fail", message: "no" },
        ],
      },
    });
    expect(await readFile(join(dir, "out/junit.xml"), "utf8")).toBe(junit);
  });

  it("a file from before the run, untouched by it, is not this run's report", async () => {
    await writeFile(join(dir, "old.xml"), junit);
    const before = await stat(join(dir, "old.xml"));
    const plan = junitPlan("old.xml");
    await plan.prepare();
    expect(await plan.read(output())).toEqual({
      ok: false,
      why: "the test report old.xml was not rewritten by this run (it is the one from before)",
    });
    expect((await stat(join(dir, "old.xml"))).mtimeMs).toBe(before.mtimeMs);
  });

  it("a file rewritten by the run with the same content is read", async () => {
    await writeFile(join(dir, "same.xml"), junit);
    const plan = junitPlan("same.xml");
    await plan.prepare();
    await rm(join(dir, "same.xml"));
    await writeFile(join(dir, "same.xml"), junit);
    expect((await plan.read(output())).ok).toBe(true);
  });

  it("no file, a folder, an empty file: why there are no tests", async () => {
    const missing = junitPlan("nothere.xml");
    await missing.prepare();
    expect(await missing.read(output())).toEqual({
      ok: false,
      why: "the test report nothere.xml was not written by this run",
    });

    const folder = junitPlan("folder.xml");
    await folder.prepare();
    await mkdir(join(dir, "folder.xml"));
    expect(await folder.read(output())).toEqual({
      ok: false,
      why: "the test report folder.xml is not a file",
    });

    const empty = junitPlan("empty.xml");
    await empty.prepare();
    await writeFile(join(dir, "empty.xml"), "");
    expect(await empty.read(output())).toEqual({
      ok: false,
      why: "the test report empty.xml is empty (the run may have been cut short)",
    });
  });
});

describe("reports read from the run's log", () => {
  function cargoPlan(): Extract<ReportPlan, { kind: "report" }> {
    const plan = planReport({ argv: ["cargo", "test"], cwd: dir, root: dir, reportDir });
    if (plan.kind !== "report") throw new Error(plan.why);
    return plan;
  }

  it("no log: no tests", async () => {
    expect(await cargoPlan().read(output(null))).toEqual({
      ok: false,
      why: "the run's output was not logged, so culprit cannot read its tests from it",
    });
  });

  it("a log culprit cut (too much output): no tests", async () => {
    const log = join(dir, "cut.log");
    // The marker culprit's capture writes where it left output out (src/run/capture-output.ts).
    await writeFile(
      log,
      "running 2 tests\ntest a ... ok\n[culprit: 123456 bytes omitted]\ntest b ... ok\n",
    );
    expect(await cargoPlan().read(output(log))).toEqual({
      ok: false,
      why: "the run's log was cut (too much output), so its test lines are incomplete",
    });
  });
});
