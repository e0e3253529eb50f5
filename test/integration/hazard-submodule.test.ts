import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
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
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(submoduleState(repo, "vendor")).toEqual(before);
});
