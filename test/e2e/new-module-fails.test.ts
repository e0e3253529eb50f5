import { expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo } from "../repos/harness.js";

/*
 * Test first, the other way round: a new module, a new test of it, and the bug in the module
 * (found trying culprit on tj/commander.js: lib/camel.js and tests/camel.test.js). The test
 * cannot run at HEAD (its file is new), nor with the module reverted; with the module kept it
 * fails whatever else is reverted. The headline listed the four reverts that could not run,
 * "(and no more sets were tried)", and not the ones that ran and failed: it now says that the
 * command cannot run without the module and fails with it. Still `unrunnable`, exit 2: no
 * baseline can tell a bug in the module from one in its new test.
 */

test("a new module and its new test, the bug in the module: no baseline leaves it out, and the headline says so", () => {
  const repo = createRepo();
  try {
    repo.write("src/lib.mjs", "// Money.\nexport function add(a, b) {\n  return a + b;\n}\n");
    repo.write(
      "test/lib.test.mjs",
      'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { add } from "../src/lib.mjs";\n\ntest("adds", () => assert.equal(add(1, 2), 3));\n',
    );
    repo.commit("init");
    // A harmless edit of an old source, and the new module with its new test.
    repo.write(
      "src/lib.mjs",
      "// Money, in cents.\nexport function add(a, b) {\n  return a + b;\n}\n",
    );
    repo.write(
      "src/slug.mjs",
      'export function slug(title) {\n  return title.toLowerCase().replace(" ", "-");\n}\n',
    );
    repo.write(
      "test/slug.test.mjs",
      'import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { slug } from "../src/slug.mjs";\n\ntest("slugs every space", () => assert.equal(slug("A B C"), "a-b-c"));\n',
    );
    const { json, status } = attributeUntouched(repo, ["node", "--test", "test/slug.test.mjs"]);
    expect(json.verdict).toBe("unrunnable");
    expect(status).toBe(2);
    expect(json.reason).toBe(
      "the command cannot run without src/slug.mjs, and with it still fails with every other change of yours reverted: the failure is in src/slug.mjs or in the test itself",
    );
  } finally {
    repo.cleanup();
  }
}, 120_000);
