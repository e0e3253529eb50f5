import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { captureState, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";
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
  const before = captureState(repo);
  const killed = runCulprit(repo, ["--json", "--", ...checkCommand], {
    CULPRIT_FAULT: "probe-baseline/run 1",
  });
  expect(killed.signal).toBe("SIGKILL");
  const recovered = runCulprit(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo).filter((ref) => !ref.includes("/residue/"))).toEqual([]);
});
