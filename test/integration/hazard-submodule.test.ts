import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
let upstream: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  upstream?.cleanup();
});

/** The submodule's own state, which the superproject's captureState does not see (its index). */
function submoduleState(r: TestRepo, path: string): Record<string, string> {
  const sub = (...args: string[]) => r.git("-C", path, ...args);
  return {
    HEAD: sub("rev-parse", "HEAD"),
    index: sub("ls-files", "--stage", "-v"),
    status: sub("status", "--porcelain=v1", "--untracked-files=all", "--ignored"),
    stash: sub("stash", "list", "--format=%H %gs"),
    gitlink: r.git("ls-files", "--stage", "--", path),
  };
}

test("a submodule with its own uncommitted changes is left alone", () => {
  upstream = createRepo();
  upstream.write("vendor.txt", "vendored v1\n");
  upstream.write("other.txt", "other\n");
  upstream.commit("vendor v1");

  repo = baseRepo();
  // A submodule from a local path: file transport has to be allowed explicitly since git 2.38.
  repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", upstream.dir, "vendor");
  repo.commit("add the submodule");

  // Inside the submodule: a staged edit, an unstaged edit on top, and an untracked file.
  repo.write("vendor/vendor.txt", "vendored v1, staged local patch\n");
  repo.git("-C", "vendor", "add", "vendor.txt");
  repo.write("vendor/vendor.txt", "vendored v1, staged local patch, unstaged too\n");
  repo.write("vendor/other.txt", "other, edited\n");
  repo.write("vendor/scratch.txt", "untracked in the submodule\n");
  introduceBug(repo);

  const before = submoduleState(repo, "vendor");
  expect(before.status).toContain("scratch.txt");
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(submoduleState(repo, "vendor")).toEqual(before);
});

test("a submodule checked out at another commit keeps that commit and its changes", () => {
  upstream = createRepo();
  upstream.write("vendor.txt", "vendored v1\n");
  upstream.commit("vendor v1");

  repo = baseRepo();
  repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", upstream.dir, "vendor");
  repo.commit("add the submodule");

  upstream.write("vendor.txt", "vendored v2\n");
  upstream.commit("vendor v2");
  repo.git("-C", "vendor", "-c", "protocol.file.allow=always", "pull", "-q", "--ff-only");
  // The superproject now sees a new gitlink (unstaged), and the submodule a local edit.
  repo.write("vendor/vendor.txt", "vendored v2, patched locally\n");
  introduceBug(repo);

  const before = submoduleState(repo, "vendor");
  const recorded = repo.git("rev-parse", "HEAD:vendor").trim();
  const yours = repo.git("-C", "vendor", "rev-parse", "HEAD").trim();
  for (const strategy of ["reset", "stash"]) {
    const { json, status } = attributeUntouched(repo, checkCommand, ["--strategy", strategy]);
    expect(json.verdict).toBe("regression");
    expect(status).toBe(1);
    expect(submoduleState(repo, "vendor")).toEqual(before);
    // The submodule stays at your commit on the baseline (git leaves it there): that is not
    // something the test wrote, and the report names it. Both were wrong before.
    expect(json.restore).toMatchObject({ residue: [] });
    expect(json["submodules"]).toEqual([{ path: "vendor", commit: yours, baseline: recorded }]);
  }
  expect(culpritRefs(repo)).toEqual([]);
});

test("a git repository inside the tree that git does not track stays, and is named", () => {
  repo = baseRepo();
  // A clone in a subfolder, with its own uncommitted edit: `git add --all` takes it as a gitlink.
  repo.write("nested/n.txt", "nested v1\n");
  repo.git("-C", "nested", "init", "-q");
  repo.git("-C", "nested", "add", "n.txt");
  repo.git("-C", "nested", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "n");
  repo.write("nested/n.txt", "nested v1, edited\n");
  introduceBug(repo);
  const inner = repo.git("-C", "nested", "rev-parse", "HEAD").trim();

  // The stash strategy is checked with the submodule above; here the default baseline.
  const before = submoduleState(repo, "nested");
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(submoduleState(repo, "nested")).toEqual(before);
  expect(json.restore).toMatchObject({ residue: [] });
  expect(json["submodules"]).toEqual([{ path: "nested", commit: inner, baseline: null }]);
  expect(culpritRefs(repo)).toEqual([]);
  // At a terminal, the report says what stayed.
  const human = runCulprit(repo, ["--", ...checkCommand]);
  expect(human.stdout).toContain(
    "note: submodules stay at your commits on the baseline too (culprit leaves them alone), so what they change is on both sides: nested (at " +
      `${inner.slice(0, 7)}; HEAD has no submodule there)`,
  );
  expect(human.stdout).not.toContain("during the runs");
});
