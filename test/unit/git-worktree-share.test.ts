import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, expect, test } from "vitest";
import type { Repo } from "../../src/git/repo.js";
import { type ShareMode, shareIgnored, type Worktree } from "../../src/git/worktree.js";

// shareIgnored on real folders and links, laid out as npm, pnpm, uv, cargo and a build make them
// (the worktree a plain folder: only its path is used here).

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function layout(files: Record<string, string>, links: Record<string, string>) {
  dir = realpathSync(mkdtempSync(join(tmpdir(), "culprit-share-")));
  const root = join(dir, "proj");
  const wt = join(dir, "wt");
  mkdirSync(root);
  mkdirSync(wt);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target.replaceAll("<root>", root), join(root, path));
  }
  const from = { root } as Repo;
  const to = { path: wt } as Worktree;
  return { root, wt, from, to };
}

const tag = "Signature: 8a477f597d28d172789f06886806bc55\n# created by cargo\n";
const link = (_: string): ShareMode => "link";

test("npm workspaces: a folder of links, packages and .bin led to the worktree", async () => {
  const { root, wt, from, to } = layout(
    {
      "packages/lib/index.js": "",
      "packages/tool/cli.js": "",
      "node_modules/left-pad/index.js": "",
      "node_modules/.package-lock.json": "{}",
    },
    {
      "node_modules/@mono/lib": "../../packages/lib",
      "node_modules/tool": "../packages/tool",
      "node_modules/.bin/tool": "../tool/cli.js",
      "node_modules/.bin/abs-tool": "<root>/node_modules/tool/cli.js",
      "node_modules/.bin/left-pad": "../left-pad/index.js",
    },
  );
  const shared = await shareIgnored(from, to, ["node_modules"], link);
  expect(shared).toEqual([
    { path: "node_modules", mode: "link", workspacePackages: ["@mono/lib", "tool"] },
  ]);
  const nm = join(wt, "node_modules");
  expect(lstatSync(nm).isDirectory()).toBe(true);
  expect(readlinkSync(join(nm, "@mono/lib"))).toBe(join(wt, "packages/lib"));
  expect(readlinkSync(join(nm, "tool"))).toBe(join(wt, "packages/tool"));
  expect(readlinkSync(join(nm, "left-pad"))).toBe(join(root, "node_modules/left-pad"));
  expect(readlinkSync(join(nm, ".package-lock.json"))).toBe(
    join(root, "node_modules/.package-lock.json"),
  );
  // Relative links again as they read; an absolute one into your tree moved.
  expect(readlinkSync(join(nm, ".bin/tool"))).toBe("../tool/cli.js");
  expect(readlinkSync(join(nm, ".bin/abs-tool"))).toBe(join(wt, "packages/tool/cli.js"));
  expect(readlinkSync(join(nm, ".bin/left-pad"))).toBe("../left-pad/index.js");
});

test("pnpm: links into the store are dependencies; only the workspace package moves", async () => {
  const { wt, from, to } = layout(
    {
      "packages/lib/index.js": "",
      "node_modules/.pnpm/bar@1.0.0/node_modules/bar/index.js": "",
    },
    {
      "packages/app/node_modules/bar": "../../../node_modules/.pnpm/bar@1.0.0/node_modules/bar",
      "packages/app/node_modules/@mono/lib": "../../../lib",
    },
  );
  const shared = await shareIgnored(from, to, ["packages/app/node_modules", "node_modules"], link);
  expect(shared).toEqual([
    { path: "packages/app/node_modules", mode: "link", workspacePackages: ["@mono/lib"] },
    { path: "node_modules", mode: "link" },
  ]);
  expect(readlinkSync(join(wt, "packages/app/node_modules/@mono/lib"))).toBe(
    join(wt, "packages/lib"),
  );
});

test("no workspace link: one link to your folder, as before", async () => {
  const { root, wt, from, to } = layout({ "node_modules/a/index.js": "" }, {});
  await shareIgnored(from, to, ["node_modules"], link);
  expect(readlinkSync(join(wt, "node_modules"))).toBe(join(root, "node_modules"));
});

test.each([
  ["cargo's target (CACHEDIR.TAG)", { "target/CACHEDIR.TAG": tag }, "target", true, "own"],
  ["Maven's target", { "target/maven-status/x": "" }, "target", true, "own"],
  [
    "a venv that uv tagged",
    { ".venv/pyvenv.cfg": "", ".venv/CACHEDIR.TAG": tag },
    ".venv",
    true,
    "link",
  ],
  [
    "direnv's environment",
    { ".direnv/python-3.12/pyvenv.cfg": "", ".direnv/CACHEDIR.TAG": tag },
    ".direnv",
    true,
    "link",
  ],
  ["dist in the baseline's worktree", { "dist/a.js": "" }, "dist", true, "own"],
  ["dist in your tree's worktree", { "dist/a.js": "" }, "dist", false, "link"],
  [
    "cargo's target in your tree's worktree too",
    { "target/CACHEDIR.TAG": tag },
    "target",
    false,
    "own",
  ],
  // Small files are copied (a link let the runs write yours): see the Cargo.lock test below.
  ["a file named dist", { dist: "" }, "dist", true, "copy"],
  ["a .env", { ".env": "A=1\n" }, ".env", true, "copy"],
])("%s", async (_name, files, path, other, mode) => {
  const { from, to } = layout(files, {});
  const shared = await shareIgnored(from, to, [path], link, other);
  expect(shared).toEqual([{ path, mode }]);
});

// pytest's cache folder holds only ignored files (its own .gitignore says "*"): git lists the
// folder, then its files. The folder is tagged as a cache, so the worktree makes its own; the
// files under it were linked all the same, .pytest_cache/v among them, and the worktree's runs
// wrote your pytest cache (`--lf`) through the link (itsdangerous trial).
test("nothing under a folder the worktree makes its own is linked", async () => {
  const pytestTag = "Signature: 8a477f597d28d172789f06886806bc55\n# created by pytest\n";
  const { wt, from, to } = layout(
    {
      ".pytest_cache/CACHEDIR.TAG": pytestTag,
      ".pytest_cache/.gitignore": "*\n",
      ".pytest_cache/v/cache/lastfailed": "{}",
      ".venv/pyvenv.cfg": "home = /usr/bin\n",
    },
    {},
  );
  const shared = await shareIgnored(
    from,
    to,
    [".pytest_cache", ".pytest_cache/.gitignore", ".pytest_cache/v", ".venv"],
    link,
  );
  expect(shared).toEqual([
    { path: ".pytest_cache", mode: "own" },
    { path: ".venv", mode: "link" },
  ]);
  expect(() => lstatSync(join(wt, ".pytest_cache"))).toThrow();
  expect(lstatSync(join(wt, ".venv")).isSymbolicLink()).toBe(true);
});

// An ignored file the runs rewrite (a library's Cargo.lock: cargo writes it on every build): a
// link let the worktree's cargo write yours, the baseline's version left in your tree (itoa
// trial). Small files are copied; a large one stays linked, as folders do.
test("a small ignored file is copied, a large one and folders are linked", async () => {
  const { root, wt, from, to } = layout(
    {
      "Cargo.lock": "version = 3\n",
      "data/big.bin": "x".repeat((1 << 20) + 1),
      "node_modules/left-pad/index.js": "",
    },
    {},
  );
  const shared = await shareIgnored(from, to, ["Cargo.lock", "data/big.bin", "node_modules"], link);
  expect(shared).toEqual([
    { path: "Cargo.lock", mode: "copy" },
    { path: "data/big.bin", mode: "link" },
    { path: "node_modules", mode: "link" },
  ]);
  expect(lstatSync(join(wt, "Cargo.lock")).isSymbolicLink()).toBe(false);
  writeFileSync(join(wt, "Cargo.lock"), "version = 4\n");
  expect(readFileSync(join(root, "Cargo.lock"), "utf8")).toBe("version = 3\n");
  expect(lstatSync(join(wt, "data/big.bin")).isSymbolicLink()).toBe(true);
});
