import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("an ignored file inside an untracked folder survives", () => {
  repo = regressionRepo();
  repo.write("newdir/data.txt", "untracked\n");
  repo.write("newdir/run.log", "ignored inside untracked\n");
  repo.write("build/out.bin", Buffer.from([0, 1, 2, 3]));
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
