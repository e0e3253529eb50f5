import { afterEach, expect, test } from "vitest";
import { attributeUntouched, killRecoverUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

/** A file committed by mistake, then `git rm --cached` and ignored, with new content on disk. */
function droppedSecretRepo(): TestRepo {
  const r = baseRepo();
  r.write("secret.env", "committed by mistake\n");
  r.commit("secret");
  r.git("rm", "-q", "--cached", "secret.env");
  r.write(".gitignore", "*.log\nbuild/\n*.env\n");
  r.write("secret.env", "the real secret, never committed\n");
  introduceBug(r);
  return r;
}

test("an ignored file HEAD still tracks (git rm --cached) keeps its bytes", () => {
  repo = droppedSecretRepo();
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});

test("the same after a kill -9 at the baseline: `culprit recover` brings its bytes back", () => {
  // At the baseline the stash has put HEAD's version on disk; the backup must hold the user's.
  repo = droppedSecretRepo();
  killRecoverUntouched(repo, checkCommand, "probe-baseline/run 1");
});
