import { expect, test } from "vitest";
import { captureState, createRepo, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { commitSeries } from "../repos/history.js";

/*
 * `culprit bisect -- npm test`, the script `npm run build && node --test test/` (and the same as
 * `--shell "npm run build && node --test test/"`), over a history where the build broke for three
 * commits (5 to 7, fixed by 8) before the commit that broke the test. Where the build
 * fails, the runner never starts and writes the report culprit asked for (through npm) no more: the test was not reached, so the commit
 * is skipped (git bisect's exit 125), not taken for a failure of the test. Bisect named the
 * first commit that did not build.
 */
test.each([
  ["npm test", ["--", "npm", "test"]],
  ["--shell", ["--shell", "npm run build && node --test test/"]],
])(
  "%s: a commit that does not build is skipped, not blamed: the commit that broke the test is named",
  async (_name, command) => {
    const repo = createRepo();
    try {
      const build = [
        'import { mkdirSync, readFileSync, writeFileSync } from "node:fs";',
        'const source = readFileSync("src/total.mjs", "utf8");',
        'if (source.includes("@@")) { console.error("build failed: src/total.mjs: unexpected @@"); process.exit(1); }',
        'mkdirSync("out", { recursive: true });',
        'writeFileSync("out/total.mjs", source);',
        "",
      ].join("\n");
      const testFile = [
        'import { test } from "node:test";',
        'import assert from "node:assert";',
        'import { total } from "../out/total.mjs";',
        'test("adds", () => assert.strictEqual(total(2, 3), 5));',
        'test("zero", () => assert.strictEqual(total(0, 0), 0));',
        "",
      ].join("\n");
      repo.write("build.mjs", build);
      repo.write(
        "package.json",
        `${JSON.stringify({ type: "module", scripts: { build: "node build.mjs", test: "npm run build && node --test test/" } }, null, 2)}\n`,
      );
      repo.write(".gitignore", "out/\n");
      repo.write("test/total.test.mjs", testFile);
      repo.write("src/total.mjs", "export const total = (a, b) => a + b;\n");
      repo.commit("the good end");
      const sources: Record<number, string> = {
        5: "export const total = (a, b) => a + b; @@\n",
        8: "export const total = (a, b) => a + b;\n",
        10: "export const total = (a, b) => a - b;\n",
      };
      const shas = commitSeries(repo, 12, (i) => {
        if (sources[i] === undefined) return null;
        repo.write("src/total.mjs", sources[i]);
        return `commit ${i}`;
      });
      repo.write("scratch.txt", "the user's own work\n");
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, [
        "bisect",
        "--json",
        "--good",
        shas[0]!,
        ...command,
      ]);
      const doc = JSON.parse(result.stdout) as {
        verdict: string;
        culprit: { sha: string } | null;
        tested: { sha: string; runs: { outcome: string; command: string }[] }[];
      };
      expect(doc.verdict, result.stdout + result.stderr).toBe("culprit");
      expect(doc.culprit!.sha).toBe(shas[10]);
      expect(result.status).toBe(0);
      // A commit that did not build, when the search went there, was skipped: its command failed.
      const unbuilt = doc.tested.filter((t) => shas.slice(5, 8).includes(t.sha));
      expect(unbuilt.length).toBeGreaterThan(0);
      for (const t of unbuilt)
        for (const r of t.runs) expect([r.command, r.outcome]).toEqual(["fail", "cannot-run"]);
      expect(captureState(repo)).toEqual(before);
      expect(culpritRefs(repo)).toEqual([]);
    } finally {
      repo.cleanup();
    }
  },
  180_000,
);
