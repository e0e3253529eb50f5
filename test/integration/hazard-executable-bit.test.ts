import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("an executable-bit change is kept", () => {
  repo = baseRepo();
  repo.write("tool.sh", "#!/bin/sh\necho hi\n", 0o644);
  repo.commit("tool");
  repo.write("tool.sh", "#!/bin/sh\necho hi\n", 0o755);
  repo.write("new-tool.sh", "#!/bin/sh\n", 0o755);
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
