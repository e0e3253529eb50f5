import { afterEach, expect, test } from "vitest";
import { attributeUntouched, killRecoverUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("CRLF files with core.autocrlf=true keep their exact bytes (CRLF, LF and mixed)", () => {
  repo = baseRepo();
  repo.git("config", "core.autocrlf", "true");
  repo.write("windows.txt", "line one\r\nline two\r\n");
  repo.write("unix.txt", "line one\nline two\n");
  repo.commit("text files");
  // Checked out again under autocrlf: the committed files get CRLF on disk.
  repo.remove("windows.txt");
  repo.remove("unix.txt");
  repo.git("checkout", "--", "windows.txt", "unix.txt");
  // Edits as an editor on Windows would make them, and some that autocrlf would not produce.
  repo.write("windows.txt", "line one\r\nline two, edited\r\nline three\r\n");
  repo.write("unix.txt", "line one\nline two, edited with LF only\n");
  repo.write("mixed.txt", "crlf\r\nlf\ncrlf again\r\n");
  repo.git("add", "mixed.txt");
  repo.write("mixed.txt", "crlf\r\nlf\ncrlf again\r\nunstaged lf\n");
  repo.write("new-crlf.txt", "untracked\r\nwith CRLF\r\n");
  repo.write("new-lf.txt", "untracked\nwith LF\n");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});

test("CRLF files through .gitattributes (text eol=crlf), without core.autocrlf", () => {
  repo = baseRepo();
  repo.write(".gitattributes", "*.txt text eol=crlf\n");
  repo.write("notes.txt", "one\ntwo\n");
  repo.commit("attributes");
  repo.write("notes.txt", "one\r\ntwo, edited\nthree with LF only\n");
  repo.write("new.txt", "new\nLF only\n");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});

test("after a kill -9 at the baseline, `culprit recover` gives back the exact bytes too", () => {
  repo = baseRepo();
  repo.git("config", "core.autocrlf", "true");
  repo.write("windows.txt", "line one\r\nline two\r\n");
  repo.commit("text file");
  repo.write("windows.txt", "line one\nline two, edited with LF\r\n");
  repo.write("new-lf.txt", "untracked\nwith LF\n");
  introduceBug(repo);
  killRecoverUntouched(repo, checkCommand, "probe-baseline/run 1");
});

/*
 * A file whose only change is its line endings, under `* text eol=lf`: git normalizes it to
 * HEAD's blob, so it differs from HEAD in no tree, and its bytes were kept nowhere. `git stash`
 * (its reset --hard) rewrites it as LF because its stat data changed, and culprit said
 * "verified" (micromatch/picomatch trial). Files your index holds as changed on disk (`git
 * diff-files`: what a checkout would rewrite) keep their bytes too.
 */
/** A committed `* text eol=lf` project whose notes.txt you gave CRLF endings, and the bug. */
function crlfOnlyEdit(): TestRepo {
  const r = baseRepo();
  r.write(".gitattributes", "* text eol=lf\n");
  r.write("notes.txt", "one\ntwo\n");
  r.commit("attributes");
  r.write("notes.txt", "one\r\ntwo\r\n");
  introduceBug(r);
  return r;
}

for (const [name, args] of [
  ["--strategy stash", ["--strategy", "stash"]],
  ["the default baseline", []],
] as const) {
  test(`${name}: a file whose only change is CRLF line endings keeps its bytes`, () => {
    repo = crlfOnlyEdit();
    const { json, status } = attributeUntouched(repo, checkCommand, [...args]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
  });
}

test("--strategy stash, kill -9 at the baseline, `culprit recover`: a CRLF-only edit keeps its bytes", () => {
  repo = crlfOnlyEdit();
  killRecoverUntouched(repo, checkCommand, "probe-baseline/run 1", ["--strategy", "stash"]);
});
