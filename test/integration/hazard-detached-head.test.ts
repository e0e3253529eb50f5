import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("works in detached HEAD and leaves HEAD detached at the same commit", () => {
  repo = regressionRepo();
  repo.git("checkout", "-q", "--detach");
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(repo.git("rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("HEAD");
});
