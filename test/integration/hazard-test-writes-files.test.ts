import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// A check that, like a snapshot-updating test, rewrites a tracked file and creates untracked
// files on every run, on both sides. (Ignored files it writes would stay: culprit never deletes those.)
const writingCheck = `import { writeFileSync, mkdirSync } from "node:fs";
import { add } from "./lib.mjs";
writeFileSync("README.md", "rewritten by the test on " + process.env.CULPRIT_SIDE + "\\n");
mkdirSync("out", { recursive: true });
writeFileSync("out/result-" + process.env.CULPRIT_SIDE + ".txt", String(add(2, 2)));
process.exit(add(2, 2) === 4 ? 0 : 1);
`;

test("what the test writes is kept under a residue ref, and the tree comes back exactly", () => {
  repo = baseRepo();
  repo.write("check-writes.mjs", writingCheck);
  repo.commit("writing check");
  repo.write("lib.mjs", "export function add(a, b) {\n  return 0;\n}\n");
  repo.write("mine.txt", "my untracked work\n");
  repo.write("test-run.log", "my ignored log\n");
  const before = repo.git("show", "HEAD:README.md");
  const { json, status } = attributeUntouched(repo, ["node", "check-writes.mjs"]);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  const restore = json["restore"] as { residue: string[] };
  const baselineRef = restore.residue.find((ref) => ref.endsWith("/baseline"));
  expect(baselineRef).toBeDefined();
  expect(repo.git("show", `${baselineRef}:README.md`)).toBe("rewritten by the test on baseline\n");
  expect(repo.git("show", `${baselineRef}:out/result-baseline.txt`)).toBe("4");
  expect(repo.git("show", "HEAD:README.md")).toBe(before);
});
