import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterEach, describe, expect, test } from "vitest";
import {
  baseCheckCommand,
  baseNewTestCommand,
  committedNewTestRepo,
  committedRegressionRepo,
} from "../repos/base-scenarios.js";
import { parseJsonOutput, runCulprit, type TestRepo } from "../repos/harness.js";
import { checkCommand, passingRepo, preExistingRepo, regressionRepo } from "../repos/scenarios.js";

const schemaPath = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "schema",
  "result.schema.json",
);
const validate = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(schemaPath, "utf8")) as object,
);

/** Fails on the first run of your tree only: 1/3 against 0/3 with a budget of 3 decides nothing. */
const onceOnly = [
  "node",
  "-e",
  "process.exit(process.env.CULPRIT_SIDE === 'current' && process.env.CULPRIT_RUN === '1' ? 1 : 0)",
];

const repos: TestRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

const cases: [string, () => TestRepo, string[], string][] = [
  ["regression (stash)", regressionRepo, checkCommand, "regression"],
  ["pre-existing", preExistingRepo, checkCommand, "pre-existing"],
  ["not-reproduced", passingRepo, checkCommand, "not-reproduced"],
  ["inconclusive", passingRepo, ["--max-runs", "3", "--", ...onceOnly], "inconclusive"],
  ["unrunnable", passingRepo, ["node", "-e", "process.exit(125)"], "unrunnable"],
  [
    "regression (--base)",
    committedRegressionRepo,
    ["--base", "HEAD~2", "--", ...baseCheckCommand],
    "regression",
  ],
  [
    "regression (selective revert against --base)",
    committedNewTestRepo,
    ["--base", "HEAD~2", "--", ...baseNewTestCommand],
    "regression",
  ],
];

describe("schema/result.schema.json describes the real --json document", () => {
  test.each(cases)("%s", (_name, build, command, verdict) => {
    const repo = build();
    repos.push(repo);
    const args = command.includes("--") ? ["--json", ...command] : ["--json", "--", ...command];
    const json = parseJsonOutput(runCulprit(repo, args));
    expect(json.verdict).toBe(verdict);
    const valid = validate(json);
    expect(validate.errors ?? [], JSON.stringify(json, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  test("--more N: the budget spent undecided, N more runs a side without a prompt", () => {
    const repo = passingRepo();
    repos.push(repo);
    const json = parseJsonOutput(
      runCulprit(repo, ["--json", "--max-runs", "3", "--more", "2", "--", ...onceOnly]),
    );
    const runs = json["runs"] as { side: string }[];
    expect(runs.filter((r) => r.side === "current").length).toBe(5);
    expect(runs.filter((r) => r.side === "baseline").length).toBe(5);
    expect(validate(json)).toBe(true);
  });
});
