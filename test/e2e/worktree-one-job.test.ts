import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import {
  captureState,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

// `--jobs N` runs N at a time (README); `--worktree` alone is one job. It ran one run a side at
// once all the same (found on a Rust crate: the baseline ran 18 times while your side compiled),
// so a test holding a port, a lock or a file outside the repository collided with itself.

let repo: TestRepo | undefined;
let logDir: string | undefined;
afterEach(() => {
  repo?.cleanup();
  if (logDir) rmSync(logDir, { recursive: true, force: true });
});

test("--worktree alone: one run at a time, the sides never overlap", () => {
  repo = baseRepo();
  introduceBug(repo);
  logDir = mkdtempSync(join(tmpdir(), "culprit-one-job-"));
  const log = join(logDir, "runs.log");
  // Each run writes when it starts and ends, outside the repository (a shared resource).
  const shell = `echo "start $CULPRIT_SIDE $CULPRIT_RUN" >> ${log}; sleep 0.3; echo "end $CULPRIT_SIDE $CULPRIT_RUN" >> ${log}; node check.mjs`;
  const before = captureState(repo);
  const run = runCulprit(repo, ["--worktree", "--json", "--shell", shell]);
  expect(run.status, run.stderr).toBe(1);
  expect(parseJsonOutput(run).verdict).toBe("regression");
  const lines = readFileSync(log, "utf8").trim().split("\n");
  // Strictly alternating start / end of the same run: never two at once.
  for (let i = 0; i < lines.length; i += 2) {
    expect(lines[i]).toMatch(/^start /);
    expect(lines[i + 1]).toBe(lines[i]!.replace(/^start/, "end"));
  }
  expect(lines.length).toBeGreaterThanOrEqual(12);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
});
