import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a deleted tracked file stays deleted, staged and unstaged deletions alike", () => {
  repo = baseRepo();
  repo.write("old.txt", "old\n");
  repo.write("older.txt", "older\n");
  repo.commit("old files");
  repo.remove("old.txt");
  repo.git("rm", "-q", "older.txt");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
