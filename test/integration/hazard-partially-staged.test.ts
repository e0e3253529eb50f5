import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug, stageNotesPartially } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a partially staged file keeps its staged and unstaged edits apart", () => {
  repo = baseRepo();
  stageNotesPartially(repo);
  introduceBug(repo);
  repo.git("add", "lib.mjs");
  repo.write("lib.mjs", "export function add(a, b) {\n  return a * b + 1;\n}\n");
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
