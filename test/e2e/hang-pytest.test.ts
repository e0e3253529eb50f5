import { describe, expect, test } from "vitest";
import { attributeUntouchedAsync, twoRuns } from "../repos/expect-untouched.js";
import { concurrentRepos, type TestRepo } from "../repos/harness.js";
import { expectValidResult } from "../repos/result-schema.js";
import { runnerMissing } from "../repos/runner-projects.js";

/*
 * pytest writes its junitxml only at the end of the session, and dies without one on SIGTERM:
 * a run --timeout stopped told culprit nothing. Beside an old test that hangs on both sides, a
 * test your change breaks went unseen, PRE-EXISTING, exit 0. pytest is now stopped as at a
 * terminal, SIGINT (Ctrl-C): it ends the test it is in, leaves it out of the report and writes
 * the junitxml of the tests that ended, read as a partial report. The real python3 -m pytest.
 */

// The cases wait on hung runs (--timeout) most of their time: they wait together.
const newRepo = concurrentRepos();

const missing = runnerMissing("pytest");
if (missing) console.log(`pytest hang cases skipped: ${missing}`);

const lib = (value: number) => `def v():\n    return ${value}\n`;
const tests = [
  "import time",
  "from shop.lib import v",
  "",
  "def test_v_is_one():",
  "    assert v() == 1",
  "",
  "def test_slow():",
  "    while True:",
  "        time.sleep(0.05)",
  "",
  "def test_never_reached():",
  "    assert v() == 1",
  "",
].join("\n");

function hangingProject(): TestRepo {
  const r = newRepo();
  r.write(".gitignore", "__pycache__/\n");
  r.write("shop/__init__.py", "");
  r.write("shop/lib.py", lib(1));
  r.write("tests/test_lib.py", tests);
  r.write("tests/test_other.py", "def test_other():\n    assert True\n");
  r.commit("a package with a test that never ends");
  return r;
}

const command = ["python3", "-m", "pytest", "-p", "no:cacheprovider", "tests"];
// pytest starts in about 0.4 s here and reaches test_slow at once; SIGINT ends it in about 1 s.
// A baseline run that had not ended test_v_is_one by the timer would leave it unreached: room
// for a loaded machine (the cases run at once).
const hangs = ["--no-cache", "--timeout", "3.5s", "--kill-after", "5s"];

describe.skipIf(missing !== null)("a hung pytest run", () => {
  test.concurrent("an old hang beside a test your change breaks: the tests that ended are read", async () => {
    const repo = hangingProject();
    repo.write("shop/lib.py", lib(2));
    const { json, status } = await attributeUntouchedAsync(repo, command, [...twoRuns, ...hangs]);
    expect(json.verdict, String(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const rows = json["tests"] as { id: string; verdict: string }[];
    // The test it hung in, and the one after it, ended in no run: no row, not even "never ran at
    // this baseline"; the hang itself was there before.
    expect(rows.map((t) => [t.id, t.verdict])).toEqual([
      ["tests/test_lib.py::test_v_is_one", "regression"],
      ["(command)", "pre-existing"],
    ]);
    const runs = json["runs"] as { side: string; outcome: string; partialReport?: boolean }[];
    expect(runs.every((run) => run.outcome === "hang")).toBe(true);
    // Read as far as their tests went, and the JSON says so: on each side (a run of a loaded
    // machine may reach the timer before pytest wrote anything; the verdict needs only some).
    for (const side of ["current", "baseline"]) {
      expect(
        runs.some((run) => run.side === side && run.partialReport === true),
        side,
      ).toBe(true);
    }
    expectValidResult(json);
  }, 240_000);

  // Every baseline run hung before the failing test: it was read "new", "never ran at this
  // baseline: it needs a baseline that has it", and culprit went looking for one (UNRUNNABLE,
  // "every change is a test file the keep globs leave alone: name the files to revert").
  test.concurrent("your change ends an old hang, and a test after it fails: not reached at the baseline, inconclusive", async () => {
    const repo = hangingProject();
    repo.write(
      "tests/test_lib.py",
      tests
        .replace("    while True:\n        time.sleep(0.05)", "    pass")
        .replace(
          "def test_never_reached():\n    assert v() == 1",
          "def test_never_reached():\n    assert v() == 2",
        ),
    );
    const { json, status } = await attributeUntouchedAsync(repo, command, [...twoRuns, ...hangs]);
    expect(json.verdict, String(json.reason)).toBe("inconclusive");
    expect(status).toBe(2);
    expect(json["strategy"]).toBe("baseline-reset");
    const rows = json["tests"] as {
      id: string;
      verdict: string;
      baseline: { runs: number; unreached?: number };
      reason: string;
    }[];
    // A run of your tree that a loaded machine kept past the timer hung too (it failed so in CI
    // once): then the hang is seen on both sides, the command's row, and was there before.
    const runs = json["runs"] as { side: string; outcome: string }[];
    const yoursHung = runs.some((run) => run.side === "current" && run.outcome === "hang");
    expect(rows.map((t) => [t.id, t.verdict, t.baseline.runs])).toEqual([
      ["tests/test_lib.py::test_never_reached", "inconclusive", 0],
      ...(yoursHung ? [["(command)", "pre-existing", 2]] : []),
    ]);
    expect(rows[0]!.baseline.unreached).toBeGreaterThan(0);
    expect(rows[0]!.reason).toMatch(/every run hung before it got there/);
    expectValidResult(json);
  }, 240_000);

  // Both sides hang, so the command read "the same hang as before": PRE-EXISTING, exit 0 (found
  // in review). Where it hangs tells them apart: your runs end before test_v_is_one, which every
  // baseline run ended.
  test.concurrent("your change makes a test hang before an old hang: not the old hang, inconclusive", async () => {
    const repo = hangingProject();
    repo.write(
      "shop/lib.py",
      "import time\n\ndef v():\n    while True:\n        time.sleep(0.05)\n",
    );
    const { json, status } = await attributeUntouchedAsync(repo, command, [...twoRuns, ...hangs]);
    expect(json.verdict, String(json.reason)).toBe("inconclusive");
    expect(status).toBe(2);
    const rows = json["tests"] as { id: string; verdict: string; reason: string }[];
    expect(rows.map((t) => [t.id, t.verdict])).toEqual([["(command)", "inconclusive"]]);
    expect(rows[0]!.reason).toMatch(/every run hung before tests\/test_lib\.py::test_v_is_one,/);
  }, 240_000);
});
