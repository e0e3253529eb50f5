import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("a tracked file replaced by a directory of the same name comes back as the directory", () => {
  repo = baseRepo();
  repo.write("config", "a single config file\n");
  repo.commit("config file");
  repo.remove("config");
  repo.write("config/base.json", '{ "split": true }\n');
  repo.write("config/local/override.json", "{}\n");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});

test("an ignored file inside that directory: no baseline at HEAD (it would delete it), untouched", () => {
  // Putting HEAD's file `config` back means deleting the folder, ignored files included: git
  // does that without a word, and the stash does not keep them.
  repo = baseRepo();
  repo.write("config", "a single config file\n");
  repo.commit("config file");
  repo.remove("config");
  repo.write("config/base.json", '{ "split": true }\n');
  repo.write("config/debug.log", "ignored, inside the new directory\n");
  introduceBug(repo);
  const { json } = attributeUntouched(repo, checkCommand);
  expect(json["strategy"]).toBeNull();
  expect(json["attempts"]).toMatchObject([{ strategy: "baseline-reset", outcome: "stopped" }]);
  expect(json.verdict).toBe("unrunnable");
  expect(json["reason"]).toMatch(/ignored files are in the way.*config\/debug\.log/);
});

test("the same, with the replacement staged (`git rm` the file, `git add` the directory)", () => {
  repo = baseRepo();
  repo.write("config", "a single config file\n");
  repo.commit("config file");
  repo.git("rm", "-q", "config");
  repo.write("config/base.json", '{ "split": true }\n');
  repo.git("add", "config/base.json");
  repo.write("config/untracked.json", "{}\n");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});

test("a tracked directory replaced by a file of the same name comes back as the file", () => {
  repo = baseRepo();
  repo.write("assets/a.txt", "a\n");
  repo.write("assets/b/c.txt", "c\n");
  repo.commit("assets directory");
  repo.remove("assets");
  repo.write("assets", "now a file listing the assets\n");
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});

test("a tracked directory replaced by an ignored file of the same name: no baseline at HEAD", () => {
  repo = baseRepo();
  repo.write("app.log/keep.txt", "a tracked file in a folder whose name looks like a log\n");
  repo.git("add", "--force", "app.log/keep.txt");
  repo.commit("app.log folder");
  repo.remove("app.log");
  repo.write("app.log", "now an ignored log file (*.log)\n");
  introduceBug(repo);
  const { json } = attributeUntouched(repo, checkCommand);
  expect(json["strategy"]).toBeNull();
  expect(json["attempts"]).toMatchObject([{ strategy: "baseline-reset", outcome: "stopped" }]);
  expect(json.verdict).toBe("unrunnable");
  expect(json["reason"]).toMatch(/ignored files are in the way.*app\.log/);
});
