import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("symlinks, changed, new and dangling, are kept as links", () => {
  repo = baseRepo();
  repo.symlink("README.md", "link-to-readme");
  repo.commit("link");
  repo.remove("link-to-readme");
  repo.symlink("check.mjs", "link-to-readme");
  repo.symlink("does/not/exist", "dangling");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
