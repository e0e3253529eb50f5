import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/*
 * How npm, pnpm and yarn (1) name the script to run in a command line: the words that choose one
 * package first, then `test` or `run NAME` (yarn: `NAME`). Read alike where the script is
 * followed to its runner (src/run/reports/plan.ts) and where the manager's own "no such script"
 * is told from a failure (src/run/classify.ts).
 */

// yarn 1's own commands, which win over a script of the same name (`yarn NAME`).
const yarnCommands = new Set([
  "access",
  "add",
  "audit",
  "autoclean",
  "bin",
  "cache",
  "check",
  "config",
  "create",
  "dedupe",
  "exec",
  "generate-lock-entry",
  "generateLockEntry",
  "global",
  "help",
  "import",
  "info",
  "init",
  "install",
  "licenses",
  "link",
  "list",
  "lockfile",
  "login",
  "logout",
  "node",
  "outdated",
  "owner",
  "pack",
  "policies",
  "prune",
  "publish",
  "remove",
  "tag",
  "team",
  "unlink",
  "unplug",
  "upgrade",
  "upgrade-interactive",
  "upgradeInteractive",
  "version",
  "versions",
  "why",
  "workspace",
  "workspaces",
]);

/**
 * The words before the script that choose one package, as the manager reads them: pnpm's
 * `--filter SELECTOR` (`-F`, once) and `--dir PATH` (`-C`, once), yarn 1's `workspace NAME`.
 * `consumed` counts the command's words up to them (1 without any); null for any other option
 * before the script (not ours to guess). A filter is a package's name or `./PATH`: pnpm's other
 * selectors (globs, `...`, `{}`, `[]`) choose sets, left alone.
 */
export function leadingSelection(
  manager: string,
  command: readonly string[],
): { consumed: number; dir?: string; member?: string } | null {
  if (manager === "yarn" && command[1] === "workspace") {
    const name = command[2];
    return name && !name.startsWith("-") ? { consumed: 3, member: name } : null;
  }
  if (manager !== "pnpm") return { consumed: 1 };
  const chosen: { consumed: number; dir?: string; member?: string } = { consumed: 1 };
  let at = 1;
  while (command[at]?.startsWith("-")) {
    const option = command[at]!.match(/^(--filter|-F|--dir|-C)(?:=(.+))?$/);
    if (!option) return null;
    const value = option[2] ?? command[at + 1];
    if (!value || value.startsWith("-")) return null;
    at += option[2] !== undefined ? 1 : 2;
    if (option[1] === "--dir" || option[1] === "-C") {
      if (chosen.dir !== undefined) return null;
      chosen.dir = value;
    } else {
      if (chosen.member !== undefined || /[*?{}[\]]|\.\.\./.test(value)) return null;
      chosen.member = value;
    }
  }
  chosen.consumed = at;
  return chosen;
}

/**
 * The script `argv` (a manager's command, its leading selection taken off) runs: `test` for `npm
 * test` (`t`, `tst`, not yarn's), NAME for `run NAME` (`run-script`) and yarn 1's `yarn NAME`
 * (not one of yarn's own commands), with its form, the verb and the words after the name. Null
 * for anything else.
 */
export function scriptNamed(
  manager: string,
  argv: readonly string[],
): { name: string; form: "test" | "run"; verb: string; rest: string[] } | null {
  const verb = argv[1];
  if (verb === undefined) return null;
  if (verb === "test" || ((verb === "t" || verb === "tst") && manager !== "yarn"))
    return { name: "test", form: "test", verb, rest: argv.slice(2) };
  if ((verb === "run" || verb === "run-script") && argv[2] && !argv[2].startsWith("-"))
    return { name: argv[2], form: "run", verb, rest: argv.slice(3) };
  const named = verb !== "run" && verb !== "run-script" && !verb.startsWith("-");
  if (manager === "yarn" && named && !yarnCommands.has(verb))
    return { name: verb, form: "run", verb, rest: argv.slice(2) };
  return null;
}

/**
 * A script that is only commands joined by `&&`, split as the shell runs it: each command's words
 * (a word in single quotes, or in double quotes without `$`, backquotes or backslashes, is one
 * word without them) and its text, whether a word was quoted, and whether an `&&` came right
 * after a word (`tsc&&mocha`). Null when the shell would make more of it: any other operator
 * (`;`, `||`, a pipe, `&`), redirections, subshells, `$`, backquotes, backslashes, a newline, a
 * `#` comment, an unclosed quote, or an empty command.
 */
export function splitAndChain(
  script: string,
): { words: string[][]; texts: string[]; quoted: boolean; glued: boolean } | null {
  const words: string[][] = [[]];
  const texts: string[] = [""];
  let word: string | null = null;
  let quoted = false;
  let glued = false;
  const end = () => {
    if (word !== null) words[words.length - 1]!.push(word);
    word = null;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'" || c === '"') {
      const close = script.indexOf(c, i + 1);
      if (close < 0) return null;
      const inside = script.slice(i + 1, close);
      if (c === '"' && /[$`\\]/.test(inside)) return null;
      word = (word ?? "") + inside;
      texts[texts.length - 1] += script.slice(i, close + 1);
      quoted = true;
      i = close;
      continue;
    }
    if (c === "&" && script[i + 1] === "&") {
      if (word !== null) glued = true;
      end();
      if (words[words.length - 1]!.length === 0) return null;
      words.push([]);
      texts.push("");
      i++;
      continue;
    }
    if (/[;|<>()`$\\\n&]/.test(c)) return null;
    if (/\s/.test(c)) {
      end();
      texts[texts.length - 1] += c;
      continue;
    }
    if (c === "#" && word === null) return null;
    word = (word ?? "") + c;
    texts[texts.length - 1] += c;
  }
  end();
  if (words.some((command) => command.length === 0)) return null;
  return { words, texts, quoted, glued };
}

/**
 * The programs of a script that is only commands joined by `&&` (`eslint . && vitest run`,
 * splitAndChain): the first word of each after its `NAME=value` words, in order. Null for any
 * other script, or a command of assignments only. In such a script a program the shell cannot
 * find ends it, with the shell's 127.
 */
export function andChainPrograms(script: string): string[] | null {
  const commands = splitAndChain(script)?.words;
  if (!commands) return null;
  const programs: string[] = [];
  for (const words of commands) {
    const program = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (program === undefined) return null;
    programs.push(program);
  }
  return programs;
}

/**
 * The text of the script a pnpm command (`pnpm test`, `pnpm run unit`, `pnpm -C app test`) runs
 * from `cwd`, as pnpm finds it: in the nearest package.json at or above its folder. Undefined for
 * another command, a `--filter` (which package is pnpm's to say), or no such script.
 */
export function pnpmScriptText(cwd: string, argv: readonly string[]): string | undefined {
  if (argv[0]?.split("/").pop() !== "pnpm") return undefined;
  const chosen = leadingSelection("pnpm", argv);
  if (!chosen || chosen.member !== undefined) return undefined;
  const name = scriptNamed("pnpm", [argv[0]!, ...argv.slice(chosen.consumed)])?.name;
  if (!name) return undefined;
  const script = nearestScript(resolve(cwd, chosen.dir ?? "."), "/", name)?.script;
  return typeof script === "string" ? script : undefined;
}

/**
 * The nearest package.json at or above `start`, up to the top of the work tree (`start`'s own
 * only, with `only`): its folder and its script `name` (undefined without one, null when the
 * file does not parse); null without a package.json.
 */
export function nearestScript(
  start: string,
  root: string,
  name: string,
  only = false,
): { dir: string; script: unknown } | null {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return { dir, script: JSON.parse(readFileSync(manifest, "utf8"))?.scripts?.[name] };
      } catch {
        return { dir, script: null };
      }
    }
    if (only || dir === dirname(dir) || relative(root, dir) === "") return null;
  }
}
