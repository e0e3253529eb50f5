import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker less than the cores: one on a 2-core CI machine. Most test
    // files wait on the processes they start (git, culprit, a runner, a terminal), so three files
    // at a time keep two cores busy.
    maxWorkers: 3,
  },
});
