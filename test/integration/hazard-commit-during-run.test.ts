import { afterEach, expect, test } from "vitest";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";

/*
 * A commit made while culprit runs in place (the user commits from an editor while the baseline
 * runs). culprit puts HEAD back where it was when it started, as it promises, and keeps the
 * commit under a residue ref; the report said only "restored ..., verified", and the commit was
 * to be found in the reflog alone (pallets/click trial). Now the report names the ref and the one
 * command that makes the commit the branch's again.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a commit made during the baseline's runs: HEAD back, the commit kept and named with its command", () => {
  repo = createRepo();
  repo.write("v.txt", "good\n");
  repo.commit("init");
  repo.write("v.txt", "bad\n");
  const before = captureState(repo);
  const head = repo.git("rev-parse", "HEAD").trim();
  // The commit, made during the baseline's first run as an editor would.
  const script =
    'if [ "$CULPRIT_SIDE" = baseline ] && [ "$CULPRIT_RUN" = 1 ]; then git -c user.name=t -c user.email=t@t commit -q --allow-empty -m meanwhile; fi; test "$(cat v.txt)" = good';
  const r = runCulprit(repo, ["--no-cache", "--runs", "2", "--", "sh", "-c", script]);
  expect(r.status, r.stderr).toBe(1);
  expect(captureState(repo)).toEqual(before);
  const kept = /the commit is kept in (\S+); .*: git reset --soft (\S+)/.exec(r.stdout);
  expect(kept, r.stdout).not.toBeNull();
  expect(kept![2]).toBe(kept![1]);
  const commit = repo.git("rev-parse", kept![1]!).trim();
  expect(repo.git("log", "-1", "--format=%s %P", commit).trim()).toBe(`meanwhile ${head}`);
  // The printed command: the branch has the commit again, your files as they are.
  repo.git("reset", "--soft", kept![1]!);
  expect(repo.git("rev-parse", "HEAD").trim()).toBe(commit);
  expect(repo.git("status", "--porcelain")).toBe(" M v.txt\n");
}, 60_000);
