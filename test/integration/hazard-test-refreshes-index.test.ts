import { createHash } from "node:crypto";
import { chmodSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched, killRecoverUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

/*
 * A test that runs git refreshes your real index at the baseline: `git describe --dirty`, which a
 * pytest plugin ran in every run (hukkin/tomli trial). The entries of a file you deleted, and of
 * one whose mode you changed, took the stat data of the baseline's copies: the entries were
 * yours, the index's bytes were not (30 of 40 runs). The backed-up bytes go back after the
 * verify, and after `culprit recover`.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// Refreshes the index as the plugin did, then checks as check.mjs does.
const refreshing = `import { execFileSync } from "node:child_process";
execFileSync("git", ["describe", "--dirty", "--always"], { stdio: "ignore" });
await import("./check.mjs");
`;
const command = ["node", "refreshing.mjs"];

function project(): TestRepo {
  const r = baseRepo();
  r.write("gone.txt", "deleted in your tree\n");
  r.write("tool.sh", "#!/bin/sh\necho hi\n", 0o644);
  r.write("refreshing.mjs", refreshing);
  r.commit("tool, gone, refreshing check");
  rmSync(join(r.dir, "gone.txt"));
  chmodSync(join(r.dir, "tool.sh"), 0o755);
  introduceBug(r);
  // Your index as a `git status` of yours left it: every entry's stat data fresh.
  r.git("status");
  return r;
}

const indexBytes = (r: TestRepo) =>
  createHash("sha1")
    .update(readFileSync(join(r.dir, ".git", "index")))
    .digest("hex");

test.each([[[]], [["--strategy", "revert"]], [["--strategy", "stash"]]])(
  "culprit %j: the index's bytes are yours again, not only its entries",
  (args) => {
    repo = project();
    const before = indexBytes(repo);
    const { json, status } = attributeUntouched(repo, command, args);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(indexBytes(repo)).toBe(before);
  },
);

test("killed in a baseline run, then `culprit recover`: the index's bytes are yours again", () => {
  repo = project();
  const before = indexBytes(repo);
  killRecoverUntouched(repo, command, "probe-baseline/run 2");
  expect(indexBytes(repo)).toBe(before);
});
