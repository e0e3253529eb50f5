import { expect, test } from "vitest";
import { leftWorktrees } from "../repos/fault-matrix.js";
import { captureState, createRepo, culpritRefs, runCulpritAsync } from "../repos/harness.js";
import { readJournal } from "../repos/journal.js";

/*
 * A function moved into a new file, with a bug on the way (found trying culprit on
 * tj/commander.js: camelcase() moved out of lib/option.js). Three changes that cannot run apart:
 * the import alone declares the name twice (SyntaxError), the removal alone leaves it undefined
 * (ReferenceError), and the new file alone passes, since nothing imports it. The old build
 * called the new file, which holds the bug, "needed to run (not blamed)", went on into lines
 * and blamed the five removed lines of the old function one by one. The three hunks are guilty
 * together, and read as hunks.
 */

const lib = (body: string[]) =>
  [
    "'use strict'",
    ...body,
    "// Flags as the parser sees them.",
    "//",
    "// --word-word-word is wordWordWord.",
    "//",
    "// Nothing else here is about words.",
    "//",
    "// (A flag without dashes is its own name.)",
    "//",
    "// The parser is in parse.js.",
    "",
    "function camel (s) {",
    "  return s.split('-').map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('')",
    "}",
    "",
    "function flag (name) {",
    "  return camel(name.replace(/^--/, ''))",
    "}",
    "",
    "module.exports = { flag }",
    "",
  ].join("\n");

test("a function moved into a new file with a bug: the file, its import and the removal are guilty together, the tree as it was", async () => {
  const repo = createRepo();
  try {
    repo.write("lib.js", lib([]));
    repo.write(
      "test.js",
      "const assert = require('assert')\nconst { flag } = require('./lib')\nassert.strictEqual(flag('--word-word-word'), 'wordWordWord')\n",
    );
    repo.write("README", "flags\n");
    repo.commit("init");
    repo.write(
      "camel.js",
      "'use strict'\nfunction camel (s) {\n  const [first, second] = s.split('-')\n  return second === undefined ? first : first + second[0].toUpperCase() + second.slice(1)\n}\nmodule.exports = { camel }\n",
    );
    const moved = lib(["const { camel } = require('./camel')"]).replace(
      "function camel (s) {\n  return s.split('-').map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join('')\n}\n\n",
      "",
    );
    repo.write("lib.js", moved);
    repo.write("README", "flags, camel-cased\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["isolate", "--json", "--", "node", "test.js"]);
    let doc: {
      verdict: string;
      hunks: { file: string; startLine: number; endLine: number }[];
      needed: unknown[];
    };
    try {
      doc = JSON.parse(result.stdout) as typeof doc;
    } catch {
      throw new Error(`stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
    }
    expect(result.status, result.stderr).toBe(0);
    expect(doc.verdict, result.stdout).toBe("isolated");
    // camel.js whole, the import (line 2), the removal (at line 13 of your lib.js).
    expect(doc.hunks.map((h) => [h.file, h.startLine, h.endLine])).toEqual([
      ["camel.js", 1, 6],
      ["lib.js", 2, 2],
      ["lib.js", 13, 13],
    ]);
    expect(doc.needed).toEqual([]);
    expect(captureState(repo)).toEqual(before);
    expect(leftWorktrees(repo)).toEqual([]);
    expect(readJournal(repo)).toBeNull();
    expect(culpritRefs(repo)).toEqual([]);
  } finally {
    repo.cleanup();
  }
}, 120_000);
