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
