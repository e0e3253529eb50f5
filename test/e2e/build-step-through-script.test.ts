import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { jsProjectRepo, worktreeModules } from "../repos/runner-projects.js";

// A build step through a script before the tests, `--shell "npm run build && node --test
// test/"` (the README's own example; remarkjs/remark's `npm test` is of that shape), the real
// tsc behind `npm run build`. Your change breaks the type check: the build stops the command
// before any test runs. tsc's words make a run "could not run" only where `tsc` is in the
// command itself; through the script they were not seen, so the run read as a failure without
// tests, and the baseline (which builds) as a command "new in your tree": UNRUNNABLE, exit 2,
// "the baseline could not run", over a baseline that ran. A run that fails without the report
// of the runner after the build never reached the tests: your changes stop the command before
// it runs, a regression.

const missing = existsSync(join(worktreeModules, ".bin", "tsc"))
  ? null
  : "tsc is not in node_modules (npm ci first)";
if (missing) console.log(`build-step-through-script: skipped: ${missing}`);

test.skipIf(missing !== null)(
  "npm run build && node --test test/: a type error your change makes is a regression, the command stopped before it ran",
  () => {
    const repo = jsProjectRepo(
      {
        "package.json": '{ "name": "bs", "private": true, "scripts": { "build": "tsc -p ." } }\n',
        "tsconfig.json":
          '{ "compilerOptions": { "outDir": "dist", "rootDir": "src", "module": "commonjs", "target": "es2020", "strict": true }, "include": ["src"] }\n',
        "src/a.ts": "export const add = (a: number, b: number): number => a + b;\n",
        "test/a.test.js": [
          'const test = require("node:test");',
          'const assert = require("node:assert");',
          'const { add } = require("../dist/a.js");',
          'test("adds", () => assert.strictEqual(add(2, 2), 4));',
          'test("old", () => assert.strictEqual(0.1 + 0.2, 0.3));',
          "",
        ].join("\n"),
      },
      "a typed library, built into dist/, with a test that always failed",
    );
    try {
      repo.write(".gitignore", "node_modules\ndist/\n");
      repo.commit("dist is built");
      repo.write(
        "src/a.ts",
        'export const add = (a: number, b: number): number => a + b;\nexport const answer: number = "forty-two";\n',
      );
      const { json, status } = attributeUntouched(
        repo,
        [],
        ["--no-cache", "--runs", "2", "--shell", "npm run build && node --test test/"],
        {},
        ["dist"],
      );
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
      expect(String(json.reason)).toMatch(/^your changes stop the command before it runs/);
      const runs = json["runs"] as { side: string; outcome: string; why?: string }[];
      const yours = runs.filter((r) => r.side === "current");
      expect(yours.every((r) => r.outcome === "cannot-run")).toBe(true);
      expect(yours[0]!.why).toMatch(/^a build step before the tests failed \(exit \d+\)/);
      expect(runs.some((r) => r.side === "baseline" && r.outcome === "fail")).toBe(true);
    } finally {
      repo.cleanup();
    }
  },
);
