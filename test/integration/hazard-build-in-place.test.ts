import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, culpritRefs, runCulprit, type TestRepo } from "../repos/harness.js";

/*
 * In place, a command that builds (`npm run build && ...`) writes the baseline's build into your
 * ignored dist/ at the baseline, and culprit leaves ignored files alone: when the baseline's runs
 * came last, your dist/ holds the baseline's build afterwards. Before, nothing said so (the
 * README did); a dev server or a script reading dist/ then ran the old code. The report now
 * names the folders (`buildsLeft`), and everything else is byte-identical.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const lib = (body: string) => `module.exports = { add: (a, b) => ${body} };\n`;

function buildRepo(ignore = "dist/\n", keep?: string): TestRepo {
  const r = createRepo();
  r.write(".gitignore", ignore);
  if (keep) r.write(keep, "");
  r.write("src/lib.js", lib("a + b"));
  r.write(
    "build.js",
    'const fs = require("node:fs");\nfs.mkdirSync("dist", { recursive: true });\nfs.copyFileSync("src/lib.js", "dist/lib.js");\n',
  );
  r.write(
    "check.js",
    'const { add } = require("./dist/lib.js");\nprocess.exit(add(2, 2) === 4 ? 0 : 1);\n',
  );
  r.commit("a library built into dist/");
  // Your change, built.
  r.write("src/lib.js", lib("a + b + 1"));
  return r;
}

const buildAndCheck = ["sh", "-c", "node build.js && node check.js"];

test("a command that builds: the baseline's build is left in dist/, and the report says so", () => {
  repo = buildRepo();
  buildDist(repo);
  // Everything but dist/ byte-identical, the work verified, no backup ref left.
  const { json } = attributeUntouched(repo, buildAndCheck, [], {}, ["dist"]);
  expect(json["verdict"]).toBe("regression");
  expect(json["buildsLeft"]).toEqual(["dist"]);
  expect(json["buildsNotRebuilt"]).toEqual([]);
  expect(culpritRefs(repo)).toEqual([]);
  // What the note is about: dist/ is HEAD's build now.
  expect(readFileSync(join(repo.dir, "dist", "lib.js"), "utf8")).toBe(
    repo.git("show", "HEAD:src/lib.js"),
  );
  const human = runCulprit(repo, ["--no-cache", "--", ...buildAndCheck]);
  expect(human.stderr + human.stdout).toMatch(
    /note: your dist holds the baseline's build now \(the last runs were the baseline's; culprit does not restore ignored files\): build again before you use it, or use --worktree/,
  );
});

test.each([
  ["dist/ not built yet: the baseline's build made it", "dist/\n", undefined, false],
  [
    "dist/* with a kept .gitkeep (git lists the files, not the folder)",
    "dist/*\n!dist/.gitkeep\n",
    "dist/.gitkeep",
    true,
  ],
])("%s: named too", (_name, ignore, keep, built) => {
  repo = buildRepo(ignore, keep);
  if (built) buildDist(repo);
  const { json } = attributeUntouched(repo, buildAndCheck, [], {}, ["dist"]);
  expect(json["verdict"]).toBe("regression");
  expect(json["buildsLeft"]).toEqual(["dist"]);
  expect(readFileSync(join(repo.dir, "dist", "lib.js"), "utf8")).toBe(
    repo.git("show", "HEAD:src/lib.js"),
  );
});

test("a command that only reads dist/: nothing rewritten, and the report says your build was on both sides", () => {
  repo = buildRepo();
  buildDist(repo);
  // Byte-identical, dist/ included.
  const { json } = attributeUntouched(repo, ["node", "check.js"]);
  expect(json["buildsLeft"]).toEqual([]);
  // Your build of your change, tested at the baseline too (found on yargs/yargs-parser, whose
  // tests import ../build/lib): the regression reads pre-existing, and the report says why.
  expect(json["verdict"]).toBe("pre-existing");
  expect(json["buildsNotRebuilt"]).toEqual(["dist"]);
  const human = runCulprit(repo, ["--no-cache", "--", "node", "check.js"]);
  expect(human.stderr + human.stdout).toMatch(
    /note: dist \(an ignored build output of yours\) was not rebuilt at the baseline: if the tests load it, the baseline ran your build of your changes, and a regression reads pre-existing: build in the command/,
  );
});

test("build/ holding only a coverage report (jest's coverageDirectory: build/coverage) is no build", () => {
  // moment/luxon: "your build was not rebuilt at the baseline" over a folder the tests never
  // load, and after a coverage run, "your build holds the baseline's build now".
  repo = createRepo();
  repo.write(".gitignore", "build/\n");
  repo.write("src/lib.js", lib("a + b"));
  repo.write(
    "check.js",
    'const fs = require("node:fs");\nconst { add } = require("./src/lib.js");\nif (process.env.COVER) { fs.mkdirSync("build/coverage", { recursive: true }); fs.writeFileSync("build/coverage/lcov.info", String(add(2, 2))); }\nprocess.exit(add(2, 2) > 100 ? 0 : 1);\n',
  );
  repo.commit("a library, its coverage in build/coverage");
  repo.write("src/lib.js", lib("a + b + 1"));
  // An earlier coverage run left its report (the check fails, as it does at HEAD).
  spawnSync("node", ["check.js"], { cwd: repo.dir, env: { ...repo.env, COVER: "1" } });
  const plain = attributeUntouched(repo, ["node", "check.js"], ["--no-cache"]);
  expect(plain.json["verdict"]).toBe("pre-existing");
  expect(plain.json["buildsNotRebuilt"]).toEqual([]);
  const covered = attributeUntouched(repo, ["node", "check.js"], ["--no-cache"], { COVER: "1" }, [
    "build",
  ]);
  expect(covered.json["buildsLeft"]).toEqual(["build/coverage"]);
  expect(covered.json["buildsNotRebuilt"]).toEqual([]);
});

/** Builds your tree's dist/ as you would have before running culprit. */
function buildDist(r: TestRepo): void {
  execFileSync("node", ["build.js"], { cwd: r.dir, env: r.env });
}
