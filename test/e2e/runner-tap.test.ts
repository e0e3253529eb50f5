import { describe, expect, test } from "vitest";
import { attributeUntouched, twoRuns } from "../repos/expect-untouched.js";
import { runnerMatrix } from "../repos/runner-matrix.js";
import { runnerMissing } from "../repos/runner-projects.js";
import { runnerKits, runnerRepo } from "../repos/runner-scenarios.js";

// Issue 9's matrix with the real node-tap (tap 21, a devDependency): see
// test/repos/runner-matrix.ts for the cases. Before culprit read tap's raw TAP (--output-file),
// the suite with one old failure and one new read PRE-EXISTING, exit 0, over the regression.
runnerMatrix("tap");

const kit = runnerKits["tap"]!;
const missing = runnerMissing("tap");

describe.skipIf(missing !== null)("tap, beyond the matrix", () => {
  // A before hook that throws stops the file before it declares its tests: tap's TAP then has
  // the file with one failing point and no test. Read as a test of its own, that id was new on
  // your tree, and a plain regression read UNRUNNABLE, exit 2 (found in review).
  test("a before hook your change breaks: the file fails outside any test, a regression", () => {
    const repo = runnerRepo(kit);
    try {
      repo.write("src/db.js", "exports.setup = async () => {};\n");
      repo.write(
        "test/db.test.js",
        [
          'const t = require("tap");',
          'const db = require("../src/db.js");',
          "t.before(async () => { await db.setup(); });",
          't.test("reads", async (t) => { t.ok(true); });',
          't.test("writes", async (t) => { t.ok(true); });',
          "",
        ].join("\n"),
      );
      repo.commit("a database test with a setup hook");
      repo.write("src/db.js", 'exports.setup = async () => { throw new Error("db down"); };\n');
      const { json, status } = attributeUntouched(
        repo,
        [...kit.byBin!, "test/db.test.js", "test/lib.test.js"],
        [...twoRuns],
        kit.env,
      );
      expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
      expect(status).toBe(1);
      const tests = json["tests"] as { id: string; verdict: string; message: string | null }[];
      expect(tests.map((t) => [t.id, t.verdict, t.message])).toEqual([
        ["test/db.test.js", "regression", "db down"],
        ["test/lib.test.js::lib > formats money", "pre-existing", expect.any(String)],
      ]);
    } finally {
      repo.cleanup();
    }
  }, 300_000);
});
