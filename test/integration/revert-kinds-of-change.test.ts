import { createHash } from "node:crypto";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const binaryAtHead = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256));

/**
 * A new (untracked) check that, at the baseline, asserts that every suspect is exactly as HEAD
 * has it (content, mode, symlink target, presence) and that the kept and ignored files are
 * still there, then runs the real check. It fails on the user's tree (the bug in lib.mjs), so
 * `regression` means the selective revert produced exactly the expected tree.
 */
const check = `import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
const problems = [];
const sha = (p) => createHash("sha256").update(readFileSync(p)).digest("hex");
if (process.env.CULPRIT_SIDE === "baseline") {
  if (sha("assets/logo.bin") !== "${sha256(binaryAtHead)}") problems.push("binary not reverted");
  if ((statSync("bin/tool.sh").mode & 0o111) === 0) problems.push("executable bit not reverted");
  if (readlinkSync("link") !== "src/lib.mjs") problems.push("symlink target not reverted");
  if (!lstatSync("conf.json").isFile()) problems.push("type change not reverted");
  if (!existsSync("old.txt") || readFileSync("old.txt", "utf8") !== "old\\n") problems.push("deletion not reverted");
  if (!existsSync("gone staged.txt")) problems.push("staged deletion not reverted");
  if (readFileSync("name with space ü.txt", "utf8") !== "before\\n") problems.push("unicode name not reverted");
  if (existsSync("new.txt") || existsSync("new-staged.txt") || existsSync("newdir/deep/file.txt"))
    problems.push("new files still there");
  if (!existsSync("build/out.log")) problems.push("ignored file removed");
  if (!existsSync("test/helper.mjs")) problems.push("kept test helper removed");
  if (readFileSync("src/lib.mjs", "utf8").includes("bug")) problems.push("lib not reverted");
}
const { add } = await import("../src/lib.mjs");
if (add(2, 2) !== 4) problems.push("add(2, 2) = " + add(2, 2));
if (problems.length > 0) {
  console.error(problems.join("\\n"));
  process.exit(1);
}
`;

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function kindsRepo(): TestRepo {
  const r = createRepo();
  r.write("src/lib.mjs", "export const add = (a, b) => a + b;\n");
  r.write("assets/logo.bin", binaryAtHead);
  r.write("bin/tool.sh", "#!/bin/sh\necho tool\n", 0o755);
  r.symlink("src/lib.mjs", "link");
  r.write("conf.json", "{}\n");
  r.write("old.txt", "old\n");
  r.write("gone staged.txt", "gone\n");
  r.write("name with space ü.txt", "before\n");
  r.write(".gitignore", "build/\n");
  r.commit("initial");

  r.write("src/lib.mjs", "export const add = (a, b) => a + b + 1; // bug\n");
  const changed = Buffer.from(binaryAtHead);
  changed[7] = 0;
  changed[8] = 255;
  r.write("assets/logo.bin", changed);
  r.write("bin/tool.sh", "#!/bin/sh\necho tool\n", 0o644);
  r.remove("link");
  r.symlink("README.md", "link");
  r.remove("conf.json");
  r.symlink("old.txt", "conf.json");
  r.remove("old.txt");
  r.git("rm", "-q", "gone staged.txt");
  r.write("name with space ü.txt", "after\n");
  r.write("new.txt", "new\n");
  r.write("new-staged.txt", "staged\n");
  r.git("add", "new-staged.txt");
  r.write("newdir/deep/file.txt", "deep\n");
  r.write("build/out.log", "ignored build output\n");
  // A partially staged edit: the index must come back exactly.
  r.git("add", "src/lib.mjs");
  r.write("src/lib.mjs", "export const add = (a, b) => a + b + 1; // bug, unstaged part\n");
  r.write("test/helper.mjs", "export const helper = 1;\n");
  r.write("test/check.test.mjs", check);
  return r;
}

test("every kind of change is reverted exactly, and comes back byte for byte", () => {
  repo = kindsRepo();
  const { json, status } = attributeUntouched(repo, ["node", "test/check.test.mjs"]);
  const attempts = json["attempts"] as { strategy: string; outcome: string; suspects: string[] }[];
  expect(json.verdict, JSON.stringify(json, null, 2)).toBe("regression");
  expect(status).toBe(1);
  // The reverted tree is exactly what the baseline runs saw: nothing for a residue ref.
  expect((json["restore"] as { residue: string[] }).residue).toEqual([]);
  expect(attempts.map((a) => [a.strategy, a.outcome])).toEqual([
    ["baseline-reset", "unrunnable"],
    ["selective-revert", "decided"],
  ]);
  expect(json["suspects"]).toEqual([
    "assets/logo.bin",
    "bin/tool.sh",
    "conf.json",
    "gone staged.txt",
    "link",
    "name with space ü.txt",
    "new-staged.txt",
    "new.txt",
    "newdir/deep/file.txt",
    "old.txt",
    "src/lib.mjs",
  ]);
});

test("a test that writes files at the reverted baseline: kept under a residue ref, tree restored", () => {
  repo = kindsRepo();
  repo.write(
    "test/check.test.mjs",
    `import { writeFileSync } from "node:fs";\nif (process.env.CULPRIT_SIDE === "baseline") writeFileSync("src/lib.mjs", "scribbled\\n");\n${check}`,
  );
  const before = captureState(repo);
  const result = runCulprit(repo, [
    "--json",
    "--strategy",
    "revert",
    "--",
    "node",
    "test/check.test.mjs",
  ]);
  expect(captureState(repo)).toEqual(before);
  const json = JSON.parse(result.stdout);
  expect(json.restore.verified).toBe(true);
  expect(json.restore.residue.some((ref: string) => ref.endsWith("/baseline"))).toBe(true);
});
