import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { pruneLogs } from "../../src/machine/logs.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A logs folder with one folder per run id, each holding files of the sizes given (bytes). */
function logs(runs: Record<string, number[]>): string {
  const dir = mkdtempSync(join(tmpdir(), "culprit-logs-"));
  made.push(dir);
  for (const [id, sizes] of Object.entries(runs)) {
    mkdirSync(join(dir, id, "current-1.report"), { recursive: true });
    sizes.forEach((size, i) => {
      // Half the files in a nested report folder, as isolate writes them.
      const path =
        i % 2 ? join(dir, id, "current-1.report", `${i}.xml`) : join(dir, id, `${i}.log`);
      writeFileSync(path, Buffer.alloc(size));
    });
  }
  return dir;
}

const ids = ["20261130T010000-aaaa", "20261130T020000-bbbb", "20261130T030000-cccc"];

describe("pruneLogs: the last runs' logs, within a byte budget, oldest out first", () => {
  test.each([
    {
      what: "all within both limits",
      sizes: [[10], [10], [10]],
      keep: 5,
      maxBytes: 100,
      left: ids,
    },
    {
      what: "beyond the count, the oldest go",
      sizes: [[10], [10], [10]],
      keep: 2,
      maxBytes: 100,
      left: ids.slice(1),
    },
    {
      what: "beyond the bytes (the newest not counted), the oldest go",
      sizes: [[40, 40], [30, 30], [500]],
      keep: 5,
      maxBytes: 100,
      left: ids.slice(1),
    },
    {
      what: "the newest is kept whatever its size",
      sizes: [[10], [10], [900, 900]],
      keep: 5,
      maxBytes: 100,
      left: ids,
    },
    {
      what: "one earlier run over the budget alone goes, and everything older",
      sizes: [[1], [200], [1]],
      keep: 5,
      maxBytes: 100,
      left: ids.slice(2),
    },
  ])("$what", ({ sizes, keep, maxBytes, left }) => {
    const dir = logs(Object.fromEntries(ids.map((id, i) => [id, sizes[i]!])));
    const removed = pruneLogs(dir, keep, maxBytes);
    expect(readdirSync(dir).sort()).toEqual(left);
    expect(removed.sort()).toEqual(ids.filter((id) => !left.includes(id)));
  });

  test("the running run's own folder is neither counted nor touched", () => {
    const running = "20261130T040000-dddd";
    const dir = logs(Object.fromEntries([...ids, running].map((id) => [id, [10]])));
    // As before that run's folder was made: the last two earlier runs kept.
    expect(pruneLogs(dir, 2, 100, running)).toEqual([ids[0]]);
    expect(readdirSync(dir).sort()).toEqual([...ids.slice(1), running]);
  });

  test("no logs folder yet: nothing to do", () => {
    expect(pruneLogs(join(tmpdir(), "culprit-logs-never-made"))).toEqual([]);
  });
});
