import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, expect, test } from "vitest";
import { binPath } from "../repos/harness.js";

const bundle = join(binPath, "..", "..", "dist", "bundle");
const meta = JSON.parse(readFileSync(join(bundle, "meta.json"), "utf8")) as {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
};

/** The modules a loaded file holds: itself, or for a file of the bundle, those bundled in it. */
function modulesOf(url: string): string[] {
  const at = url.indexOf("/dist/bundle/");
  if (at < 0) return [url];
  const output = meta.outputs[`dist/bundle/${url.slice(at + "/dist/bundle/".length)}`];
  expect(output, `${url} is in dist/bundle/meta.json`).toBeDefined();
  return Object.keys(output!.inputs).map((input) => `/${input}`);
}

// `--help` and `--version` answer in about the time of `node -e 0` (npm run bench:startup
// measures it) because they load nothing heavy: every file the bin loads is recorded by a
// module resolution hook (node:module register), each file of dist/bundle/ stands for the
// modules esbuild put in it (its metafile, dist/bundle/meta.json), and none is a prompt,
// process or git library, nor the state machine.
const dir = mkdtempSync(join(tmpdir(), "culprit-imports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const heavy = [
  /node_modules\/inquirer\//,
  /node_modules\/@inquirer\//,
  /node_modules\/execa\//,
  /node_modules\/simple-git\//,
  /node_modules\/ora\//,
  /\/dist\/machine\//,
  /\/dist\/git\//,
  /\/dist\/run\/index\.js/,
  /\/dist\/report\//,
];

function modulesLoadedBy(args: string[]): string[] {
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
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, ["--import", register, binPath, ...args], {
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(log, "utf8").split("\n").filter(Boolean).flatMap(modulesOf);
}

test.each([["--version"], ["--help"]])("culprit %s loads no heavy module", (flag) => {
  const loaded = modulesLoadedBy([flag]);
  expect(loaded.some((url) => url.endsWith("/dist/cli/main.js"))).toBe(true);
  expect(loaded.some((url) => url.endsWith("/dist/cli/parse-args.js"))).toBe(true);
  for (const pattern of heavy) expect(loaded.filter((url) => pattern.test(url))).toEqual([]);
});
