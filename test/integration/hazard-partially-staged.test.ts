import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a partially staged file keeps its staged and unstaged edits apart", () => {
  repo = baseRepo();
  repo.write("notes.txt", "one\n");
  repo.commit("notes");
  repo.write("notes.txt", "one\nstaged line\n");
  repo.git("add", "notes.txt");
  repo.write("notes.txt", "one\nstaged line\nunstaged line\n");
  introduceBug(repo);
  repo.git("add", "lib.mjs");
  repo.write("lib.mjs", "export function add(a, b) {\n  return a * b + 1;\n}\n");
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
