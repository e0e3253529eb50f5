import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { captureState, runCulprit, type TestRepo } from "../repos/harness.js";
import { ptySkipReason, readLastRun, startPty } from "../repos/pty.js";
import { cleanupRepo, expectUntouched } from "../repos/pty-expect.js";
import { newTestCommand, newTestRepo } from "../repos/revert-scenarios.js";
import { checkCommand, regressionRepo } from "../repos/scenarios.js";
import { flakyCommand, flakyRegressionRepo } from "../repos/terminal-scenarios.js";

// The three questions of interactive triage, answered at a real terminal: yes, no, Ctrl-C (a
// byte to the prompt, which has the terminal in raw mode) and Escape (culprit's: inquirer 13
// gives it no meaning). Whatever the answer, the work is byte-identical afterwards.
const skip = ptySkipReason();
if (skip) console.log(`pty-prompts: skipped, ${skip}`);

interface Case {
  answer: string;
  keys: string[];
  code: number;
  shows: RegExp;
  args?: string[];
}

/** Starts culprit, waits for the question, answers it, checks exit code, screen and tree. */
async function answer(
  build: () => TestRepo,
  args: string[],
  question: RegExp,
  { keys, code, shows }: Case,
  after?: (repo: TestRepo) => void,
): Promise<void> {
  const repo = build();
  const pty = await startPty(repo, args, { columns: 120, rows: 40 });
  try {
    const before = captureState(repo);
    await pty.waitFor(question);
    await pty.sendKeys(...keys);
    expect(await pty.exitCode()).toBe(code);
    expect(await pty.screen()).toMatch(shows);
    expectUntouched(repo, before);
    after?.(repo);
  } finally {
    pty.dispose();
    await cleanupRepo(repo);
  }
}

describe.skipIf(skip !== null)(
  "check out the baseline over N changed files? (confirmAbove: 1)",
  () => {
    const withConfig = () => {
      const repo = regressionRepo();
      repo.write("culprit.config.json", '{ "confirmAbove": 1 }\n');
      return repo;
    };
    const cancelled = /^culprit: cancelled; nothing was touched\.$/m;
    test.concurrent.each<Case>([
      { answer: "yes (Enter)", keys: ["Enter"], code: 1, shows: /REGRESSION: your changes cause/ },
      {
        answer: "no",
        keys: ["n", "Enter"],
        code: 130,
        shows: /^culprit: not confirmed; nothing was touched\.$/m,
      },
      { answer: "Ctrl-C", keys: ["C-c"], code: 130, shows: cancelled },
      { answer: "Escape", keys: ["Escape"], code: 130, shows: cancelled },
    ])("$answer", async (c) => {
      await answer(
        withConfig,
        ["--", ...checkCommand],
        /2 changed files: check out the baseline/,
        c,
      );
    });
  },
);

describe.skipIf(skip !== null)(
  "which changes to revert? (a new test the baseline at HEAD cannot run)",
  () => {
    const question = /Which changes should be reverted/;
    // A key, not a signal: "cancelled", not "interrupted by SIGINT" (the exit code is SIGINT's).
    const stopped =
      /INCONCLUSIVE: cancelled before the runs decided\n\s+cancelled at a question after 3 runs; no verdict[\s\S]*your work: untouched/;
    test.concurrent.each<Case>([
      {
        answer: "yes (the suggested src/price.mjs)",
        keys: ["Enter"],
        code: 1,
        shows: /REGRESSION: the changes in src\/price\.mjs cause this failure/,
      },
      {
        answer: "no (the test file instead: it cannot run without itself)",
        keys: ["Space", "Down", "Space", "Enter"],
        code: 2,
        shows: /UNRUNNABLE[\s\S]*test\/new\.test\.mjs/,
      },
      { answer: "Ctrl-C (after the runs on your tree)", keys: ["C-c"], code: 130, shows: stopped },
      {
        answer: "Escape (after the runs on your tree)",
        keys: ["Escape"],
        code: 130,
        shows: stopped,
      },
      {
        answer: "Escape (--strategy revert: before anything is touched)",
        keys: ["Escape"],
        code: 130,
        shows: /^culprit: cancelled; nothing was touched\.$/m,
        args: ["--strategy", "revert"],
      },
    ])("$answer", async (c) => {
      await answer(newTestRepo, [...(c.args ?? []), "--", ...newTestCommand], question, c);
    });
  },
);

describe.skipIf(skip !== null)(
  "inconclusive so far: run how many more times? (--max-runs 3, a flaky test)",
  () => {
    const question = /Run how many more times a side\?/;
    const cancelled =
      /^culprit: cancelled: restoring your work, please wait\.\.\.$[\s\S]*INCONCLUSIVE: cancelled before the runs decided[\s\S]*restored via a reset to your backed-up tree, verified/m;
    test.concurrent.each<Case>([
      {
        answer: "yes (Enter: 5 more)",
        keys: ["Enter"],
        code: 1,
        shows: /REGRESSION: your changes cause this failure \(flaky\)/,
      },
      {
        answer: "no (0)",
        keys: ["BSpace", "0", "Enter"],
        code: 2,
        shows: /INCONCLUSIVE: the runs did not decide/,
      },
      { answer: "Ctrl-C", keys: ["C-c"], code: 130, shows: cancelled },
      { answer: "Escape", keys: ["Escape"], code: 130, shows: cancelled },
    ])("$answer", async (c) => {
      await answer(
        flakyRegressionRepo,
        ["--max-runs", "3", "--", ...flakyCommand],
        question,
        c,
        (repo) => {
          if (c.code === 130) expect(readLastRun(repo)?.ending?.signal?.name).toBe("SIGINT");
        },
      );
    });
  },
);

describe.skipIf(skip !== null)("a signal while a question is open", () => {
  test.concurrent("kill -9 at 'run how many more times?': status names the question; recover restores", async () => {
    const repo = flakyRegressionRepo();
    const pty = await startPty(repo, ["--max-runs", "3", "--", ...flakyCommand], {
      columns: 120,
      rows: 40,
    });
    try {
      const before = captureState(repo);
      await pty.waitFor(/Run how many more times a side\?/);
      const lock = JSON.parse(readFileSync(join(repo.dir, ".git", "culprit", "lock"), "utf8"));
      process.kill(lock.pid as number, "SIGKILL");
      expect(await pty.exitCode()).toBe(137);
      const status = runCulprit(repo, ["status"]);
      expect(status.status).toBe(1);
      // It said "running the command at the baseline": the question had been asked.
      expect(status.stdout).toMatch(
        /did not finish \(stopped while asking how many more runs to make \("probe-(baseline|current)"\)\)/,
      );
      const recovered = runCulprit(repo, ["recover"]);
      expect(recovered.status, recovered.stderr).toBe(0);
      expectUntouched(repo, before);
    } finally {
      pty.dispose();
      await cleanupRepo(repo);
    }
  });

  test.concurrent("SIGTERM at the 'check out over N files?' question: nothing touched, exit 143", async () => {
    const repo = regressionRepo();
    repo.write("culprit.config.json", '{ "confirmAbove": 1 }\n');
    const pty = await startPty(repo, ["--", ...checkCommand], { columns: 120, rows: 40 });
    try {
      const before = captureState(repo);
      await pty.waitFor(/changed files: check out the baseline/);
      // culprit is the wrapper's only child: its pid is in the lock it holds.
      const lock = JSON.parse(readFileSync(join(repo.dir, ".git", "culprit", "lock"), "utf8"));
      process.kill(lock.pid as number, "SIGTERM");
      expect(await pty.exitCode()).toBe(143);
      expect(await pty.screen()).toMatch(/^culprit: cancelled; nothing was touched\.$/m);
      expectUntouched(repo, before);
    } finally {
      pty.dispose();
      await cleanupRepo(repo);
    }
  });
});
