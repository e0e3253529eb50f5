import { afterEach, expect, test } from "vitest";
import { captureState, createRepo, runCulprit, type TestRepo } from "../repos/harness.js";

/*
 * `culprit isolate --lines` where the guilty change is a line replaced by two (the commonest
 * edit): each new line alone is a syntax error, so no configuration holding one of them can run,
 * and removing both passes. Found trying culprit on jprichardson/node-fs-extra: both lines were
 * called "needed to run", no hunk guilty: NO GUILTY HUNK, exit 2. They are guilty together.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a line replaced by two that cannot run apart: both named guilty, exit 0, the tree as it was", () => {
  repo = createRepo();
  repo.write(
    "lib.js",
    "'use strict'\nfunction ensure (dir, made) {\n  if (!made.has(dir)) {\n    made.add(dir)\n  }\n  return made\n}\nmodule.exports = { ensure }\n",
  );
  repo.write(
    "test.js",
    "const assert = require('assert')\nconst { ensure } = require('./lib')\nassert.ok(ensure('a', new Set()).has('a'))\n",
  );
  repo.commit("init");
  repo.write(
    "lib.js",
    "'use strict'\nfunction ensure (dir, made) {\n  const exists = made.has(dir)\n  if (exists === false && dir === '') {\n    made.add(dir)\n  }\n  return made\n}\nmodule.exports = { ensure }\n",
  );
  const before = captureState(repo);
  const r = runCulprit(repo, ["isolate", "--lines", "--json", "--", "node", "test.js"]);
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as {
    verdict: string;
    hunks: { file: string; startLine: number; endLine: number }[];
    needed: unknown[];
  };
  expect(doc.verdict, r.stdout).toBe("isolated");
  expect(doc.hunks.map((h) => [h.file, h.startLine, h.endLine])).toEqual([
    ["lib.js", 3, 3],
    ["lib.js", 4, 4],
  ]);
  expect(doc.needed).toEqual([]);
  expect(captureState(repo)).toEqual(before);
}, 120_000);
