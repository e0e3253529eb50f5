import { expect, test } from "vitest";
import { captureState, runCulpritAsync } from "../repos/harness.js";
import { expectIsolateUntouched, parseIsolateJson } from "../repos/isolate.js";
import { refactorCommand, refactorRepo } from "../repos/refactor.js";

/*
 * A rename caught half-way (test/repos/refactor.ts): the bug sits a line below a renamed call,
 * in the same hunk. Configurations that rename the definition but not every caller break the
 * regressed test another way (a TypeError, a ReferenceError, a module that does not link): they
 * must not count as reproducing its AssertionError (delta debugging's slippage), or the search
 * blames the renamed call. When every hunk left is needed to run, the search goes on into lines.
 */

type Hunk = { id: string; file: string; startLine: number; endLine: number; patch: string };
type Doc = {
  verdict: string;
  hunks: Hunk[];
  needed: Hunk[];
  distinct: number;
  configurations: { units: string[]; runs: { judged: string; otherFailure?: string }[] }[];
};

async function isolate(style: "esm" | "cjs", lines: boolean) {
  const repo = refactorRepo(style);
  try {
    const before = captureState(repo);
    const args = ["isolate", "--json", ...(lines ? ["--lines"] : []), "--", ...refactorCommand];
    const result = await runCulpritAsync(repo, args);
    const doc = parseIsolateJson<Doc>(result);
    expectIsolateUntouched(repo, before);
    return { result, doc };
  } finally {
    repo.cleanup();
  }
}

const bugLine = { esm: ["src/invoice.mjs", 10], cjs: ["src/invoice.cjs", 11] } as const;

for (const style of ["esm", "cjs"] as const) {
  for (const lines of [false, true]) {
    test.concurrent(`${style}${lines ? ", --lines" : ""}: the bug's line, not the renamed call next to it`, async () => {
      const { result, doc } = await isolate(style, lines);
      expect(doc.verdict, result.stderr).toBe("isolated");
      expect(result.status).toBe(0);
      const [file, line] = bugLine[style];
      expect(doc.hunks.map((h) => [h.file, h.startLine, h.endLine])).toEqual([[file, line, line]]);
      expect(doc.hunks[0]!.patch).toContain("+  return taxOf(total) * 1.0000001;");
      expect(doc.needed).toEqual([]);
      console.log(
        `${style}${lines ? " --lines" : ""}: ${doc.distinct} configurations, ${
          doc.configurations.flatMap((c) => c.runs).filter((r) => r.otherFailure).length
        } run(s) failing otherwise`,
      );
    }, 120_000);
  }
}

test.concurrent("a run that fails with another kind of error is judged apart, and the report says so", async () => {
  // CommonJS without --lines: the hunk level tries the invoice hunk without lib's rename
  // (`lib.sumItems is not a function`): a TypeError where the user's tree fails an assertion.
  const { doc } = await isolate("cjs", false);
  const other = doc.configurations.flatMap((c) => c.runs).filter((r) => r.otherFailure);
  expect(other.length).toBeGreaterThan(0);
  for (const r of other) {
    expect(r.judged).toBe("cannot-run");
    expect(r.otherFailure).toBe("TypeError");
  }
  const repo = refactorRepo("cjs");
  try {
    const human = await runCulpritAsync(repo, ["isolate", "--", ...refactorCommand]);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain("[failed otherwise (TypeError)]");
    expect(human.stdout).toContain("guilty: src/invoice.cjs, line 11");
  } finally {
    repo.cleanup();
  }
}, 180_000);
