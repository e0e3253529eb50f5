import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, createRepo, culpritRefs, runCulpritAsync } from "../repos/harness.js";

/*
 * A run that replaces a folder culprit linked into its worktree by one of its own: vitest
 * --coverage removes the linked coverage/ and writes a real one. culprit's snapshots left the
 * link out by name (`:(exclude,literal)coverage`, a link being a file to git, which a
 * `coverage/` rule does not match); the real folder is ignored, and naming an ignored path is
 * an error to git: "stopped, no verdict: git add --all ... failed", on every `npm test` with
 * coverage, with --worktree or --jobs.
 */
test("--worktree: the test replaces the linked coverage/ by its own folder; the verdict, yours untouched", async () => {
  const repo = createRepo();
  try {
    repo.write(".gitignore", "coverage/\n");
    repo.write(
      "check.mjs",
      [
        'import { mkdirSync, rmSync, writeFileSync } from "node:fs";',
        'import { add } from "./lib.mjs";',
        'rmSync("coverage", { recursive: true, force: true });',
        'mkdirSync("coverage");',
        'writeFileSync("coverage/index.html", "<p>" + add(1, 2) + "</p>\\n");',
        "process.exit(add(1, 2) === 3 ? 0 : 1);",
        "",
      ].join("\n"),
    );
    repo.write("lib.mjs", "export const add = (a, b) => a + b;\n");
    repo.commit("adds");
    repo.write("coverage/index.html", "<p>your last report</p>\n");
    repo.write("coverage/notes.txt", "yours\n");
    repo.write("lib.mjs", "export const add = (a, b) => a - b;\n");
    const before = captureState(repo);
    for (const args of [["--worktree"], ["--jobs", "2"]]) {
      const result = await runCulpritAsync(repo, [
        ...args,
        "--json",
        "--no-cache",
        "--",
        "node",
        "check.mjs",
      ]);
      const doc = JSON.parse(result.stdout) as { verdict: string };
      expect(doc.verdict, result.stderr).toBe("regression");
      expect(result.status).toBe(1);
      expect(captureState(repo)).toEqual(before);
      expect(leftWorktrees(repo)).toEqual([]);
      expect(culpritRefs(repo)).toEqual([]);
    }
    // Your coverage folder: the runs wrote their own in the worktree, not through the link.
    expect(readdirSync(join(repo.dir, "coverage")).sort()).toEqual(["index.html", "notes.txt"]);
    expect(readFileSync(join(repo.dir, "coverage", "index.html"), "utf8")).toBe(
      "<p>your last report</p>\n",
    );
  } finally {
    repo.cleanup();
  }
}, 120_000);
