import { defineConfig } from "vitest/config";

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
  },
});
