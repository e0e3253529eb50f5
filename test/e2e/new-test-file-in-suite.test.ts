import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

// A folder run (`node --test test/`) with a test file your changes add: a plain script (as tape
// files are), which node --test reports as one entry, the file's own, and only that (found on
// ljharb/qs). A file's entry is listed when the file fails; absent, it passed. At the baseline
// the file does not exist, its entry was absent, and the file read "regression: fails 5/5 with
// your changes, 0/3 without", a baseline it never ran at. It is a new test: judged at the
// selective revert that keeps your tests, where it cannot load its helper, which says so. Its
// failure is the assertion, from what the file wrote on stderr (node's own error for such a
// file is "test failed").

let repo: TestRepo | null = null;
afterEach(() => {
  repo?.cleanup();
  repo = null;
});

interface TestRow {
  name: string;
  verdict: string;
  reason: string;
  attempt: number | null;
  message: string | null;
}

test("node --test test/ with a new plain test file: judged where it exists, by its own error", () => {
  repo = createRepo();
  repo.write("lib/enc.js", 'exports.enc = (s) => s.replace(/[^a-z~]/g, "_");\n');
  repo.write(
    "test/enc.test.js",
    [
      'const test = require("node:test");',
      'const assert = require("node:assert");',
      'const { enc } = require("../lib/enc");',
      'test("keeps tildes", () => assert.strictEqual(enc("a~b"), "a~b"));',
      'test("adds up", () => assert.strictEqual(0.1 + 0.2, 0.3));',
      "",
    ].join("\n"),
  );
  repo.commit("enc, with a test that always failed");
  // Your changes: enc drops tildes, and a new helper with a new plain test file of its own.
  repo.write("lib/enc.js", 'exports.enc = (s) => s.replace(/[^a-z]/g, "_");\n');
  repo.write("lib/chars.js", "exports.unreserved = (c) => /[a-z]/.test(c);\n");
  repo.write(
    "test/chars.js",
    [
      'const assert = require("node:assert");',
      'const { unreserved } = require("../lib/chars");',
      'assert.ok(unreserved("~"), "tilde is unreserved");',
      "",
    ].join("\n"),
  );
  const { json, status } = attributeUntouched(repo, ["node", "--test", "test/"], ["--no-cache"]);
  expect(json.verdict, String(json.reason)).toBe("regression");
  expect(status).toBe(1);
  const rows = json["tests"] as TestRow[];
  const byName = (name: string) => rows.find((t) => t.name === name);
  expect(byName("keeps tildes")).toMatchObject({ verdict: "regression", attempt: 1 });
  expect(byName("adds up")).toMatchObject({ verdict: "pre-existing", attempt: 1 });
  const chars = byName("test/chars.js");
  // Judged at the selective revert (attempt 2), never against HEAD, which has no such file.
  expect(chars?.attempt).toBe(2);
  expect(chars?.reason).not.toMatch(/ without[:;]/);
  expect(chars?.message).toMatch(/^AssertionError \[ERR_ASSERTION\]: tilde is unreserved/);
});
