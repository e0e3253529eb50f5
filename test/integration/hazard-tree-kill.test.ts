import { readdirSync, readFileSync } from "node:fs";
import { afterEach, expect, test } from "vitest";
import { leftAside, leftWorktrees } from "../repos/fault-matrix.js";
import {
  captureState,
  createRepo,
  culpritRefs,
  runCulprit,
  startCulprit,
  type TestRepo,
} from "../repos/harness.js";

/*
 * A signal for culprit's whole process tree, not culprit alone: a CI runner cancelling a job,
 * `concurrently` or `nodemon` stopping, any tree-kill. The git command culprit is running at that
 * moment dies too (it is out of the terminal's process group, not out of reach of a kill by pid),
 * part way through a checkout. Here the tree is killed with SIGTERM, each process by pid as
 * tree-kill does, the moment a `git read-tree` or `git stash` of culprit's is running.
 *
 * Before, a killed checkout was taken for a baseline that could not be prepared (UNRUNNABLE), and
 * the half-checked-out tree was kept under refs/culprit/residue as if the test had written it (a
 * ref that said "the test wrote files", with 1 900 deletions and one empty file); with --worktree,
 * the first worktree, half made, stayed registered with git.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

/** 1 200 tracked files, 400 of them changed, 200 untracked: a checkout that takes a while. */
function largeRepo(): TestRepo {
  const r = createRepo();
  for (let i = 0; i < 1200; i++)
    r.write(`src/d${i % 30}/f${i}.txt`, `file ${i}\n${"x".repeat(200)}\n`);
  r.commit("files");
  // Three commits, the last one breaking `test ! -f broken`: something to bisect.
  r.write("one.txt", "1\n");
  r.commit("one");
  r.write("two.txt", "2\n");
  r.commit("two");
  r.write("broken", "\n");
  r.commit("breaks it");
  for (let i = 0; i < 1200; i += 3) r.write(`src/d${i % 30}/f${i}.txt`, `file ${i}\nchanged\n`);
  for (let i = 0; i < 200; i++) r.write(`new/n${i % 10}/u${i}.txt`, `untracked ${i}\n`);
  return r;
}

/** The processes under `root` (from /proc), with their command lines. */
function descendants(root: number): { pid: number; command: string }[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  const out: { pid: number; command: string }[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      let command = "";
      try {
        command = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ");
      } catch {}
      out.push({ pid: child, command });
      visit(child);
    }
  };
  visit(root);
  return out;
}

/**
 * Runs culprit and, the moment one of its descendants' command lines matches `when`, sends
 * `signal` to culprit and to every descendant. What matched, and how culprit ended.
 */
async function killTreeWhen(
  r: TestRepo,
  args: string[],
  when: RegExp,
  signal: NodeJS.Signals = "SIGTERM",
) {
  const { child, exited } = startCulprit(r, ["--json", "--no-cache", ...args]);
  let hit: string | null = null;
  while (child.exitCode === null && child.signalCode === null && hit === null) {
    const tree = descendants(child.pid!);
    const match = tree.find((p) => when.test(p.command));
    if (match) {
      hit = match.command;
      for (const pid of [child.pid!, ...tree.map((p) => p.pid)]) {
        try {
          process.kill(pid, signal);
        } catch {}
      }
    } else await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const { status, signal: killedBy, stdout, stderr } = await exited;
  return { hit, code: status, killedBy, stdout, stderr };
}

const command = ["--", "sh", "-c", "test ! -f new/n0/u0.txt"];

test.each([
  ["in place, during the baseline's checkout", ["--runs", "3"], /git .*read-tree --reset -u/],
  ["--strategy stash, during git stash", ["--runs", "3", "--strategy", "stash"], /git .*stash/],
  [
    "--worktree, while the first worktree is checked out",
    ["--runs", "3", "--worktree"],
    /git .*read-tree --reset -u/,
  ],
])(
  "a SIGTERM to the whole process tree %s: interrupted, your work back, nothing left",
  { timeout: 120_000 },
  async (_name, args, when) => {
    repo = largeRepo();
    const before = captureState(repo);
    const { hit, code, stdout, stderr } = await killTreeWhen(repo, [...args, ...command], when);
    expect(hit, `culprit ended before a git matching ${when} ran`).not.toBeNull();
    expect(code, stderr).toBe(143);
    expect(stdout, stderr).not.toBe("");
    const json = JSON.parse(stdout);
    expect(json.interrupted).toBe("SIGTERM");
    expect(json.verdict, json.reason).toBe("inconclusive");
    expect(json.reason).toContain("interrupted by SIGTERM");
    expect(stderr).not.toContain("failed (exit");
    expect(captureState(repo)).toEqual(before);
    // No residue: a half-done checkout holds nothing that was neither yours nor the baseline's.
    expect(culpritRefs(repo)).toEqual([]);
    expect(leftWorktrees(repo)).toEqual([]);
    expect(leftAside(repo)).toBe(false);
    expect(repo.git("stash", "list")).toBe("");
  },
);

test("a SIGTERM to the whole process tree while bisect checks a commit out: interrupted, nothing left", {
  timeout: 120_000,
}, async () => {
  repo = largeRepo();
  const before = captureState(repo);
  const { hit, code, stdout, stderr } = await killTreeWhen(
    repo,
    ["bisect", "--good", "HEAD~3", "--", "sh", "-c", "test ! -f broken"],
    /git .*read-tree --reset -u/,
  );
  expect(hit, "bisect ended before a checkout ran").not.toBeNull();
  expect(code, stderr).toBe(143);
  expect(stdout, stderr).not.toBe("");
  const json = JSON.parse(stdout);
  expect(json.verdict).toBe("interrupted");
  expect(json.interrupted).toBe("SIGTERM");
  expect(stderr).not.toContain("killed by");
  expect(captureState(repo)).toEqual(before);
  expect(culpritRefs(repo)).toEqual([]);
  expect(leftWorktrees(repo)).toEqual([]);
});

test.each([
  ["in place, during the baseline's checkout", ["--runs", "3"]],
  ["--worktree, while the first worktree is checked out", ["--runs", "3", "--worktree"]],
])(
  "a SIGKILL to the whole process tree %s: culprit recover brings everything back",
  { timeout: 120_000 },
  async (_name, args) => {
    repo = largeRepo();
    const before = captureState(repo);
    const { hit, killedBy } = await killTreeWhen(
      repo,
      [...args, ...command],
      /git .*read-tree --reset -u/,
      "SIGKILL",
    );
    expect(hit, "culprit ended before a checkout ran").not.toBeNull();
    expect(killedBy).toBe("SIGKILL");
    // The one command culprit prints after a crash.
    const recovered = runCulprit(repo, ["recover"]);
    expect(recovered.status, recovered.stderr).toBe(0);
    expect(captureState(repo)).toEqual(before);
    expect(culpritRefs(repo)).toEqual([]);
    expect(leftWorktrees(repo)).toEqual([]);
    expect(leftAside(repo)).toBe(false);
  },
);
