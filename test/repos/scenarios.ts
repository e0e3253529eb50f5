import { createRepo, type TestRepo } from "./harness.js";

const lib = (body: string) => `export function add(a, b) {\n  ${body}\n}\n`;
const check = `import { add } from "./lib.mjs";\nif (add(2, 2) !== 4) {\n  console.error("check failed: add(2, 2) = " + add(2, 2));\n  process.exit(1);\n}\nconsole.log("ok");\n`;

/** The command every scenario's check runs (argv, no shell). */
export const checkCommand = ["node", "check.mjs"];

/** A committed project whose `node check.mjs` passes (no uncommitted change yet). */
export function baseRepo(): TestRepo {
  const repo = createRepo();
  repo.write("lib.mjs", lib("return a + b;"));
  repo.write("check.mjs", check);
  repo.write("README.md", "# sample\n");
  repo.write(".gitignore", "*.log\nbuild/\n");
  repo.commit("initial");
  return repo;
}

/** notes.txt committed, then a line staged, then another left unstaged on top. */
export function stageNotesPartially(repo: TestRepo): void {
  repo.write("notes.txt", "one\n");
  repo.commit("notes");
  repo.write("notes.txt", "one\nstaged line\n");
  repo.git("add", "notes.txt");
  repo.write("notes.txt", "one\nstaged line\nunstaged line\n");
}

/** The uncommitted edit that breaks `node check.mjs`. */
export function introduceBug(repo: TestRepo): void {
  repo.write("lib.mjs", lib("return a + b + 1; // refactor gone wrong"));
}

/** A project whose `node check.mjs` passes at HEAD; the uncommitted edit breaks lib.mjs. */
export function regressionRepo(): TestRepo {
  const repo = baseRepo();
  introduceBug(repo);
  return repo;
}

/** `node check.mjs` already fails at HEAD; the uncommitted edit is unrelated. */
export function preExistingRepo(): TestRepo {
  const repo = createRepo();
  repo.write("lib.mjs", lib("return a - b;"));
  repo.write("check.mjs", check);
  repo.write("README.md", "# sample\n");
  repo.commit("initial");
  repo.write("README.md", "# sample\n\nMore words.\n");
  return repo;
}

/** `node check.mjs` passes with the uncommitted changes. */
export function passingRepo(): TestRepo {
  const repo = createRepo();
  repo.write("lib.mjs", lib("return a + b;"));
  repo.write("check.mjs", check);
  repo.commit("initial");
  repo.write("README.md", "# new readme\n");
  return repo;
}
