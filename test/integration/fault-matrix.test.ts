import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { captureState, runCulpritAsync, type TestRepo } from "../repos/harness.js";
import { faultCheckCommand, hazards } from "../repos/hazards.js";
import { backupRefs, type Journal, readJournal, renderMatrix } from "../repos/journal.js";
import { baseRepo, introduceBug } from "../repos/scenarios.js";

/**
 * The fault-injection matrix (issue 4): for every journal transition of the stash path and for
 * each hazard repository, culprit is made to signal itself right after the journal records that
 * transition (CULPRIT_FAULT, src/machine/fault.ts).
 * - SIGKILL: then `culprit recover`; the repository must be byte-identical to before.
 * - SIGINT: no recover; culprit must restore by itself and exit 130.
 */

interface FaultPoint {
  /** The CULPRIT_FAULT point: "<state>[/<detail>]". */
  point: string;
  /** Row label in the printed matrix. */
  label: string;
  /** CULPRIT_TEST_GIT for the check (see test/repos/hazards.ts): forces a restore from backup. */
  testGit?: "add" | "commit";
}

const points: FaultPoint[] = [
  { point: "backup", label: "backup" },
  { point: "backup/pinned", label: "backup/pinned" },
  { point: "probe-current/run 1", label: "probe-current/run 1" },
  { point: "probe-current/settle", label: "probe-current/settle" },
  { point: "enter-baseline/stash push", label: "enter-baseline/stash push" },
  { point: "enter-baseline/stashed", label: "enter-baseline/stashed" },
  { point: "probe-baseline/run 1", label: "probe-baseline/run 1" },
  { point: "probe-baseline/settle", label: "probe-baseline/settle" },
  { point: "leave-baseline/stash pop", label: "leave-baseline/stash pop" },
  { point: "verify", label: "verify" },
  {
    point: "restore-from-backup",
    label: "restore-from-backup (pop refused)",
    testGit: "add",
  },
  {
    point: "restore-from-backup",
    label: "restore-from-backup (verify mismatch)",
    testGit: "commit",
  },
  { point: "report", label: "report" },
];

const modes = ["SIGKILL+recover", "SIGINT"] as const;
type Mode = (typeof modes)[number];

const hazardNames = Object.keys(hazards);
const results = new Map<string, string>();
const cellKey = (mode: Mode, label: string, hazard: string) => `${mode}|${label}|${hazard}`;

/** The journal's last transition matches the fault point: the fault fired where it was asked. */
function expectStoppedAt(journal: Journal | null, point: string): void {
  expect(journal, "no journal: the fault did not fire").not.toBeNull();
  const [state, detail] = point.split(/\/(.*)/s);
  expect(journal!.state).toBe(state);
  if (detail !== undefined) expect(journal!.detail).toBe(detail);
}

async function killAndRecover(
  repo: TestRepo,
  fault: FaultPoint,
  checkRefusal: boolean,
): Promise<void> {
  const before = captureState(repo);
  const killed = await runCulpritAsync(repo, ["--json", "--", ...faultCheckCommand], {
    CULPRIT_FAULT: fault.point,
    ...(fault.testGit ? { CULPRIT_TEST_GIT: fault.testGit } : {}),
  });
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  expectStoppedAt(readJournal(repo), fault.point);

  if (checkRefusal) {
    // Until `culprit recover` has run, culprit refuses to start (the same for every hazard).
    const refused = await runCulpritAsync(repo, ["--", ...faultCheckCommand]);
    expect(refused.status, refused.stderr).toBe(3);
    expect(refused.stderr).toContain("culprit recover");
  }

  const recovered = await runCulpritAsync(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(recovered.stderr).toMatch(/restored your work|died before touching your tree/);
  expect(captureState(repo)).toEqual(before);
  expect(backupRefs(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
}

/** Returns the cell's mark: "ok", or the known bug whose contract breach it showed. */
async function interruptAndRestore(repo: TestRepo, fault: FaultPoint): Promise<string> {
  const before = captureState(repo);
  const result = await runCulpritAsync(repo, ["--json", "--", ...faultCheckCommand], {
    CULPRIT_FAULT: `${fault.point}@SIGINT`,
    ...(fault.testGit ? { CULPRIT_TEST_GIT: fault.testGit } : {}),
  });
  // The work: back by itself, whatever the exit code.
  expect(result.stderr).toContain("SIGINT: stopping the test and restoring your work");
  expect(captureState(repo)).toEqual(before);
  expect(backupRefs(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
  // The contract: exit 130, the JSON says interrupted and verified.
  const contract = (): void => {
    expect(result.status, result.stderr).toBe(130);
    const json = JSON.parse(result.stdout) as {
      interrupted: string | null;
      restore: { verified: boolean };
    };
    expect(json.interrupted).toBe("SIGINT");
    expect(json.restore.verified).toBe(true);
  };
  contract();
  return "ok";
}

describe("fault matrix, no fault (the hazard repositories and the check are sound)", () => {
  for (const hazard of hazardNames) {
    test.concurrent(`no fault x ${hazard}`, async () => {
      const key = `none|${hazard}`;
      results.set(key, "FAILED");
      const repo = hazards[hazard]!();
      try {
        const before = captureState(repo);
        const result = await runCulpritAsync(repo, ["--json", "--", ...faultCheckCommand]);
        expect(result.status, result.stderr).toBe(1);
        expect(captureState(repo)).toEqual(before);
        expect(backupRefs(repo)).toEqual([]);
        const json = JSON.parse(result.stdout) as {
          verdict: string;
          restore: { verified: boolean; residue: string[] };
        };
        expect(json.verdict).toBe("regression");
        expect(json.restore.verified).toBe(true);
        // Both sides wrote files: both settled.
        expect(json.restore.residue).toHaveLength(2);
        results.set(key, "ok");
      } finally {
        repo.cleanup();
      }
    }, 180_000);
  }
});

describe.each(modes)("fault matrix, %s", (mode) => {
  for (const fault of points) {
    for (const hazard of hazardNames) {
      test.concurrent(`${fault.label} x ${hazard}`, async () => {
        const key = cellKey(mode, fault.label, hazard);
        results.set(key, "FAILED");
        const repo = hazards[hazard]!();
        try {
          if (mode === "SIGKILL+recover") {
            await killAndRecover(repo, fault, hazard === hazardNames[0]);
            results.set(key, "ok");
          } else results.set(key, await interruptAndRestore(repo, fault));
        } finally {
          repo.cleanup();
        }
      }, 180_000);
    }
  }
});

// A SIGINT that arrives while the first run opens its log must stop that run, not wait for it
// (src/run/run-command.ts used to miss an abort that came before its listener was added).
const sleepyCheck = `import { writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { add } from "./lib.mjs";
if (process.env.CULPRIT_SIDE === "current" && add(2, 2) !== 4) {
  setTimeout(() => {
    writeFileSync(homedir() + "/sleepy-check-finished", "");
    process.exit(7);
  }, 4_000);
}
`;

test("SIGINT as the first run starts: that run is stopped, the work restored", async () => {
  const repo = baseRepo();
  try {
    repo.write("sleepy-check.mjs", sleepyCheck);
    repo.commit("sleepy check");
    introduceBug(repo);
    repo.write("wip.txt", "untracked work\n");
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, ["--json", "--", "node", "sleepy-check.mjs"], {
      CULPRIT_FAULT: "probe-current/run 1@SIGINT",
    });
    expect(existsSync(join(repo.home, "sleepy-check-finished"))).toBe(false);
    expect(captureState(repo)).toEqual(before);
    expect(backupRefs(repo)).toEqual([]);
    expect(readJournal(repo)).toBeNull();
    expect(result.status, result.stderr).toBe(130);
    expect(JSON.parse(result.stdout).interrupted).toBe("SIGINT");
  } finally {
    repo.cleanup();
  }
}, 120_000);

afterAll(() => {
  console.log(renderMatrix("fault matrix", modes, points, hazardNames, results));
});
