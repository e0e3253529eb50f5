import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// A test that leaves empty folders behind (a `mkdir -p` for output it never writes), on both
// sides. No tree can hold an empty folder: culprit used to fail to verify and exit 4, for good.
const mkdirCheck = `import { mkdirSync } from "node:fs";
import { add } from "./lib.mjs";
mkdirSync("out/" + process.env.CULPRIT_SIDE + "/nested", { recursive: true });
mkdirSync("my-empty-dir/made-by-the-test", { recursive: true });
process.exit(add(2, 2) === 4 ? 0 : 1);
`;

test("empty folders a test leaves behind go; the user's own empty folders stay", () => {
  repo = baseRepo();
  repo.write("mkdir-check.mjs", mkdirCheck);
  repo.commit("mkdir check");
  introduceBug(repo);
  repo.write("my-empty-dir/.tmp", "");
  repo.remove("my-empty-dir/.tmp");
  const { json, status } = attributeUntouched(repo, ["node", "mkdir-check.mjs"]);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  // Why the backup put the tree back (a pytest plugin's empty .benchmarks/ left a real user with
  // "restored via the backup" and no reason).
  const restore = json["restore"] as { via: string; differed?: string[] };
  expect(restore.via).toBe("backup");
  expect(restore.differed).toEqual([
    "empty folders (my-empty-dir/made-by-the-test/ made, out/baseline/nested/ made, out/current/nested/ made, and 1 more)",
  ]);
});
