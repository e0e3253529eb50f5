import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("works with no git identity configured, and never writes one", () => {
  repo = regressionRepo();
  // No ~/.gitconfig (isolated HOME) and git may not guess one from the host name.
  repo.git("config", "user.useConfigOnly", "true");
  const configBefore = repo.git("config", "--list", "--local");
  expect(configBefore).not.toContain("user.name");
  // Editor and pager variables must not reach git either (its environment is an allowlist).
  const { json, status } = attributeUntouched(repo, checkCommand, [], {
    EDITOR: "vi",
    PAGER: "less",
    GIT_EDITOR: "vi",
    GIT_PAGER: "less",
  });
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(repo.git("config", "--list", "--local")).toBe(configBefore);
});
