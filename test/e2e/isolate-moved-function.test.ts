import { expect, test } from "vitest";
import { captureState, createRepo, runCulpritAsync } from "../repos/harness.js";
import { expectIsolateUntouched, parseIsolateJson } from "../repos/isolate.js";
import { runnerMissing } from "../repos/runner-projects.js";

/*
 * A function moved into a new file, with a bug on the way (found trying culprit on
 * tj/commander.js: camelcase() moved out of lib/option.js). Three changes that cannot run apart:
 * the import alone declares the name twice (SyntaxError), the removal alone leaves it undefined
 * (ReferenceError), and the new file alone passes, since nothing imports it. The old build
 * called the new file, which holds the bug, "needed to run (not blamed)", went on into lines
 * and blamed the five removed lines of the old function one by one. The three hunks are guilty
 * together, and read as hunks, with --lines too.
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

// camel.js whole, the import (line 2), the removal (at line 13 of your lib.js).
const byHunks = [
  ["camel.js", 1, 6],
  ["lib.js", 2, 2],
  ["lib.js", 13, 13],
];

test.each([
  [[], byHunks],
  // Asked for lines: no line alone is to blame, and each line alone breaks it (the import
  // declares the name twice, a removed line kept alone does not parse): guilty together, as
  // lines, the three removed ones where they were.
  [["--lines"], [...byHunks, ["lib.js", 13, 13], ["lib.js", 13, 13]]],
])(
  "a function moved into a new file with a bug, %j: the file, its import and the removal are guilty together, the tree as it was",
  async (lines: string[], expected: (string | number)[][]) => {
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
      const result = await runCulpritAsync(repo, [
        "isolate",
        "--json",
        ...lines,
        "--",
        "node",
        "test.js",
      ]);
      const doc = parseIsolateJson<{
        verdict: string;
        hunks: { file: string; startLine: number; endLine: number }[];
        needed: unknown[];
        configurations: { units: string[] }[];
      }>(result);
      expect(result.status, result.stderr).toBe(0);
      expect(doc.verdict, result.stdout).toBe("isolated");
      expect(doc.hunks.map((h) => [h.file, h.startLine, h.endLine])).toEqual(expected);
      expect(doc.needed).toEqual([]);
      // Without --lines, the descent into lines builds some trees the hunks built already (all
      // the lines of a hunk): judged once, they are not run again (24 configurations before).
      expect(doc.configurations.length).toBeLessThanOrEqual(lines.length === 0 ? 18 : 20);
      expectIsolateUntouched(repo, before);
    } finally {
      repo.cleanup();
    }
  },
  120_000,
);

const recipes = [
  "import itertools",
  "",
  "",
  '__all__ = ("countby",)',
  "",
  "",
  "def countby(key, seq):",
  '    """Count elements of a collection by a key function.',
  "",
  '    >>> countby(len, ["cat", "mouse", "dog"])',
  "    {3: 2, 5: 1}",
  '    """',
  "    if not callable(key):",
  "        key = lambda x, k=key: x[k]",
  "    counts = {}",
  "    for k in map(key, seq):",
  "        counts[k] = counts.get(k, 0) + 1",
  "    return counts",
  "",
].join("\n");

const unittestMissing = runnerMissing("unittest");
if (unittestMissing) console.log(`skipped the unittest case: ${unittestMissing}`);

// pytoolz/toolz trial, in miniature: countby() moved into a new module, without the handling
// of a key that is not callable. With --lines, each removed line of the old function, kept
// alone, either does not parse or is harmless; put back alone the other way, the same lines
// split again. Eight were called guilty one by one, seven needed. The hunks are the answer.
test.skipIf(unittestMissing !== null)(
  "--lines, a Python function moved into a new module: the module and the hunk that imports it instead, guilty together",
  async () => {
    const repo = createRepo();
    try {
      repo.write("pkg/__init__.py", "from .recipes import countby\n");
      repo.write("pkg/recipes.py", recipes);
      repo.write("tests/__init__.py", "");
      repo.write(
        "tests/test_recipes.py",
        'import unittest\n\nfrom pkg import countby\n\n\nclass CountbyTest(unittest.TestCase):\n    def test_countby_index(self):\n        self.assertEqual(countby(0, ("ab", "ac", "bc")), {"a": 2, "b": 1})\n\n    def test_countby_len(self):\n        self.assertEqual(countby(len, ["a", "bb"]), {1: 1, 2: 1})\n',
      );
      repo.commit("init");
      repo.write(
        "pkg/recipes.py",
        `${recipes.slice(0, recipes.indexOf("\n\n\ndef countby")).replace("import itertools\n", "import itertools\nfrom .counting import countby\n")}\n`,
      );
      repo.write(
        "pkg/counting.py",
        'def countby(key, seq):\n    """Count elements of a collection by a key function."""\n    counts = {}\n    for k in map(key, seq):\n        counts[k] = counts.get(k, 0) + 1\n    return counts\n',
      );
      const before = captureState(repo);
      const result = await runCulpritAsync(repo, [
        "isolate",
        "--lines",
        "--json",
        "--",
        "python3",
        "-m",
        "unittest",
        "tests.test_recipes",
      ]);
      const doc = parseIsolateJson<{ verdict: string; hunks: { id: string }[]; needed: unknown[] }>(
        result,
      );
      expect(doc.verdict, result.stderr).toBe("isolated");
      expect(doc.hunks.map((h) => h.id)).toEqual(["pkg/counting.py#new", "pkg/recipes.py#1"]);
      expect(doc.needed).toEqual([]);
      expectIsolateUntouched(repo, before);
    } finally {
      repo.cleanup();
    }
  },
  300_000,
);
