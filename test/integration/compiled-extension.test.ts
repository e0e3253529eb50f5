import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";
import { runUntouched } from "../repos/worktree-runs.js";

/*
 * A Python extension module compiled in place from your C sources (`setup.py build_ext
 * --inplace`): an ignored `fast.cpython-311-x86_64-linux-gnu.so` beside `fast.c`. It is a build
 * output as dist/ is: in place the baseline keeps your build (the report must say so), and a
 * baseline's worktree must not get it (it ran your C changes on both sides: a regression in
 * them read PRE-EXISTING, with nothing said; pallets/markupsafe trial). Built for real with the
 * machine's C compiler and Python's headers; skipped with the reason when either is missing.
 */

const python = "python3";
const config = spawnSync(
  python,
  [
    "-c",
    "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX')); print(sysconfig.get_paths()['include'])",
  ],
  { encoding: "utf8" },
);
const [suffix, include] = config.status === 0 ? config.stdout.trim().split("\n") : [];
const gcc = spawnSync("gcc", ["--version"], { stdio: "ignore" }).status === 0;
const skip =
  suffix === undefined || include === undefined
    ? `${python} cannot say its extension suffix`
    : !existsSync(join(include, "Python.h"))
      ? `no Python.h in ${include} (python3-dev)`
      : !gcc
        ? "gcc is not installed"
        : runnerMissing("pytest");
if (skip) console.log(`compiled-extension.test.ts: skipped, ${skip}`);

const source = (factor: number) => `#include <Python.h>
static PyObject *scale(PyObject *self, PyObject *args) {
  long x;
  if (!PyArg_ParseTuple(args, "l", &x)) return NULL;
  return PyLong_FromLong(x * ${factor});
}
static PyMethodDef methods[] = {{"scale", scale, METH_VARARGS, ""}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fast", "", -1, methods};
PyMODINIT_FUNC PyInit_fast(void) { return PyModule_Create(&module); }
`;

const check = "import fast\n\n\ndef test_scale():\n    assert fast.scale(2) == 4\n";
const command = [python, "-m", "pytest", "-q", "test_fast.py"];

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

/** HEAD's fast.c doubles; your change triples, and you rebuilt the module in place. */
function extensionRepo(): { repo: TestRepo; module: string } {
  const r = createRepo();
  const module = `fast${suffix}`;
  r.write(".gitignore", "*.so\n__pycache__/\n.pytest_cache/\n.benchmarks/\n");
  r.write("fast.c", source(2));
  r.write("test_fast.py", check);
  r.commit("a C extension");
  r.write("fast.c", source(3));
  const built = spawnSync("gcc", ["-shared", "-fPIC", `-I${include}`, "fast.c", "-o", module], {
    cwd: r.dir,
    encoding: "utf8",
  });
  expect(built.status, built.stderr).toBe(0);
  // Your build of your change fails the check; HEAD's source would pass it.
  expect(spawnSync(command[0]!, command.slice(1), { cwd: r.dir, env: r.env }).status).toBe(1);
  return { repo: r, module };
}

test.skipIf(skip !== null)(
  "in place: the module is your build, not rebuilt at the baseline, and the report says so",
  () => {
    const made = extensionRepo();
    repo = made.repo;
    const before = readFileSync(join(repo.dir, made.module));
    const { json } = attributeUntouched(repo, command);
    // The command does not build: the baseline ran your module (culprit cannot know better)...
    expect(json["verdict"]).toBe("pre-existing");
    // ...and says why that verdict may be wrong, naming the module.
    expect(json["buildsNotRebuilt"]).toEqual([made.module]);
    expect(readFileSync(join(repo.dir, made.module)).equals(before)).toBe(true);
  },
  300_000,
);

test.skipIf(skip !== null)(
  "--worktree: the baseline's worktree does not get your module, and the report says to build in the command",
  () => {
    const made = extensionRepo();
    repo = made.repo;
    // Your tree is never written: byte-identical, the module included.
    const json = JSON.parse(
      runUntouched(repo, ["--worktree", "--json", "--no-cache", "--", ...command]).stdout,
    );
    // Without your module the baseline's test cannot import `fast` (a collection error): not your
    // C tested on both sides.
    expect(json["verdict"]).toBe("unrunnable");
    const human = runUntouched(repo, ["--worktree", "--no-cache", "--", ...command]);
    expect(human.stdout).toContain(
      `note: ${made.module} is not in the baseline's worktrees (a build output of your tree, not of the baseline's): build in the command`,
    );
    // Built in the command, each worktree builds its own: your change is the regression.
    const build = `gcc -shared -fPIC -I${include} fast.c -o ${made.module} && ${command.join(" ")}`;
    const rebuilt = runUntouched(repo, ["--worktree", "--json", "--no-cache", "--shell", build]);
    expect(JSON.parse(rebuilt.stdout)["verdict"]).toBe("regression");
  },
  300_000,
);
