import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a staged rename stays a rename", () => {
  repo = baseRepo();
  repo.write("src/name.txt", "content that is long enough to be detected as a rename\n");
  repo.commit("to rename");
  repo.git("mv", "src/name.txt", "src/renamed.txt");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(repo.git("diff", "--cached", "--name-status", "-M")).toContain("renamed.txt");
});
