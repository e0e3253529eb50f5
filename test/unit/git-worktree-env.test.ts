import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { editableFolders, worktreeEnv } from "../../src/git/worktree-env.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A tree at <tmp>/proj with an ignored virtual environment .venv (site-packages made). */
function project(): { root: string; site: string } {
  dir = mkdtempSync(join(tmpdir(), "culprit-wtenv-"));
  const root = join(dir, "proj");
  const site = join(root, ".venv", "lib", "python3.12", "site-packages");
  mkdirSync(site, { recursive: true });
  writeFileSync(join(root, ".venv", "pyvenv.cfg"), "home = /usr/bin\n");
  return { root, site };
}

// The files as the tools write them: setuptools' `setup.py develop` (easy-install.pth), a
// PEP 660 editable wheel in its static .pth form (src layout) and in its finder form (flat
// layout, setuptools' template: `MAPPING: dict[str, str] = {...}`), and a .pth that imports.
test("editableFolders: the absolute folders .pth files and setuptools finders add", () => {
  const { site } = project();
  writeFileSync(join(site, "easy-install.pth"), "/home/you/proj/src\n");
  writeFileSync(join(site, "__editable__.calc-1.0.pth"), "/home/you/other/src\r\n");
  writeFileSync(
    join(site, "distutils-precedence.pth"),
    "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'\n",
  );
  writeFileSync(join(site, "relative.pth"), "../elsewhere\n# a comment\n\n");
  writeFileSync(
    join(site, "__editable___flat_1_0_finder.py"),
    "import sys\nfrom importlib.machinery import ModuleSpec, PathFinder\n\n" +
      "MAPPING: dict[str, str] = {'flat': '/home/you/flat/flat', 'flat_cli': \"/home/you/flat/flat_cli\"}\n" +
      "NAMESPACES: dict[str, list[str]] = {}\n",
  );
  expect(editableFolders(site).sort()).toEqual([
    "/home/you/flat",
    "/home/you/flat",
    "/home/you/other/src",
    "/home/you/proj/src",
  ]);
  expect(editableFolders(join(site, "missing"))).toEqual([]);
});

test("worktreeEnv: editable folders in your tree first on PYTHONPATH, moved to the worktree", () => {
  const { root, site } = project();
  writeFileSync(join(site, "easy-install.pth"), `${join(root, "src")}\n/opt/shared/lib\n`);
  const env = worktreeEnv(root, "/wt", [".venv"], { PYTHONPATH: "/opt/x:vendored" });
  expect(env).toEqual({ PYTHONPATH: "/wt/src:/opt/x:vendored" });
});

test.each([
  ["nothing into your tree: nothing set", { PATH: "/usr/bin:/bin" }, {}],
  [
    "PATH entries into your tree moved (direnv's PATH_add bin), others kept in order",
    { PATH: "/usr/bin:<root>/bin:<root>/node_modules/.bin" },
    { PATH: "/usr/bin:/wt/bin:/wt/node_modules/.bin" },
  ],
  ["NODE_PATH", { NODE_PATH: "<root>/lib" }, { NODE_PATH: "/wt/lib" }],
  ["PYTHONPATH=$PWD/src", { PYTHONPATH: "<root>/src" }, { PYTHONPATH: "/wt/src" }],
  ["a sibling folder is not inside", { PATH: "<root>-old/bin" }, {}],
  ["relative entries follow the run's folder already", { PYTHONPATH: "src" }, {}],
  [
    "CARGO_TARGET_DIR outside your tree: the worktree's own target",
    { CARGO_TARGET_DIR: "/var/cache/cargo-target" },
    { CARGO_TARGET_DIR: "/wt/target" },
  ],
  [
    "a folder of your tree named ..x is inside it",
    { PATH: "<root>/..x/bin" },
    { PATH: "/wt/..x/bin" },
  ],
  ["a relative CARGO_TARGET_DIR already leads into the worktree", { CARGO_TARGET_DIR: "tgt" }, {}],
  [
    "VIRTUAL_ENV in your tree: moved",
    { VIRTUAL_ENV: "<root>/.venv" },
    { VIRTUAL_ENV: "/wt/.venv" },
  ],
  [
    "CARGO_TARGET_DIR inside your tree: moved",
    { CARGO_TARGET_DIR: "<root>/build/cargo" },
    { CARGO_TARGET_DIR: "/wt/build/cargo" },
  ],
])("worktreeEnv: %s", (_name, given, expected) => {
  const { root } = project();
  const env = Object.fromEntries(
    Object.entries(given).map(([k, v]) => [k, v.replaceAll("<root>", root)]),
  );
  expect(worktreeEnv(root, "/wt", [], env)).toEqual(expected);
});

test("worktreeEnv: the active virtual environment (VIRTUAL_ENV) outside the tree is read too", () => {
  const { root } = project();
  const venv = join(dir!, "venvs", "proj");
  const site = join(venv, "lib", "python3.11", "site-packages");
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, "proj.pth"), `${root}\n`);
  expect(worktreeEnv(root, "/wt", [], { VIRTUAL_ENV: venv })).toEqual({ PYTHONPATH: "/wt" });
});

test("worktreeEnv: a PATH entry spelled through a link to your tree ($PWD's spelling) is moved", () => {
  const { root } = project();
  mkdirSync(join(root, "bin"));
  symlinkSync(root, join(dir!, "alias"));
  expect(worktreeEnv(root, "/wt", [], { PATH: `${join(dir!, "alias", "bin")}:/usr/bin` })).toEqual({
    PATH: "/wt/bin:/usr/bin",
  });
});
