import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("untracked files and folders come back, including empty folders", () => {
  repo = regressionRepo();
  repo.write("new/feature.mjs", "export const x = 1;\n");
  repo.write("scratch.txt", "draft\n");
  repo.write("deep/er/still/file.txt", "deep\n");
  repo.write("empty-dir/.keep-me-not", "");
  repo.remove("empty-dir/.keep-me-not");
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
