import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * culprit's git calls go through one shell it keeps for the run (src/git/run-git.ts), where node
 * used to fork itself for each. Every call here is made both ways, by the built module in a
 * process of its own (as the bin makes them), with CULPRIT_DIRECT_GIT=1 (node starts git) and
 * without (the shell does): what a caller sees must be the same, byte for byte, failures and
 * signals included. And a shell that dies under a call must answer it, not leave culprit waiting
 * or let node exit half way (a tree-kill did that: exit 0 in the middle of a restore).
 */

const runGit = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "dist",
  "git",
  "run-git.js",
);

/** The real git, for a fake one to hand over to. */
const realGit = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();

let repo: TestRepo | undefined;
const folders: string[] = [];
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  folders.push(path);
  return path;
}

/** Where the shell's jobs write their output, under TMPDIR `tmp`. */
const spawnerFolder = (tmp: string) => join(tmp, `culprit-${process.getuid!()}`, "git");

/** A `git` first in PATH that runs `script` (sh), the real git otherwise. */
function fakeGit(script: string): string {
  const bin = folder("culprit-fake-git-");
  const path = join(bin, "git");
  spawnSync("sh", ["-c", `cat > '${path}'`], { input: `#!/bin/sh\n${script}\n` });
  chmodSync(path, 0o755);
  return bin;
}

interface Outcome {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  error?: { code?: string; signal?: string | null; name: string };
}

/**
 * Runs `calls` (a script's body: `git` is createGit(cwd), `out` collects outcomes) with the
 * built run-git in a process of its own; the outcomes, and what the process left in TMPDIR.
 */
function play(
  calls: string,
  options: { cwd: string; direct: boolean; env?: NodeJS.ProcessEnv; tmp: string },
): { outcomes: Outcome[]; status: number | null; left: string[]; stderr: string } {
  const script = `
    const { createGit } = await import(${JSON.stringify(runGit)});
    const git = createGit(${JSON.stringify(options.cwd)});
    const out = [];
    const outcome = async (promise) => {
      try {
        const r = await promise;
        out.push(typeof r === "string" ? { stdout: r } : Buffer.isBuffer(r) ? { stdout: r.toString("base64") } : r);
      } catch (e) {
        out.push({ error: { code: e.code, signal: e.signal ?? null, name: e.name } });
      }
    };
    ${calls}
    process.stdout.write(JSON.stringify(out));
  `;
  const env: NodeJS.ProcessEnv = { ...(repo?.env ?? process.env), ...options.env };
  env["TMPDIR"] = options.tmp;
  if (options.direct) env["CULPRIT_DIRECT_GIT"] = "1";
  else delete env["CULPRIT_DIRECT_GIT"];
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  const outcomes = r.stdout ? (JSON.parse(r.stdout) as Outcome[]) : [];
  const jobs = spawnerFolder(options.tmp);
  const left = existsSync(jobs) ? readdirSync(jobs) : [];
  return { outcomes, status: r.status, left, stderr: r.stderr };
}

/** The same calls both ways: the outcomes, equal. */
function bothWays(calls: string, cwd: string, env?: NodeJS.ProcessEnv): Outcome[] {
  const tmp = folder("culprit-spawner-tmp-");
  const direct = play(calls, { cwd, direct: true, tmp, ...(env ? { env } : {}) });
  const shell = play(calls, { cwd, direct: false, tmp, ...(env ? { env } : {}) });
  expect(direct.status, direct.stderr).toBe(0);
  expect(shell.status, shell.stderr).toBe(0);
  expect(shell.outcomes).toEqual(direct.outcomes);
  // The shell's private folder goes with the process.
  expect(shell.left).toEqual([]);
  return shell.outcomes;
}

test("answers, exit codes, stdin, another index, bytes and words with quotes: the same both ways", () => {
  repo = createRepo();
  repo.write("a.txt", "a\n");
  repo.write("sub/b.txt", Buffer.alloc(3 << 20, 7));
  repo.commit("files");
  const weird = ["it's", 'a "b"', "$HOME", "`id`", "back\\slash", "new\nline", " ", "é😀", "*"];
  const outcomes = bothWays(
    `
    await outcome(git.run(["rev-parse", "--show-toplevel"]));
    await outcome(git.tryRun(["rev-parse", "--verify", "-q", "no-such-ref"]));
    await outcome(git.run(["rev-parse", "--verify", "-q", "no-such-ref"]));
    await outcome(git.run(["hash-object", "--stdin"], { input: "hello\\n" }));
    await outcome(git.run(["ls-files", "-z"], { indexFile: ${JSON.stringify(join(repo.dir, ".git", "no-index"))} }));
    await outcome(git.run(["ls-files", "-z"]));
    await outcome(git.run(["rev-parse", "--sq-quote", ...${JSON.stringify(weird)}]));
    await outcome(git.readBlob(await git.run(["rev-parse", "HEAD:sub/b.txt"]).then((s) => s.trim())).then((b) => ({ stdout: String(b.length) + ":" + b[0] })));
    await outcome(Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => git.run(["rev-parse", "HEAD"]))).then((all) => ({ stdout: String(new Set(all).size) })));
    `,
    join(repo.dir, "sub"),
  );
  expect(outcomes[0]).toEqual({ stdout: `${repo.dir}\n` });
  expect(outcomes[1]).toEqual({ exitCode: 1, stdout: "", stderr: "" });
  expect(outcomes[2]?.error?.name).toBe("GitCommandError");
  expect(outcomes[4]).toEqual({ stdout: "" });
  // ls-files lists the folder it runs in, both ways.
  expect(outcomes[5]).toEqual({ stdout: "b.txt\0" });
  expect(outcomes[7]).toEqual({ stdout: `${3 << 20}:7` });
  expect(outcomes[8]).toEqual({ stdout: "1" });
});

test("a folder that is gone, and no git on PATH: node's error both ways", () => {
  repo = createRepo();
  const gone = join(repo.dir, "gone");
  const calls = `await outcome(git.run(["rev-parse", "HEAD"]));`;
  const [missing] = bothWays(calls, gone);
  expect(missing?.error?.code).toBe("ENOENT");
  const empty = folder("culprit-no-git-");
  const [noGit] = bothWays(calls, repo.dir, { PATH: empty });
  expect(noGit?.error?.code).toBe("ENOENT");
});

test("a git killed by a signal is a signal both ways, not an exit code (129 stays git's own)", () => {
  repo = createRepo();
  const killed = fakeGit(
    'case "$*" in *usage*) exit 129;; *segv*) kill -SEGV $$;; *) kill -KILL $$;; esac',
  );
  const outcomes = bothWays(
    `
    await outcome(git.tryRun(["kill"]));
    await outcome(git.tryRun(["segv"]));
    await outcome(git.tryRun(["usage"]));
    `,
    repo.dir,
    { PATH: `${killed}:${process.env["PATH"]}` },
  );
  expect(outcomes[0]?.error).toMatchObject({ name: "GitCommandError", signal: "SIGKILL" });
  expect(outcomes[1]?.error).toMatchObject({ name: "GitCommandError", signal: "SIGSEGV" });
  expect(outcomes[2]).toMatchObject({ exitCode: 129 });
});

test("the shell killed under a call: the call says killed, culprit goes on with another shell", () => {
  repo = createRepo();
  // A git that waits until the test's script has killed the shell that started it.
  const slow = fakeGit(`case "$*" in *slow*) sleep 30;; *) exec '${realGit}' "$@";; esac`);
  const tmp = folder("culprit-spawner-tmp-");
  const { outcomes, status, left, stderr } = play(
    `
    const { readdirSync, readFileSync } = await import("node:fs");
    const shells = () => readdirSync("/proc").filter((p) => /^\\d+$/.test(p)).filter((p) => {
      try {
        const stat = readFileSync("/proc/" + p + "/stat", "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid &&
          readFileSync("/proc/" + p + "/cmdline", "utf8").startsWith("/bin/sh");
      } catch { return false; }
    });
    const pending = outcome(git.tryRun(["slow"]));
    await new Promise((r) => setTimeout(r, 300));
    const [shell] = shells();
    // Its jobs with it, as a tree-kill does: the sleeping git's shell and the sleep.
    const tree = (pid) => readdirSync("/proc").filter((p) => /^\\d+$/.test(p)).filter((p) => {
      try {
        const stat = readFileSync("/proc/" + p + "/stat", "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === Number(pid);
      } catch { return false; }
    }).flatMap((p) => [p, ...tree(p)]);
    for (const pid of [shell, ...tree(shell)]) process.kill(Number(pid), "SIGTERM");
    await pending;
    await outcome(git.run(["rev-parse", "--is-inside-work-tree"]));
    out.push({ stdout: String(shells().length) });
    `,
    { cwd: repo.dir, direct: false, tmp, env: { PATH: `${slow}:${process.env["PATH"]}` } },
  );
  expect(status, stderr).toBe(0);
  expect(outcomes[0]?.error).toMatchObject({ name: "GitCommandError", signal: "SIGTERM" });
  expect(outcomes[1]).toEqual({ stdout: "true\n" });
  expect(outcomes[2]).toEqual({ stdout: "1" });
  expect(left).toEqual([]);
});

test("the shell killed between calls, and a call at once: started by node, answered", () => {
  repo = createRepo();
  const tmp = folder("culprit-spawner-tmp-");
  // What a tree-kill does to culprit: its signal handler starts the restore's git calls while
  // the dead shell is not yet known to be dead.
  const { outcomes, status, stderr, left } = play(
    `
    const { readdirSync, readFileSync } = await import("node:fs");
    await outcome(git.run(["rev-parse", "--is-inside-work-tree"]));
    const [shell] = readdirSync("/proc").filter((p) => /^\\d+$/.test(p)).filter((p) => {
      try {
        const stat = readFileSync("/proc/" + p + "/stat", "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid &&
          readFileSync("/proc/" + p + "/cmdline", "utf8").startsWith("/bin/sh");
      } catch { return false; }
    });
    process.kill(Number(shell), "SIGKILL");
    await outcome(git.run(["rev-parse", "--is-inside-work-tree"]));
    await outcome(git.run(["rev-parse", "--is-inside-work-tree"]));
    `,
    { cwd: repo.dir, direct: false, tmp },
  );
  expect(status, stderr).toBe(0);
  expect(outcomes).toEqual([{ stdout: "true\n" }, { stdout: "true\n" }, { stdout: "true\n" }]);
  expect(left).toEqual([]);
});

test("a private folder a killed culprit left is removed by the next one; others' are kept", () => {
  repo = createRepo();
  const tmp = folder("culprit-spawner-tmp-");
  // A pid that is gone: a process that ran and was reaped.
  const gone = spawnSync("true").pid;
  const dead = join(spawnerFolder(tmp), `${gone}-abc123`);
  const alive = join(spawnerFolder(tmp), `${process.pid}-def456`);
  mkdirSync(spawnerFolder(tmp), { recursive: true, mode: 0o700 });
  mkdirSync(dead);
  mkdirSync(alive);
  const { status, stderr, left } = play(`await outcome(git.run(["rev-parse", "HEAD"]));`, {
    cwd: repo.dir,
    direct: false,
    tmp,
  });
  expect(status, stderr).toBe(0);
  expect(existsSync(dead)).toBe(false);
  expect(left).toEqual([`${process.pid}-def456`]);
});

test("culprit's folder in the temporary folder writable by others: node starts git, nothing written there", () => {
  repo = createRepo();
  const tmp = folder("culprit-spawner-tmp-");
  const root = join(tmp, `culprit-${process.getuid!()}`);
  mkdirSync(root);
  chmodSync(root, 0o777);
  const { outcomes, status, stderr } = play(
    `await outcome(git.run(["rev-parse", "--is-inside-work-tree"]));`,
    { cwd: repo.dir, direct: false, tmp },
  );
  expect(status, stderr).toBe(0);
  expect(outcomes).toEqual([{ stdout: "true\n" }]);
  expect(readdirSync(root)).toEqual([]);
});

test("a long run leaves no zombie behind the shell (it reaps its jobs)", () => {
  repo = createRepo();
  const tmp = folder("culprit-spawner-tmp-");
  // isolate and bisect make thousands of git calls: unreaped, each would hold a process slot.
  const { outcomes, status, stderr } = play(
    `
    const { readdirSync, readFileSync } = await import("node:fs");
    const children = (parent) => readdirSync("/proc").filter((p) => /^\\d+$/.test(p)).flatMap((p) => {
      try {
        const stat = readFileSync("/proc/" + p + "/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(fields[1]) === Number(parent) ? [{ pid: p, state: fields[0] }] : [];
      } catch { return []; }
    });
    for (let i = 0; i < 300; i++) await git.run(["rev-parse", "--is-inside-work-tree"]);
    await new Promise((r) => setTimeout(r, 100));
    const [shell] = children(process.pid);
    out.push({ stdout: String(children(shell.pid).filter((c) => c.state === "Z").length) });
    `,
    { cwd: repo.dir, direct: false, tmp },
  );
  expect(status, stderr).toBe(0);
  expect(outcomes).toEqual([{ stdout: "0" }]);
});

test("the shell and the job killed, their git left running: the call waits for that git to end", () => {
  repo = createRepo();
  const tmp = folder("culprit-spawner-tmp-");
  const marker = join(tmp, "git-done");
  // A tree-kill that listed the processes before this git started: the shell and the job go,
  // the git goes on with its lock. The restore that follows must not meet that lock.
  const slow = fakeGit(`sleep 1; : > '${marker}'; exit 0`);
  const { outcomes, status, stderr } = play(
    `
    const { existsSync, readdirSync, readFileSync } = await import("node:fs");
    const children = (parent) => readdirSync("/proc").filter((p) => /^\\d+$/.test(p)).filter((p) => {
      try {
        const stat = readFileSync("/proc/" + p + "/stat", "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === Number(parent);
      } catch { return false; }
    });
    const pending = git.tryRun(["slow"]).then(
      () => "answered", () => "answered as killed");
    await new Promise((r) => setTimeout(r, 300));
    const [shell] = children(process.pid);
    const jobs = children(shell);
    for (const pid of [shell, ...jobs]) process.kill(Number(pid), "SIGKILL");
    const answer = await pending;
    out.push({ stdout: answer + ", git done: " + existsSync(${JSON.stringify(marker)}) });
    `,
    { cwd: repo.dir, direct: false, tmp, env: { PATH: `${slow}:${process.env["PATH"]}` } },
  );
  expect(status, stderr).toBe(0);
  expect(outcomes).toEqual([{ stdout: "answered as killed, git done: true" }]);
});
