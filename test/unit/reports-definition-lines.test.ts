import { describe, expect, it } from "vitest";
import { withDefinitionLines } from "../../src/run/reports/shape-results.js";
import type { TestCaseResult } from "../../src/run/reports/types.js";

// A report that names a test's file but not its line (mocha's xunit): the line that defines it.
const files: Record<string, string> = {
  "/repo/test/json.js": [
    'const assert = require("node:assert");',
    'describe("bodyParser.json()", () => {',
    '  it("should parse JSON", () => {});',
    "  it('should handle empty message-body', () => {});",
    "  it.skip(`later`, () => {});",
    '  describe("a", () => { it("works", () => {}); });',
    '  describe("b", () => { it("works", () => {}); });',
    '  it("a (b) [c] *d*", () => {});',
    "});",
    'describe("glob base >", () => {',
    '  it("returns one", () => {});',
    '  it("a > b ordering", () => {});',
    "});",
  ].join("\n"),
  // AVA's modifiers, chained (camelcase trial: test.serial( had no line).
  "/repo/test/ava.js": [
    'const test = require("ava");',
    'test.serial("in turn", (t) => t.pass());',
    'test.failing("known bug", (t) => t.fail());',
    'test.serial.only("just this", (t) => t.pass());',
  ].join("\n"),
  "/repo/tests/test_x.py":
    "import unittest\n\nclass T(unittest.TestCase):\n    def test_y(self):\n        pass\n",
};
const context = { cwd: "/repo", root: "/repo" };
const read = (path: string) => files[path] ?? null;

const test = (name: string, file: string | null, line: number | null = null): TestCaseResult => ({
  id: `${file}::${name}`,
  name,
  file,
  line,
  status: "fail",
  message: "x",
});

describe("withDefinitionLines: a test at the line that defines it", () => {
  it.each<[string, TestCaseResult, number | null]>([
    ['it("title"', test("bodyParser.json() > should parse JSON", "test/json.js"), 3],
    ["it('title'", test("bodyParser.json() > should handle empty message-body", "test/json.js"), 4],
    ["it.skip(`title`", test("bodyParser.json() > later", "test/json.js"), 5],
    ["a title with regex characters", test("bodyParser.json() > a (b) [c] *d*", "test/json.js"), 8],
    [
      "two tests of one title: unknown",
      test("bodyParser.json() > a > works", "test/json.js"),
      null,
    ],
    ["a title on no line", test("bodyParser.json() > gone", "test/json.js"), null],
    ["a describe title ending in ' >'", test("glob base > > returns one", "test/json.js"), 11],
    ["a test title holding ' > '", test("glob base > > a > b ordering", "test/json.js"), 12],
    ["def name(", test("T > test_y", "tests/test_x.py"), 4],
    ["test.serial(", test("in turn", "test/ava.js"), 2],
    ["test.failing(", test("known bug", "test/ava.js"), 3],
    ["test.serial.only(", test("just this", "test/ava.js"), 4],
    [
      "a line the report gave stays",
      test("bodyParser.json() > should parse JSON", "test/json.js", 9),
      9,
    ],
    ["no file", test("should parse JSON", null), null],
    ["a file that cannot be read", test("x", "test/nothere.js"), null],
  ])("%s", (_name, given, line) => {
    expect(withDefinitionLines([given], context, read)[0]!.line).toBe(line);
  });
});
