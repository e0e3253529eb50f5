import { afterEach, expect, test } from "vitest";
import { attributeUntouched, killRecoverUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

/** Tracked, staged and untracked files whose names hold a newline (and a tab, a quote, a CR). */
function newlineNamesRepo(): TestRepo {
  const r = baseRepo();
  r.write("first line\nsecond line.txt", "tracked\n");
  r.write("dir\nwith newline/inner.txt", "tracked in a folder\n");
  r.commit("names with newlines");
  r.write("first line\nsecond line.txt", "tracked, edited\n");
  r.write("dir\nwith newline/inner.txt", "staged edit\n");
  r.git("add", "--", "dir\nwith newline/inner.txt");
  r.write('untracked\n"quoted"\tand tab.txt', "untracked\n");
  r.write("ends with a carriage return\r", "untracked too\n");
  introduceBug(r);
  return r;
}

test("file names containing a newline are kept, tracked, staged and untracked", () => {
  repo = newlineNamesRepo();
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});

test("the same through a kill -9 at the baseline and `culprit recover`", () => {
  repo = newlineNamesRepo();
  killRecoverUntouched(repo, checkCommand, "probe-baseline/run 1");
});
