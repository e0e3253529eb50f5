import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that take minutes (a real runner's suite run by culprit many times, a bisection, the
 * fault matrices), slowest first. Without vitest's cache (a clean clone: CI) files go by size,
 * larger first, and these are among the smallest: the run ended on about 200 s of runner files
 * alone, with a core idle.
 */
const slowFirst = [
  /runner-pytest\./,
  /runner-vitest\./,
  /e2e\/bisect\./,
  /selective-revert\./,
  /fault-matrix-revert\./,
  /fault-matrix\./,
  /runner-jest\./,
  /runner-cargo\./,
  /base-revision\./,
  /runner-mocha\./,
  /stop-at-first-failure\./,
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = slowFirst.findIndex((pattern) => pattern.test(file.moduleId));
      return at < 0 ? slowFirst.length : at;
    };
    // Stable: the rest keeps vitest's order (its cache's durations, when it has them).
    return sorted
      .map((file, order) => ({ file, order, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ file }) => file);
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: a test runs culprit several times, and three files share two cores. A hang
    // still fails, after three minutes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Vitest's default is one worker less than the cores: one on a 2-core CI machine. Most test
    // files wait on the processes they start (git, culprit, a runner, a terminal), so three files
    // at a time keep two cores busy.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirst },
  },
});
