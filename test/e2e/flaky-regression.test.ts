import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

// Fails on a fixed pseudo-random schedule (CULPRIT_RUN is the run's number on its side): about
// half the time with the uncommitted change, never at the baseline (where the flag is absent).
const flakyCheck = `import { existsSync } from "node:fs";
const schedule = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1];
const run = Number(process.env.CULPRIT_RUN ?? "1");
const broken = existsSync("feature-flag.txt");
process.exit(broken && schedule[(run - 1) % schedule.length] === 1 ? 1 : 0);
`;

test("a flaky regression is found with more than 3 current runs, and flagged flaky", () => {
  repo = baseRepo();
  repo.write("flaky-check.mjs", flakyCheck);
  repo.commit("flaky check");
  repo.write("feature-flag.txt", "on\n");
  const { json, status } = attributeUntouched(repo, ["node", "flaky-check.mjs"]);
  expect(json.verdict).toBe("regression");
  expect(json["flaky"]).toBe(true);
  expect(status).toBe(1);
  const runs = json["runs"] as { side: string; outcome: string }[];
  const current = runs.filter((r) => r.side === "current");
  expect(current.length).toBeGreaterThan(3);
  expect(current.some((r) => r.outcome === "pass")).toBe(true);
  expect(runs.filter((r) => r.side === "baseline").every((r) => r.outcome === "pass")).toBe(true);
});
