import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { runCulprit, type TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

type Run = { side: string; cached: string | null };
const runsOf = (json: Record<string, unknown>) => json["runs"] as Run[];
const cacheOf = (json: Record<string, unknown>) =>
  json["cache"] as { enabled: boolean; reused: number };

/** Every cached run file under .git/culprit/cache. */
function cachedFiles(r: TestRepo): string[] {
  const dir = join(r.dir, ".git", "culprit", "cache");
  return readdirSync(dir).flatMap((key) =>
    readdirSync(join(dir, key)).map((name) => join(dir, key, name)),
  );
}

test("a second identical run reuses the first one's runs: no run made, the tree not even touched", () => {
  repo = regressionRepo();
  const first = attributeUntouched(repo, checkCommand);
  expect(first.json.verdict).toBe("regression");
  expect(cacheOf(first.json)).toEqual({ enabled: true, reused: 0 });
  const second = attributeUntouched(repo, checkCommand);
  expect(second.json.verdict).toBe("regression");
  expect(second.status).toBe(1);
  expect(cacheOf(second.json).reused).toBe(6);
  expect(runsOf(second.json).every((r) => r.cached !== null)).toBe(true);
  expect((second.json["restore"] as { touched: boolean }).touched).toBe(false);
  // The human report says so.
  const human = runCulprit(repo, ["--", ...checkCommand]);
  expect(human.stdout).toMatch(/6 run\(s\) reused from the cache/);
});

test("--no-cache runs everything, and more runs than cached are made as usual", () => {
  repo = regressionRepo();
  attributeUntouched(repo, checkCommand);
  const fresh = attributeUntouched(repo, checkCommand, ["--no-cache"]);
  expect(cacheOf(fresh.json)).toEqual({ enabled: false, reused: 0 });
  expect(runsOf(fresh.json).filter((r) => r.cached === null)).toHaveLength(6);
  // A larger first sample: the cached runs count, the rest are run.
  const more = attributeUntouched(repo, checkCommand, ["--runs", "5"]);
  const runs = runsOf(more.json);
  expect(runs.filter((r) => r.side === "current" && r.cached !== null)).toHaveLength(3);
  expect(runs.filter((r) => r.side === "current")).toHaveLength(5);
});

test("another tree, another command, an ignored file changed, or a day gone: nothing reused", () => {
  repo = regressionRepo();
  attributeUntouched(repo, checkCommand);
  // Another tree: one more untracked file.
  repo.write("notes.txt", "more work\n");
  expect(cacheOf(attributeUntouched(repo, checkCommand).json).reused).toBe(3); // the baseline's
  // Another command.
  expect(cacheOf(attributeUntouched(repo, ["node", "./check.mjs"]).json).reused).toBe(0);
  // An ignored build output changed (.gitignore has build/).
  repo.write("build/out.js", "rebuilt\n");
  expect(cacheOf(attributeUntouched(repo, checkCommand).json).reused).toBe(0);
  // Every entry a day and a minute old.
  for (const file of cachedFiles(repo)) {
    const run = JSON.parse(readFileSync(file, "utf8")) as { at: number };
    run.at -= 24 * 60 * 60 * 1000 + 60_000;
    writeFileSync(file, JSON.stringify(run));
  }
  expect(cacheOf(attributeUntouched(repo, checkCommand).json).reused).toBe(0);
});

test("--cache-env: a named variable's value is part of the key", () => {
  repo = regressionRepo();
  attributeUntouched(repo, checkCommand, ["--cache-env", "MODE"], { MODE: "a" });
  const same = attributeUntouched(repo, checkCommand, ["--cache-env", "MODE"], { MODE: "a" });
  expect(cacheOf(same.json).reused).toBe(6);
  const other = attributeUntouched(repo, checkCommand, ["--cache-env", "MODE"], { MODE: "b" });
  expect(cacheOf(other.json).reused).toBe(0);
});
