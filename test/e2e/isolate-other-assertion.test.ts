import { describe, expect, test } from "vitest";
import { captureState, createRepo, runCulpritAsync } from "../repos/harness.js";
import { expectIsolateUntouched, parseIsolateJson } from "../repos/isolate.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

/*
 * A configuration that fails the regressed test at another of its assertions, with the same kind
 * of error (found trying culprit on expressjs/express: stringify() moved out of response.js into
 * utils.js as stringifyJson, losing the escape of "&"). The call of the moved function without
 * its new definition throws inside the handler, which answers with an error page: the test then
 * fails at its check of the type, where your tree fails at its check of the body. Both are
 * AssertionErrors, so the old build took the call alone for your failure, blamed it as the whole
 * answer, and never named the definition that lost the escape. The line of the test's file
 * where it failed now tells them apart: the call is guilty and the new definition, which it
 * needs, is named beside it ("the failure may lie in it too": no outcome tells a bug in a
 * function from a bug in its call).
 */

const respond = (body: string[]) =>
  [
    'import * as utils from "./utils.mjs";',
    "",
    ...body,
    "// What a client gets back: a JSON body, or an error page when the value cannot be written.",
    "// (The status and the headers are left out of this sample.)",
    "export function respond(value) {",
    "  try {",
    "    return { type: utils.jsonType(), body: CALL };",
    "  } catch {",
    '    return { type: "html", body: "Internal Server Error" };',
    "  }",
    "}",
    "",
  ].join("\n");

const localStringify = [
  "// JSON, with the characters that HTML would read escaped.",
  "function stringify(value) {",
  '  return JSON.stringify(value).replace(/&/g, "\\\\u0026");',
  "}",
  "",
];

const utils = (extra: string[]) =>
  [
    "// Small helpers of the responses.",
    "",
    "export function jsonType() {",
    '  return "json";',
    "}",
    "",
    ...extra,
  ].join("\n");

const testFile = (imports: string) =>
  [
    'import assert from "node:assert";',
    imports,
    'import { respond } from "../lib/respond.mjs";',
    "",
    'it("answers JSON with & escaped", () => {',
    '  const answer = respond({ str: "&" });',
    '  assert.strictEqual(answer.type, "json");',
    '  assert.strictEqual(answer.body, \'{"str":"\\\\u0026"}\');',
    "});",
    "",
    'it("an old failure", () => {',
    "  assert.strictEqual(1 + 1, 3);",
    "});",
    "",
  ].join("\n");

const runners = [
  {
    runner: "mocha",
    imports: "",
    argv: ["node", "node_modules/.bin/mocha", "test/"],
  },
  {
    runner: "node",
    imports: 'import { it } from "node:test";',
    argv: ["node", "--test", "test/respond.test.mjs"],
  },
  {
    runner: "vitest",
    imports: 'import { it } from "vitest";',
    argv: ["node", "node_modules/.bin/vitest", "run", "test/"],
  },
] as const;

type Doc = {
  verdict: string;
  hunks: { file: string; startLine: number }[];
  needed: { file: string; startLine: number; usedBy?: string[] }[];
  othersFail: boolean | null;
  othersFailure?: string;
  configurations: { units: string[]; runs: { judged: string; otherFailure?: string }[] }[];
};

/** The guilty hunks and the needed ones, as file:startLine, and whether guilty ones use each needed one. */
function answer(doc: Doc) {
  return {
    guilty: doc.hunks.map((h) => `${h.file}:${h.startLine}`),
    needed: doc.needed.map((h) => `${h.file}:${h.startLine}${h.usedBy ? " (used)" : ""}`),
  };
}

describe.concurrent("a configuration failing another assertion of the test", () => {
  for (const { runner, imports, argv } of runners) {
    const missing = runnerMissing(runner);
    if (missing) console.log(`skipped ${runner}: ${missing}`);
    test.skipIf(missing !== null)(
      `${runner}: the call is guilty, and the moved definition it needs is named beside it; the tree as it was`,
      async () => {
        const repo = jsProjectRepo(
          {
            "package.json": '{ "type": "module" }\n',
            "lib/utils.mjs": utils([]),
            "lib/respond.mjs": respond(localStringify).replace("CALL", "stringify(value)"),
            "lib/other.mjs": "// Another module.\nexport const other = 1;\n",
            [`test/respond.test.mjs`]: testFile(imports),
          },
          "init",
        );
        try {
          // The refactor: stringify moves into utils.mjs as stringifyJson and loses the escape;
          // a harmless edit elsewhere, and a note of yours that git does not track.
          repo.write(
            "lib/utils.mjs",
            utils([
              "// JSON for a response body.",
              "export function stringifyJson(value) {",
              "  return JSON.stringify(value);",
              "}",
              "",
            ]),
          );
          repo.write("lib/respond.mjs", respond([]).replace("CALL", "utils.stringifyJson(value)"));
          repo.write(
            "lib/other.mjs",
            "// Another module, renamed nothing.\nexport const other = 1;\n",
          );
          repo.write("NOTES.md", "moving stringify\n");
          const before = captureState(repo);
          const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...argv]);
          const doc = parseIsolateJson<Doc>(result);
          expect(result.status, result.stderr).toBe(0);
          expect(doc.verdict, result.stdout).toBe("isolated");
          // The call (respond.mjs), and the new definition it uses (utils.mjs).
          expect(answer(doc), result.stdout).toEqual({
            guilty: ["lib/respond.mjs:7"],
            needed: ["lib/utils.mjs:6 (used)"],
          });
          // Some configuration failed the test at its check of the type: told apart by the line.
          const other = doc.configurations.flatMap((c) => c.runs).map((r) => r.otherFailure);
          expect(
            other.some((o) => /at another line: test\/respond\.test\.mjs:7$/.test(o ?? "")),
          ).toBe(true);
          expectIsolateUntouched(repo, before);
        } finally {
          repo.cleanup();
        }
      },
      150_000,
    );
  }

  const mochaMissing = runnerMissing("mocha");
  const mochaArgv = ["node", "node_modules/.bin/mocha", "test/"];
  const baseRepo = () =>
    jsProjectRepo(
      {
        "package.json": '{ "type": "module" }\n',
        "lib/utils.mjs": utils([]),
        "lib/respond.mjs": respond(localStringify).replace("CALL", "stringify(value)"),
        "test/respond.test.mjs": testFile(""),
      },
      "init",
    );
  const losesEscape = (text: string) => text.replace('.replace(/&/g, "\\\\u0026")', "");

  test.skipIf(mochaMissing !== null)(
    "mocha: your edit of the test file moves its assertions: lines compare only within one version of it, and the edit is not blamed",
    async () => {
      const repo = baseRepo();
      try {
        const original = respond(localStringify).replace("CALL", "stringify(value)");
        repo.write("lib/respond.mjs", losesEscape(original));
        // Two lines added above, and the failing assertion written over three lines.
        repo.write(
          "test/respond.test.mjs",
          `// The answers of respond().\n// (JSON only.)\n${testFile("")}`.replace(
            '  assert.strictEqual(answer.body, \'{"str":"\\\\u0026"}\');',
            '  assert.strictEqual(\n    answer.body,\n    \'{"str":"\\\\u0026"}\',\n  );',
          ),
        );
        const state = captureState(repo);
        const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...mochaArgv]);
        const doc = parseIsolateJson<Doc>(result);
        expect(result.status, result.stderr).toBe(0);
        expect(answer(doc), result.stdout).toEqual({ guilty: ["lib/respond.mjs:5"], needed: [] });
        expectIsolateUntouched(repo, state);
      } finally {
        repo.cleanup();
      }
    },
    150_000,
  );

  test.skipIf(mochaMissing !== null)(
    "mocha: two bugs, each failing another assertion: the one your tree fails at is named, and the rest is said to fail another way",
    async () => {
      const repo = baseRepo();
      try {
        // Your tree fails at the type (utils.mjs); the rest of your changes fail at the body.
        repo.write("lib/utils.mjs", utils([]).replace('return "json"', 'return "html"'));
        repo.write(
          "lib/respond.mjs",
          losesEscape(respond(localStringify).replace("CALL", "stringify(value)")),
        );
        const state = captureState(repo);
        const result = await runCulpritAsync(repo, ["isolate", "--json", "--", ...mochaArgv]);
        const doc = parseIsolateJson<Doc>(result);
        expect(result.status, result.stderr).toBe(0);
        expect(answer(doc), result.stdout).toEqual({ guilty: ["lib/utils.mjs:4"], needed: [] });
        // The rest fails at the body: another cause, or what leaving the hunk out broke.
        expect(doc.othersFail, result.stdout).toBeNull();
        expect(doc.othersFailure, result.stdout).toBe(
          "assertion at another line: test/respond.test.mjs:8",
        );
        expectIsolateUntouched(repo, state);
      } finally {
        repo.cleanup();
      }
    },
    150_000,
  );

  const jestMissing = runnerMissing("jest");
  if (jestMissing) console.log(`skipped jest: ${jestMissing}`);
  test.skipIf(jestMissing !== null)(
    "jest (CommonJS, a function exported by assignment): the call is guilty, and the moved definition it needs is named beside it; the tree as it was",
    async () => {
      const respondCjs = (body: string[], call: string) =>
        [
          'const utils = require("./utils");',
          "",
          ...body,
          "// What a client gets back: a JSON body, or an error page.",
          "function respond(value) {",
          "  try {",
          `    return { type: utils.jsonType(), body: ${call} };`,
          "  } catch {",
          '    return { type: "html", body: "Internal Server Error" };',
          "  }",
          "}",
          "",
          "module.exports = { respond };",
          "",
        ].join("\n");
      const utilsCjs = (extra: string[]) =>
        [
          "// Small helpers of the responses.",
          "",
          "exports.jsonType = function jsonType() {",
          '  return "json";',
          "};",
          "",
          ...extra,
        ].join("\n");
      const repo = jsProjectRepo(
        {
          "package.json": "{}\n",
          "lib/utils.js": utilsCjs([]),
          "lib/respond.js": respondCjs(localStringify, "stringify(value)"),
          "test/respond.test.js": [
            'const assert = require("node:assert");',
            'const { respond } = require("../lib/respond");',
            "",
            'test("answers JSON with & escaped", () => {',
            '  const answer = respond({ str: "&" });',
            '  assert.strictEqual(answer.type, "json");',
            '  assert.strictEqual(answer.body, \'{"str":"\\\\u0026"}\');',
            "});",
            "",
            'test("an old failure", () => {',
            "  assert.strictEqual(1 + 1, 3);",
            "});",
            "",
          ].join("\n"),
        },
        "init",
      );
      try {
        repo.write(
          "lib/utils.js",
          utilsCjs([
            "// JSON for a response body.",
            "exports.stringifyJson = function stringifyJson(value) {",
            "  return JSON.stringify(value);",
            "};",
            "",
          ]),
        );
        repo.write("lib/respond.js", respondCjs([], "utils.stringifyJson(value)"));
        const state = captureState(repo);
        const result = await runCulpritAsync(repo, [
          "isolate",
          "--json",
          "--",
          "node",
          "node_modules/.bin/jest",
          "test/",
        ]);
        const doc = parseIsolateJson<Doc>(result);
        expect(result.status, result.stderr).toBe(0);
        expect(doc.verdict, result.stdout).toBe("isolated");
        expect(answer(doc), result.stdout).toEqual({
          guilty: ["lib/respond.js:6"],
          needed: ["lib/utils.js:6 (used)"],
        });
        const other = doc.configurations.flatMap((c) => c.runs).map((r) => r.otherFailure);
        expect(
          other.some((o) => /at another line: test\/respond\.test\.js:6$/.test(o ?? "")),
          result.stdout,
        ).toBe(true);
        expectIsolateUntouched(repo, state);
      } finally {
        repo.cleanup();
      }
    },
    150_000,
  );

  const pytestMissing = runnerMissing("pytest");
  if (pytestMissing) console.log(`skipped pytest: ${pytestMissing}`);
  test.skipIf(pytestMissing !== null)(
    "pytest: the call is guilty, and the moved definition it needs is named beside it; the tree as it was",
    async () => {
      const respondPy = (body: string[], call: string) =>
        [
          "import json",
          "",
          "from lib import utils",
          "",
          ...body,
          "",
          "# What a client gets back: a JSON body, or an error page.",
          "def respond(value):",
          "    try:",
          `        return {"type": utils.json_type(), "body": ${call}}`,
          "    except Exception:",
          '        return {"type": "html", "body": "Internal Server Error"}',
          "",
        ].join("\n");
      const utilsPy = (extra: string[]) =>
        [
          "# Small helpers of the responses.",
          "",
          "",
          "def json_type():",
          '    return "json"',
          "",
          ...extra,
        ].join("\n");
      const repo = createRepo();
      try {
        repo.write(".gitignore", "__pycache__/\n.pytest_cache/\n");
        repo.write("lib/__init__.py", "");
        repo.write("lib/utils.py", utilsPy([]));
        repo.write(
          "lib/respond.py",
          respondPy(
            [
              "# JSON, with the characters that HTML would read escaped.",
              "def stringify(value):",
              '    return json.dumps(value).replace("&", "\\\\u0026")',
              "",
            ],
            "stringify(value)",
          ),
        );
        repo.write(
          "tests/test_respond.py",
          [
            "from lib.respond import respond",
            "",
            "",
            "def test_escapes():",
            '    answer = respond({"str": "&"})',
            '    assert answer["type"] == "json"',
            '    assert answer["body"] == \'{"str": "\\\\u0026"}\'',
            "",
            "",
            "def test_old_failure():",
            "    assert 1 + 1 == 3",
            "",
          ].join("\n"),
        );
        repo.commit("init");
        repo.write(
          "lib/utils.py",
          `import json\n\n${utilsPy(["", "# JSON for a response body.", "def stringify_json(value):", "    return json.dumps(value)", ""])}`,
        );
        repo.write("lib/respond.py", respondPy([], "utils.stringify_json(value)"));
        repo.write("NOTES.md", "moving stringify\n");
        const before = captureState(repo);
        const result = await runCulpritAsync(repo, [
          "isolate",
          "--json",
          "--",
          "python3",
          "-m",
          "pytest",
          "-q",
          "-p",
          "no:cacheprovider",
          "tests/",
        ]);
        const doc = parseIsolateJson<Doc>(result);
        expect(result.status, result.stderr).toBe(0);
        expect(doc.verdict, result.stdout).toBe("isolated");
        // The call, and the new definition it uses (with its import: one hunk).
        expect(answer(doc), result.stdout).toEqual({
          guilty: ["lib/respond.py:9"],
          needed: ["lib/utils.py:1 (used)"],
        });
        const other = doc.configurations.flatMap((c) => c.runs).map((r) => r.otherFailure);
        expect(
          other.some((o) => /at another line: tests\/test_respond\.py:6$/.test(o ?? "")),
          result.stdout,
        ).toBe(true);
        expectIsolateUntouched(repo, before);
      } finally {
        repo.cleanup();
      }
    },
    150_000,
  );
});
