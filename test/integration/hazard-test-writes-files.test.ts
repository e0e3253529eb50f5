import { afterEach, expect, test } from "vitest";
import { walkBudget } from "../../src/git/tree-stat.js";
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
  // `git show --stat <ref>` (the README's advice) lists what the test wrote, and only that: not
  // your changes (lib.mjs, mine.txt) on your tree's side.
  const shown = (ref: string) =>
    repo!.git("show", "--name-only", "--format=", ref).trim().split("\n").sort();
  const currentRef = restore.residue.find((ref) => ref.endsWith("/current"));
  expect(currentRef).toBeDefined();
  expect(shown(currentRef!)).toEqual(["README.md", "out/result-current.txt"]);
  expect(shown(baselineRef!)).toEqual(["README.md", "out/result-baseline.txt"]);
});

// Past the files a stat walk takes, the folders are watched instead (src/git/tree-watch.ts): the
// second run of each side writes a tracked file and makes a folder, the others write nothing.
// Each run must start from the same tree (a run that finds the second run's writes fails), and
// the writes are kept.
const secondRunWrites = `import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { add } from "./lib.mjs";
if (readFileSync("README.md", "utf8") !== "# sample\\n") process.exit(7);
if (process.env.CULPRIT_RUN === "2") {
  writeFileSync("README.md", "rewritten by run 2 on " + process.env.CULPRIT_SIDE + "\\n");
  mkdirSync("out/deep", { recursive: true });
  writeFileSync("out/deep/result.txt", String(add(2, 2)));
}
process.exit(add(2, 2) === 4 ? 0 : 1);
`;

test("a tree too large to walk: a write of the second run only is seen, kept, and undone", () => {
  repo = baseRepo();
  for (let i = 0; i <= walkBudget; i++) repo.write(`data/d${i % 30}/f${i}.txt`, `${i}\n`);
  repo.write("README.md", "# sample\n");
  repo.write("check-second.mjs", secondRunWrites);
  repo.commit("large tree");
  repo.write("lib.mjs", "export function add(a, b) {\n  return 0;\n}\n");
  repo.write("mine.txt", "my untracked work\n");
  const { json, status } = attributeUntouched(
    repo,
    ["node", "check-second.mjs"],
    ["--runs", "3", "--no-cache"],
  );
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  const runs = json["runs"] as { side: string; exitCode: number }[];
  expect(runs.filter((r) => r.side === "current").map((r) => r.exitCode)).toEqual([1, 1, 1]);
  expect(runs.filter((r) => r.side === "baseline").map((r) => r.exitCode)).toEqual([0, 0, 0]);
  const restore = json["restore"] as { residue: string[] };
  for (const side of ["current", "baseline"]) {
    const ref = restore.residue.find((r) => r.endsWith(`/${side}`));
    expect(ref, side).toBeDefined();
    expect(repo.git("show", `${ref}:README.md`)).toBe(`rewritten by run 2 on ${side}\n`);
    expect(repo.git("show", `${ref}:out/deep/result.txt`)).toBe(side === "current" ? "0" : "4");
  }
});
