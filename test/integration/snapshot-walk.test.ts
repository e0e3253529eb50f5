import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, expect, test } from "vitest";
import { openRepo, type Repo } from "../../src/git/repo.js";
import {
  addMarkPath,
  fingerprint,
  snapshotWorktree,
  useWorkIndex,
  workTreeTouched,
} from "../../src/git/snapshot.js";
import { racyMs, walkBudget } from "../../src/git/tree-stat.js";
import type { TestRepo } from "../repos/harness.js";
import { cases, counting, sampleRepo, truth } from "../repos/snapshot-cases.js";

/*
 * After every run, the snapshot that checks what the test wrote first walks the working tree
 * with lstat and asks git nothing when the walk is what it was before the last `git add`
 * (src/git/tree-stat.ts). The walk may only ever spare a git process: whatever a test does to the
 * tree, the snapshot must be the tree git itself sees. Each case below settles a real
 * repository (two snapshots, the second one's walk kept), does one thing a test could do, and
 * compares the snapshot with the tree a fresh `git add --all` into a new index gives; where the
 * thing changes the tree, the truth must differ from before (else the case proves nothing).
 */

let repo: TestRepo | undefined;
let drop: (() => void) | undefined;
afterEach(() => {
  drop?.();
  drop = undefined;
  repo?.cleanup();
  repo = undefined;
});

beforeAll(() => {
  // culprit's git calls take their environment from this process: no developer config.
  process.env["GIT_CONFIG_NOSYSTEM"] = "1";
  process.env["HOME"] = "/nonexistent-culprit-home";
  delete process.env["XDG_CONFIG_HOME"];
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens culprit's repo on `r` with a work index, settled: the last walk kept. */
async function settled(r: TestRepo, walks = true): Promise<{ repo: Repo; before: string }> {
  const opened = await openRepo(r.dir);
  drop = useWorkIndex(opened);
  await snapshotWorktree(opened);
  // As before a run: the ignored entries the walks skip are listed meanwhile (a run is longer).
  workTreeTouched(opened, "test");
  await opened.walks?.listing;
  await sleep(racyMs + 20);
  const before = await snapshotWorktree(opened);
  // The same for the run after it.
  workTreeTouched(opened, "test");
  await opened.walks?.listing;
  // The walk before that add was kept: the next snapshot may skip git (else no case here
  // would test the walk at all).
  if (walks) expect(opened.walks?.last?.tree).toBe(before);
  return { repo: opened, before };
}

test("nothing written: the snapshot is the last one and no git process runs", async () => {
  repo = sampleRepo();
  const { repo: r, before } = await settled(repo);
  const seen = counting(r);
  expect(await snapshotWorktree(r)).toBe(before);
  expect(seen.calls).toEqual([]);
  expect(before).toBe(truth(repo, r));
});

test("a write inside an ignored folder changes nothing git sees: still no git process", async () => {
  repo = sampleRepo();
  const { repo: r, before } = await settled(repo);
  repo.write("build/out.js", "rebuilt by the test\n");
  repo.write("build/new.js", "new build output\n");
  const seen = counting(r);
  expect(await snapshotWorktree(r)).toBe(before);
  expect(seen.calls).toEqual([]);
  expect(truth(repo, r)).toBe(before);
});

for (const c of cases) {
  test(`${c.name}: the snapshot is git's tree`, async () => {
    repo = sampleRepo();
    const { repo: r, before } = await settled(repo);
    c.act(repo);
    const expected = truth(repo, r);
    if (c.same) expect(expected).toBe(before);
    else expect(expected).not.toBe(before);
    expect(await snapshotWorktree(r)).toBe(expected);
    // And settled again on the new tree: the next snapshot still agrees.
    await sleep(racyMs + 20);
    workTreeTouched(r, "test");
    await r.walks?.listing;
    expect(await snapshotWorktree(r)).toBe(expected);
    workTreeTouched(r, "test");
    await r.walks?.listing;
    expect(await snapshotWorktree(r)).toBe(expected);
  });
}

test("two writes in a row, the first one seen within the clock tick: the second is not missed", async () => {
  repo = sampleRepo();
  const { repo: r, before } = await settled(repo);
  // Same size, written and snapshotted at once: that walk is racy and must not be kept.
  repo.write("lib.mjs", "export const a = 5;\n");
  const first = await snapshotWorktree(r);
  expect(first).toBe(truth(repo, r));
  expect(first).not.toBe(before);
  workTreeTouched(r, "test");
  repo.write("lib.mjs", "export const a = 6;\n");
  const second = await snapshotWorktree(r);
  expect(second).toBe(truth(repo, r));
  expect(second).not.toBe(first);
});

test("a nested repository: walks are given up and git decides every time", async () => {
  repo = sampleRepo();
  mkdirSync(join(repo.dir, "vendor/lib"), { recursive: true });
  const nested = join(repo.dir, "vendor/lib");
  spawnSync("git", ["init", "-q", nested], { env: repo.env });
  writeFileSync(join(nested, "x.txt"), "x\n");
  spawnSync("git", ["add", "x.txt"], { cwd: nested, env: repo.env });
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], {
    cwd: nested,
    env: repo.env,
  });
  const { repo: r } = await settled(repo, false);
  expect(r.walks?.off).toMatch(/nested repository/);
  const seen = counting(r);
  await snapshotWorktree(r);
  expect(seen.calls.some((call) => call.startsWith("add"))).toBe(true);
  expect(readFileSync(join(repo.dir, "vendor/lib/x.txt"), "utf8")).toBe("x\n");
});

test("more files than a walk can beat git at: no walk, the folders are watched instead", async () => {
  repo = sampleRepo();
  for (let i = 0; i <= walkBudget; i++) repo.write(`many/f${i % 40}/file${i}.txt`, `${i}\n`);
  const { repo: r } = await settled(repo, false);
  expect(r.walks?.off).toBeUndefined();
  expect(r.treeWatch?.size).toBeGreaterThan(40);
  repo.write("many/f0/file0.txt", "changed\n");
  workTreeTouched(r, "test");
  expect(await snapshotWorktree(r)).toBe(truth(repo, r));
});

test("the fingerprint of the backup and the verify asks git even when a walk would do", async () => {
  repo = sampleRepo();
  const { repo: r, before } = await settled(repo);
  const seen = counting(r);
  const fp = await fingerprint(r);
  expect(fp.worktree).toBe(before);
  expect(seen.calls.some((call) => call.startsWith("add --all"))).toBe(true);
});

test("build/ no longer ignored, then a later write into it: the list of what walks skip is not stale", async () => {
  repo = sampleRepo();
  const { repo: r } = await settled(repo);
  repo.write(".gitignore", "*.log\n");
  expect(await snapshotWorktree(r)).toBe(truth(repo, r));
  for (const content of ["rebuilt once\n", "rebuilt twice\n"]) {
    workTreeTouched(r, "test");
    await r.walks?.listing;
    await sleep(racyMs + 20);
    expect(await snapshotWorktree(r)).toBe(truth(repo, r));
    const before = truth(repo, r);
    repo.write("build/out.js", content);
    const after = truth(repo, r);
    expect(after).not.toBe(before);
    expect(await snapshotWorktree(r)).toBe(after);
  }
});

/*
 * The first look after an add that no walk preceded (the backup's add: the walks' list of what
 * to skip is made against the index that add writes) stands for that add's tree when every entry
 * it sees is older than the add's start (a marker's change time) by `racyMs`: each case below
 * must still give git's tree, and a tree written just before the add must leave git to decide.
 */

/** Opens culprit's repo on `r` with a work index filled by one add, no walk before it. */
async function addedOnce(r: TestRepo): Promise<{ repo: Repo; before: string }> {
  // The tree's times are older than the add's start by more than racyMs.
  await sleep(racyMs + 20);
  const opened = await openRepo(r.dir);
  drop = useWorkIndex(opened);
  const before = await snapshotWorktree(opened, { byGit: true });
  expect(opened.walks?.last).toBeUndefined();
  expect(opened.walks?.since?.tree).toBe(before);
  workTreeTouched(opened, "test");
  await opened.walks?.listing;
  return { repo: opened, before };
}

test("first look after an add no walk preceded, nothing written: that add's tree, no git process", async () => {
  repo = sampleRepo();
  const { repo: r, before } = await addedOnce(repo);
  const seen = counting(r);
  expect(await snapshotWorktree(r)).toBe(before);
  expect(seen.calls).toEqual([]);
  expect(before).toBe(truth(repo, r));
  // Kept as the last walk: the next look compares with it.
  expect(r.walks?.last?.tree).toBe(before);
  workTreeTouched(r, "test");
  expect(await snapshotWorktree(r)).toBe(before);
  expect(seen.calls).toEqual([]);
});

for (const c of cases) {
  test(`first look after an add no walk preceded, ${c.name}: the snapshot is git's tree`, async () => {
    repo = sampleRepo();
    const { repo: r, before } = await addedOnce(repo);
    c.act(repo);
    // As a test that wrote early in a longer run: the look's walk is not racy.
    await sleep(racyMs + 20);
    const expected = truth(repo, r);
    if (c.same) expect(expected).toBe(before);
    else expect(expected).not.toBe(before);
    expect(await snapshotWorktree(r)).toBe(expected);
  });
}

test("a file written just before the add that no walk preceded: git decides the first look", async () => {
  repo = sampleRepo();
  const opened = await openRepo(repo.dir);
  drop = useWorkIndex(opened);
  repo.write("lib.mjs", "export const a = 7;\n");
  const before = await snapshotWorktree(opened, { byGit: true });
  workTreeTouched(opened, "test");
  await opened.walks?.listing;
  const seen = counting(opened);
  expect(await snapshotWorktree(opened)).toBe(before);
  expect(seen.calls.some((call) => call.startsWith("add "))).toBe(true);
  expect(before).toBe(truth(repo, opened));
});

test("the add's marker is removed with the work index", async () => {
  repo = sampleRepo();
  const { repo: r } = await addedOnce(repo);
  expect(existsSync(addMarkPath(r))).toBe(true);
  drop?.();
  drop = undefined;
  expect(existsSync(addMarkPath(r))).toBe(false);
});
