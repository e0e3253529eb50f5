import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that take a minute or more, slowest first (longest-first keeps the three workers busy to
 * the end): measured in one clean-clone run of the whole suite (2 428 s on a slow 2-core
 * machine, 2026-12-02). Without vitest's cache (a clean clone: CI) files go by size, larger
 * first, and many of these are among the smallest: the run once ended on about 200 s of runner
 * files alone, with a core idle, and once on the two Playwright files.
 */
const slowFirst = [
  // Two more of the slowest since (a clean-clone run, 2026-12-05: 181 s and 153 s, run last).
  "test/e2e/runner-maven.test.ts",
  "test/e2e/runner-tap.test.ts",
  "test/e2e/package-managers.test.ts",
  "test/e2e/npm-script.test.ts",
  "test/integration/snapshot-watch.test.ts",
  "test/e2e/runner-playwright.test.ts",
  "test/e2e/runner-playwright-config.test.ts",
  "test/e2e/stop-at-first-failure.test.ts",
  "test/e2e/runner-pytest.test.ts",
  "test/integration/compiled-extension.test.ts",
  "test/e2e/runner-vitest.test.ts",
  "test/integration/fault-matrix-revert.test.ts",
  "test/integration/cache.test.ts",
  "test/e2e/runner-jest.test.ts",
  "test/integration/fault-matrix.test.ts",
  "test/e2e/jest-coverage-threshold.test.ts",
  "test/e2e/bisect.test.ts",
  "test/e2e/runner-mocha.test.ts",
  "test/integration/selective-revert.test.ts",
  "test/e2e/coverage-wrapped-script.test.ts",
  "test/e2e/isolate-refactor.test.ts",
  "test/e2e/coverage-wrapper.test.ts",
  "test/e2e/runner-tape.test.ts",
  "test/e2e/runner-ava.test.ts",
  "test/e2e/bisect-build-step.test.ts",
  "test/e2e/runner-cargo.test.ts",
  "test/integration/worktree-workspaces.test.ts",
  "test/e2e/runner-unittest.test.ts",
  "test/e2e/isolate.test.ts",
  "test/e2e/runner-node.test.ts",
  "test/integration/hazard-tree-kill.test.ts",
  "test/e2e/test-first.test.ts",
  "test/integration/lock.test.ts",
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = slowFirst.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return at < 0 ? slowFirst.length : at;
    };
    // Stable: the rest keeps vitest's order (its cache's durations, when it has them).
    return sorted
      .map((file, order) => ({ file, order, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ file }) => file);
  }
}

// No test reaches a network, yet with NODE_EXTRA_CA_CERTS set (as on these machines, for the
// registry's proxy) every node process reads and parses the CA bundle at start: 55 ms of CPU of
// the 135 ms a bare `node -e 0` takes here, paid by each of the thousands of node processes the
// suite starts (culprit, runners, npm, npx). Workers and every process they start inherit this.
delete process.env["NODE_EXTRA_CA_CERTS"];
// These machines' Debian pytest loads the hypothesis and pytest-benchmark plugins at every start:
// 1.15 s of CPU a run against 0.43 s without them, paid by every pytest run of the suite. No test
// is about a plugin; a test that needs one names it with `-p`.
process.env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: a test runs culprit several times, and three files share two cores. A hang
    // still fails, after three minutes.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Off unless CULPRIT_TEST_PROFILE is set: the CPU of each file (bench/suite-cpu.js).
    setupFiles: ["test/setup/cpu-profile.ts"],
    // Vitest's default is one worker less than the cores: one on a 2-core CI machine. Most test
    // files wait on the processes they start (git, culprit, a runner, a terminal), so three files
    // at a time keep two cores busy.
    maxWorkers: 3,
    sequence: { sequencer: SlowFirst },
  },
});
