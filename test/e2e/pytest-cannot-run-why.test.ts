import { afterEach, expect, test } from "vitest";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";

/*
 * A pytest run that cannot run exits 2 (a collection error), and the report said only "pytest:
 * exit 2": why was in the log alone (hukkin/tomli trial: a src layout without PYTHONPATH). The
 * reason now carries pytest's own line. Real pytest.
 */

const missing = runnerMissing("pytest");
if (missing) console.log(`pytest cannot-run case skipped: ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.skipIf(missing !== null)(
  "your change stops collection: REGRESSION, and the reason names the import that failed",
  () => {
    repo = createRepo();
    repo.write("test_price.py", "def test_total():\n    assert 2 * 3 == 6\n");
    repo.write(".gitignore", "__pycache__/\n.pytest_cache/\n");
    repo.commit("price");
    repo.write(
      "test_price.py",
      "import pricing_helpers\n\ndef test_total():\n    assert 2 * 3 == 6\n",
    );
    const before = captureState(repo);
    // No cache folder, no bytecode: captureState reads ignored files too.
    const r = runCulprit(
      repo,
      [
        "--no-cache",
        "--",
        "python3",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "test_price.py",
      ],
      { PYTHONDONTWRITEBYTECODE: "1" },
    );
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/REGRESSION/);
    expect(r.stdout).toMatch(
      /on your tree it could not run: pytest: exit 2: ModuleNotFoundError: No module named 'pricing_helpers'$/m,
    );
    expect(captureState(repo)).toEqual(before);
  },
  90_000,
);
