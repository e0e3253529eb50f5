import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("--interleave alternates current and baseline runs, and the tree comes back exactly", () => {
  repo = regressionRepo();
  repo.write("wip.txt", "untracked\n");
  const { json, status } = attributeUntouched(repo, checkCommand, ["--interleave"]);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  const sides = (json["runs"] as { side: string }[]).map((r) => r.side[0]).join("");
  expect(sides).toBe("cbcbcb");
});
