import { spawnSync } from "node:child_process";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * `coverage run --include=... -m unittest` (more-itertools' Makefile target): judged by its exit
 * code, an old failure beside a new one read PRE-EXISTING, exit 0. The module after `-m` is the
 * runner, as for `python -m`: judged per test. The real coverage.py, where a Python on the
 * machine has it (Debian's python3-coverage); skipped with the reason otherwise.
 */

const python = ["python3", "/usr/bin/python3"].find(
  (p) => spawnSync(p, ["-m", "coverage", "--version"], { encoding: "utf8" }).status === 0,
);
if (!python) console.log("coverage-run: skipped: no python3 on the machine has coverage.py");

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.skipIf(python === undefined)(
  "coverage run -m unittest: one old failure and one new one, judged per test",
  () => {
    repo = createRepo();
    repo.write("lib.py", "def total(a, b):\n    return a + b\n");
    repo.write(
      "test_lib.py",
      [
        "import unittest",
        "from lib import total",
        "",
        "class LibTests(unittest.TestCase):",
        "    def test_old(self):",
        "        self.assertEqual(1, 2)",
        "",
        "    def test_total(self):",
        "        self.assertEqual(total(2, 2), 4)",
        "",
      ].join("\n"),
    );
    repo.write(".gitignore", ".coverage\n__pycache__/\n");
    repo.commit("tests, one already failing");
    repo.write("lib.py", "def total(a, b):\n    return a * b + 1\n");
    const { json, status } = attributeUntouched(
      repo,
      [python!, "-m", "coverage", "run", "--include=lib.py", "-m", "unittest", "test_lib"],
      ["--no-cache"],
      { PYTHONDONTWRITEBYTECODE: "1" },
      [".coverage"],
    );
    expect(json.verdict, String(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const tests = json["tests"] as { id: string; verdict: string }[];
    expect(Object.fromEntries(tests.map((t) => [t.id.split(".").pop(), t.verdict]))).toEqual({
      test_old: "pre-existing",
      test_total: "regression",
    });
  },
  120_000,
);
