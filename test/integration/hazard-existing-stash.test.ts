import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("existing stash entries keep their order and content", () => {
  repo = baseRepo();
  repo.write("README.md", "# first stash\n");
  repo.git("-c", "user.name=U", "-c", "user.email=u@x", "stash", "push", "-q", "-m", "first");
  repo.write("README.md", "# second stash\n");
  repo.write("stashed-untracked.txt", "u\n");
  repo.git(
    "-c",
    "user.name=U",
    "-c",
    "user.email=u@x",
    "stash",
    "push",
    "-q",
    "-u",
    "-m",
    "second",
  );
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(repo.git("stash", "list", "--format=%gs")).toBe("On main: second\nOn main: first\n");
});
