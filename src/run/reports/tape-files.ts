import { type Dirent, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

/*
 * The files a tape run loads, in the order it loads them, and which of them defines each test.
 *
 * TAP names no file, and a suite where two files each have a test `works` was matched by order
 * ("works", "works #2"): delete a passing `works` in a.js and the old failing one in b.js became
 * "works" on your tree and read as a regression (qs trial). tape's bin (5.x) takes its arguments
 * as files or glob patterns, expands each pattern with glob 7 (sorted as glob sorts,
 * `localeCompare(..., "en")`) and loads the files in that order; each file's tests are created,
 * and run, in the order its source defines them. So a test's file is the file, among those,
 * whose source calls `test("its name"` (or `t.test(`, `tape(`): found in one file only, or
 * in several, as often as the run printed the name, and then in their order.
 */

/** tape's options that take a value (bin/tape's minimist: -r/--require, -i/--ignore, --ignore-pattern). */
const valued = new Set(["-r", "--require", "-i", "--ignore", "--ignore-pattern"]);

/** The words of tape's arguments that name files or patterns (options and their values left out). */
export function tapeFileArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      out.push(...args.slice(i + 1));
      break;
    }
    if (valued.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    out.push(arg);
  }
  return out;
}

/** At most this many folder entries are read to expand a run's patterns: past it, no files are known. */
const ENTRY_LIMIT = 20_000;

/**
 * The files tape loads for `patterns` from `cwd`, absolute, in its order; null when a pattern
 * uses what this expansion does not know (extglobs) or the folders are too large to walk.
 */
export function expandTapeFiles(patterns: readonly string[], cwd: string): string[] | null {
  const budget = { entries: ENTRY_LIMIT };
  const files: string[] = [];
  for (const pattern of patterns) {
    const expanded = braces(pattern);
    if (expanded.length === 1 && !hasMagic(pattern)) {
      files.push(loadable(resolve(cwd, pattern)));
      continue;
    }
    const found = new Set<string>();
    for (const one of expanded) {
      if (!globOne(one, cwd, found, budget)) return null;
    }
    // glob 7 sorts what it found (its `alphasort`), in the pattern's own spelling.
    const sorted = [...found].sort((a, b) => a.localeCompare(b, "en"));
    files.push(...sorted.map((match) => loadable(resolve(cwd, match))));
  }
  return [...new Set(files)];
}

// What require.resolve makes of a path: a folder is its index.js, a name without its extension
// the .js file.
function loadable(path: string): string {
  const kind = kindOf(path);
  if (kind === "dir") return join(path, "index.js");
  if (kind === null && kindOf(`${path}.js`) === "file") return `${path}.js`;
  return path;
}

function kindOf(path: string): "file" | "dir" | null {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return null;
  }
}

function hasMagic(pattern: string): boolean {
  return /[*?[]|[@!+]\(/.test(pattern);
}

/** `{a,b}` expanded (nested too), as glob 7 does before it matches. */
function braces(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) {
        if (commas.length === 0) {
          return braces(pattern.slice(i + 1)).map((rest) => pattern.slice(0, i + 1) + rest);
        }
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        const bounds = [open, ...commas, i];
        const parts = bounds.slice(1).map((end, k) => pattern.slice(bounds[k]! + 1, end));
        return parts.flatMap((part) => braces(`${head}${part}${tail}`));
      }
    } else if (c === "," && depth === 1) commas.push(i);
  }
  return [pattern];
}

/** One brace-free pattern's matches (relative or absolute as the pattern is) added to `found`; false when it cannot be expanded here. */
function globOne(
  pattern: string,
  cwd: string,
  found: Set<string>,
  budget: { entries: number },
): boolean {
  if (/[@!+?*]\(/.test(pattern)) return false;
  const absolute = isAbsolute(pattern);
  const segments = pattern.split("/").filter((s, i) => s !== "" || i === 0);
  if (absolute) segments.shift();
  const matchers = segments.map((s) => (s === "**" ? "**" : hasMagic(s) ? segmentRegex(s) : s));
  const start = absolute ? "/" : cwd;
  const prefix = absolute ? "/" : "";
  const walk = (dir: string, shown: string, rest: (string | RegExp)[]): boolean => {
    if (rest.length === 0) {
      found.add(shown);
      return true;
    }
    const [head, ...tail] = rest;
    const joined = (name: string) =>
      shown === "" || shown === "/" ? shown + name : `${shown}/${name}`;
    if (typeof head === "string" && head !== "**") {
      if (head === "." || head === "..") return walk(join(dir, head), joined(head), tail);
      const kind = kindOf(join(dir, head));
      if (kind === null || (tail.length > 0 && kind !== "dir")) return true;
      return walk(join(dir, head), joined(head), tail);
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return true;
    }
    budget.entries -= entries.length;
    if (budget.entries < 0) return false;
    if (head === "**") {
      // Zero folders, then each folder (not a hidden one, as glob's `**` passes them over).
      if (!walk(dir, shown, tail)) return false;
      for (const entry of entries) {
        if (entry.name.startsWith(".")) continue;
        if (entry.isDirectory()) {
          if (!walk(join(dir, entry.name), joined(entry.name), rest)) return false;
        } else if (tail.length === 0) found.add(joined(entry.name));
      }
      return true;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".") && !(head as RegExp).source.startsWith("^\\.")) continue;
      if (!(head as RegExp).test(entry.name)) continue;
      if (tail.length > 0 && !entry.isDirectory()) continue;
      if (!walk(join(dir, entry.name), joined(entry.name), tail)) return false;
    }
    return true;
  };
  return walk(start, prefix, matchers);
}

function segmentRegex(segment: string): RegExp {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        source += `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

// A call whose first argument is a string: `test("name",`, `t.test('name',`, `tape(`name`)`. The
// callee's last name must say test or tape (or be only/skip/todo: `test.only("name"`).
const definition =
  /(?:^|[^\w$])((?:[\w$]+\.)*([\w$]+))\s*\(\s*(["'`])((?:\\.|(?!\3)[^\\\n])*)\3\s*[,)]/g;

/** The test names a file's source defines, each as often as it is defined, in source order (comments left out). */
export function definedNames(
  source: string,
  modifiers: readonly string[] = ["only", "skip", "todo"],
): string[] {
  const names: string[] = [];
  for (const match of withoutComments(source).matchAll(definition)) {
    const callee = match[2]!;
    if (!/test|tape/i.test(callee) && !modifiers.includes(callee)) continue;
    if (match[3] === "`" && match[4]!.includes("${")) continue;
    names.push(match[4]!.replace(/\\(.)/g, "$1"));
  }
  return names;
}

/** The names each file defines, kept while its text is the same (read once a version, not once a run). */
const namesOf = new Map<string, { text: string; names: string[] }>();

/**
 * The file of each test (relative to the root), in the order the run printed them, or null
 * where it cannot be told: `names` are the tests' names as tape printed them, `files` the files
 * it loaded, in order, and `read` a file's text. A name is placed when the files define it in one
 * file only (tests made in a loop print it more often), or in several files exactly as often as
 * the run printed it (then in the files' order); else none of its tests is placed, so that a
 * test's place never depends on whether it passed.
 */
export function placeTapeTests(
  names: readonly string[],
  files: readonly string[],
  shown: (path: string) => string | null,
  read: (path: string) => string | null,
): (string | null)[] {
  const where = new Map<string, string[]>();
  for (const file of files) {
    const text = read(file);
    if (text === null) continue;
    const relativePath = shown(file);
    if (relativePath === null) continue;
    let known = namesOf.get(file);
    if (known?.text !== text) {
      known = { text, names: definedNames(text) };
      namesOf.set(file, known);
    }
    for (const name of known.names) {
      const list = where.get(name);
      if (list) list.push(relativePath);
      else where.set(name, [relativePath]);
    }
  }
  const keys = names.map(definitionName);
  const printed = new Map<string, number>();
  for (const key of keys) printed.set(key, (printed.get(key) ?? 0) + 1);
  const next = new Map<string, number>();
  return keys.map((key) => {
    const defined = where.get(key);
    if (defined === undefined) return null;
    if (defined.every((file) => file === defined[0])) return defined[0]!;
    if (defined.length !== printed.get(key)) return null;
    const k = next.get(key) ?? 0;
    next.set(key, k + 1);
    return defined[k]!;
  });
}

/** The name a test's source gives it: tape prints a `{ skip: true }` or `{ todo: true }` test's as `SKIP name` / `TODO name`. */
function definitionName(printed: string): string {
  return printed.replace(/^(?:SKIP|TODO) /, "");
}

/**
 * The source with its comments blanked (`// test("old", ...` commented out defines no test: it
 * was counted, and the test of that name in another file could no longer be placed, qs trial).
 * Strings and templates are passed over whole, so that a `//` in a test's name stays; a regex
 * literal with a quote in it may hide a comment after it, which only leaves a name unplaced.
 */
export function withoutComments(source: string): string {
  let out = "";
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      i = end < 0 ? source.length : end;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && (c === "`" || source[j] !== "\n")) {
        j += source[j] === "\\" ? 2 : 1;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
