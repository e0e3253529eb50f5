import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { culpritRefs, type TestRepo } from "./harness.js";

/** What the fault matrices read of culprit's journal. */
export interface Journal {
  state: string;
  detail?: string;
  history: { state: string; detail?: string }[];
}

/** The journal culprit left in `.git/culprit/`, or null. */
export function readJournal(repo: TestRepo): Journal | null {
  const path = join(repo.dir, ".git", "culprit", "journal.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Journal) : null;
}

/** Refs under refs/culprit that are not residue (a backup left behind is a failure). */
export function backupRefs(repo: TestRepo): string[] {
  return culpritRefs(repo).filter((ref) => !ref.includes("/residue/"));
}

/**
 * The table a fault matrix prints: a row per fault point, a column per hazard, for each mode,
 * then the count of cells run. `results` is keyed `mode|label|hazard` (and `none|hazard`).
 */
export function renderMatrix(
  title: string,
  modes: readonly string[],
  points: readonly { label: string }[],
  hazardNames: readonly string[],
  results: ReadonlyMap<string, string>,
): string {
  const width = Math.max(...points.map((p) => p.label.length));
  const lines = [
    `no fault: ${hazardNames.map((h) => `${h} ${results.get(`none|${h}`) ?? "-"}`).join(", ")}`,
    "",
  ];
  for (const mode of modes) {
    lines.push(
      `${title}, ${mode}: states x hazards`,
      `${"".padEnd(width)}  ${hazardNames.join("  ")}`,
    );
    for (const fault of points) {
      const cells = hazardNames.map((hazard) =>
        (results.get(`${mode}|${fault.label}|${hazard}`) ?? "-").padEnd(hazard.length),
      );
      lines.push(`${fault.label.padEnd(width)}  ${cells.join("  ")}`);
    }
    lines.push("");
  }
  const all = [...results].filter(([key]) => !key.startsWith("none|")).map(([, mark]) => mark);
  const total = modes.length * points.length * hazardNames.length;
  const failed = all.filter((r) => r === "FAILED").length;
  lines.push(`${all.length}/${total} cells run: ${all.length - failed} ok, ${failed} FAILED`);
  return lines.join("\n");
}
