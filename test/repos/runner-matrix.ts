import { describe, expect, test } from "vitest";
import { attributeUntouched, twoRuns } from "./expect-untouched.js";
import { runnerMissing } from "./runner-projects.js";
import { type RunnerKit, runnerKits, runnerRepo, writeAll } from "./runner-scenarios.js";

type Test = {
  id: string;
  name: string;
  file: string | null;
  verdict: string;
  current: { runs: number; failures: number };
  baseline: { runs: number; failures: number };
};
const testsOf = (json: Record<string, unknown>) => json["tests"] as Test[];
const verdictOf = (json: Record<string, unknown>, name: RegExp) =>
  testsOf(json).find((t) => name.test(t.name))?.verdict;

/** The bug, on top of the one-test files when they share a file (the Rust crate). */
function bugOnOneTest(kit: RunnerKit): Record<string, string> {
  const bug: Record<string, string> = {};
  for (const [path, content] of Object.entries(kit.bug)) {
    const base = kit.oneTest[path];
    bug[path] = base ? base.replace("    a + b\n", "    a + b + 1\n") : content;
  }
  return bug;
}

/**
 * Issue 9's matrix for one real runner, each case on a real repository with the tree checked
 * byte for byte afterwards: a one-test regression; a suite with one failure already there and
 * one new (regression, each test right), also with --base; a suite whose only failure was there
 * already (pre-existing, exit 0); a new test file with a new helper the baseline does not have
 * (a selective revert keeps the test, reverts the source: regression in the source). The suite
 * case runs at culprit's defaults, the others at two runs a side (twoRuns).
 */
// The five cases run one after the other (each runs culprit with spawnSync, which blocks the
// event loop: as test.concurrent they ran in turn too, but every timer counted from the start,
// and five Playwright cases took 249 s on a slow machine), each with its own 300 s: one
// Playwright case takes about 35 s on 2 idle cores, 50 s on that machine.
export function runnerMatrix(name: string): void {
  const kit = runnerKits[name]!;
  const missing = runnerMissing(kit.runner);
  if (missing) console.log(`skipped the ${name} runner: ${missing}`);
  const env = kit.env ?? {};
  // The first two cases as a user types the command (npx included), the rest by the bin.
  const byBin = kit.byBin ?? kit.suite;

  describe.skipIf(missing !== null)(`${name}, with the real runner`, () => {
    test("one test broken by the edit: regression, that test named", async () => {
      const repo = runnerRepo(kit);
      try {
        writeAll(repo, kit.oneTest);
        repo.commit("one test");
        writeAll(repo, bugOnOneTest(kit));
        const { json, status } = attributeUntouched(
          repo,
          kit.oneFile,
          [...twoRuns],
          env,
          kit.outputs,
        );
        expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
        expect(status).toBe(1);
        expect(testsOf(json).map((t) => [t.name.replace(/.*(adds)$/, "$1"), t.verdict])).toEqual([
          ["adds", "regression"],
        ]);
        expect(testsOf(json)[0]!.file).toBe(kit.addsFile);
      } finally {
        repo.cleanup();
      }
    }, 300_000);

    test("the suite: one failure already there, one new: regression, each test right", async () => {
      const repo = runnerRepo(kit);
      try {
        writeAll(repo, kit.bug);
        const { json, status } = attributeUntouched(repo, kit.suite, [], env, kit.outputs);
        expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
        expect(status).toBe(1);
        expect(verdictOf(json, /adds$/)).toBe("regression");
        expect(verdictOf(json, /formats.money$/)).toBe("pre-existing");
        expect(testsOf(json).filter((t) => t.verdict === "regression")).toHaveLength(1);
      } finally {
        repo.cleanup();
      }
    }, 300_000);

    test("the same with --base: the edit committed on a branch", async () => {
      const repo = runnerRepo(kit);
      try {
        writeAll(repo, kit.bug);
        repo.commit("the refactor");
        const { json, status } = attributeUntouched(
          repo,
          byBin,
          ["--base", "HEAD~1", ...twoRuns],
          env,
          kit.outputs,
        );
        expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
        expect(status).toBe(1);
        expect(json["strategy"]).toBe("base-revision");
        expect(verdictOf(json, /adds$/)).toBe("regression");
        expect(verdictOf(json, /formats.money$/)).toBe("pre-existing");
      } finally {
        repo.cleanup();
      }
    }, 300_000);

    test("only the failure that was there: pre-existing, exit 0", async () => {
      const repo = runnerRepo(kit);
      try {
        repo.write("NOTES.md", "an unrelated change\n");
        const { json, status } = attributeUntouched(repo, byBin, [...twoRuns], env, kit.outputs);
        expect(json.verdict, JSON.stringify(json["tests"])).toBe("pre-existing");
        expect(status).toBe(0);
        expect(testsOf(json).map((t) => t.verdict)).toEqual(["pre-existing"]);
      } finally {
        repo.cleanup();
      }
    }, 300_000);

    test("a new test file and the helper it needs: a selective revert names the source", async () => {
      const repo = runnerRepo(kit);
      try {
        writeAll(repo, kit.bug);
        writeAll(repo, kit.newTest);
        const { json, status } = attributeUntouched(repo, byBin, [...twoRuns], env, kit.outputs);
        expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
        expect(status).toBe(1);
        // The new test is judged at a baseline that keeps it and reverts the source.
        const discount = testsOf(json).find((t) => /10.off$/.test(t.name));
        expect(discount?.verdict, JSON.stringify(json["tests"])).toBe("regression");
        expect(json["strategy"]).toBe("selective-revert");
        expect(json["suspects"]).toContain(kit.source);
        expect(verdictOf(json, /formats.money$/)).toBe("pre-existing");
      } finally {
        repo.cleanup();
      }
    }, 300_000);
  });
}
