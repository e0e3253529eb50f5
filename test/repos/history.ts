import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { expect } from "vitest";
import { createRepo, runCulpritAsync, type TestRepo } from "./harness.js";

const validateBisect = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(
    readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schema", "bisect.schema.json"),
      "utf8",
    ),
  ) as object,
);

/** `culprit bisect --json`'s document, checked against the schema shipped in the package. */
export function parseBisectJson<T = Record<string, unknown>>(stdout: string): T {
  const doc = JSON.parse(stdout) as T;
  expect(validateBisect(doc), JSON.stringify(validateBisect.errors, null, 2)).toBe(true);
  return doc;
}

/**
 * A shell check for `culprit bisect`: it fails from the commit that put "broken" in state.txt,
 * every time, or with probability `rate` (deterministic given SEED, the commit and the run:
 * cksum of the three, so a seeded try is repeatable), and at every commit with `flake`.
 */
export const historyCheck = `#!/bin/sh
rate=\${RATE:-1000}
flake=\${FLAKE:-0}
draw=$(printf '%s %s %s' "\${SEED:-0}" "\${CULPRIT_COMMIT:-none}" "\${CULPRIT_RUN:-0}" | cksum | cut -d' ' -f1)
draw=$((draw % 1000))
if grep -q broken state.txt; then
  [ "$draw" -lt "$rate" ] && { echo "check failed (draw $draw)"; exit 1; }
else
  [ "$draw" -lt "$flake" ] && { echo "flaky failure (draw $draw)"; exit 1; }
fi
echo ok
`;

/**
 * A repository of `count` commits after a first one (the good end), the failure brought in by
 * commit number `culprit` (1-based), each commit touching a file of its own. Returns the repo and
 * the sha of every commit, index 0 the good end.
 */
export function historyRepo(count: number, culprit: number): { repo: TestRepo; shas: string[] } {
  const repo = createRepo();
  // Fixed dates, so the same history has the same shas on every machine and every day: the
  // check's draws hash the commit's sha, and a seeded try must give the same answer each time.
  const dated = (i: number, make: () => void) => {
    const date = `${1_700_000_000 + 60 * i} +0000`;
    repo.env["GIT_AUTHOR_DATE"] = date;
    repo.env["GIT_COMMITTER_DATE"] = date;
    try {
      make();
    } finally {
      delete repo.env["GIT_AUTHOR_DATE"];
      delete repo.env["GIT_COMMITTER_DATE"];
    }
  };
  repo.write("check.sh", historyCheck, 0o755);
  repo.write("state.txt", "fine\n");
  dated(0, () => repo.commit("the good end"));
  const shas = [repo.git("rev-parse", "HEAD").trim()];
  for (let i = 1; i <= count; i++) {
    repo.write(`log/${String(i).padStart(4, "0")}.txt`, `commit ${i}\n`);
    if (i === culprit) repo.write("state.txt", "broken\n");
    dated(i, () => repo.commit(`commit ${i}`));
    shas.push(repo.git("rev-parse", "HEAD").trim());
  }
  return { repo, shas };
}

/**
 * Commits `count` commits on HEAD, `edit(i)` writing commit i's files (1-based) and giving its
 * message (default: a note in notes.txt). Returns the shas, index 0 the HEAD it started from.
 */
export function commitSeries(
  repo: TestRepo,
  count: number,
  edit: (i: number) => string | null = () => null,
): string[] {
  const shas = [repo.git("rev-parse", "HEAD").trim()];
  for (let i = 1; i <= count; i++) {
    const message = edit(i);
    if (message === null) repo.write("notes.txt", `note ${i}\n`);
    repo.commit(message ?? `note ${i}`);
    shas.push(repo.git("rev-parse", "HEAD").trim());
  }
  return shas;
}

/**
 * A history with a merge: main is the good end and two commits, a branch of four commits from the
 * good end, the merge (--no-ff), two more. `mainEdit(repo, i)` and `branchEdit(repo, i)` write
 * beside each commit's own file, `atGood(repo)` at the good end. Returns the shas of the good end, the branch, the merge.
 */
export function mergedHistory(
  repo: TestRepo,
  check: string,
  branchEdit: (repo: TestRepo, i: number) => void,
  mainEdit: (repo: TestRepo, i: number) => void,
  atGood: (repo: TestRepo) => void = () => {},
) {
  const head = () => repo.git("rev-parse", "HEAD").trim();
  repo.write("check.sh", check, 0o755);
  repo.write("state.txt", "fine\n");
  atGood(repo);
  repo.commit("the good end");
  const good = head();
  for (let i = 1; i <= 2; i++) {
    repo.write(`main/${i}.txt`, `main ${i}\n`);
    mainEdit(repo, i);
    repo.commit(`main ${i}`);
  }
  repo.git("checkout", "-q", "-b", "feature", good);
  const branch: string[] = [];
  for (let i = 1; i <= 4; i++) {
    repo.write(`feature/${i}.txt`, `feature ${i}\n`);
    branchEdit(repo, i);
    repo.commit(`feature ${i}`);
    branch.push(head());
  }
  repo.git("checkout", "-q", "main");
  repo.git(
    "-c",
    "user.name=Fixture",
    "-c",
    "user.email=fixture@example.invalid",
    "merge",
    "-q",
    "--no-ff",
    "-m",
    "Merge branch 'feature'",
    "feature",
  );
  const merge = head();
  for (let i = 3; i <= 4; i++) {
    repo.write(`main/${i}.txt`, `main ${i}\n`);
    repo.commit(`main ${i}`);
  }
  return { repo, good, branch, merge };
}

/** An edit for `mergedHistory`: commit `n` puts "broken" in state.txt (historyCheck then fails). */
export const breaksStateAt = (n: number) => (repo: TestRepo, i: number) => {
  if (i === n) repo.write("state.txt", "broken\n");
};

/** `culprit bisect --good GOOD --json -- COMMAND`: its result, and its document checked. */
export async function bisectDoc<T>(repo: TestRepo, good: string, command: readonly string[]) {
  const result = await runCulpritAsync(repo, [
    "bisect",
    "--good",
    good,
    "--json",
    "--",
    ...command,
  ]);
  return { result, doc: parseBisectJson<T>(result.stdout) };
}
