import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { createRepo, parseJsonOutput, type TestRepo } from "../repos/harness.js";
import { runUntouched, runUntouchedAsync } from "../repos/worktree-runs.js";

// A Python project installed in editable mode into its ignored virtual environment (`pip install
// -e .`, `poetry install`, `setup.py develop`): the environment's .pth file names your src/ by its
// absolute path. The worktrees get a link to your .venv, so their runs imported your package,
// uncommitted changes included: --worktree read a regression in it as PRE-EXISTING (exit 0), and
// bisect found the good end failing. Fixed in src/git/worktree-env.ts: runs in a worktree get
// PYTHONPATH led by the worktree's copy of those folders.

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

/** Whether this machine can make an editable install offline (venv, setuptools, pytest). */
function probe(): string | null {
  const dir = mkdtempSync(join(tmpdir(), "culprit-editable-probe-"));
  try {
    const venv = spawnSync("python3", [
      "-m",
      "venv",
      "--without-pip",
      "--system-site-packages",
      join(dir, "v"),
    ]);
    if (venv.status !== 0) return "python3 -m venv is not available";
    const python = join(dir, "v", "bin", "python");
    const tools = spawnSync(python, ["-c", "import setuptools, pytest"]);
    if (tools.status !== 0) return "setuptools or pytest is not importable by python3";
    writeFileSync(
      join(dir, "setup.py"),
      "from setuptools import setup\nsetup(name='p', py_modules=[])\n",
    );
    const develop = spawnSync(python, ["setup.py", "-q", "develop"], { cwd: dir });
    if (develop.status !== 0) return "setup.py develop fails here";
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skipWhy = probe();
if (skipWhy) console.log(`worktree-editable-install: skipped, ${skipWhy}`);

const good = "def add(a, b):\n    return a + b\n\n\ndef label(n):\n    return '#%d' % n\n";
const broken = "def add(a, b):\n    return a + b + 1\n\n\ndef label(n):\n    return '#%d' % n\n";

/** src/calc installed in editable mode into .venv; one test breaks with add, one is old. */
function editableRepo(): TestRepo {
  const r = createRepo();
  r.write(".gitignore", ".venv/\n*.egg-info/\n__pycache__/\n.pytest_cache/\n");
  r.write(
    "setup.py",
    'from setuptools import setup, find_packages\nsetup(name="calc", version="1.0", package_dir={"": "src"}, packages=find_packages("src"))\n',
  );
  r.write("src/calc/__init__.py", good);
  r.write(
    "tests/check.py",
    "from calc import add\n\nraise SystemExit(0 if add(2, 2) == 4 else 1)\n",
  );
  r.write(
    "tests/test_calc.py",
    "from calc import add, label\n\n\ndef test_add():\n    assert add(2, 2) == 4\n\n\n" +
      "def test_label():\n    assert label(7) == '7'\n",
  );
  const venv = spawnSync(
    "python3",
    ["-m", "venv", "--without-pip", "--system-site-packages", ".venv"],
    {
      cwd: r.dir,
      env: r.env,
    },
  );
  if (venv.status !== 0) throw new Error("python3 -m venv failed");
  // Tagged as uv and virtualenv (since 20.28) tag theirs: still the environment runs need, shared.
  r.write(
    ".venv/CACHEDIR.TAG",
    "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by uv.\n",
  );
  const develop = spawnSync(".venv/bin/python", ["setup.py", "-q", "develop"], {
    cwd: r.dir,
    env: r.env,
    encoding: "utf8",
  });
  if (develop.status !== 0) throw new Error(`setup.py develop: ${develop.stderr}`);
  r.commit("calc");
  return r;
}

const pytest = [".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/"];

test.skipIf(skipWhy !== null)(
  "--worktree: a regression in the package the venv has in editable mode",
  () => {
    repo = editableRepo();
    repo.write("src/calc/__init__.py", broken);
    const result = runUntouched(repo, ["--worktree", "--json", "--", ...pytest]);
    const json = parseJsonOutput(result);
    expect(json.verdict, result.stderr).toBe("regression");
    expect(result.status).toBe(1);
    const tests = (json["tests"] as { name: string; verdict: string }[])
      .map((t) => `${t.name}: ${t.verdict}`)
      .sort();
    expect(tests).toEqual([
      "tests/test_calc.py::test_add: regression",
      "tests/test_calc.py::test_label: pre-existing",
    ]);
    expect((json["worktrees"] as { env: string[] }).env).toEqual(["PYTHONPATH"]);
  },
  120_000,
);

test.skipIf(skipWhy !== null)(
  "bisect: the commit that broke the editable package, from a dirty tree",
  async () => {
    repo = editableRepo();
    const shas = [repo.git("rev-parse", "HEAD").trim()];
    for (let i = 1; i <= 5; i++) {
      repo.write(`notes/${i}.txt`, `note ${i}\n`);
      if (i === 3) repo.write("src/calc/__init__.py", broken);
      repo.commit(`commit ${i}`);
      shas.push(repo.git("rev-parse", "HEAD").trim());
    }
    repo.write("src/calc/__init__.py", `# looking into it\n${broken}`);
    const result = await runUntouchedAsync(repo, [
      "bisect",
      "--json",
      "--good",
      shas[0]!,
      "--",
      ".venv/bin/python",
      "tests/check.py",
    ]);
    const doc = JSON.parse(result.stdout) as {
      verdict: string;
      culprit: { sha: string } | null;
      worktrees: { env: string[] };
    };
    expect(doc.verdict, result.stderr).toBe("culprit");
    expect(doc.culprit!.sha).toBe(shas[3]);
    expect(doc.worktrees.env).toEqual(["PYTHONPATH"]);
  },
  180_000,
);
