import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { binPath, type TestRepo } from "./harness.js";

/**
 * The built culprit in a real pseudo-terminal, as a user meets it: a detached tmux session (keys
 * by `send-keys`, the screen by `capture-pane`) on its own server socket (`tmux -L`, so a
 * user's tmux is never touched), or `script` (keys written to its input, the screen as the bytes
 * it copies out) where tmux is absent.
 */

const run = promisify(execFile);

/** tmux is on this machine. */
export const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
/** util-linux `script` is on this machine. */
export const hasScript = spawnSync("script", ["--version"]).status === 0;

/** Which driver a test gets (its preference, else the other one); null when neither exists. */
export function pickDriver(preferred: "tmux" | "script" = "tmux"): "tmux" | "script" | null {
  const order = preferred === "tmux" ? ["tmux", "script"] : ["script", "tmux"];
  for (const driver of order) {
    if (driver === "tmux" && hasTmux) return "tmux";
    if (driver === "script" && hasScript) return "script";
  }
  return null;
}

/** Why a pty test is skipped here (printed once per file), or null when it can run. */
export function ptySkipReason(): string | null {
  return pickDriver() ? null : "neither tmux nor script is on this machine";
}

/** How the terminal is set up. */
export interface PtyOptions {
  columns: number;
  rows: number;
  driver?: "tmux" | "script";
  /** `stty` settings made inside the terminal before culprit starts (e.g. "rows 0 cols 0"). */
  stty?: string;
  env?: NodeJS.ProcessEnv;
}

/** A running culprit in a pseudo-terminal. */
export interface Pty {
  driver: "tmux" | "script";
  /** The screen's text (tmux: as rendered, with the lines scrolled off it, wrapped lines joined; script: the bytes, escapes removed). */
  screen(): Promise<string>;
  /** Every byte culprit wrote to the terminal (once the terminal has passed it all on). */
  output(): Promise<Buffer>;
  /** Resizes the terminal from outside (TIOCSWINSZ on it: culprit gets SIGWINCH). */
  resize(columns: number, rows: number): void;
  /** Keys, by tmux's names (C-c, Escape, Enter, Space, Down, Up) or literal text. */
  sendKeys(...keys: string[]): Promise<void>;
  /** Resolves with the screen once it matches; rejects after `timeoutMs` with the screen. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** The exit code of culprit, once it exited; rejects after `timeoutMs`. */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Closes the terminal (a closed tab or tmux window): the shell gets SIGHUP and passes it on. */
  hangUp(): Promise<void>;
  /** Ends everything this pty started and removes its files. */
  dispose(): void;
}

/**
 * Stands for the user's interactive shell: Ctrl-C is for culprit, not for it (node resets the
 * ignored SIGINT at start-up), and a hang-up is passed on to culprit as bash passes it to its
 * jobs; then it writes culprit's exit code where the test reads it.
 */
function wrapperScript(
  gate: string,
  exitFile: string,
  ttyFile: string,
  stty: string | undefined,
): string {
  return [
    `while [ ! -e '${gate}' ]; do sleep 0.02; done`,
    `tty > '${ttyFile}'`,
    "trap '' INT QUIT",
    `trap 'kill -HUP "$pid" 2>/dev/null' HUP`,
    stty ? `stty ${stty}` : "",
    "exec 3<&0",
    `'${process.execPath}' '${binPath}' "$@" <&3 3<&- &`,
    "pid=$!",
    `while :; do wait "$pid"; st=$?; kill -0 "$pid" 2>/dev/null || break; done`,
    `echo "exit=$st" > '${exitFile}'`,
    "",
  ].join("\n");
}

const scriptKeys: Record<string, string> = {
  "C-c": "\u0003",
  "C-s": "\u0013",
  "C-q": "\u0011",
  Escape: "\u001b",
  Enter: "\r",
  Space: " ",
  Up: "\u001b[A",
  Down: "\u001b[B",
  BSpace: "\u007f",
};

const ansi = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][0-9A-B]|\u001b[=>78]/g;

/** Starts `culprit args...` in the repository, in a pseudo-terminal of the given size. */
export async function startPty(repo: TestRepo, args: string[], options: PtyOptions): Promise<Pty> {
  const driver = options.driver ?? pickDriver();
  if (!driver) throw new Error("no pseudo-terminal driver (tmux or script) on this machine");
  const dir = mkdtempSync(join(tmpdir(), "culprit-pty-"));
  const gate = join(dir, "go");
  const exitFile = join(dir, "exit");
  const outFile = join(dir, "out.bin");
  const wrapper = join(dir, "run.sh");
  const ttyFile = join(dir, "tty");
  // script's terminal is 0x0 when its own input is not a terminal: the size is set inside.
  const stty =
    options.stty ??
    (driver === "script" ? `rows ${options.rows} cols ${options.columns}` : undefined);
  writeFileSync(wrapper, wrapperScript(gate, exitFile, ttyFile, stty));
  const env: NodeJS.ProcessEnv = {
    ...repo.env,
    TERM: "xterm-256color",
    SHELL: "/bin/sh",
    ...options.env,
  };
  delete env["TMUX"];
  const argv = ["sh", wrapper, ...args];
  // exec: the wrapper itself is the terminal's first process (its session leader), as a user's
  // shell is; a `sh -c` left in between would die of Ctrl-C and hang the terminal up.
  const quoted = `exec ${argv.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ")}`;

  let base: Omit<Pty, "waitFor" | "exitCode" | "driver" | "resize" | "output"> & {
    bytes(): Buffer;
  };
  if (driver === "tmux") {
    const socket = `culprit-test-${process.pid}-${randomBytes(4).toString("hex")}`;
    const tmux = (...a: string[]) =>
      run("tmux", ["-L", socket, "-f", "/dev/null", ...a], { env, cwd: repo.dir });
    await tmux(
      "new-session",
      "-d",
      "-s",
      "culprit",
      "-x",
      String(options.columns),
      "-y",
      String(options.rows),
      "-c",
      repo.dir,
      quoted,
    );
    // The pane stays after culprit ends, so that its last screen can be read.
    await tmux("set-option", "-w", "-t", "culprit", "remain-on-exit", "on");
    await tmux("pipe-pane", "-O", "-t", "culprit", `cat >> '${outFile}'`);
    writeFileSync(gate, "");
    base = {
      async screen() {
        const { stdout } = await tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "culprit");
        return stdout;
      },
      bytes: () => (existsSync(outFile) ? readFileSync(outFile) : Buffer.alloc(0)),
      async sendKeys(...keys) {
        await tmux("send-keys", "-t", "culprit", ...keys);
      },
      async hangUp() {
        await tmux("kill-session", "-t", "culprit");
      },
      dispose() {
        spawnSync("tmux", ["-L", socket, "kill-server"], { env });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } else {
    const chunks: Buffer[] = [];
    const child: ChildProcess = spawn("script", ["-qfec", quoted, "/dev/null"], {
      cwd: repo.dir,
      env,
      stdio: ["pipe", "pipe", "inherit"],
    });
    child.stdout!.on("data", (chunk: Buffer) => chunks.push(chunk));
    writeFileSync(gate, "");
    base = {
      async screen() {
        return Buffer.concat(chunks).toString().replace(ansi, "").replace(/\r/g, "");
      },
      bytes: () => Buffer.concat(chunks),
      async sendKeys(...keys) {
        for (const key of keys) child.stdin!.write(scriptKeys[key] ?? key);
      },
      async hangUp() {
        child.kill("SIGKILL");
      },
      dispose() {
        if (child.exitCode === null) child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  return {
    driver,
    ...base,
    async output() {
      // tmux passes the pane's output on to pipe-pane's `cat` a little later: wait for it to settle.
      let last = -1;
      for (let i = 0; i < 40; i++) {
        const size = base.bytes().length;
        if (size === last) break;
        last = size;
        await new Promise((r) => setTimeout(r, 100));
      }
      return base.bytes();
    },
    resize(columns, rows) {
      const tty = readFileSync(ttyFile, "utf8").trim();
      const result = spawnSync("stty", ["-F", tty, "cols", String(columns), "rows", String(rows)]);
      if (result.status !== 0) throw new Error(`stty -F ${tty}: ${result.stderr}`);
    },
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let screen = "";
      while (Date.now() < deadline) {
        screen = await base.screen().catch(() => screen);
        if (typeof pattern === "string" ? screen.includes(pattern) : pattern.test(screen))
          return screen;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the terminal never showed ${pattern}; it shows:\n${screen}`);
    },
    async exitCode(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (existsSync(exitFile)) {
          const match = /exit=(\d+)/.exec(readFileSync(exitFile, "utf8"));
          if (match) return Number(match[1]);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `culprit did not exit within ${timeoutMs} ms; the terminal shows:\n${await base.screen().catch(() => "")}`,
      );
    },
  };
}

/** The last run's journal culprit kept (`.git/culprit/last-run.json`), or null. */
export function readLastRun(repo: TestRepo): {
  runId: string;
  history: { state: string; detail?: string }[];
  ending?: {
    signal?: { name: string };
    exitCode?: number;
    verdict?: string;
    restore?: { touched: boolean; via: string; verified: boolean };
  };
} | null {
  const path = join(repo.dir, ".git", "culprit", "last-run.json");
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}
