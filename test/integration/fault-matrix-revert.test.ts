import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { captureState, culpritRefs, runCulpritAsync, type TestRepo } from "../repos/harness.js";
import { hazards } from "../repos/hazards.js";
import { backupRefs, type Journal, readJournal, renderMatrix } from "../repos/journal.js";

/**
 * The fault-injection matrix of the selective-revert path (issue 4), beside the stash one
 * (fault-matrix.test.ts). Each hazard repository gets a new, untracked check the stash baseline
 * cannot run (test/revert-check.sh does not exist at HEAD), and a new file, zz-enabled.flag,
 * without which the check cannot run either (exit 125). So every run goes:
 * - attempt 1, the stash: cannot run; the tree comes back, verified; switch-strategy;
 * - attempt 2, a selective revert of every suspect (the hazard's own changes, lib.mjs, the flag):
 *   built on a private index, entered by a reset of the work tree; cannot run (no flag);
 * - attempt 3, narrowing: the first part of the split suspects (never the flag's part, which
 *   sorts last), which runs: each run rewrites files that are then settled.
 * Baseline runs are numbered across attempts: run 1 is the stash's, 2 attempt 2's, 3 attempt 3's.
 * culprit signals itself right after the journal records each transition of attempts 2 and 3
 * (CULPRIT_FAULT, src/machine/fault.ts; "#n" is the n-th time the transition is recorded):
 * - SIGKILL: then `culprit recover`; the repository must be byte-identical to before.
 * - SIGINT: no recover; culprit restores by itself, exits 130, the JSON says interrupted, verified.
 */

/** The check: a shell script so that the matrix's many runs cost little (see hazards.ts). */
const revertCheck = `#!/bin/sh
side=\${CULPRIT_SIDE:-manual}
run=\${CULPRIT_RUN:-0}
[ -e zz-enabled.flag ] || exit 125
printf 'rewritten by the %s run %s\\n' "$side" "$run" > README.md
mkdir -p test-output
printf 'output of the %s run %s\\n' "$side" "$run" > "test-output/$side-$run.txt"
if [ "$side" = baseline ] && [ "\${CULPRIT_TEST_GIT:-}" = add ]; then
  git add -- "test-output/$side-$run.txt" || exit 125
fi
if [ "$side" = baseline ] && [ "\${CULPRIT_TEST_GIT:-}" = commit ] &&
  [ "$(git log -1 --format=%s)" != "made by the test" ]; then
  git -c user.name=Test -c user.email=test@example.invalid commit -q --allow-empty --no-verify -m "made by the test" || exit 125
fi
# HEAD's lib.mjs adds; the uncommitted edit does not.
grep -q 'return a + b;' lib.mjs
`;

const command = ["test/revert-check.sh"];
/**
 * One run a side keeps the matrix quick: the verdict is inconclusive, but every transition of
 * the path is taken (the stash, attempt 2 and attempt 3 each get one run).
 */
const options = ["--json", "--runs", "1", "--max-runs", "1"];

/**
 * The hazard repositories of the stash matrix (test/repos/hazards.ts), "deletion+rename" being
 * the deletion one plus a staged rename (`git mv`) of a committed file into a new folder.
 */
const hazardNames = [
  "partially-staged",
  "untracked+ignored",
  "binary",
  "deletion+rename",
  "existing-stash",
];

/** A hazard repository adapted to the selective revert: the check and the flag, both new. */
function revertHazard(name: string): TestRepo {
  const repo = name === "deletion+rename" ? hazards["deletion"]!() : hazards[name]!();
  try {
    if (name === "deletion+rename") {
      mkdirSync(join(repo.dir, "tools"));
      repo.git("mv", "fault-check.sh", "tools/fault-check.sh");
    }
    repo.write("test/revert-check.sh", revertCheck, 0o755);
    repo.write("zz-enabled.flag", "the check needs me\n");
    return repo;
  } catch (error) {
    repo.cleanup();
    throw error;
  }
}

interface FaultPoint {
  /** The CULPRIT_FAULT point: "<state>[/<detail>][#n]". */
  point: string;
  /** Row label in the printed matrix. */
  label: string;
  /** The detail the journal must show where the fault fired (null: none), when not in `point`. */
  detail?: RegExp | null;
  /** CULPRIT_TEST_GIT for the check: forces a restore from the backup. */
  testGit?: "add" | "commit";
}

const attemptDetail = (n: number) =>
  new RegExp(`^selective revert of \\d+ path\\(s\\), attempt ${n}$`);

const points: FaultPoint[] = [
  // Attempt 2: every suspect reverted; cannot run (the flag is gone).
  { point: "switch-strategy#1", label: "switch-strategy", detail: null },
  { point: "switch-strategy#2", label: "switch-strategy/attempt 2", detail: attemptDetail(2) },
  { point: "enter-baseline/revert suspects#1", label: "enter-baseline/revert suspects" },
  { point: "enter-baseline/reverted#1", label: "enter-baseline/reverted" },
  { point: "probe-baseline/run 2", label: "probe-baseline/run 2 (cannot run)" },
  { point: "leave-baseline/reset to your tree#1", label: "leave-baseline/reset to your tree" },
  { point: "verify#2", label: "verify (after attempt 2)", detail: null },
  // Attempt 3, narrowing: a part of the suspects reverted; runs, and settles after each run.
  { point: "switch-strategy#3", label: "narrow: switch-strategy", detail: null },
  {
    point: "switch-strategy#4",
    label: "narrow: switch-strategy/attempt 3",
    detail: attemptDetail(3),
  },
  { point: "enter-baseline/revert suspects#2", label: "narrow: enter-baseline/revert suspects" },
  { point: "enter-baseline/reverted#2", label: "narrow: enter-baseline/reverted" },
  { point: "probe-baseline/run 3", label: "narrow: probe-baseline/run 3" },
  { point: "probe-baseline/settle#1", label: "narrow: probe-baseline/settle" },
  {
    point: "leave-baseline/reset to your tree#2",
    label: "narrow: leave-baseline/reset to your tree",
  },
  { point: "verify#3", label: "narrow: verify", detail: null },
  {
    point: "restore-from-backup",
    label: "restore-from-backup (index changed)",
    detail: null,
    testGit: "add",
  },
  {
    point: "restore-from-backup",
    label: "restore-from-backup (HEAD moved)",
    detail: null,
    testGit: "commit",
  },
  { point: "report", label: "report" },
];

const modes = ["SIGKILL+recover", "SIGINT"] as const;
type Mode = (typeof modes)[number];

const results = new Map<string, string>();
const cellKey = (mode: Mode, label: string, hazard: string) => `${mode}|${label}|${hazard}`;

/** The journal's last transition is the fault point: the fault fired where it was asked. */
function expectStoppedAt(journal: Journal | null, fault: FaultPoint): void {
  expect(journal, "no journal: the fault did not fire").not.toBeNull();
  const [state, detail] = fault.point.replace(/#\d+$/, "").split(/\/(.*)/s);
  expect(journal!.state).toBe(state);
  if (detail !== undefined) expect(journal!.detail).toBe(detail);
  else if (fault.detail === null) expect(journal!.detail).toBeUndefined();
  else if (fault.detail) expect(journal!.detail).toMatch(fault.detail);
  // Every point is on the revert path: the stash attempt could not run before it.
  expect(journal!.history.some((h) => h.state === "enter-baseline" && h.detail === "stashed")).toBe(
    true,
  );
}

function faultEnv(fault: FaultPoint, signal: string): NodeJS.ProcessEnv {
  return {
    CULPRIT_FAULT: `${fault.point}@${signal}`,
    ...(fault.testGit ? { CULPRIT_TEST_GIT: fault.testGit } : {}),
  };
}

async function killAndRecover(repo: TestRepo, fault: FaultPoint): Promise<void> {
  const before = captureState(repo);
  const killed = await runCulpritAsync(
    repo,
    [...options, "--", ...command],
    faultEnv(fault, "SIGKILL"),
  );
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  expectStoppedAt(readJournal(repo), fault);

  const recovered = await runCulpritAsync(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(recovered.stderr).toMatch(/restored your work/);
  expect(captureState(repo)).toEqual(before);
  expect(backupRefs(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
}

async function interruptAndRestore(repo: TestRepo, fault: FaultPoint): Promise<void> {
  const before = captureState(repo);
  const result = await runCulpritAsync(
    repo,
    [...options, "--", ...command],
    faultEnv(fault, "SIGINT"),
  );
  expect(result.stderr).toContain("SIGINT: stopping the test and restoring your work");
  expect(captureState(repo)).toEqual(before);
  expect(backupRefs(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
  expect(result.status, result.stderr).toBe(130);
  const json = JSON.parse(result.stdout) as {
    interrupted: string | null;
    restore: { verified: boolean };
  };
  expect(json.interrupted).toBe("SIGINT");
  expect(json.restore.verified).toBe(true);
}

describe("revert fault matrix, no fault (the scenario takes the revert path, narrowing)", () => {
  for (const hazard of hazardNames) {
    test.concurrent(`no fault x ${hazard}`, async () => {
      const key = `none|${hazard}`;
      results.set(key, "FAILED");
      const repo = revertHazard(hazard);
      try {
        const before = captureState(repo);
        const result = await runCulpritAsync(repo, [...options, "--", ...command]);
        expect(captureState(repo)).toEqual(before);
        expect(culpritRefs(repo).filter((r) => !r.includes("/residue/"))).toEqual([]);
        const json = JSON.parse(result.stdout) as {
          verdict: string;
          attempts: {
            strategy: string;
            outcome: string;
            suspects: string[];
            counts: { runs: number };
          }[];
          restore: { verified: boolean };
        };
        expect(json.attempts.map((a) => `${a.strategy} ${a.outcome}`)).toEqual([
          "baseline-stash unrunnable",
          "selective-revert unrunnable",
          "selective-revert decided",
        ]);
        expect(json.attempts[2]!.counts.runs).toBe(1);
        expect(json.attempts[1]!.suspects).toContain("zz-enabled.flag");
        expect(json.attempts[2]!.suspects).not.toContain("zz-enabled.flag");
        // One run a side: a regression cannot be shown (the budget is spent), a failure at a
        // baseline that keeps lib.mjs's bug is pre-existing.
        const exits: Record<string, number> = { inconclusive: 2, "pre-existing": 0 };
        expect(Object.keys(exits)).toContain(json.verdict);
        expect(result.status, result.stderr).toBe(exits[json.verdict]);
        expect(json.restore.verified).toBe(true);
        results.set(key, "ok");
      } finally {
        repo.cleanup();
      }
    }, 120_000);
  }
});

describe.each(modes)("revert fault matrix, %s", (mode) => {
  for (const fault of points) {
    for (const hazard of hazardNames) {
      test.concurrent(`${fault.label} x ${hazard}`, async () => {
        const key = cellKey(mode, fault.label, hazard);
        results.set(key, "FAILED");
        const repo = revertHazard(hazard);
        try {
          if (mode === "SIGKILL+recover") await killAndRecover(repo, fault);
          else await interruptAndRestore(repo, fault);
          results.set(key, "ok");
        } finally {
          repo.cleanup();
        }
      }, 120_000);
    }
  }
});

afterAll(() => {
  console.log(renderMatrix("revert fault matrix", modes, points, hazardNames, results));
});
