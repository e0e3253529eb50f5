import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { helpText } from "../../src/cli/parse-args.js";
import { binPath } from "../repos/harness.js";

/*
 * `culprit --help` and `culprit --version` alone are answered by the bin without loading the CLI
 * (bin/culprit.js; `npm run bench:startup`): the help from dist/bundle/help.txt, which the build
 * writes from the CLI's own text, the version from package.json. Any other argv that asks for
 * them (`culprit -q --help`) goes through the CLI: both ways must print the same bytes.
 */

const folder = mkdtempSync(join(tmpdir(), "culprit-help-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Preloaded: at exit, whether the CLI's loader was required (every path into the CLI requires it).
const probe = join(folder, "probe.cjs");
writeFileSync(
  probe,
  `process.on("exit", () => require("node:fs").writeFileSync(process.env.PROBE_OUT, String(Object.keys(require.cache).some((f) => f.endsWith("boot.cjs")))));\n`,
);

const culprit = (...args: string[]) => {
  const out = join(folder, "loaded");
  // Not a repository: neither answer looks for one.
  const result = spawnSync(process.execPath, ["--require", probe, binPath, ...args], {
    cwd: folder,
    encoding: "utf8",
    env: { ...process.env, PROBE_OUT: out },
  });
  const cliLoaded = readFileSync(out, "utf8") === "true";
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, cliLoaded };
};

const packageVersion = (
  JSON.parse(readFileSync(join(binPath, "..", "..", "package.json"), "utf8")) as {
    version: string;
  }
).version;

describe("--help and --version, answered by the bin alone and by the CLI", () => {
  test.each([["--help"], ["-h"]])("%s prints the CLI's help, exit 0", (flag) => {
    const fast = culprit(flag);
    expect(fast).toEqual({ status: 0, stdout: helpText, stderr: "", cliLoaded: false });
    // Through the CLI: the same bytes.
    expect(culprit("-q", flag)).toEqual({ ...fast, cliLoaded: true });
  });

  test.each([["--version"], ["-V"]])("%s prints the package's version, exit 0", (flag) => {
    const fast = culprit(flag);
    expect(fast).toEqual({
      status: 0,
      stdout: `${packageVersion}\n`,
      stderr: "",
      cliLoaded: false,
    });
    expect(culprit("-q", flag)).toEqual({ ...fast, cliLoaded: true });
  });

  test("anything else still reaches the CLI: an unknown option is a usage error, exit 3", () => {
    const result = culprit("--helpme");
    expect(result.status).toBe(3);
    expect(result.cliLoaded).toBe(true);
    expect(result.stderr).toContain("unknown option --helpme");
  });
});
