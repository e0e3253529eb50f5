import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { worktreesDir } from "../../src/git/worktree.js";
import {
  type CulpritExit,
  captureState,
  culpritRefs,
  runCulpritAsync,
  type TestRepo,
} from "./harness.js";
import { backupRefs, type Journal, readJournal, renderMatrix } from "./journal.js";

/** One place culprit is made to signal itself (CULPRIT_FAULT, src/machine/fault.ts). */
export interface FaultPoint {
  /** The CULPRIT_FAULT point: "<state>[/<detail>][#n]". */
  point: string;
  /** Row label in the printed matrix. */
  label: string;
  /** The detail the journal must show where the fault fired (null: none), when not in `point`. */
  detail?: RegExp | null;
  /** CULPRIT_TEST_GIT for the check (see hazards.ts): forces a restore from the backup. */
  testGit?: "add" | "commit";
  /**
   * A step that happens beside a state (the backup's pin, beside the first run): the journal's
   * history holds it, whatever state the journal is in.
   */
  beside?: true;
}

/** A fault-injection matrix: points x hazard repositories x (SIGKILL then recover, SIGINT). */
export interface MatrixSpec {
  title: string;
  /** Builders of the hazard repositories, by column name. */
  hazards: Record<string, () => TestRepo>;
  /** The command culprit attributes, and culprit's own options (`--json` added). */
  command: string[];
  options: string[];
  points: FaultPoint[];
  /** Checks of the run without a fault (the scenario takes the path the points are on). */
  noFault: (json: Record<string, unknown>, result: CulpritExit) => void;
  /** Checks of the journal where a fault fired (the path it was on), besides the point itself. */
  onPath?: (journal: Journal) => void;
  /** Also checks, on the first hazard, that culprit refuses to start before `recover`. */
  checkRefusal?: boolean;
  /** --worktree: nothing of the user's is written, so nothing is verified; no worktree is left. */
  isolated?: boolean;
  /**
   * Hazards a point is tried on in each mode (default: all). The hazards rotate with the point
   * and the mode, so that every hazard meets many points and each point meets 2 x this many
   * hazards across the two modes. CULPRIT_FULL_MATRIX=1 runs every cell whatever this says.
   */
  hazardsPerPoint?: number;
}

/** Every cell of every matrix, however the spec samples them (CULPRIT_FULL_MATRIX=1). */
const fullMatrix = process.env["CULPRIT_FULL_MATRIX"] === "1";

/**
 * The hazards point number `point` is tried on in mode number `mode`: `per` of them, the
 * rotation starting further on for each point and mode (all of them when `per` covers them).
 */
export function sampledHazards(
  names: readonly string[],
  point: number,
  mode: number,
  per: number | undefined,
): string[] {
  if (fullMatrix || per === undefined || per >= names.length) return [...names];
  const start = (point + mode) * per;
  return Array.from({ length: per }, (_, j) => names[(start + j) % names.length]!);
}

/** Where culprit puts the worktrees of this repository (src/git/worktree.ts). */
export function culpritWorktrees(repo: TestRepo): string {
  return worktreesDir({
    root: repo.dir,
    commonDir: join(repo.dir, ".git"),
    stateDir: join(repo.dir, ".git", "culprit"),
  });
}

/** The worktrees git knows besides the main one, and what is left in culprit's worktrees folder. */
export function leftWorktrees(repo: TestRepo): string[] {
  const listed = repo
    .git("worktree", "list", "--porcelain")
    .split("\n")
    .filter((l) => l.startsWith("worktree "))
    .slice(1);
  const folders = [culpritWorktrees(repo), join(repo.dir, ".git", "culprit", "worktrees")].flatMap(
    (dir) => (existsSync(dir) ? readdirSync(dir) : []),
  );
  return [...listed, ...folders];
}

/** True when a baseline's moved-aside files (src/git/aside.ts) were left in .git/culprit/aside. */
export function leftAside(repo: TestRepo): boolean {
  return existsSync(join(repo.dir, ".git", "culprit", "aside"));
}

const modes = ["SIGKILL+recover", "SIGINT"] as const;

/** Registers the matrix's tests (concurrent cells) and prints it after the file. */
export function faultMatrix(spec: MatrixSpec): void {
  const hazardNames = Object.keys(spec.hazards);
  const results = new Map<string, string>();
  const args = ["--json", ...spec.options, "--", ...spec.command];

  const faultEnv = (fault: FaultPoint, signal: string): NodeJS.ProcessEnv => ({
    CULPRIT_FAULT: `${fault.point}@${signal}`,
    ...(fault.testGit ? { CULPRIT_TEST_GIT: fault.testGit } : {}),
  });

  /** The journal's last transition is the fault point: the fault fired where it was asked. */
  const expectStoppedAt = (journal: Journal | null, fault: FaultPoint): void => {
    expect(journal, "no journal: the fault did not fire").not.toBeNull();
    const [state, detail] = fault.point.replace(/#\d+$/, "").split(/\/(.*)/s);
    if (fault.beside) {
      expect(journal!.history.map((h) => `${h.state}/${h.detail}`)).toContain(fault.point);
      spec.onPath?.(journal!);
      return;
    }
    expect(journal!.state).toBe(state);
    if (detail !== undefined) expect(journal!.detail).toBe(detail);
    else if (fault.detail === null) expect(journal!.detail).toBeUndefined();
    else if (fault.detail) expect(journal!.detail).toMatch(fault.detail);
    spec.onPath?.(journal!);
  };

  const killAndRecover = async (repo: TestRepo, fault: FaultPoint, refusal: boolean) => {
    const before = captureState(repo);
    const killed = await runCulpritAsync(repo, args, faultEnv(fault, "SIGKILL"));
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    expectStoppedAt(readJournal(repo), fault);
    if (refusal) {
      // Until `culprit recover` has run, culprit refuses to start.
      const refused = await runCulpritAsync(repo, ["--", ...spec.command]);
      expect(refused.status, refused.stderr).toBe(3);
      expect(refused.stderr).toContain("culprit recover");
    }
    const recovered = await runCulpritAsync(repo, ["recover"]);
    expect(recovered.status, recovered.stderr).toBe(0);
    expect(recovered.stderr).toMatch(
      /restored your work|died before touching your tree|never wrote your tree/,
    );
    expect(captureState(repo)).toEqual(before);
    expect(backupRefs(repo)).toEqual([]);
    expect(readJournal(repo)).toBeNull();
    expect(leftWorktrees(repo)).toEqual([]);
    expect(leftAside(repo)).toBe(false);
  };

  const interruptAndRestore = async (repo: TestRepo, fault: FaultPoint) => {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, args, faultEnv(fault, "SIGINT"));
    // The work: back by itself, then the contract: exit 130, the JSON says interrupted, verified.
    expect(result.stderr).toContain(
      spec.isolated
        ? "SIGINT: stopping the test and removing its worktrees (your tree was never written)"
        : "SIGINT: stopping the test and restoring your work",
    );
    expect(captureState(repo)).toEqual(before);
    expect(backupRefs(repo)).toEqual([]);
    expect(readJournal(repo)).toBeNull();
    expect(result.status, result.stderr).toBe(130);
    const json = JSON.parse(result.stdout) as {
      interrupted: string | null;
      restore: { verified: boolean; touched: boolean };
    };
    expect(json.interrupted).toBe("SIGINT");
    if (spec.isolated) expect(json.restore.touched).toBe(false);
    else expect(json.restore.verified).toBe(true);
    expect(leftWorktrees(repo)).toEqual([]);
    expect(leftAside(repo)).toBe(false);
  };

  describe(`${spec.title}, no fault (the hazard repositories take the path)`, () => {
    for (const hazard of hazardNames) {
      test.concurrent(`no fault x ${hazard}`, async () => {
        results.set(`none|${hazard}`, "FAILED");
        const repo = spec.hazards[hazard]!();
        try {
          const before = captureState(repo);
          const result = await runCulpritAsync(repo, args);
          expect(captureState(repo)).toEqual(before);
          expect(culpritRefs(repo).filter((r) => !r.includes("/residue/"))).toEqual([]);
          const json = JSON.parse(result.stdout) as Record<string, unknown>;
          const restore = json["restore"] as { verified: boolean; touched: boolean };
          if (spec.isolated) expect(restore.touched).toBe(false);
          else expect(restore.verified).toBe(true);
          expect(leftWorktrees(repo)).toEqual([]);
          expect(leftAside(repo)).toBe(false);
          expect(leftAside(repo)).toBe(false);
          spec.noFault(json, result);
          results.set(`none|${hazard}`, "ok");
        } finally {
          repo.cleanup();
        }
      }, 180_000);
    }
  });

  describe.each(modes)(`${spec.title}, %s`, (mode) => {
    for (const [p, fault] of spec.points.entries()) {
      const tried = sampledHazards(hazardNames, p, modes.indexOf(mode), spec.hazardsPerPoint);
      for (const hazard of tried) {
        test.concurrent(`${fault.label} x ${hazard}`, async () => {
          const key = `${mode}|${fault.label}|${hazard}`;
          results.set(key, "FAILED");
          const repo = spec.hazards[hazard]!();
          try {
            if (mode === "SIGKILL+recover")
              await killAndRecover(
                repo,
                fault,
                Boolean(spec.checkRefusal) && hazard === hazardNames[0],
              );
            else await interruptAndRestore(repo, fault);
            results.set(key, "ok");
          } finally {
            repo.cleanup();
          }
        }, 180_000);
      }
    }
  });

  afterAll(() => {
    console.log(renderMatrix(spec.title, modes, spec.points, hazardNames, results));
  });
}

/**
 * After a command that runs only in culprit's worktrees (bisect, isolate) ended or was recovered:
 * the user's tree as `before`, and no worktree, journal or ref of culprit's left.
 */
export function expectWorktreeRunGone(repo: TestRepo, before: Record<string, string>): void {
  expect(captureState(repo)).toEqual(before);
  expect(leftWorktrees(repo)).toEqual([]);
  expect(readJournal(repo)).toBeNull();
  expect(culpritRefs(repo)).toEqual([]);
}

/** `culprit recover` after a kill -9 of such a command: it never wrote your tree, nothing left. */
export async function expectWorktreeRunRecovered(
  repo: TestRepo,
  before: Record<string, string>,
): Promise<void> {
  const recovered = await runCulpritAsync(repo, ["recover"]);
  expect(recovered.status, recovered.stderr).toBe(0);
  expect(recovered.stderr).toMatch(/never wrote your tree/);
  expectWorktreeRunGone(repo, before);
}
