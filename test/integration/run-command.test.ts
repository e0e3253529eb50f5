import { chmod, mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processAlive, type RunSpec, runCommand, runWithHangRetry } from "../../src/run/index.js";

let dir: string;

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "culprit-run-")));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function spec(partial: Partial<RunSpec>): RunSpec {
  return { argv: [], cwd: dir, timeoutMs: 20_000, killAfterMs: 2_000, ...partial };
}

// The first integer a script printed (a pid it reports).
function printedPid(tail: string): number {
  const match = /^(\d+)$/m.exec(tail);
  if (match === null) throw new Error(`no pid in ${JSON.stringify(tail)}`);
  return Number(match[1]);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

describe("runCommand: exit codes and spawning", () => {
  it("exit 0 is a pass", async () => {
    const result = await runCommand(spec({ argv: ["true"] }));
    expect(result).toMatchObject({
      outcome: "pass",
      exitCode: 0,
      signal: null,
      timedOut: false,
      interrupted: false,
      spawnError: null,
      outputBytes: 0,
      tail: "",
      logPath: null,
    });
  });

  it("a non-zero exit is a fail, with stdout and stderr in the tail", async () => {
    const result = await runCommand(
      spec({ argv: ["sh", "-c", "echo to-stdout; sleep 0.05; echo to-stderr >&2; exit 3"] }),
    );
    expect(result).toMatchObject({ outcome: "fail", exitCode: 3, reason: "exit 3" });
    expect(result.tail).toBe("to-stdout\nto-stderr\n");
    expect(result.outputBytes).toBe(20);
  });

  it("exit 125 cannot run", async () => {
    const result = await runCommand(spec({ argv: ["sh", "-c", "exit 125"] }));
    expect(result).toMatchObject({ outcome: "cannot-run", exitCode: 125, spawnError: null });
  });

  it("a command not found cannot run (127, ENOENT)", async () => {
    const result = await runCommand(spec({ argv: ["culprit-no-such-command-xyz", "arg"] }));
    expect(result).toMatchObject({ outcome: "cannot-run", exitCode: 127, spawnError: "ENOENT" });
  });

  it("a file that is not executable cannot run (126, EACCES)", async () => {
    const script = join(dir, "not-executable.sh");
    await writeFile(script, "#!/bin/sh\necho hi\n");
    await chmod(script, 0o644);
    const result = await runCommand(spec({ argv: [script] }));
    expect(result).toMatchObject({ outcome: "cannot-run", exitCode: 126, spawnError: "EACCES" });
  });

  it("a missing working directory cannot run", async () => {
    const result = await runCommand(spec({ argv: ["true"], cwd: join(dir, "missing") }));
    expect(result).toMatchObject({ outcome: "cannot-run", spawnError: "ENOENT" });
  });

  it("runs in cwd with stdin closed", async () => {
    const result = await runCommand(spec({ argv: ["sh", "-c", "pwd; cat; echo eof"] }));
    expect(result).toMatchObject({ outcome: "pass", tail: `${dir}\neof\n` });
  });

  it("passes process.env plus spec.env", async () => {
    const result = await runCommand(
      spec({
        argv: ["sh", "-c", 'echo "$CULPRIT_TEST_VAR:$HOME"'],
        env: { CULPRIT_TEST_VAR: "from-spec" },
      }),
    );
    expect(result.tail).toBe(`from-spec:${process.env["HOME"]}\n`);
  });

  it("runs a --shell string with /bin/sh -c (argv ignored)", async () => {
    const script = join(dir, "no-x.sh");
    await writeFile(script, "echo hi\n");
    await chmod(script, 0o644);
    const shell = await runCommand(
      spec({ argv: ["false"], shell: 'echo "$((1 + 2))" | tr 3 x && exit 4' }),
    );
    expect(shell).toMatchObject({ outcome: "fail", exitCode: 4, tail: "x\n" });
    const notFound = await runCommand(spec({ shell: "culprit-no-such-command-xyz" }));
    expect(notFound).toMatchObject({ outcome: "cannot-run", exitCode: 127, spawnError: null });
    const notExecutable = await runCommand(spec({ shell: "./no-x.sh" }));
    expect(notExecutable).toMatchObject({ outcome: "cannot-run", exitCode: 126 });
  });

  it("classifies with the detected runner and the user's options", async () => {
    const fakePytest = join(dir, "pytest");
    await writeFile(fakePytest, "#!/bin/sh\necho 'collected 0 items'\nexit 5\n");
    await chmod(fakePytest, 0o755);
    const detected = await runCommand(spec({ argv: [fakePytest, "-q"] }));
    expect(detected).toMatchObject({
      outcome: "cannot-run",
      exitCode: 5,
      reason: "pytest: exit 5",
    });
    const off = await runCommand(spec({ argv: [fakePytest] }), { runner: "none" });
    expect(off.outcome).toBe("fail");
    const pattern = await runCommand(spec({ shell: "echo 'db: connection refused'; exit 1" }), {
      cannotRunPattern: /connection refused/,
    });
    expect(pattern.outcome).toBe("cannot-run");
  });
});

describe("runCommand: timeouts and the process group", () => {
  it("a timeout sends SIGTERM to the group: hang", async () => {
    const [result, ms] = await timed(() =>
      runCommand(spec({ argv: ["sleep", "30"], timeoutMs: 300, killAfterMs: 10_000 })),
    );
    expect(result).toMatchObject({
      outcome: "hang",
      timedOut: true,
      signal: "SIGTERM",
      exitCode: null,
      reason: "timed out",
    });
    // SIGTERM was honoured: no wait for the 10 s kill-after.
    expect(ms).toBeLessThan(8_000);
  });

  /**
   * `node -e leader` stopped by its timeout, SIGINT first (as pytest is): 2 s, time for a child
   * to start and set its handlers on a loaded machine; SIGKILL 10 s later.
   */
  const stoppedWithSigint = (leader: string) =>
    timed(() =>
      runCommand(
        spec({
          argv: [process.execPath, "-e", leader],
          timeoutMs: 2_000,
          killAfterMs: 10_000,
          onTimeout: () => "SIGINT",
        }),
      ),
    );

  it("the stop's first signal is the one onTimeout names (pytest's SIGINT), to the whole group", async () => {
    // The leader and a child it started (node: spawned with default signal dispositions, where
    // a shell's `&` would ignore SIGINT) each say which signal reached them.
    const member = (name: string, code: number) =>
      `for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => { console.log("${name} " + s); process.exit(${code}); }); setInterval(() => {}, 50);`;
    const leader = `const c = require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(member("child", 3))}], { stdio: "inherit" }); ${member("leader", 2).replace("process.exit(2)", "c.on('exit', () => process.exit(2))")}`;
    const [result, ms] = await stoppedWithSigint(leader);
    expect(result).toMatchObject({ outcome: "hang", timedOut: true, exitCode: 2 });
    expect(result.tail.split("\n").sort()).toEqual(["", "child SIGINT", "leader SIGINT"]);
    expect(ms).toBeLessThan(8_000);
  });

  it("after a first SIGINT, what the leader leaves gets SIGTERM once it is gone, not SIGKILL at killAfter", async () => {
    // A child that ignores SIGINT, as a shell's `&` job does; the leader dies of it.
    const child = `process.on("SIGINT", () => {}); process.on("SIGTERM", () => { console.log("child SIGTERM"); process.exit(0); }); console.log("ready"); setInterval(() => {}, 50);`;
    const leader = `require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(child)}], { stdio: "inherit" }); setInterval(() => {}, 50);`;
    const [result, ms] = await stoppedWithSigint(leader);
    expect(result).toMatchObject({ outcome: "hang", timedOut: true, signal: "SIGINT" });
    expect(result.tail).toBe("ready\nchild SIGTERM\n");
    expect(ms).toBeLessThan(8_000);
  });

  it("a command that ignores SIGTERM is killed by SIGKILL after killAfter", async () => {
    const [result, ms] = await timed(() =>
      runCommand(
        spec({
          argv: ["sh", "-c", "trap '' TERM; echo trapped; while :; do sleep 0.05; done"],
          timeoutMs: 300,
          killAfterMs: 500,
        }),
      ),
    );
    expect(result).toMatchObject({ outcome: "hang", timedOut: true, signal: "SIGKILL" });
    expect(result.tail).toBe("trapped\n");
    expect(ms).toBeLessThan(10_000);
  });

  it("a grandchild holding the pipe does not keep the run waiting, and is dead afterwards", async () => {
    const [result, ms] = await timed(() =>
      runCommand(spec({ argv: ["sh", "-c", "sleep 100 & sleep 0.2; echo $!; exit 1"] })),
    );
    expect(result).toMatchObject({ outcome: "fail", exitCode: 1, timedOut: false });
    expect(ms).toBeLessThan(5_000);
    // kill(pid, 0), zombie-aware: an orphan's zombie is not reaped when PID 1 does not reap.
    expect(processAlive(printedPid(result.tail))).toBe(false);
  });

  it("a leftover that ignores SIGTERM is SIGKILLed after killAfter, even after a pass", async () => {
    const [result, ms] = await timed(() =>
      runCommand(
        spec({
          argv: ["sh", "-c", "(trap '' TERM; exec sleep 100) & sleep 0.2; echo $!; exit 0"],
          killAfterMs: 300,
        }),
      ),
    );
    expect(result).toMatchObject({ outcome: "pass", exitCode: 0 });
    expect(ms).toBeLessThan(5_000);
    expect(processAlive(printedPid(result.tail))).toBe(false);
  });

  it("a process that left the group (setsid) and holds the pipe does not stall the run", async () => {
    const [result, ms] = await timed(() =>
      runCommand(
        spec({
          argv: ["sh", "-c", "setsid sh -c 'echo $$; exec sleep 100' & sleep 0.3; echo done"],
          killAfterMs: 300,
        }),
      ),
    );
    const escaped = printedPid(result.tail);
    try {
      expect(result).toMatchObject({ outcome: "pass", exitCode: 0 });
      expect(result.tail).toContain("done\n");
      expect(ms).toBeLessThan(8_000);
      // It left the group, so the group kill could not reach it.
      expect(processAlive(escaped)).toBe(true);
    } finally {
      process.kill(escaped, "SIGKILL");
    }
  });

  it("aborting kills the group and resolves as interrupted", async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 300);
    const [result, ms] = await timed(() =>
      runCommand(
        spec({ argv: ["sh", "-c", "sleep 30 & echo $!; wait"], signal: controller.signal }),
      ),
    );
    clearTimeout(timer);
    expect(result).toMatchObject({ interrupted: true, timedOut: false, signal: "SIGTERM" });
    expect(result.reason).toMatch(/^interrupted/);
    expect(ms).toBeLessThan(8_000);
    expect(processAlive(printedPid(result.tail))).toBe(false);
  });

  it("an already aborted signal does not start the command", async () => {
    const marker = join(dir, "should-not-exist");
    const result = await runCommand(spec({ argv: ["touch", marker], signal: AbortSignal.abort() }));
    expect(result).toMatchObject({ interrupted: true, outcome: "cannot-run", exitCode: null });
    await expect(stat(marker)).rejects.toThrow();
  });
});

describe("runCommand: bounded output", () => {
  it("keeps the log to its head, an omission marker and the tail", async () => {
    const total = 5 * 1024 * 1024;
    const limit = 1024 * 1024;
    const tailBytes = 64 * 1024;
    const logPath = join(dir, "logs", "nested", "big.log");
    const result = await runCommand(
      spec({
        shell: `yes 'a line of test output' | head -c ${total - 3}; printf END`,
        logPath,
        logLimitBytes: limit,
        tailBytes,
      }),
    );
    expect(result).toMatchObject({ outcome: "pass", outputBytes: total, logPath });
    expect(Buffer.byteLength(result.tail)).toBe(tailBytes);
    expect(result.tail.endsWith("END")).toBe(true);

    const log = await readFile(logPath, "utf8");
    const marker = `[culprit: ${total - limit - tailBytes} bytes omitted]\n`;
    expect(log.length).toBeLessThan(limit + tailBytes + 100);
    expect(log.startsWith("a line of test output\na line")).toBe(true);
    expect(log).toContain(`\n${marker}`);
    expect(log.slice(log.indexOf(marker) + marker.length)).toBe(result.tail);
  });

  it("writes a small output to the log in full", async () => {
    const logPath = join(dir, "logs", "small.log");
    const result = await runCommand(
      spec({ shell: "echo one; echo two >&2; exit 1", logPath, logLimitBytes: 1024 }),
    );
    expect(await readFile(logPath, "utf8")).toBe("one\ntwo\n");
    expect(result.logPath).toBe(logPath);
  });

  it("writes everything, without a marker, when the excess fits in the tail", async () => {
    const logPath = join(dir, "logs", "just-over.log");
    await runCommand(
      spec({ shell: "printf 0123456789abcdef", logPath, logLimitBytes: 10, tailBytes: 8 }),
    );
    expect(await readFile(logPath, "utf8")).toBe("0123456789abcdef");
  });

  it("a log that cannot be written does not stop the run", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "");
    const result = await runCommand(
      spec({ shell: "echo hi", logPath: join(blocker, "under-a-file.log") }),
    );
    expect(result).toMatchObject({ outcome: "pass", tail: "hi\n", logPath: null });
    expect(result.logError).toBeTruthy();
  });
});

describe("runWithHangRetry", () => {
  it("retries a hang once and returns the retry, marked", async () => {
    const marker = join(dir, "hung-once");
    const result = await runWithHangRetry(
      spec({
        shell: `if [ -e '${marker}' ]; then echo second; exit 0; fi; touch '${marker}'; sleep 30`,
        timeoutMs: 500,
        killAfterMs: 500,
      }),
    );
    expect(result).toMatchObject({ outcome: "pass", hangRetried: true, tail: "second\n" });
  });

  it("returns a second hang as a hang", async () => {
    const result = await runWithHangRetry(
      spec({ argv: ["sleep", "30"], timeoutMs: 200, killAfterMs: 500 }),
    );
    expect(result).toMatchObject({ outcome: "hang", hangRetried: true, timedOut: true });
  });

  it("does not retry anything else", async () => {
    const result = await runWithHangRetry(spec({ argv: ["false"] }));
    expect(result.outcome).toBe("fail");
    expect(result.hangRetried).toBeUndefined();
  });
});
