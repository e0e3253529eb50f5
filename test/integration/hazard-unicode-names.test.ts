import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("names with spaces and non-ASCII characters are kept", () => {
  repo = baseRepo();
  repo.write("with space.txt", "a\n");
  repo.write("ünïcødé/日本語.txt", "b\n");
  repo.commit("names");
  repo.write("with space.txt", "changed\n");
  repo.write("ünïcødé/日本語.txt", "changed too\n");
  repo.write("new file ✓.txt", "new\n");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
