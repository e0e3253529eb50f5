import { describe, expect, it } from "vitest";
import { parseUnittestOutput } from "../../src/run/reports/parse-unittest-output.js";
import type { ParsedTests, TestCaseResult } from "../../src/run/reports/types.js";

// `python3 -m unittest -v` as Python 3.11.7 printed it here, stderr and stdout in one stream
// (the run culprit makes: `sh -c 'exec "$@" 2>&1'`); the files exist for the module lookup.
const root = "/repo";
const files = new Set(["/repo/pkg/test_a.py", "/repo/pkg/test_broken.py"]);
const context = { cwd: root, root, exists: (path: string) => files.has(path) };
const rule = "=".repeat(70);
const dashes = "-".repeat(70);

const real311 = `test_doc (pkg.test_a.TestA.test_doc)
First doc line. ... FAIL
test_err (pkg.test_a.TestA.test_err) ... ERROR
test_fail (pkg.test_a.TestA.test_fail) ... FAIL
test_ok (pkg.test_a.TestA.test_ok) ... hello from test
ok
test_skip (pkg.test_a.TestA.test_skip) ... skipped 'not now'
test_sub (pkg.test_a.TestA.test_sub) ... 
  test_sub (pkg.test_a.TestA.test_sub) (i=1) ... FAIL
test_xfail (pkg.test_a.TestA.test_xfail) ... expected failure
test_xpass (pkg.test_a.TestA.test_xpass) ... unexpected success
ERROR
setUpClass (pkg.test_a.TestSetup) ... ERROR
pkg.test_broken (unittest.loader._FailedTest.pkg.test_broken) ... ERROR

${rule}
ERROR: test_err (pkg.test_a.TestA.test_err)
${dashes}
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 8, in test_err
    raise ValueError("boom\\nsecond line")
ValueError: boom
second line

${rule}
ERROR: setUpClass (pkg.test_a.TestSetup)
${dashes}
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 30, in setUpClass
    raise RuntimeError("setup broke")
RuntimeError: setup broke

${rule}
ERROR: pkg.test_broken (unittest.loader._FailedTest.pkg.test_broken)
${dashes}
ImportError: Failed to import test module: pkg.test_broken
Traceback (most recent call last):
  File "/usr/lib/python3.11/unittest/loader.py", line 419, in _find_test_path
    module = self._get_module_from_name(name)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/repo/pkg/test_broken.py", line 1, in <module>
    import nonexistent_module_xyz
ModuleNotFoundError: No module named 'nonexistent_module_xyz'


${rule}
FAIL: test_doc (pkg.test_a.TestA.test_doc)
First doc line.
${dashes}
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 26, in test_doc
    self.assertTrue(False, "doc failed")
AssertionError: False is not true : doc failed

${rule}
FAIL: test_fail (pkg.test_a.TestA.test_fail)
${dashes}
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 6, in test_fail
    self.assertEqual(1, 2)
AssertionError: 1 != 2

${rule}
FAIL: test_sub (pkg.test_a.TestA.test_sub) (i=1)
${dashes}
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 21, in test_sub
    self.assertNotEqual(i, 1)
AssertionError: 1 == 1

${rule}
UNEXPECTED SUCCESS: test_xpass (pkg.test_a.TestA.test_xpass)
${dashes}
Ran 9 tests in 0.002s

FAILED (failures=3, errors=3, skipped=1, expected failures=1, unexpected successes=1)
`;

function tests(parsed: ParsedTests): TestCaseResult[] {
  if (!parsed.ok) throw new Error(parsed.why);
  return parsed.tests;
}

const summary = (parsed: ParsedTests) =>
  tests(parsed).map((t) => [t.id, t.status, t.file, t.line, t.message, t.kind ?? null]);

describe("python -m unittest -v output", () => {
  it("where in its file each failure happened: the traceback's last frame there", () => {
    const at = tests(parseUnittestOutput(real311, context))
      .filter((t) => t.failedAt !== undefined)
      .map((t) => [t.id, t.failedAt!.line]);
    expect(at).toEqual([
      ["pkg.test_a.TestA.test_doc", 26],
      ["pkg.test_a.TestA.test_err", 8],
      ["pkg.test_a.TestA.test_fail", 6],
      ["pkg.test_a.TestA.test_sub (i=1)", 21],
      ["pkg.test_a.TestSetup (setUpClass)", 30],
    ]);
  });

  it("every test with its outcome; failures, errors, subtests and fixtures from their sections", () => {
    expect(summary(parseUnittestOutput(real311, context))).toEqual([
      [
        "pkg.test_a.TestA.test_doc",
        "fail",
        "pkg/test_a.py",
        26,
        "AssertionError: False is not true : doc failed",
        null,
      ],
      [
        "pkg.test_a.TestA.test_err",
        "fail",
        "pkg/test_a.py",
        8,
        "ValueError: boom\nsecond line",
        null,
      ],
      ["pkg.test_a.TestA.test_fail", "fail", "pkg/test_a.py", 6, "AssertionError: 1 != 2", null],
      // What the test printed stands between its line and its outcome.
      ["pkg.test_a.TestA.test_ok", "pass", "pkg/test_a.py", null, null, null],
      ["pkg.test_a.TestA.test_skip", "skip", "pkg/test_a.py", null, null, null],
      // A failing subtest is a test of its own; its test failed only through it.
      ["pkg.test_a.TestA.test_sub", "pass", "pkg/test_a.py", null, null, null],
      [
        "pkg.test_a.TestA.test_sub (i=1)",
        "fail",
        "pkg/test_a.py",
        21,
        "AssertionError: 1 == 1",
        null,
      ],
      ["pkg.test_a.TestA.test_xfail", "pass", "pkg/test_a.py", null, null, null],
      ["pkg.test_a.TestA.test_xpass", "fail", "pkg/test_a.py", null, "unexpected success", null],
      [
        "pkg.test_a.TestSetup (setUpClass)",
        "fail",
        "pkg/test_a.py",
        30,
        "RuntimeError: setup broke",
        "suite",
      ],
      [
        "pkg.test_broken",
        "fail",
        "pkg/test_broken.py",
        null,
        "ModuleNotFoundError: No module named 'nonexistent_module_xyz'",
        "file",
      ],
    ]);
  });

  it("Python before 3.11 names the class only: the ids are the same", () => {
    const old = `test_adds (tests.test_lib.TestLib) ... ok
test_money (tests.test_lib.TestLib) ... FAIL

${rule}
FAIL: test_money (tests.test_lib.TestLib)
${dashes}
Traceback (most recent call last):
  File "/repo/tests/test_lib.py", line 9, in test_money
    self.assertEqual(money(5), "0.05")
AssertionError: '0.5' != '0.05'

${dashes}
Ran 2 tests in 0.001s

FAILED (failures=1)
`;
    expect(summary(parseUnittestOutput(old, context))).toEqual([
      ["tests.test_lib.TestLib.test_adds", "pass", null, null, null, null],
      [
        "tests.test_lib.TestLib.test_money",
        "fail",
        "tests/test_lib.py",
        9,
        "AssertionError: '0.5' != '0.05'",
        null,
      ],
    ]);
  });

  it("Python 3.10: a test whose subtests failed ends with nothing, the next test on its line", () => {
    // As python 3.10.13 printed it here (the sections trimmed to the subtest's).
    const text = `test_skip (pkg.test_a.TestA) ... skipped 'not now'
test_sub (pkg.test_a.TestA) ... test_xfail (pkg.test_a.TestA) ... expected failure
test_xpass (pkg.test_a.TestA) ... unexpected success

${rule}
FAIL: test_sub (pkg.test_a.TestA) (i=1)
${dashes}
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 21, in test_sub
    self.assertNotEqual(i, 1)
AssertionError: 1 == 1

${rule}
UNEXPECTED SUCCESS: test_xpass (pkg.test_a.TestA)
${dashes}
Ran 4 tests in 0.001s

FAILED (failures=1, skipped=1, expected failures=1, unexpected successes=1)
`;
    expect(summary(parseUnittestOutput(text, context))).toEqual([
      ["pkg.test_a.TestA.test_skip", "skip", "pkg/test_a.py", null, null, null],
      ["pkg.test_a.TestA.test_sub", "pass", "pkg/test_a.py", null, null, null],
      ["pkg.test_a.TestA.test_xfail", "pass", "pkg/test_a.py", null, null, null],
      ["pkg.test_a.TestA.test_xpass", "fail", "pkg/test_a.py", null, "unexpected success", null],
      // Its section alone names the subtest (its line printed nothing).
      [
        "pkg.test_a.TestA.test_sub (i=1)",
        "fail",
        "pkg/test_a.py",
        21,
        "AssertionError: 1 == 1",
        null,
      ],
    ]);
  });

  it("Python 3.13's marks under the failing expression are not the message", () => {
    const text = `test_add (m.T.test_add) ... FAIL

${rule}
FAIL: test_add (m.T.test_add)
${dashes}
Traceback (most recent call last):
  File "/repo/m.py", line 5, in test_add
    self.assertEqual(add(2, 2), 4)
    ~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^
AssertionError: 5 != 4

${dashes}
Ran 1 test in 0.001s

FAILED (failures=1)
`;
    expect(summary(parseUnittestOutput(text, context))).toEqual([
      ["m.T.test_add", "fail", "m.py", 5, "AssertionError: 5 != 4", null],
    ]);
  });

  it("subtests with a message (subTest(msg=...): `[msg]`, with or without parameters) have their sections", () => {
    // As Python 3.11.7 printed it here.
    const text = `test_both (pkg.test_a.T.test_both) ... 
  test_both (pkg.test_a.T.test_both) [named] (i=3) ... ERROR
test_kw (pkg.test_a.T.test_kw) ... 
  test_kw (pkg.test_a.T.test_kw) (i=1) ... FAIL
test_sub (pkg.test_a.T.test_sub) ... 
  test_sub (pkg.test_a.T.test_sub) [case0] ... FAIL
  test_sub (pkg.test_a.T.test_sub) [case1] ... FAIL

======================================================================
ERROR: test_both (pkg.test_a.T.test_both) [named] (i=3)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 9, in test_both
    raise ValueError("boom")
ValueError: boom

======================================================================
FAIL: test_kw (pkg.test_a.T.test_kw) (i=1)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 12, in test_kw
    self.assertEqual(1, 2)
AssertionError: 1 != 2

======================================================================
FAIL: test_sub (pkg.test_a.T.test_sub) [case0]
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 6, in test_sub
    self.assertEqual(i, 5)
AssertionError: 0 != 5

======================================================================
FAIL: test_sub (pkg.test_a.T.test_sub) [case1]
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/repo/pkg/test_a.py", line 6, in test_sub
    self.assertEqual(i, 5)
AssertionError: 1 != 5

----------------------------------------------------------------------
Ran 3 tests in 0.002s

FAILED (failures=3, errors=1)
`;
    expect(summary(parseUnittestOutput(text, context))).toEqual([
      ["pkg.test_a.T.test_both", "pass", "pkg/test_a.py", null, null, null],
      [
        "pkg.test_a.T.test_both [named] (i=3)",
        "fail",
        "pkg/test_a.py",
        9,
        "ValueError: boom",
        null,
      ],
      ["pkg.test_a.T.test_kw", "pass", "pkg/test_a.py", null, null, null],
      ["pkg.test_a.T.test_kw (i=1)", "fail", "pkg/test_a.py", 12, "AssertionError: 1 != 2", null],
      // Each failing subtest with its own section.
      ["pkg.test_a.T.test_sub", "pass", "pkg/test_a.py", null, null, null],
      ["pkg.test_a.T.test_sub [case0]", "fail", "pkg/test_a.py", 6, "AssertionError: 0 != 5", null],
      ["pkg.test_a.T.test_sub [case1]", "fail", "pkg/test_a.py", 6, "AssertionError: 1 != 5", null],
    ]);
  });

  it("a subtest that passes leaves its test passing", () => {
    const text = `test_sub (m.T.test_sub) ... ok\n\n${dashes}\nRan 1 test in 0.000s\n\nOK\n`;
    expect(summary(parseUnittestOutput(text, context))).toEqual([
      ["m.T.test_sub", "pass", null, null, null, null],
    ]);
  });

  it("a run cut short (no 'Ran N tests') has no report", () => {
    const parsed = parseUnittestOutput(
      "test_adds (m.T.test_adds) ... ok\ntest_slow (m.T.test_slow) ... ",
      context,
    );
    expect(parsed).toEqual({ ok: false, why: expect.stringContaining("before unittest finished") });
  });
});

describe("doctests run by unittest (doctest.DocTestSuite in load_tests)", () => {
  // `python3 -m unittest -v test_m` as Python 3.11.7 printed it here (paths shortened): a wrong
  // value, an exception where a value was expected, and another exception than the one expected.
  // doctest's report has dashes of its own inside each section, and its message a frame-like
  // line: the message read "failed" (more-itertools trial).
  const output = `f (m)
Doctest: m.f ... FAIL
g (m)
Doctest: m.g ... FAIL

======================================================================
FAIL: f (m)
Doctest: m.f
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/py/lib/python3.11/doctest.py", line 2241, in runTest
    raise self.failureException(self.format_failure(new.getvalue()))
AssertionError: Failed doctest test for m.f
  File "/repo/m.py", line 1, in f

----------------------------------------------------------------------
File "/repo/m.py", line 3, in m.f
Failed example:
    f(1)
Expected:
    3
Got:
    2
----------------------------------------------------------------------
File "/repo/m.py", line 5, in m.f
Failed example:
    g()
Exception raised:
    Traceback (most recent call last):
      File "/py/lib/python3.11/doctest.py", line 1353, in __run
        exec(compile(example.source, filename, "single",
      File "<doctest m.f[1]>", line 1, in <module>
        g()
      File "/repo/m.py", line 17, in g
        raise KeyError(1)
    KeyError: 1


======================================================================
FAIL: g (m)
Doctest: m.g
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/py/lib/python3.11/doctest.py", line 2241, in runTest
    raise self.failureException(self.format_failure(new.getvalue()))
AssertionError: Failed doctest test for m.g
  File "/repo/m.py", line 11, in g

----------------------------------------------------------------------
File "/repo/m.py", line 13, in m.g
Failed example:
    g()
Expected:
    Traceback (most recent call last):
    ValueError: x
Got:
    Traceback (most recent call last):
      File "/py/lib/python3.11/doctest.py", line 1353, in __run
        exec(compile(example.source, filename, "single",
      File "<doctest m.g[0]>", line 1, in <module>
        g()
      File "/repo/m.py", line 17, in g
        raise KeyError(1)
    KeyError: 1


----------------------------------------------------------------------
Ran 2 tests in 0.008s

FAILED (failures=2)
`;
  const doctestContext = { cwd: root, root, exists: (path: string) => path === "/repo/m.py" };

  it("the example, what was expected and what came", () => {
    const parsed = parseUnittestOutput(output, doctestContext);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.tests.map((t) => [t.id, t.status, t.message?.split("\n").slice(0, 3)])).toEqual([
      ["m.f", "fail", ["Failed example: f(1)", "Expected: 3", "Got: 2"]],
      ["m.g", "fail", ["Failed example: g()", "Expected:", "Traceback (most recent call last):"]],
    ]);
  });
});
