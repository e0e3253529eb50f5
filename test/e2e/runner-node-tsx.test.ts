import { expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { jsProjectRepo } from "../repos/runner-projects.js";

/*
 * TypeScript tests run by node's own runner through a loader, `node --import tsx --test`, as TS
 * projects do without a test framework: node read each test's line in the compiled code, and
 * every test of the file was reported at line 1. culprit turns source maps on for such a
 * command, and the lines are the file's (tsx from this checkout's node_modules, the real one).
 */
const lib = (body: string) =>
  `export function add(a: number, b: number): number {\n  return ${body};\n}\nexport function money(cents: number): string {\n  return (cents / 100).toFixed(2);\n}\n`;

test("node --import tsx --test: each test at its own line, one old failure and one new", () => {
  const repo = jsProjectRepo(
    {
      "package.json": '{ "type": "module" }\n',
      "src/lib.ts": lib("a + b"),
      "test/lib.test.ts":
        'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { add, money } from "../src/lib.ts";\n\ntest("adds", () => assert.equal(add(2, 2), 4));\ntest("formats money", () => assert.equal(money(123456), "1,234.56"));\n',
    },
    "a TypeScript library whose money test already fails",
  );
  try {
    repo.write("src/lib.ts", lib("a + b + 1"));
    const { json, status } = attributeUntouched(repo, [
      "node",
      "--import",
      "tsx",
      "--test",
      "test/lib.test.ts",
    ]);
    const tests = json["tests"] as { name: string; verdict: string; line: number | null }[];
    expect(json["verdict"], JSON.stringify(tests)).toBe("regression");
    expect(status).toBe(1);
    expect(tests.map((t) => [t.name, t.verdict, t.line])).toEqual([
      ["adds", "regression", 5],
      ["formats money", "pre-existing", 6],
    ]);
  } finally {
    repo.cleanup();
  }
}, 240_000);
