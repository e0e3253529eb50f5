import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { captureState, createRepo, runCulpritAsync } from "../repos/harness.js";
import {
  expectIsolateUntouched,
  isolateCommand,
  isolateRepo,
  parseIsolateJson,
} from "../repos/isolate.js";

type Hunk = { id: string; file: string; startLine: number; endLine: number; patch: string };
type Doc = {
  kind: string;
  verdict: string;
  exitCode: number;
  hunks: Hunk[];
  needed: Hunk[];
  units: number;
  files: number;
  distinct: number;
  configurations: { units: string[]; judgement: string; runs: { judged: string }[] }[];
  attribution: { verdict: string };
};

const parse = (result: { stdout: string; stderr: string }) => parseIsolateJson<Doc>(result);
const untouched = expectIsolateUntouched;

test.concurrent("12 hunks in 4 files, one breaks the check: exactly that hunk, in at most 10 configurations; --patch applies on the baseline; --format line", async () => {
  // The second hunk of the second file: src/beta.js, line 20.
  const repo = isolateRepo({ markers: [[1, 1, "BROKEN"]], failWhen: ["BROKEN"] });
  try {
    // Staged and untracked work too: isolate reads it all and writes none of it.
    repo.git("add", "src/alpha.js");
    repo.write("notes/todo.txt", "untracked\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "isolate",
      "--json",
      "--patch",
      "guilty.patch",
      "--",
      ...isolateCommand,
    ]);
    const doc = parse(result);
    expect(doc.verdict, result.stderr).toBe("isolated");
    expect(result.status).toBe(0);
    expect(doc.kind).toBe("isolate");
    expect(doc.attribution.verdict).toBe("regression");
    // 12 hunks, plus the untracked note: 13 units in 5 files.
    expect(doc.units).toBe(13);
    expect(doc.hunks.map((h) => [h.id, h.file, h.startLine, h.endLine])).toEqual([
      ["src/beta.js#2", "src/beta.js", 20, 20],
    ]);
    expect(doc.hunks[0]!.patch).toContain("+// BROKEN");
    expect(doc.needed).toEqual([]);
    // Your changes without it pass: the one cause (judged once more, counted below).
    expect((doc as Doc & { othersFail: boolean | null }).othersFail).toBe(false);
    expect(doc.distinct).toBeLessThanOrEqual(10);
    console.log(`one guilty hunk among 13 units: ${doc.distinct} configurations`);
    expect(result.stderr).toContain("guilty.patch");
    // The patch is the user's file now (untracked): take it out before comparing the state.
    const patch = readFileSync(join(repo.dir, "guilty.patch"));
    repo.remove("guilty.patch");
    untouched(repo, before);
    // It applies to the baseline (HEAD's tree, through a scratch index).
    const index = join(repo.dir, ".git", "scratch-index");
    const env = { ...repo.env, GIT_INDEX_FILE: index };
    spawnSync("git", ["read-tree", "HEAD"], { cwd: repo.dir, env });
    const check = spawnSync("git", ["apply", "--check", "--cached", "-"], {
      cwd: repo.dir,
      env,
      input: patch,
      encoding: "utf8",
    });
    expect(check.status, check.stderr).toBe(0);
    repo.remove(".git/scratch-index");

    // --format line: one line a guilty hunk, for an editor's problem matcher.
    const line = await runCulpritAsync(repo, [
      "isolate",
      "--format",
      "line",
      "--",
      ...isolateCommand,
    ]);
    expect(line.status, line.stderr).toBe(0);
    expect(line.stdout).toBe("src/beta.js:20: culprit: guilty hunk (lines 20-20)\n");
    // Human: the hunk as a diff with its file and line.
    const human = await runCulpritAsync(repo, ["isolate", "--", ...isolateCommand]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain("culprit isolate: FOUND: 1 hunk");
    expect(human.stdout).toContain("guilty: src/beta.js, line 20 of your tree");
    expect(human.stdout).toContain("+// BROKEN");
    untouched(repo, before);
    // `culprit status` says how that isolate ended (.git/culprit/last-run.json).
    const status = await runCulpritAsync(repo, ["status"]);
    expect(status.stdout).toMatch(
      /last run \S+ \(.+\): isolated \(exit 0\); your tree was not touched/,
    );
  } finally {
    repo.cleanup();
  }
}, 120_000);

test.concurrent("two hunks that each fail it alone: one is named, and the report says it is not the only cause", async () => {
  // The check fails when either marker is there (a linter over three files names the first).
  const check = [
    'const { readFileSync } = require("node:fs");',
    'const text = ["alpha", "beta", "gamma", "delta"].map((n) => readFileSync("src/" + n + ".js", "utf8")).join("");',
    'if (text.includes("EITHER-A") || text.includes("EITHER-B")) process.exit(1);',
    "",
  ].join("\n");
  const repo = isolateRepo({
    markers: [
      [0, 1, "EITHER-A"],
      [3, 2, "EITHER-B"],
    ],
    failWhen: [],
    check,
  });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...isolateCommand]);
    const doc = parse(result) as Doc & { othersFail: boolean | null };
    expect(doc.verdict, result.stderr).toBe("isolated");
    expect(doc.hunks).toHaveLength(1);
    expect(["src/alpha.js#2", "src/delta.js#3"]).toContain(doc.hunks[0]!.id);
    expect(doc.othersFail).toBe(true);
    const human = await runCulpritAsync(repo, ["isolate", "--", ...isolateCommand]);
    expect(human.stdout).toContain(
      "and not the only cause: your changes without this hunk still fail (other hunks make it fail too",
    );
    untouched(repo, before);
  } finally {
    repo.cleanup();
  }
}, 180_000);

test.concurrent("two hunks that only fail together are both named", async () => {
  const repo = isolateRepo({
    markers: [
      [0, 2, "HALF-A"],
      [2, 0, "HALF-B"],
    ],
    failWhen: ["HALF-A", "HALF-B"],
  });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...isolateCommand]);
    const doc = parse(result);
    expect(doc.verdict, result.stderr).toBe("isolated");
    expect(doc.hunks.map((h) => h.id)).toEqual(["src/alpha.js#3", "src/gamma.js#1"]);
    console.log(`two guilty hunks together among 12: ${doc.distinct} configurations`);
    untouched(repo, before);
  } finally {
    repo.cleanup();
  }
}, 180_000);

test.concurrent("a new helper the changed code imports is listed as needed to run, not blamed", async () => {
  const check = [
    "let lib;",
    'try { lib = require("./src/lib.js"); } catch (error) {',
    '  if (error.code === "MODULE_NOT_FOUND") { console.error("cannot load"); process.exit(125); }',
    "  throw error;",
    "}",
    "process.exit(lib.percent(150) === 100 ? 0 : 1);",
    "",
  ].join("\n");
  const repo = isolateRepo({
    markers: [],
    failWhen: [],
    check,
    base: { "src/lib.js": "exports.percent = (x) => Math.min(Math.max(x, 0), 100);\n" },
    work: {
      "src/clamp.js": "exports.clamp = (x, lo, hi) => Math.min(Math.max(x, lo), hi);\n",
      "src/lib.js":
        'const { clamp } = require("./clamp.js");\nexports.percent = (x) => clamp(x, 0, 99);\n',
    },
  });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...isolateCommand]);
    const doc = parse(result);
    expect(doc.verdict, result.stderr).toBe("isolated");
    expect(doc.hunks.map((h) => h.id)).toEqual(["src/lib.js#1"]);
    expect(doc.needed.map((h) => [h.id, h.file, h.startLine])).toEqual([
      ["src/clamp.js#new", "src/clamp.js", 1],
    ]);
    // Some configuration could not run (the import without the helper) and was judged so.
    expect(doc.configurations.some((c) => c.judgement === "cannot-run")).toBe(true);
    // Your changes without the guilty hunk (the helper alone) were judged in the search: a
    // deterministic failure does not judge them again to say whether others fail too.
    expect((doc as { othersFail?: unknown }).othersFail).toBe(false);
    expect(doc.configurations.filter((c) => (c as { again?: boolean }).again)).toEqual([]);
    const human = await runCulpritAsync(repo, ["isolate", "--", ...isolateCommand]);
    expect(human.stdout).toMatch(
      /needed to run[^\n]*\n\s+src\/clamp\.js, lines? 1[^\n]*: the guilty hunk uses it: the failure may lie in it too\n/,
    );
    // The outcomes cannot tell a bug in the helper from one in its use: the report says who uses it.
    expect((doc.needed as { usedBy?: string[] }[]).map((h) => h.usedBy)).toEqual([
      ["src/lib.js#1"],
    ]);
    untouched(repo, before);
  } finally {
    repo.cleanup();
  }
}, 180_000);

test.concurrent("a new test file: the baseline is a selective revert, and --patch says what its patch needs besides", async () => {
  // The command names a test file HEAD does not have: the baseline is your tree with the
  // changed source reverted. The patch holds the guilty hunk, which applies there; on a clean
  // checkout the new test file is needed too, and the line said it reproduced the failure
  // "on the baseline" as if that were one (python-humanize/humanize, reduxjs/redux-thunk).
  const repo = isolateRepo({
    markers: [],
    failWhen: [],
    check: "process.exit(0);\n",
    base: { "src/lib.js": "exports.percent = (x) => Math.min(Math.max(x, 0), 100);\n" },
    work: {
      "src/lib.js": "exports.percent = (x) => Math.min(Math.max(x, 0), 99);\n",
      "test/percent.js":
        'const { percent } = require("../src/lib.js");\nprocess.exit(percent(150) === 100 ? 0 : 1);\n',
    },
  });
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "isolate",
      "--patch",
      "guilty.patch",
      "--",
      "node",
      "test/percent.js",
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/src\/lib\.js/);
    expect(result.stderr).toMatch(
      /written to guilty\.patch: git apply guilty\.patch on the baseline reproduces the failure \(the baseline is your tree with \d+ paths? reverted to HEAD, not a commit: on a clean checkout, the changes it kept, such as new test files, are needed too\)/,
    );
    repo.remove("guilty.patch");
    untouched(repo, before);
  } finally {
    repo.cleanup();
  }
}, 180_000);

test.concurrent("not a regression: one line saying what the verdict was, exit 2; usage errors exit 3", async () => {
  const repo = isolateRepo({ markers: [], failWhen: ["never there"] });
  try {
    const before = captureState(repo);
    const passing = await runCulpritAsync(repo, ["isolate", "--", ...isolateCommand]);
    expect(passing.status, passing.stderr).toBe(2);
    expect(passing.stderr.trim().split("\n")).toHaveLength(1);
    expect(passing.stderr).toMatch(/verdict is not-reproduced .*not regression/);
    expect(passing.stderr).not.toMatch(/cache/);
    const json = await runCulpritAsync(repo, ["isolate", "--json", "--", ...isolateCommand]);
    expect(parse(json).verdict).toBe("not-regression");
    expect(json.status).toBe(2);
    // Again: the attribution's runs come from the cache, and the line says so (a flaky test's
    // lucky 8/8 came back in a second without a word: reduxjs/redux-thunk trial).
    const again = await runCulpritAsync(repo, ["isolate", "--", ...isolateCommand]);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toMatch(
      /not regression: there is nothing to isolate\. \d+ runs of it came from the cache: --no-cache runs them again\./,
    );
    for (const args of [
      ["isolate", "--strategy", "stash", "--", "true"],
      ["isolate", "--patch", "no/such/dir/x.patch", "--", "true"],
      ["--lines", "--", "true"],
      ["isolate", "--good", "HEAD", "--", "true"],
    ]) {
      const usage = await runCulpritAsync(repo, args);
      expect(usage.status, `${args.join(" ")}: ${usage.stderr}`).toBe(3);
      expect(usage.stderr.trim().split("\n")).toHaveLength(1);
    }
    untouched(repo, before);
  } finally {
    repo.cleanup();
  }
}, 180_000);

test.concurrent("your changes are one hunk: it is the answer, with no configuration and no calibration run (10 runs of a deterministic failure before: trial)", async () => {
  const repo = createRepo();
  try {
    repo.write("check.js", 'process.exit(require("./lib.js").v === 1 ? 0 : 1);\n');
    repo.write("lib.js", "exports.v = 1;\n");
    repo.commit("baseline");
    repo.write("lib.js", "exports.v = 2;\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...isolateCommand]);
    const doc = parse(result) as Doc & { runs: { calibration: number; search: number } };
    expect(doc.verdict, result.stderr).toBe("isolated");
    expect(result.status).toBe(0);
    expect(doc.hunks.map((h) => [h.file, h.startLine])).toEqual([["lib.js", 1]]);
    expect(doc.configurations).toEqual([]);
    expect(doc.runs).toEqual({ calibration: 0, search: 0 });
    untouched(repo, before);
  } finally {
    repo.cleanup();
  }
}, 120_000);
