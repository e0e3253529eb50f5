import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";

/*
 * `--shell "PYTHONPATH=src python3 -m unittest ..."`, the everyday way to run a src-layout
 * package's tests (hukkin/tomli trial): culprit reads unittest from its log through `sh -c 'exec
 * "$@" 2>&1' sh ARGV`, and the variable came after that sh, where exec took it for the program:
 * every run exit 127, UNRUNNABLE, exit 2. Real python3, a suite with one old failure and one new.
 */

const missing = runnerMissing("unittest");
if (missing) console.log(`unittest --shell case skipped: ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.skipIf(missing !== null)(
  "--shell with a variable before python3 -m unittest: REGRESSION per test, exit 1, work untouched",
  () => {
    repo = createRepo();
    repo.write("src/price.py", "def total(p, q):\n    return p * q\n");
    repo.write("tests/__init__.py", "");
    repo.write(
      "tests/test_price.py",
      [
        "import unittest",
        "from price import total",
        "",
        "class Price(unittest.TestCase):",
        "    def test_total(self):",
        "        self.assertEqual(total(2, 3), 6)",
        "",
        "    def test_old(self):",
        "        self.assertEqual(0.1 + 0.2, 0.3)",
        "",
      ].join("\n"),
    );
    repo.write(".gitignore", "__pycache__/\n");
    repo.commit("price");
    repo.write("src/price.py", "def total(p, q):\n    return p + q\n");
    const { json, status } = attributeUntouched(
      repo,
      [],
      ["--no-cache", "--shell", "PYTHONPATH=src python3 -m unittest tests.test_price"],
    );
    expect(json.verdict, JSON.stringify(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const verdicts = Object.fromEntries(
      (json.tests as { name: string; verdict: string }[]).map((t) => [t.name, t.verdict]),
    );
    expect(verdicts).toMatchObject({
      "tests.test_price.Price.test_total": "regression",
      "tests.test_price.Price.test_old": "pre-existing",
    });
  },
  90_000,
);
