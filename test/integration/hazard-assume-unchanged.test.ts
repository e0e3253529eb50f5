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
 * A file you marked `git update-index --assume-unchanged` (a local config, a generated file)
 * and then edited: git never reads it while the mark is on, and the backup's `git add --all`, on
 * an index copied from yours, took HEAD's blob for it. Every in-place baseline then wrote HEAD's
 * bytes over your edit, and the verify, which compared the same blind snapshot, said your work
 * was back (found trying culprit on micromatch/picomatch; `git stash` loses such an edit too).
 * Your edit and your mark must both stay, whatever the strategy, and after a kill -9 and
 * `culprit recover`.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

function assumedUnchanged(): TestRepo {
  const r = createRepo();
  r.write("local.conf", "base=1\n");
  r.write(
    "t.js",
    'process.exit(require("fs").readFileSync("v.txt", "utf8").trim() === "good" ? 0 : 1)\n',
  );
  r.write("v.txt", "good\n");
  r.commit("init");
  r.git("update-index", "--assume-unchanged", "local.conf");
  r.write("local.conf", "base=2 # my local tweak\n");
  r.write("v.txt", "bad\n");
  return r;
}

const conf = (r: TestRepo) => readFileSync(join(r.dir, "local.conf"), "utf8");

test.each([
  ["the default baseline", []],
  ["--strategy stash", ["--strategy", "stash"]],
  ["--strategy revert", ["--strategy", "revert", "--suspect", "v.txt"]],
  ["--base HEAD", ["--base", "HEAD"]],
  ["--interleave", ["--interleave"]],
])(
  "%s: your edit of a file marked assume-unchanged stays, with the mark, exit 1",
  (_name, args) => {
    repo = assumedUnchanged();
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
    expect(conf(repo)).toBe("base=2 # my local tweak\n");
    expect(repo.git("ls-files", "-v", "local.conf")).toBe("h local.conf\n");
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  },
  60_000,
);

test.each([
  ["during your tree's first run", "probe-current/run 1"],
  ["during a baseline run", "probe-baseline/run 1"],
])(
  "kill -9 %s, then culprit recover: your edit and the mark stay",
  (_name, point) => {
    repo = assumedUnchanged();
    const before = captureState(repo);
    const killed = runCulprit(repo, ["--no-cache", "--runs", "2", "--", "node", "t.js"], {
      CULPRIT_FAULT: point,
    });
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    const recovered = runCulprit(repo, ["recover"]);
    expect(recovered.status, recovered.stderr).toBe(0);
    expect(conf(repo)).toBe("base=2 # my local tweak\n");
    expect(repo.git("ls-files", "-v", "local.conf")).toBe("h local.conf\n");
    expect(captureState(repo)).toEqual(before);
  },
  60_000,
);
