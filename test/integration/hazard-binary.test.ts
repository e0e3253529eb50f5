import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { baseRepo, checkCommand, introduceBug } from "../repos/scenarios.js";

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test("binary files, changed and new, are byte-identical afterwards", () => {
  repo = baseRepo();
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
  repo.write("image.bin", bytes);
  repo.commit("binary");
  bytes[100] = 0;
  bytes[101] = 255;
  repo.write("image.bin", bytes);
  repo.write("new.bin", Buffer.from([0, 0, 0, 255, 10, 13, 0]));
  introduceBug(repo);
  const { json, status } = attributeUntouched(repo, checkCommand);
  expect(json.verdict).toBe("regression");
  expect(status).toBe(1);
});
