import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("10 000 untracked files, in 100 folders, all come back", { timeout: 180_000 }, () => {
  repo = regressionRepo();
  for (let d = 0; d < 100; d++) {
    const dir = join(repo.dir, "generated", `part-${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `file-${f}.txt`), `${d}/${f}\n`);
  }
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(repo.git("ls-files", "--others", "--exclude-standard").split("\n").length - 1).toBe(
    10_000,
  );
});
