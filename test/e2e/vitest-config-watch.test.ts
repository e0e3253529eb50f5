import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

/*
 * `watch: true` in vitest.config: a bare `npx vitest` (no `run`) watched the files and never
 * ended; every run hung until the timeout and was retried (2 min 34 s at --timeout 15s, about
 * 50 minutes at the default: unjs/defu trial). `vitest watch` on the command line is refused; in
 * a config file, culprit's `--run` (beside its `--bail=0`) turns it off. The real vitest, a
 * suite with one old failure and one new one.
 */

const missing = runnerMissing("vitest");
if (missing) console.log(`vitest-config-watch: skipped: ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.skipIf(missing !== null)(
  "watch: true in vitest.config.mjs, a bare `npx vitest`: the runs end, each test judged",
  () => {
    repo = jsProjectRepo(
      {
        "package.json": '{ "type": "module" }\n',
        "vitest.config.mjs":
          'import { defineConfig } from "vitest/config";\nexport default defineConfig({ test: { watch: true } });\n',
        "lib.js": "export const total = (a, b) => a + b;\n",
        "test/total.test.js": [
          'import { expect, it } from "vitest";',
          'import { total } from "../lib.js";',
          'it("old failure", () => expect(1).toBe(2));',
          'it("total", () => expect(total(2, 2)).toBe(4));',
          "",
        ].join("\n"),
      },
      "tests, one already failing, vitest set to watch",
    );
    repo.write("lib.js", "export const total = (a, b) => a * b + 1;\n");
    const { json, status } = attributeUntouched(
      repo,
      ["npx", "vitest"],
      ["--no-cache", "--timeout", "20s", "--kill-after", "2s"],
    );
    expect(json.verdict, String(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const runs = json["runs"] as { outcome: string }[];
    expect(runs.filter((r) => r.outcome === "hang")).toEqual([]);
    const tests = json["tests"] as { name: string; verdict: string }[];
    expect(tests.map((t) => [t.name, t.verdict]).sort()).toEqual([
      ["old failure", "pre-existing"],
      ["total", "regression"],
    ]);
  },
  240_000,
);
