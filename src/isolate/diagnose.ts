import { definedNames, escapeRegExp, IMPORT_FORM, word } from "./hints.js";
import { type Diff, type Unit, unitTexts } from "./hunks.js";
import type { Missing } from "./search.js";

/*
 * What a configuration that cannot run says it missed
 * ====================================================
 *
 * A configuration holding a caller without the new function it calls, or an import without the
 * new file, cannot run, and its output says why in words runners and compilers share: a name
 * (`ReferenceError: slugify is not defined`, TypeScript's `Cannot find name 'slugify'`, Python's
 * `NameError: name 'slugify' is not defined` and `cannot import name 'slugify'`, Rust's `cannot
 * find function `slugify``, Go's `undefined: slugify`, javac's `symbol: method slugify(String)`)
 * or a module (`Cannot find module './slug'`, `No module named 'slug'`, Vite's `Failed to
 * resolve import "./slug"`).
 *
 * Each name is looked up in the diff: the units left out of the configuration whose added lines
 * define it (src/isolate/hints.ts's definitions; when none does, the few left out with a line
 * that binds it: an assignment, a key, an import), or, for a module, the new files of that name
 * left out. The units of the configuration that use it (or take its definition away) need them.
 * The search adds what they need to the configurations it builds from then on, and tries the
 * same one again (src/isolate/search.ts): a "?" that names what it misses costs one
 * configuration, where it otherwise made the search climb towards your whole tree, one "?" after
 * another (bench:isolate, its `diagnosed` cells). Whatever the hints, the search goes on from
 * configurations it saw fail, and its answer is a failing set from which no unit can be
 * removed alone (1-minimal): a wrong guess costs configurations. Hints can still choose which
 * such set: units that need each other both ways (a cycle) and a guilty one are searched out
 * together, where without the hint the guilty one alone may be found.
 */

/**
 * A name no unit defines in a form src/isolate/hints.ts reads: at most this many that use it; a
 * module: at most this many new files of its name.
 */
const MOST_MENTIONS = 3;

/** A folder's own module, named by the folder (when the path has one). */
const FOLDER_MODULE = new Set(["index", "__init__", "mod"]);

/** A module's name: its path's last part, or its folder's for a folder's own module. */
function moduleName(parts: readonly string[]): string | undefined {
  return FOLDER_MODULE.has(parts.at(-1) ?? "") && parts.length > 1 ? parts.at(-2) : parts.at(-1);
}

/** The name `diagnose` and `known` give a module (names and modules are apart). */
export function moduleKey(base: string): string {
  return `module ${base}`;
}

const NAME = "([A-Za-z_$][\\w$]*)";
/** Messages that name a missing name (the name in group 1). */
const MISSING_NAME = [
  // JavaScript: ReferenceError; Python: NameError ("name 'x' is not defined").
  new RegExp(`(?:^|[^\\w$.'])'?${NAME}'? is not defined\\b`, "gm"),
  // TypeScript (tsc, ts-node, ts-jest).
  new RegExp(`Cannot find name '${NAME}'`, "g"),
  new RegExp(`has no exported member(?: named)? '${NAME}'`, "g"),
  // Node's ESM linker.
  new RegExp(`does not provide an export named '${NAME}'`, "g"),
  // Python.
  new RegExp(`cannot import name '${NAME}'`, "g"),
  new RegExp(`has no attribute '${NAME}'`, "g"),
  // A method or a function a module no longer has: `x.slugify is not a function` (the name
  // alone: a pattern for the dotted prefix took seconds on 64 KB of `a.a.a`).
  new RegExp(`(?<![\\w$])${NAME} is not a function\\b`, "g"),
  // Rust.
  /cannot find (?:function|value|struct|type|macro|trait|module|crate)(?: or \w+)? `([A-Za-z_]\w*)!?`/g,
  /unresolved import `(?:[\w:]*::)?([A-Za-z_]\w*)`/g,
  // Go.
  new RegExp(`\\bundefined: (?:[\\w.]*\\.)?${NAME}`, "g"),
  // javac (and Maven's compiler plugin): "symbol:   method slugify(java.lang.String)".
  new RegExp(`symbol:\\s+(?:method|variable|class|interface|enum|record)\\s+${NAME}`, "g"),
];
/** Messages that name a missing module (the module's path or dotted name in group 1). */
const MISSING_MODULE = [
  /Cannot find module ['"]([^'"\s]+)['"]/g,
  /No module named ['"]([\w.]+)['"]/g,
  /Failed to resolve import ['"]([^'"\s]+)['"]/g,
  /Could not resolve ['"]([^'"\s]+)['"]/g,
  /Module not found: (?:Error: )?Can't resolve ['"]([^'"\s]+)['"]/g,
  /file not found for module `([\w:]+)`/g,
];

/**
 * Names of the runner's, the language's or the environment's own, which your changes do not
 * define: a test file run in the wrong environment (`window is not defined`), a test global
 * missing (`Cannot find name 'describe'`), a promise expected (`.then is not a function`).
 */
const NOT_YOURS = new Set([
  "require",
  "exports",
  "module",
  "window",
  "document",
  "navigator",
  "global",
  "globalThis",
  "self",
  "process",
  "Buffer",
  "describe",
  "test",
  "expect",
  "jest",
  "then",
  "catch",
  "NoneType",
  "__dirname",
  "__filename",
]);

/** What a run's output names as missing: names, and modules by their base name. */
export interface Named {
  names: string[];
  modules: string[];
}

/** The names and the module base names a run's output says are missing. */
export function missingFromOutput(output: string): Named {
  const names = new Set<string>();
  const modules = new Set<string>();
  for (const pattern of MISSING_NAME) {
    for (const m of output.matchAll(pattern)) {
      if (m[1]!.length >= 3 && !NOT_YOURS.has(m[1]!)) names.add(m[1]!);
    }
  }
  for (const pattern of MISSING_MODULE) {
    for (const m of output.matchAll(pattern)) {
      // './lib/slug.js', 'pkg.slug', 'crate::slug': the last part, without its extension; a
      // folder's own module ('./slug/index.js', 'pkg.slug.__init__', 'slug/mod.rs') by the folder.
      const parts = m[1]!
        .replace(/\.(?:[cm]?[jt]sx?|py|rs|json)$/, "")
        .split(/[/\\]|::|\.(?=[A-Za-z_])/)
        .filter((part) => part !== "" && part !== "." && part !== "..");
      const base = moduleName(parts);
      if (base && base.length >= 2) modules.add(base);
    }
  }
  return { names: [...names], modules: [...modules] };
}

/**
 * What the runs of `config` that could not run said it missed (`found`: missingFromOutput of
 * the 64 KB of output each run keeps), each name or module with what the units of `config`
 * that use it need: the units left out that bring it in (pure). Nothing for what your tree's
 * own failure names too (`known`: that is the regression, not a "?").
 */
export function diagnose(
  diff: Diff,
  config: ReadonlySet<string>,
  found: Named,
  known: ReadonlySet<string> = new Set(),
): Missing[] {
  const names = [...new Set(found.names)].filter((n) => !known.has(n));
  const modules = [...new Set(found.modules)].filter((m) => !known.has(moduleKey(m)));
  if (names.length === 0 && modules.length === 0) return [];
  const texts = unitTexts(diff);
  const added = new Map([...texts].map(([id, t]) => [id, t.added]));
  const inside = diff.units.filter((u) => config.has(u.id)).map((u) => u.id);
  const outside = diff.units.filter((u) => !config.has(u.id));
  const defines = (lines: readonly string[], name: string) =>
    lines.some((line) => definedNames(line).includes(name));
  // The units of the configuration that need what was missed: those whose added lines use it
  // (not those that define it), and those that take a definition of it away (a function
  // removed, or moved elsewhere: the old callers call what is gone). Listed with no providers
  // too: named again with what it was said to need, a unit was read wrong (src/isolate/search.ts).
  const users = (what: string, providers: readonly Unit[]): Map<string, string[]> => {
    const needs = new Map<string, string[]>();
    const pattern = word(what);
    for (const id of inside) {
      const { added: plus, removed: minus } = texts.get(id)!;
      const uses = plus.some((line) => pattern.test(line)) && !defines(plus, what);
      const takesAway = defines(minus, what) && !plus.some((line) => pattern.test(line));
      if (uses || takesAway)
        needs.set(
          id,
          providers.map((u) => u.id),
        );
    }
    return needs;
  };
  const missing: Missing[] = [];
  for (const name of names) {
    const pattern = word(name);
    const definers = outside.filter((u) => defines(added.get(u.id)!, name));
    // A definition the hints cannot read (`slugify = partial(...)`, a key of an object literal
    // `slugify: (s) => ...`, an import that binds it): the units left out with such a line, when
    // they are few (not a word in a comment or a README).
    // An assignment (`slugify =`, `this.slugify =`, `self.slugify =`, `X.prototype.slugify =`),
    // or a key that opens a line or follows `{` or `,` (not `a ? slugify : b`, `(slugify: Fn)`).
    const n = escapeRegExp(name);
    const binding = new RegExp(
      `(?:(?<![\\w$.])|\\b(?:this|self|prototype)\\.)${n}\\s*=(?![=>])|(?:^|[{,])\\s*${n}\\s*:(?!:)`,
    );
    const binds = (line: string) =>
      binding.test(line) || (IMPORT_FORM.test(line) && pattern.test(line));
    const mentions = outside.filter((u) => added.get(u.id)!.some(binds));
    const providers =
      definers.length > 0 ? definers : mentions.length <= MOST_MENTIONS ? mentions : [];
    missing.push({ what: name, needs: users(name, providers) });
  }
  for (const base of modules) {
    const files = outside.filter((u) => {
      if (u.kind !== "new" && u.kind !== "rename") return false;
      return moduleName(u.path.replace(/\.[^./]*$/, "").split("/")) === base;
    });
    missing.push({
      what: moduleKey(base),
      needs: users(base, files.length <= MOST_MENTIONS ? files : []),
    });
  }
  return missing;
}
