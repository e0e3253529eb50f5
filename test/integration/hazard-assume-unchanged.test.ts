import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched, killRecoverUntouched } from "../repos/expect-untouched.js";
import { culpritRefs, type TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

/*
 * A file you marked `git update-index --assume-unchanged` (a local config, a generated file)
 * and then edited: git never reads it while the mark is on, and the backup's `git add --all`, on
 * an index copied from yours, took HEAD's blob for it. Every in-place baseline then wrote HEAD's
 * bytes over your edit, and the verify, which compared the same blind snapshot, said your work
 * was back (found trying culprit on micromatch/picomatch; `git stash` loses such an edit too).
 * Your edit and your mark must both stay, whatever the strategy, and after a kill -9 and
 * `culprit recover` (captureState holds the mark: `ls-files -v` tags it "h").
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

function assumedUnchanged(): TestRepo {
  const r = baseRepo();
  r.write("local.conf", "base=1\n");
  r.commit("a local config");
  r.git("update-index", "--assume-unchanged", "local.conf");
  r.write("local.conf", "base=2 # my local tweak\n");
  introduceBug(r);
  return r;
}

function editAndMarkStay(r: TestRepo): void {
  expect(readFileSync(join(r.dir, "local.conf"), "utf8")).toBe("base=2 # my local tweak\n");
  expect(r.git("ls-files", "-v", "local.conf")).toBe("h local.conf\n");
}

test.each([
  ["the default baseline", []],
  ["--strategy stash", ["--strategy", "stash"]],
  ["--strategy revert", ["--strategy", "revert", "--suspect", "lib.mjs"]],
  ["--base HEAD", ["--base", "HEAD"]],
  ["--interleave", ["--interleave"]],
])(
  "%s: your edit of a file marked assume-unchanged stays, with the mark, exit 1",
  (_name, args) => {
    repo = assumedUnchanged();
    const { json, status } = attributeUntouched(repo, checkCommand, [
      "--no-cache",
      "--runs",
      "2",
      ...args,
    ]);
    expect(status).toBe(1);
    expect(json.verdict).toBe("regression");
    editAndMarkStay(repo);
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
    killRecoverUntouched(repo, checkCommand, point, ["--no-cache", "--runs", "2"]);
    editAndMarkStay(repo);
  },
  60_000,
);
