import type { TestRepo } from "./harness.js";
import { baseRepo, introduceBug, stageNotesPartially } from "./scenarios.js";

/**
 * The fault-matrix check, a shell script so that the matrix's many runs cost little: fails on
 * the current tree (the bug in lib.mjs), passes at the baseline, and on every run rewrites a
 * tracked file and creates an untracked one, so that culprit has to settle (keep a residue, put
 * the tree back) on both sides. It finishes at once.
 * CULPRIT_TEST_GIT (in culprit's environment, which the test inherits) makes the baseline runs
 * meddle with git so that culprit has to restore from the backup:
 * - "add": `git add` what the run wrote; the index then has entries whose files settle removed,
 *   and `git stash pop --index` refuses ("local changes would be overwritten"): the pop fails;
 * - "commit": an empty commit on the branch; the pop succeeds but HEAD moved: verify mismatches.
 */
const faultCheck = `side=\${CULPRIT_SIDE:-manual}
run=\${CULPRIT_RUN:-0}
printf 'rewritten by the %s run %s\\n' "$side" "$run" > README.md
mkdir -p test-output
printf 'output of the %s run %s\\n' "$side" "$run" > "test-output/$side-$run.txt"
if [ "$side" = baseline ] && [ "\${CULPRIT_TEST_GIT:-}" = add ]; then
  git add -- "test-output/$side-$run.txt" || exit 125
fi
if [ "$side" = baseline ] && [ "\${CULPRIT_TEST_GIT:-}" = commit ] && [ "$run" = 1 ]; then
  git -c user.name=Test -c user.email=test@example.invalid commit -q --allow-empty --no-verify -m "made by the test" || exit 125
fi
# HEAD's lib.mjs adds; the uncommitted edit does not.
grep -q 'return a + b;' lib.mjs
`;

/** The command of the fault-matrix check. */
export const faultCheckCommand = ["sh", "fault-check.sh"];

/** baseRepo with the fault-matrix check committed. */
function faultBase(): TestRepo {
  const repo = baseRepo();
  repo.write("fault-check.sh", faultCheck);
  repo.commit("fault check");
  return repo;
}

const identity = ["-c", "user.name=U", "-c", "user.email=u@example.invalid"];

/**
 * Hazard repositories for the fault matrix: each has the fault check committed, the bug in
 * lib.mjs uncommitted, and one kind of work that is easy to lose.
 */
export const hazards: Record<string, () => TestRepo> = {
  "partially-staged": () => {
    const repo = faultBase();
    stageNotesPartially(repo);
    introduceBug(repo);
    repo.git("add", "lib.mjs");
    repo.write("lib.mjs", "export function add(a, b) {\n  return a * b + 1;\n}\n");
    return repo;
  },
  "untracked+ignored": () => {
    const repo = faultBase();
    introduceBug(repo);
    repo.write("newdir/data.txt", "untracked\n");
    repo.write("newdir/run.log", "ignored inside an untracked folder\n");
    repo.write("newdir/deeper/more.txt", "untracked, deeper\n");
    repo.write("build/out.bin", Buffer.from([0, 1, 2, 3]));
    return repo;
  },
  binary: () => {
    const repo = faultBase();
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    repo.write("image.bin", bytes);
    repo.commit("binary");
    bytes[100] = 0;
    bytes[101] = 255;
    repo.write("image.bin", bytes);
    repo.write("new.bin", Buffer.from([0, 0, 0, 255, 10, 13, 0]));
    introduceBug(repo);
    return repo;
  },
  deletion: () => {
    const repo = faultBase();
    repo.write("old.txt", "old\n");
    repo.write("older.txt", "older\n");
    repo.commit("old files");
    repo.remove("old.txt");
    repo.git("rm", "-q", "older.txt");
    introduceBug(repo);
    return repo;
  },
  rename: () => {
    const repo = faultBase();
    repo.write("src/name.txt", "content that is long enough to be detected as a rename\n");
    repo.commit("to rename");
    repo.git("mv", "src/name.txt", "src/renamed.txt");
    introduceBug(repo);
    return repo;
  },
  "rm-cached+ignored": () => {
    // A file committed by mistake, then `git rm --cached` and ignored: HEAD still has it, so the
    // stash puts HEAD's version on disk at the baseline; the user's bytes must come back.
    const repo = faultBase();
    repo.write("settings.env", "committed by mistake\n");
    repo.commit("settings");
    repo.git("rm", "-q", "--cached", "settings.env");
    repo.write(".gitignore", "*.log\nbuild/\n*.env\n");
    repo.write("settings.env", "the real settings, never committed\n");
    introduceBug(repo);
    return repo;
  },
  "existing-stash": () => {
    const repo = faultBase();
    repo.write("README.md", "# first stash\n");
    repo.git(...identity, "stash", "push", "-q", "-m", "first");
    repo.write("README.md", "# second stash\n");
    repo.write("stashed-untracked.txt", "u\n");
    repo.git(...identity, "stash", "push", "-q", "-u", "-m", "second");
    introduceBug(repo);
    return repo;
  },
};
