import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";

/*
 * Files your tree ignores by rules of your own uncommitted changes: `node_modules/` added to the
 * tracked .gitignore, a new .gitignore of yours in a folder. At an in-place baseline those rules
 * are HEAD's, which do not ignore the files: every settle took them for files the test wrote,
 * kept them under a residue ref ("written by the test") and removed them, node_modules and all,
 * and the verify, which compares what git does not ignore, said your work was back (found trying
 * culprit on npm/node-semver). Ignored files are never deleted, moved or rewritten: not by the
 * baselines, nor by `culprit recover` after a kill -9 in one.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

function ignoredByYourRules(): TestRepo {
  const r = createRepo();
  r.write(".gitignore", "*.log\n");
  r.write(
    "t.js",
    'process.exit(require("fs").readFileSync("v.txt", "utf8").trim() === "good" ? 0 : 1)\n',
  );
  r.write("v.txt", "good\n");
  r.commit("init");
  r.write("v.txt", "bad\n");
  // Your changes: a rule added to the tracked .gitignore, and a .gitignore of a new folder.
  r.write(".gitignore", "*.log\nnode_modules/\n");
  r.write("node_modules/leftpad/index.js", "module.exports = 1\n");
  r.write("docs/.gitignore", "*.tmp\n");
  r.write("docs/draft.tmp", "a draft of yours\n");
  return r;
}

/** The ignored files' bytes (captureState compares what git does not ignore). */
function ignoredBytes(r: TestRepo): string[] {
  return ["node_modules/leftpad/index.js", "docs/draft.tmp"].map((p) =>
    readFileSync(join(r.dir, p), "utf8"),
  );
}

test.each([
  ["the default baseline", []],
  ["--strategy stash", ["--strategy", "stash"]],
  ["--strategy revert", ["--strategy", "revert", "--suspect", ".gitignore", "--suspect", "v.txt"]],
])(
  "%s: the files your rules ignore stay, no residue, exit 1",
  (_name, args) => {
    repo = ignoredByYourRules();
    const before = captureState(repo);
    const r = runCulprit(repo, [
      "--json",
      "--no-cache",
      "--runs",
      "2",
      ...args,
      "--",
      "node",
      "t.js",
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).verdict).toBe("regression");
    expect(ignoredBytes(repo)).toEqual(["module.exports = 1\n", "a draft of yours\n"]);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  },
  60_000,
);

test.each([
  ["during a baseline run", "probe-baseline/run 1"],
  ["after a baseline run's settle", "probe-baseline/run 2"],
])(
  "kill -9 %s, then culprit recover: the files your rules ignore stay",
  (_name, point) => {
    repo = ignoredByYourRules();
    const before = captureState(repo);
    const killed = runCulprit(repo, ["--no-cache", "--runs", "2", "--", "node", "t.js"], {
      CULPRIT_FAULT: point,
    });
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    const recovered = runCulprit(repo, ["recover"]);
    expect(recovered.status, recovered.stderr).toBe(0);
    expect(ignoredBytes(repo)).toEqual(["module.exports = 1\n", "a draft of yours\n"]);
    expect(captureState(repo)).toEqual(before);
  },
  60_000,
);

test("SIGINT during a baseline run: restored and verified by culprit itself, the files your rules ignore stay", () => {
  repo = ignoredByYourRules();
  const before = captureState(repo);
  const r = runCulprit(repo, ["--json", "--no-cache", "--runs", "2", "--", "node", "t.js"], {
    CULPRIT_FAULT: "probe-baseline/run 1@SIGINT",
  });
  expect(r.status, r.stderr).toBe(130);
  expect(JSON.parse(r.stdout).restore.verified).toBe(true);
  expect(ignoredBytes(repo)).toEqual(["module.exports = 1\n", "a draft of yours\n"]);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
}, 60_000);
