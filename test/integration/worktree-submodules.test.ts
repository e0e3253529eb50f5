import { existsSync } from "node:fs";
import { afterEach, expect, test } from "vitest";
import { culpritWorktrees } from "../repos/fault-matrix.js";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulpritAsync,
  type TestRepo,
} from "../repos/harness.js";

// culprit bisect, culprit isolate and --jobs run the command in worktrees, where git leaves a
// submodule's folder empty: a check that needs the submodule's files could not run in any of
// them, and bisect answered "UNRUNNABLE: the command could not run at HEAD" in a repository
// whose check runs fine in your tree. Each worktree now gets your submodules cloned in (objects
// borrowed, nothing of yours written) at the commit its tree records (src/git/submodules.ts).

let repo: TestRepo | undefined;
let upstream: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  upstream?.cleanup();
  repo = upstream = undefined;
});

const identity = ["-c", "user.name=t", "-c", "user.email=t@t"];

/** Everything of the submodule's own that culprit must not write: its HEAD, index, refs, worktrees. */
function submoduleState(r: TestRepo): Record<string, string> {
  const sub = (...args: string[]) => r.git("-C", "vendor", ...args);
  return {
    HEAD: sub("rev-parse", "HEAD"),
    index: sub("ls-files", "--stage", "-v"),
    status: sub("status", "--porcelain=v1", "--untracked-files=all", "--ignored"),
    refs: sub("for-each-ref"),
    worktrees: sub("worktree", "list", "--porcelain"),
    superWorktrees: r.git("worktree", "list", "--porcelain"),
  };
}

/**
 * A project whose check needs vendor/add.js from a submodule: vendor v1 adds right, v2 wrong.
 * The submodule is checked out at v2 in the user's clone (it has both commits).
 */
function projectWithSubmodule(): { v1: string; v2: string } {
  upstream = createRepo();
  upstream.write("add.js", "module.exports = (a, b) => a + b;\n");
  upstream.commit("v1");
  const v1 = upstream.git("rev-parse", "HEAD").trim();
  upstream.write("add.js", "module.exports = (a, b) => a + b + 1;\n");
  upstream.commit("v2");
  const v2 = upstream.git("rev-parse", "HEAD").trim();
  repo = createRepo();
  repo.write(
    "check.js",
    'const add = require("./vendor/add.js");\nconst { mul } = require("./lib.js");\nif (add(2, 2) !== 4 || mul(2, 3) !== 6) {\n  console.error("check failed");\n  process.exit(1);\n}\n',
  );
  repo.write("lib.js", "exports.mul = (a, b) => a * b;\n");
  repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", upstream.dir, "vendor");
  repo.git("-C", "vendor", "checkout", "-q", v1);
  repo.git("add", "vendor");
  repo.commit("a project with vendor v1");
  return { v1, v2 };
}

test("bisect names the commit that moved the submodule; every commit's check can run", async () => {
  const { v2 } = projectWithSubmodule();
  const r = repo!;
  const shas = [r.git("rev-parse", "HEAD").trim()];
  for (let i = 1; i <= 8; i++) {
    if (i === 5) {
      r.git("-C", "vendor", "checkout", "-q", v2);
      r.git("add", "vendor");
      r.git(...identity, "commit", "-qm", "bump vendor");
    } else {
      r.write("notes.txt", `note ${i}\n`);
      r.git("add", "notes.txt");
      r.git(...identity, "commit", "-qm", `note ${i}`);
    }
    shas.push(r.git("rev-parse", "HEAD").trim());
  }
  r.write("scratch.txt", "the user's own work\n");
  const before = captureState(r);
  const sub = submoduleState(r);
  const result = await runCulpritAsync(r, [
    "bisect",
    "--json",
    "--good",
    shas[0]!,
    "--",
    "node",
    "check.js",
  ]);
  const doc = JSON.parse(result.stdout) as {
    verdict: string;
    culprit: { sha: string } | null;
    tested: { runs: { outcome: string }[] }[];
  };
  expect(doc.verdict, result.stdout + result.stderr).toBe("culprit");
  expect(doc.culprit!.sha).toBe(shas[5]);
  expect(doc.tested.flatMap((t) => t.runs.map((run) => run.outcome))).not.toContain("cannot-run");
  expect(captureState(r)).toEqual(before);
  expect(submoduleState(r)).toEqual(sub);
  expect(culpritRefs(r)).toEqual([]);
}, 180_000);

test("isolate names the guilty hunk and --jobs 2 judges the regression, the submodule's files there", async () => {
  projectWithSubmodule();
  const r = repo!;
  r.write("lib.js", "exports.mul = (a, b) => a * b + 1;\n");
  r.write("notes.txt", "unrelated\n");
  const before = captureState(r);
  const sub = submoduleState(r);

  const isolate = await runCulpritAsync(r, ["isolate", "--json", "--", "node", "check.js"]);
  const doc = JSON.parse(isolate.stdout) as { verdict: string; hunks: { file: string }[] };
  expect(doc.verdict, isolate.stdout + isolate.stderr).toBe("isolated");
  expect(doc.hunks.map((h) => h.file)).toEqual(["lib.js"]);

  const jobs = await runCulpritAsync(r, ["--json", "--jobs", "2", "--", "node", "check.js"]);
  expect(JSON.parse(jobs.stdout).verdict, jobs.stdout + jobs.stderr).toBe("regression");

  expect(captureState(r)).toEqual(before);
  expect(submoduleState(r)).toEqual(sub);
  expect(culpritRefs(r).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
}, 180_000);

test("kill -9 mid-bisect, then culprit recover: the clones go with the worktrees, yours untouched", async () => {
  projectWithSubmodule();
  const r = repo!;
  const good = r.git("rev-parse", "HEAD").trim();
  r.write("lib.js", "exports.mul = (a, b) => a * b + 1;\n");
  r.git("add", "lib.js");
  r.git(...identity, "commit", "-qm", "the refactor");
  r.write("scratch.txt", "the user's own work\n");
  const before = captureState(r);
  const sub = submoduleState(r);
  const killed = await runCulpritAsync(
    r,
    ["bisect", "--good", good, "--json", "--", "node", "check.js"],
    { CULPRIT_FAULT: "probe-parallel/bad end run@SIGKILL" },
  );
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  // The bad end's worktree, with the submodule cloned in, is left.
  expect(existsSync(culpritWorktrees(r))).toBe(true);
  const recovered = await runCulpritAsync(r, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(existsSync(culpritWorktrees(r))).toBe(false);
  expect(captureState(r)).toEqual(before);
  expect(submoduleState(r)).toEqual(sub);
  expect(culpritRefs(r)).toEqual([]);
}, 180_000);

test("Ctrl-C mid-bisect: exit 130, the clones go with the worktrees, yours untouched", async () => {
  projectWithSubmodule();
  const r = repo!;
  const good = r.git("rev-parse", "HEAD").trim();
  r.write("lib.js", "exports.mul = (a, b) => a * b + 1;\n");
  r.git("add", "lib.js");
  r.git(...identity, "commit", "-qm", "the refactor");
  r.write("scratch.txt", "the user's own work\n");
  const before = captureState(r);
  const sub = submoduleState(r);
  const stopped = await runCulpritAsync(
    r,
    ["bisect", "--good", good, "--json", "--", "node", "check.js"],
    { CULPRIT_FAULT: "probe-parallel/bad end run@SIGINT" },
  );
  expect(stopped.status, stopped.stderr).toBe(130);
  expect(existsSync(culpritWorktrees(r))).toBe(false);
  expect(captureState(r)).toEqual(before);
  expect(submoduleState(r)).toEqual(sub);
  expect(culpritRefs(r)).toEqual([]);
}, 180_000);
