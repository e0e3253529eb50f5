import { type RunClassifyOptions, runCommand } from "../run/index.js";
import type { RunResult, RunSpec } from "../run/types.js";
import { type Journal, writeJournal } from "./journal.js";

/** The process groups of a machine's runs in progress, and the journal that lists them. */
export interface RunGroups {
  readonly groups: Set<number>;
  readonly journal: Journal;
  readonly stateDir: string;
}

/**
 * Runs the command with its process group in the journal from its spawn (`culprit recover` ends
 * a group that outlived culprit), and out of the list once it has ended. Several may run at once
 * (--jobs): each adds and removes its own.
 */
export async function runJournaled(
  owner: RunGroups,
  spec: Omit<RunSpec, "onSpawn">,
  classifyOptions: RunClassifyOptions,
): Promise<RunResult> {
  let group: number | null = null;
  const result = await runCommand(
    {
      ...spec,
      onSpawn: (pgid) => {
        if (group !== null) owner.groups.delete(group);
        group = pgid;
        owner.groups.add(pgid);
        owner.journal.testGroups = [...owner.groups];
        writeJournal(owner.stateDir, owner.journal);
      },
    },
    classifyOptions,
  );
  if (group !== null) owner.groups.delete(group);
  owner.journal.testGroups = [...owner.groups];
  return result;
}
