import { spawnSync } from "node:child_process";
import { mkdtempSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { binPath } from "../repos/harness.js";

/*
 * A shell left in a folder that was removed (`ls` empty, `git status`: "Unable to read current
 * working directory"): the next culprit there was an internal error, exit 4, with a stack
 * (unjs/defu trial, after a run from a folder whose files all changed: the default baseline's
 * way back makes such a folder again). It is the user's to fix: one line, exit 3.
 */

test("started in a folder that was removed: one line that says so, exit 3", () => {
  const gone = mkdtempSync(join(tmpdir(), "culprit-gone-"));
  // A shell whose folder is removed under it, then culprit started from there.
  const result = spawnSync(
    "sh",
    ["-c", `cd '${gone}' && rmdir '${gone}' && exec '${process.execPath}' '${binPath}' -- true`],
    { encoding: "utf8" },
  );
  try {
    rmdirSync(gone);
  } catch {}
  expect(result.status, result.stderr).toBe(3);
  expect(result.stderr.trim()).toBe(
    'culprit: the current folder no longer exists (it was removed while your shell was in it): go into it again (cd "$PWD") and run culprit there.',
  );
});
