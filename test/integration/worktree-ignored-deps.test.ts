import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { createRepo, parseJsonOutput, type TestRepo } from "../repos/harness.js";
import { runUntouched } from "../repos/worktree-runs.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

type Shared = { path: string; mode: string }[];

/** Runs culprit --worktree and checks the tree, the worktrees and the ignored folders after. */
function attributeInWorktrees(r: TestRepo, command: string[], extra: string[] = []) {
  const result = runUntouched(r, ["--worktree", "--json", ...extra, "--", ...command]);
  const json = parseJsonOutput(result);
  return { json, status: result.status, shared: (json["worktrees"] as { shared: Shared }).shared };
}

test("a test that needs the ignored node_modules: linked into the worktrees, right verdict", () => {
  repo = createRepo();
  repo.write(".gitignore", "node_modules\n");
  repo.write(
    "node_modules/tax/package.json",
    '{ "name": "tax", "type": "module", "main": "index.js" }\n',
  );
  repo.write("node_modules/tax/index.js", "export const rate = 0.2;\n");
  repo.write(
    "price.mjs",
    'import { rate } from "tax";\nexport const gross = (n) => n * (1 + rate);\n',
  );
  repo.write(
    "check.mjs",
    'import { gross } from "./price.mjs";\nprocess.exit(gross(100) === 120 ? 0 : 1);\n',
  );
  repo.commit("price with tax");
  repo.write("price.mjs", 'import { rate } from "tax";\nexport const gross = (n) => n * rate;\n');
  const { json, status, shared } = attributeInWorktrees(repo, ["node", "check.mjs"]);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(shared).toEqual([{ path: "node_modules", mode: "link" }]);
  // The link went, not what it pointed to.
  expect(readdirSync(join(repo.dir, "node_modules", "tax")).sort()).toEqual([
    "index.js",
    "package.json",
  ]);
});

test("config worktree.copy: an ignored folder copied (copy-on-write where the disk can) instead", () => {
  repo = createRepo();
  repo.write(".gitignore", "node_modules\n");
  repo.write("culprit.config.json", '{ "worktree": { "copy": ["node_modules"] } }\n');
  repo.write(
    "node_modules/tax/package.json",
    '{ "name": "tax", "type": "module", "main": "index.js" }\n',
  );
  repo.write("node_modules/tax/index.js", "export const rate = 0.2;\n");
  repo.write("check.mjs", 'import { rate } from "tax";\nprocess.exit(rate === 0.2 ? 0 : 1);\n');
  repo.commit("check");
  repo.write("node_modules/tax/index.js", "export const rate = 0.25;\n");
  repo.write("notes.txt", "an unrelated change\n");
  const { json, shared } = attributeInWorktrees(repo, ["node", "check.mjs"]);
  // The dependency changed, not the tree: both sides see the same copy, and fail alike.
  expect(json.verdict).toBe("pre-existing");
  expect(shared).toEqual([{ path: "node_modules", mode: "copy" }]);
});

const python = spawnSync("python3", ["-m", "venv", "--help"], { encoding: "utf8" });

test.skipIf(python.status !== 0)(
  "a test that runs in an ignored Python virtual environment: linked, right verdict",
  () => {
    repo = createRepo();
    repo.write(".gitignore", ".venv/\n__pycache__/\n");
    const made = spawnSync("python3", ["-m", "venv", "--without-pip", ".venv"], {
      cwd: repo.dir,
      env: repo.env,
      encoding: "utf8",
    });
    expect(made.status, made.stderr).toBe(0);
    // A dependency installed in the venv (as pip would put it in site-packages).
    const lib = readdirSync(join(repo.dir, ".venv", "lib"))[0]!;
    repo.write(`.venv/lib/${lib}/site-packages/taxes.py`, "RATE = 0.2\n");
    repo.write("price.py", "from taxes import RATE\n\ndef gross(n):\n    return n * (1 + RATE)\n");
    repo.write(
      "check.py",
      "import sys\nfrom price import gross\nsys.exit(0 if round(gross(100)) == 120 else 1)\n",
    );
    repo.commit("price");
    repo.write("price.py", "from taxes import RATE\n\ndef gross(n):\n    return n * RATE\n");
    const { json, status, shared } = attributeInWorktrees(repo, [".venv/bin/python", "check.py"]);
    expect(json.verdict, JSON.stringify(json.runs)).toBe("regression");
    expect(status).toBe(1);
    expect(shared.map((s) => s.path)).toContain(".venv");
  },
  120_000,
);
if (python.status !== 0) console.log("skipped the venv case: python3 -m venv is not available");
