import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, expect, test } from "vitest";
import { binPath, createRepo } from "../repos/harness.js";

// `--help` and `--version` answer in about the time of `node -e 0` (npm run bench:startup
// measures it) because they load nothing heavy. The CLI is one file (dist/bundle/culprit.cjs),
// in which a module reached only through import() is evaluated when it is imported, and what
// those modules load is what shows: every package the bin loads is recorded (`require` by a
// preloaded module at exit, `import()` by a module resolution hook), with node's own modules
// (process.moduleLoadList). Neither a prompt library nor the report parser may load, nor
// node:child_process, which the git layer and the runs load (and so the machine, that imports
// them). `culprit status` in a repository is the check that the record can see them.
const dir = mkdtempSync(join(tmpdir(), "culprit-imports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const heavy = [
  /node_modules\/inquirer\//,
  /node_modules\/@inquirer\//,
  /node_modules\/fast-xml-parser\//,
  /node_modules\/execa\//,
  /node_modules\/simple-git\//,
  /node_modules\/ora\//,
  /^NativeModule child_process$/,
];

function loadedBy(args: string[], cwd = dir): string[] {
  const log = join(dir, `${args.join("_")}.log`);
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
  return result;
}
`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const preload = join(dir, "preload.cjs");
  writeFileSync(
    preload,
    `process.on("exit", () => {
  const loaded = [...Object.keys(require.cache), ...process.moduleLoadList];
  require("node:fs").appendFileSync(${JSON.stringify(log)}, loaded.join("\\n") + "\\n");
});
`,
  );
  writeFileSync(log, "");
  const result = spawnSync(
    process.execPath,
    ["--import", register, "--require", preload, binPath, ...args],
    { cwd, encoding: "utf8" },
  );
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

// Alone, the bin answers them without the CLI (bin/culprit.js); asked with another option
// (`-q`), the CLI answers, and must load nothing heavy either.
test.each([
  [["--version"], false],
  [["--help"], false],
  [["-q", "--version"], true],
  [["-q", "--help"], true],
])("culprit %j loads no heavy module (the CLI loaded: %s)", (args, cli) => {
  const loaded = loadedBy(args);
  expect(loaded.some((entry) => entry.endsWith("/dist/bundle/boot.cjs"))).toBe(cli);
  for (const pattern of heavy) expect(loaded.filter((entry) => pattern.test(entry))).toEqual([]);
});

test("the record sees what a command loads: `culprit status` starts git", () => {
  const repo = createRepo();
  try {
    const loaded = loadedBy(["status"], repo.dir);
    expect(loaded).toContain("NativeModule child_process");
  } finally {
    repo.cleanup();
  }
});
