import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { captureState, createRepo, type TestRepo } from "../repos/harness.js";
import { bisectDoc, commitSeries } from "../repos/history.js";
import { runnerMissing } from "../repos/runner-projects.js";

/*
 * unittest's subtests (`with self.subTest(i=i)`) were read as their test: one subtest failing
 * before your change and a second one your change broke made the test fail on both sides,
 * PRE-EXISTING, exit 0. Each failing subtest is now a test of its own (`module.Class.test (i=2)`),
 * named only when it fails: absent from a run that ran its test, it passed there. The real
 * python3 -m unittest -v, the tree checked byte for byte after each case.
 */

const missing = runnerMissing("unittest");
if (missing) console.log(`unittest subtest cases skipped: ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const tests = (limits: string) =>
  [
    "import unittest",
    "from shop.lib import limit",
    "",
    "class Limits(unittest.TestCase):",
    "    def test_limits(self):",
    `        for i, want in enumerate([${limits}]):`,
    "            with self.subTest(i=i):",
    "                self.assertEqual(limit(i), want)",
    "",
    "    def test_plain(self):",
    "        self.assertEqual(limit(0), 0)",
    "",
  ].join("\n");

function subtestProject(): TestRepo {
  const r = createRepo();
  r.write(".gitignore", "__pycache__/\n");
  r.write("shop/__init__.py", "");
  // limit(1) is wrong from the start: subtest i=1 was already failing.
  r.write("shop/lib.py", "def limit(i):\n    return 0 if i == 1 else i * 10\n");
  r.write("tests/__init__.py", "");
  r.write("tests/test_lib.py", tests("0, 10, 20, 30"));
  r.commit("limits, one of them wrong");
  return r;
}

const command = ["python3", "-m", "unittest", "-v", "tests.test_lib"];

test.skipIf(missing !== null)(
  "an old failing subtest and one your change breaks: the new subtest is the regression, exit 1",
  () => {
    repo = subtestProject();
    repo.write("shop/lib.py", "def limit(i):\n    return 0 if i in (1, 3) else i * 10\n");
    const { json, status } = attributeUntouched(repo, command, ["--no-cache"]);
    expect(json.verdict, JSON.stringify(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const rows = (json.tests as { id: string; verdict: string }[]).map((t) => [t.id, t.verdict]);
    expect(rows).toEqual([
      ["tests.test_lib.Limits.test_limits (i=3)", "regression"],
      ["tests.test_lib.Limits.test_limits (i=1)", "pre-existing"],
    ]);
  },
  120_000,
);

test.skipIf(missing !== null)(
  "only the old failing subtest: pre-existing, exit 0",
  () => {
    repo = subtestProject();
    repo.write(
      "shop/lib.py",
      "def limit(i):\n    # reworded\n    return 0 if i == 1 else i * 10\n",
    );
    const { json, status } = attributeUntouched(repo, command, ["--no-cache"]);
    expect(json.verdict, JSON.stringify(json.reason)).toBe("pre-existing");
    expect(status).toBe(0);
    const rows = (json.tests as { id: string; verdict: string }[]).map((t) => [t.id, t.verdict]);
    expect(rows).toEqual([["tests.test_lib.Limits.test_limits (i=1)", "pre-existing"]]);
  },
  120_000,
);

// bisect follows the subtest that broke (the test fails at the good end too, by its old subtest):
// at a commit where it passed it is absent, its test there, and it passed (it was skipped there
// as a test not at that commit, and the search could not start).
test.skipIf(missing !== null)(
  "bisect over six commits, an old failing subtest at the good end: the commit that broke another",
  async () => {
    repo = subtestProject();
    const shas = commitSeries(repo, 6, (i) => {
      if (i !== 4) return null;
      repo!.write("shop/lib.py", "def limit(i):\n    return 0 if i in (1, 3) else i * 10\n");
      return "limit(3) goes wrong";
    });
    const before = captureState(repo);
    const { result, doc } = await bisectDoc<{
      verdict: string;
      culprit: { sha: string } | null;
      tests: string[];
    }>(repo, shas[0]!, command);
    expect(doc.verdict, result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[4]);
    expect(doc.tests).toEqual(["tests.test_lib.Limits.test_limits (i=3)"]);
    expect(captureState(repo)).toEqual(before);
  },
  240_000,
);
