import { createHash, randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const size = 100 * 1024 * 1024;

/** Writes `size` bytes that do not compress (like a video or a model file), once, in 4 MB chunks. */
function writeLargeFile(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "w");
  try {
    const chunk = randomBytes(4 * 1024 * 1024);
    for (let written = 0; written < size; written += chunk.length) {
      // Vary each chunk a little so that no two are alike.
      chunk.writeUInt32LE(written, 0);
      writeSync(fd, chunk);
      hash.update(chunk);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

test("a 100 MB untracked file comes back byte for byte", { timeout: 180_000 }, () => {
  repo = regressionRepo();
  const path = join(repo.dir, "data", "large.bin");
  repo.write("data/.placeholder", "");
  const digest = writeLargeFile(path);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
  expect(createHash("sha256").update(readFileSync(path)).digest("hex")).toBe(digest);
});
