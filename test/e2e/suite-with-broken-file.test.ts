import { afterEach, describe, expect, test } from "vitest";
import {
  captureState,
  createRepo,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";

// A whole suite in which one file cannot load (it imports a package that is not installed) on
// both sides, while the other files run: the everyday `node --test test/` of a project checked
// out without all its dev dependencies (found on ai/nanoid). node's words for the file
// (ERR_MODULE_NOT_FOUND) made every run "could not run", and the answer UNRUNNABLE, although 80
// tests ran. A run whose report shows tests that ran failed; the file is one of its failures.

let repo: TestRepo | null = null;
afterEach(() => {
  repo?.cleanup();
  repo = null;
});

describe("a suite with a file that cannot load", () => {
  test("node --test test/: the new failure is a regression, the broken file pre-existing", () => {
    repo = createRepo();
    repo.write("package.json", '{ "type": "module" }\n');
    repo.write("src/id.js", "export const alphabet = 'abcdef';\n");
    repo.write(
      "test/id.test.js",
      `import assert from "node:assert/strict";
import { test } from "node:test";
import { alphabet } from "../src/id.js";
test("alphabet has six letters", () => { assert.equal(alphabet.length, 6); });
test("alphabet starts at a", () => { assert.equal(alphabet[0], "a"); });
`,
    );
    repo.write(
      "test/bench.test.js",
      'import { bench } from "absent-bench-package";\nbench("ids", () => {});\n',
    );
    repo.commit("ids, and a benchmark whose package is not installed");
    repo.write("src/id.js", "export const alphabet = 'abcde';\n");
    const before = captureState(repo);
    const r = runCulprit(repo, ["--json", "--runs", "3", "--", "node", "--test", "test/"]);
    const json = parseJsonOutput(r) as ReturnType<typeof parseJsonOutput> & {
      tests: { name: string; verdict: string }[];
    };
    expect(json.verdict, r.stderr).toBe("regression");
    expect(r.status).toBe(1);
    const verdicts = Object.fromEntries(json.tests.map((t) => [t.name, t.verdict]));
    expect(verdicts["alphabet has six letters"]).toBe("regression");
    expect(Object.entries(verdicts).find(([name]) => /bench/.test(name))?.[1]).toBe("pre-existing");
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
  });
});
