import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, expect, test } from "vitest";
import { openRepo, type Repo } from "../../src/git/repo.js";
import { snapshotWorktree, useWorkIndex, workTreeTouched } from "../../src/git/snapshot.js";
import { walkBudget } from "../../src/git/tree-stat.js";
import { eventBudget } from "../../src/git/tree-watch.js";
import type { TestRepo } from "../repos/harness.js";
import { cases, counting, sampleRepo, truth } from "../repos/snapshot-cases.js";

/*
 * Past `walkBudget` files the working tree is not walked after a run: its folders are watched
 * (inotify, src/git/tree-watch.ts), and a run that left no event is a run that wrote nothing, with
 * no git process. The watch may only ever spare a git process: each case settles a real
 * repository of more files than a walk takes, does what a test could do, and compares the
 * snapshot with the tree a fresh `git add --all` gives; then does more in the folders the first
 * step made, moved or removed, which only a watch that followed them can see.
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
  process.env["GIT_CONFIG_NOSYSTEM"] = "1";
  process.env["HOME"] = "/nonexistent-culprit-home";
  delete process.env["XDG_CONFIG_HOME"];
});

/**
 * The sample repository with more files than a walk takes (in folders of their own), with room
 * to spare: a case that removes a folder must not bring it under the walk's budget.
 */
function largeRepo(): TestRepo {
  const r = sampleRepo();
  for (let i = 0; i <= walkBudget + 300; i++) r.write(`many/f${i % 40}/file${i}.txt`, `${i}\n`);
  // An empty folder: removed and made again, ext4 gives it back the same inode.
  mkdirSync(join(r.dir, "many/empty"));
  return r;
}

/** As between two runs: the ignored entries listed, then the snapshot that settles the run. */
async function nextRun(r: Repo): Promise<string> {
  workTreeTouched(r, "test");
  return snapshotWorktree(r);
}

/** Opens culprit's repo on `r` with a work index, settled and watched. */
async function settled(r: TestRepo): Promise<{ repo: Repo; before: string }> {
  const opened = await openRepo(r.dir);
  drop = useWorkIndex(opened);
  await snapshotWorktree(opened);
  await nextRun(opened);
  const before = await nextRun(opened);
  expect(opened.treeWatch?.off).toBeUndefined();
  expect(opened.treeWatch?.size).toBeGreaterThan(40);
  expect(opened.walks?.last?.tree).toBe(before);
  expect(opened.walks?.last?.digest).toMatch(/^watch:/);
  return { repo: opened, before };
}

test("nothing written: the snapshot is the last one and no git process runs", async () => {
  repo = largeRepo();
  const { repo: r, before } = await settled(repo);
  workTreeTouched(r, "test");
  await r.walks?.listing;
  const seen = counting(r);
  expect(await snapshotWorktree(r)).toBe(before);
  expect(seen.calls).toEqual([]);
  expect(before).toBe(truth(repo, r));
});

test("a write inside an ignored folder changes nothing git sees: still no git process", async () => {
  repo = largeRepo();
  const { repo: r, before } = await settled(repo);
  workTreeTouched(r, "test");
  await r.walks?.listing;
  repo.write("build/out.js", "rebuilt by the test\n");
  repo.write("build/new/deeper.js", "new build output\n");
  const seen = counting(r);
  expect(await snapshotWorktree(r)).toBe(before);
  expect(seen.calls).toEqual([]);
  expect(truth(repo, r)).toBe(before);
});

for (const c of cases) {
  test(`${c.name}: the snapshot is git's tree`, async () => {
    repo = largeRepo();
    const { repo: r, before } = await settled(repo);
    workTreeTouched(r, "test");
    c.act(repo);
    const expected = truth(repo, r);
    if (c.same) expect(expected).toBe(before);
    else expect(expected).not.toBe(before);
    expect(await snapshotWorktree(r)).toBe(expected);
    expect(await nextRun(r)).toBe(expected);
    expect(await nextRun(r)).toBe(expected);
  });
}

interface Sequence {
  name: string;
  /** What one run does: the folders it makes, moves or removes. */
  first: (r: TestRepo) => void;
  /** What a later run does in them. */
  later: (r: TestRepo) => void;
  /** The watch gives up after the first step (git decides from then on), saying why. */
  off?: RegExp;
}

const sequences: Sequence[] = [
  {
    name: "a folder renamed, then a file written in it",
    first: (r) => renameSync(join(r.dir, "src/deep"), join(r.dir, "src/moved")),
    later: (r) => r.write("src/moved/new.mjs", "export const d = 1;\n"),
  },
  {
    name: "a folder removed and made again, then a file written in it",
    first: (r) => {
      rmSync(join(r.dir, "src/deep"), { recursive: true });
      r.write("src/deep/mod.mjs", "export const b = 2;\n");
    },
    later: (r) => r.write("src/deep/later.mjs", "later\n"),
  },
  {
    name: "an empty folder made, then a file written in it",
    first: (r) => mkdirSync(join(r.dir, "empty-dir")),
    later: (r) => r.write("empty-dir/file.txt", "now it has one\n"),
  },
  {
    name: "new folders in new folders, then a file deeper still",
    first: (r) => r.write("fresh/a/b/file.txt", "new\n"),
    later: (r) => r.write("fresh/a/b/c/d/new.txt", "deeper\n"),
  },
  {
    name: "a folder moved into another, then a file written in its folder",
    first: (r) => renameSync(join(r.dir, "many/f1"), join(r.dir, "src/deep/f1")),
    later: (r) => r.write("src/deep/f1/more.txt", "more\n"),
  },
  {
    name: "more events than the kernel's queue holds, a folder made among them, then a file in it",
    first: (r) => {
      flood(r);
      // Its event is dropped: the queue is full.
      mkdirSync(join(r.dir, "flood/made"), { recursive: true });
    },
    later: (r) => r.write("flood/made/file.txt", "written after the flood\n"),
  },
  {
    name: "a folder removed, more events than the queue holds, the folder made again, then a file in it",
    first: (r) => {
      const before = lstatSync(join(r.dir, "many/empty")).ino;
      rmSync(join(r.dir, "many/empty"), { recursive: true });
      flood(r);
      mkdirSync(join(r.dir, "many/empty"));
      // Its events are dropped (the queue is full). ext4 may give the folder its old inode
      // number back, and then only a fresh watch sees into it: made again until it does, within
      // reason (it does not always, and the case still holds without it).
      for (let i = 0; i < 50 && lstatSync(join(r.dir, "many/empty")).ino !== before; i++) {
        rmSync(join(r.dir, "many/empty"), { recursive: true });
        mkdirSync(join(r.dir, "many/empty"));
      }
    },
    later: (r) => r.write("many/empty/back.txt", "written in the folder made again\n"),
  },
  {
    name: "a folder whose name is not UTF-8, then a file in it",
    first: (r) =>
      mkdirSync(Buffer.concat([Buffer.from(`${r.dir}/many/`), Buffer.from([0xff, 0x41])])),
    later: (r) =>
      writeFileSync(
        Buffer.concat([
          Buffer.from(`${r.dir}/many/`),
          Buffer.from([0xff, 0x41]),
          Buffer.from("/x.txt"),
        ]),
        "x\n",
      ),
    off: /not UTF-8/,
  },
];

/** Writes without yielding, so that the events pile up unread and the kernel's queue overflows. */
function flood(r: TestRepo): void {
  // Thirty files in turn (the kernel merges an event with the same one queued just before it).
  const files = Array.from({ length: 30 }, (_, i) =>
    join(r.dir, `many/f${10 + i}/file${10 + i}.txt`),
  );
  for (let i = 0; i < 2 * eventBudget() + 4000; i++)
    writeFileSync(files[i % files.length]!, `${i % 64}\n`);
}

for (const s of sequences) {
  test(`${s.name}: each snapshot is git's tree`, async () => {
    repo = largeRepo();
    const { repo: r, before } = await settled(repo);
    workTreeTouched(r, "test");
    s.first(repo);
    const middle = truth(repo, r);
    expect(await snapshotWorktree(r)).toBe(middle);
    expect(await nextRun(r)).toBe(middle);
    // Settled on the new tree: the next look is the watch's alone (no git process).
    workTreeTouched(r, "test");
    await r.walks?.listing;
    const seen = counting(r);
    expect(await snapshotWorktree(r)).toBe(middle);
    if (s.off) expect(r.walks?.off).toMatch(s.off);
    else expect(seen.calls).toEqual([]);
    workTreeTouched(r, "test");
    s.later(repo);
    const after = truth(repo, r);
    expect(after).not.toBe(middle);
    expect(after).not.toBe(before);
    expect(await snapshotWorktree(r)).toBe(after);
    expect(await nextRun(r)).toBe(after);
  });
}

test("a repository made in a watched folder: the watch is given up", async () => {
  repo = largeRepo();
  const { repo: r } = await settled(repo);
  workTreeTouched(r, "test");
  const nested = join(repo.dir, "src/deep");
  spawnSync("git", ["init", "-q", nested], { env: repo.env });
  spawnSync("git", ["add", "mod.mjs"], { cwd: nested, env: repo.env });
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], {
    cwd: nested,
    env: repo.env,
  });
  expect(await snapshotWorktree(r)).toBe(truth(repo, r));
  expect(r.walks?.off).toMatch(/nested repository in src\/deep/);
});

test("two trees watched at once (--jobs), one floods the shared queue: the other's write is not lost", async () => {
  repo = largeRepo();
  const other = largeRepo();
  try {
    const { repo: a } = await settled(repo);
    const dropA = drop;
    const { repo: b, before } = await settled(other);
    const dropB = drop;
    drop = () => {
      dropA?.();
      dropB?.();
    };
    workTreeTouched(a, "test");
    workTreeTouched(b, "test");
    await a.walks?.listing;
    await b.walks?.listing;
    flood(repo);
    other.write("README.md", "written while the other tree flooded the queue\n");
    expect(truth(other, b)).not.toBe(before);
    expect(await snapshotWorktree(a)).toBe(truth(repo, a));
    expect(await snapshotWorktree(b)).toBe(truth(other, b));
  } finally {
    other.cleanup();
  }
});

test("a nested repository: the watch is given up and git decides every time", async () => {
  repo = largeRepo();
  const nested = join(repo.dir, "vendor/lib");
  mkdirSync(nested, { recursive: true });
  spawnSync("git", ["init", "-q", nested], { env: repo.env });
  writeFileSync(join(nested, "x.txt"), "x\n");
  spawnSync("git", ["add", "x.txt"], { cwd: nested, env: repo.env });
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], {
    cwd: nested,
    env: repo.env,
  });
  const r = await openRepo(repo.dir);
  drop = useWorkIndex(r);
  await snapshotWorktree(r);
  await nextRun(r);
  await nextRun(r);
  expect(r.walks?.off).toMatch(/nested repository/);
  const seen = counting(r);
  workTreeTouched(r, "test");
  await snapshotWorktree(r);
  expect(seen.calls.some((call) => call.startsWith("add"))).toBe(true);
});
