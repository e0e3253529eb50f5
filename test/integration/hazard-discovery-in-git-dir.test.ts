import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo } from "../repos/harness.js";

/*
 * Hazard: a runner that discovers test files by walking the tree walks into `.git/` too. `node
 * --test` with no path does (Node 20: `**\/test/**\/*.mjs` matches
 * `.git/culprit/aside/test/format.test.mjs`). The default baseline moves your changed and
 * untracked files into `.git/culprit/aside` (src/git/aside.ts): named as they were, the
 * baseline ran your new test file from there, and it imported your `src/price.mjs` beside it.
 * The baseline then failed with your changes, and with the command's exit code alone
 * (`--per-test off`) a regression read PRE-EXISTING, exit 0.
 *
 * The everyday case: the whole suite, run as `node --test`, a change to the code and a new test
 * file of your own. Asserted: no test ran from inside `.git/`, the verdict, and the repository
 * byte-identical afterwards.
 */

const price = (body: string) => `export const total = (price, quantity) => ${body};\n`;

function project() {
  const repo = createRepo();
  repo.write("src/price.mjs", price("price * quantity"));
  repo.write(
    "test/price.test.mjs",
    [
      'import test from "node:test";',
      'import assert from "node:assert";',
      'import { appendFileSync } from "node:fs";',
      'import { total } from "../src/price.mjs";',
      // Every test file says where it ran from, outside the repository (no residue to keep).
      'appendFileSync(process.env.RAN_FROM, import.meta.url + "\\n");',
      'test("total multiplies", () => assert.strictEqual(total(3, 4), 12));',
      "",
    ].join("\n"),
  );
  repo.commit("price");
  // Your changes: the code broken, and a new test file of yours that imports it.
  repo.write("src/price.mjs", price("price + quantity"));
  repo.write(
    "test/format.test.mjs",
    [
      'import test from "node:test";',
      'import assert from "node:assert";',
      'import { appendFileSync } from "node:fs";',
      'import { total } from "../src/price.mjs";',
      'appendFileSync(process.env.RAN_FROM, import.meta.url + "\\n");',
      'test("formats a total", () => assert.strictEqual(total(2, 5) + " EUR", "10 EUR"));',
      "",
    ].join("\n"),
  );
  return repo;
}

for (const perTest of ["on", "off"]) {
  test(`node --test, the whole suite, --per-test ${perTest}: nothing runs from .git/`, async () => {
    const repo = project();
    try {
      const ranFrom = `${repo.home}/ran-from.txt`;
      const { json, status } = attributeUntouched(
        repo,
        ["node", "--test"],
        ["--per-test", perTest, "--no-cache"],
        { RAN_FROM: ranFrom },
      );
      const files = readFileSync(ranFrom, "utf8").trim().split("\n");
      expect(files.filter((f) => f.includes("/.git/"))).toEqual([]);
      expect(json.verdict, String(json.reason)).toBe("regression");
      expect(status).toBe(1);
    } finally {
      repo.cleanup();
    }
  });
}
