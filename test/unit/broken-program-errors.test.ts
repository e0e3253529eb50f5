import { describe, expect, it } from "vitest";
import { brokenProgramErrors } from "../../src/machine/isolate.js";

/*
 * The errors by which isolate tells a configuration that breaks the program another way from one
 * that reproduces your failure (under the exit code alone). The outputs are python3 3.11's and
 * node 20's own, as they print them.
 */
describe("brokenProgramErrors", () => {
  const cases: [string, string, string[]][] = [
    [
      "a def line left out: its body indented at the top level",
      '  File "/tmp/ind.py", line 2\n    y = 2\nIndentationError: unexpected indent\n',
      ["IndentationError"],
    ],
    [
      "tabs and spaces mixed",
      '  File "/tmp/tab.py", line 3\n    y = 2\nTabError: inconsistent use of tabs and spaces in indentation\n',
      ["TabError"],
    ],
    [
      "a local read before the line that assigns it",
      "          ^\nUnboundLocalError: cannot access local variable 'x' where it is not associated with a value\n",
      ["UnboundLocalError"],
    ],
    [
      "a name not defined, in node",
      "ReferenceError: camel is not defined\n    at flag (/tmp/r/lib.js:9:3)\n",
      ["ReferenceError"],
    ],
    [
      "a name declared twice",
      "SyntaxError: Identifier 'camel' has already been declared\n",
      ["SyntaxError"],
    ],
    [
      "python's missing module",
      "ModuleNotFoundError: No module named 'pkg.counting'\n",
      ["ModuleNotFoundError"],
    ],
    ["a failed assertion is not one", "AssertionError: assert None == {'a': 2, 'b': 1}\n", []],
    ["a word that only contains one", "MyIndentationErrorHandler failed\n", []],
  ];
  it.each(cases)("%s", (_name, output, expected) => {
    expect([...brokenProgramErrors(output)]).toEqual(expected);
  });
});
