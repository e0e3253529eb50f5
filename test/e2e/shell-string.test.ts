import { expect, test } from "vitest";
import { captureState, runCulpritAsync } from "../repos/harness.js";
import { runnerKits, runnerRepo, writeAll } from "../repos/runner-scenarios.js";

/*
 * `--shell "RUNNER ARGS"` and `--shell "BUILD && RUNNER ARGS"`: as an npm script with build
 * steps, the runner's own report is asked for (its flags added to the string), so each failing
 * test gets its verdict. Any --shell string was judged by its exit code alone: the everyday suite
 * with one old failure and one new read REGRESSION without saying which test was new.
 */

type Doc = {
  verdict: string;
  perTest: { source: string | null; note: string | null };
  tests: { name: string; verdict: string }[];
};

const kit = runnerKits["node"]!;

test.each([
  ["the runner alone, a glob the shell expands", "node --test test/*.test.mjs"],
  ["a build step first", "npm run build && node --test test/"],
])(
  "--shell, %s: one verdict a test",
  async (_name, shell) => {
    const repo = runnerRepo(kit);
    try {
      repo.write(
        "package.json",
        `${JSON.stringify({ type: "module", scripts: { build: "node -e 0" } })}\n`,
      );
      repo.commit("a build script");
      writeAll(repo, kit.bug);
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, ["--json", "--no-cache", "--shell", shell]);
      const doc = JSON.parse(result.stdout) as Doc;
      expect(doc.verdict, result.stderr).toBe("regression");
      expect(doc.perTest.source).toBe("node --test events");
      const verdicts = Object.fromEntries(doc.tests.map((t) => [t.name, t.verdict]));
      expect(Object.entries(verdicts).find(([name]) => /adds/.test(name))?.[1]).toBe("regression");
      expect(Object.entries(verdicts).find(([name]) => /money/.test(name))?.[1]).toBe(
        "pre-existing",
      );
      expect(captureState(repo)).toEqual(before);
    } finally {
      repo.cleanup();
    }
  },
  120_000,
);

test("--shell with a pipe: judged by its exit code, and the report says why", async () => {
  const repo = runnerRepo(kit);
  try {
    writeAll(repo, kit.bug);
    const result = await runCulpritAsync(repo, [
      "--json",
      "--no-cache",
      "--shell",
      "node --test test/ | cat",
    ]);
    const doc = JSON.parse(result.stdout) as Doc;
    expect(doc.perTest.source).toBeNull();
    expect(doc.perTest.note).toMatch(/a shell command/);
  } finally {
    repo.cleanup();
  }
}, 120_000);
