import { type Diff, unitTexts } from "./hunks.js";

/*
 * Likely dependencies between units, guessed from the diff alone, so that the search tries a
 * definition before its users and a new file before the units that import it (fewer "?"
 * configurations). Cheap heuristics, nothing language-specific beyond keywords:
 * 1. A new (or renamed-to) file is needed by every other unit whose added lines import it: a
 *    line with an import keyword (import, from, require, include, use, mod) that names the
 *    file's base name without extension as a word.
 * 2. A name defined in the added lines of exactly one unit is needed by every other unit whose
 *    added lines use it as a word. Definitions: after function, def, class, fn, func, const,
 *    let, var, interface, type, struct, enum, trait (3 characters or more); a Go method
 *    (`func (r T) Name(`); a CommonJS export (`exports.name =`); and a method in a class or an object literal, Java's and C#'s
 *    included: a line that is only a name, its parameters and an opening brace, after
 *    modifiers or a return type (`async load(path: string): Promise<void> {`,
 *    `public int size() {`), not a keyword (`if (x) {`).
 *    A name also bound by a line of another file that imports it (`var f = require("./u").f`),
 *    and defined in one or more units of one file (a function, and the line that exports it):
 *    the binding needs those, and the users of other files need the binding.
 * 3. The other way round, for a rename or a removal (the everyday refactor): a name defined in
 *    the removed lines of exactly one unit, and not in its added lines, is taken away by it;
 *    every other unit whose removed lines use that name and whose added lines no longer do
 *    (a caller moved to the new name) is needed by it, since without them the old callers call
 *    what no longer exists. With rule 2 (the callers need the new name), the rename and its
 *    callers go together.
 * Hints order the search and are added to its configurations: a wrong one costs configurations,
 * and the answer stays 1-minimal (src/isolate/search.ts says when hints choose among answers).
 */

const IMPORT_LINE = /\b(?:import|from|require|include|use|mod)\b/;
/** A line that binds a name from another module: `require("./u")`, `import`, `from "./u"`, Python's `from m import`. */
export const IMPORT_FORM =
  /\brequire\s*\(\s*['"`]|^\s*import\b|\bfrom\s+['"`]|^\s*from\s+[\w.]+\s+import\b/;
const DEFINITION =
  /\b(?:function|def|class|fn|func|const|let|var|interface|type|struct|enum|trait)\s+([A-Za-z_$][\w$]*)/g;
/** CommonJS: `exports.name =`, `module.exports.name =`. */
const EXPORTS = /\b(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=(?!=)/g;
/** Go: `func (r *T) Name(`. */
const GO_METHOD = /\bfunc\s*\([^()]*\)\s*([A-Za-z_]\w*)\s*[[(]/g;
/** A method: modifiers or a return type, a name, its parameters, an optional return type, `{`. */
const METHOD =
  /^\s*(?:[\w$.<>[\]?,]+\s+)*?([A-Za-z_$][\w$]*)\s*(?:<[^<>()]*>)?\s*\([^()]*\)\s*(?::\s*[^{};=]+?\s*|throws\s+[\w$., ]+)?\{\s*$/;
/** Words that open a block like a method does, and are not a definition. */
const KEYWORDS = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "with",
  "function",
  "return",
  "else",
  "do",
  "try",
  "new",
  "await",
  "typeof",
  "foreach",
  "using",
  "lock",
  "synchronized",
  "fixed",
  "when",
]);

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `name` as a word of code (not part of a longer name). */
export function word(name: string): RegExp {
  return new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`);
}

/** The names a line defines (rule 2's list). */
export function definedNames(line: string): string[] {
  const names: string[] = [];
  for (const m of line.matchAll(DEFINITION)) names.push(m[1]!);
  for (const m of line.matchAll(GO_METHOD)) names.push(m[1]!);
  for (const m of line.matchAll(EXPORTS)) names.push(m[1]!);
  const method = METHOD.exec(line);
  if (method && !KEYWORDS.has(method[1]!)) names.push(method[1]!);
  return names.filter((name) => name.length >= 3);
}

/** name -> the units whose lines define it. */
function definers(lines: Map<string, string[]>): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const [id, text] of lines) {
    for (const line of text) {
      for (const name of definedNames(line)) {
        const list = by.get(name) ?? [];
        if (!list.includes(id)) list.push(id);
        by.set(name, list);
      }
    }
  }
  return by;
}

/** Unit id -> ids of the units it probably needs (pure). */
export function guessDependencies(diff: Diff): Map<string, string[]> {
  const texts = unitTexts(diff);
  const added = new Map([...texts].map(([id, t]) => [id, t.added]));
  const removed = new Map([...texts].map(([id, t]) => [id, t.removed]));
  const hints = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    if (from === to) return;
    const set = hints.get(from) ?? new Set<string>();
    set.add(to);
    hints.set(from, set);
  };
  for (const unit of diff.units) {
    if (unit.kind !== "new" && unit.kind !== "rename") continue;
    const base = unit.path
      .split("/")
      .at(-1)!
      .replace(/\.[^.]*$/, "");
    if (base.length < 2) continue;
    const pattern = word(base);
    for (const [id, lines] of added) {
      if (lines.some((l) => IMPORT_LINE.test(l) && pattern.test(l))) add(id, unit.id);
    }
  }
  const addedBy = definers(added);
  const fileOf = new Map(diff.units.map((u) => [u.id, u.path]));
  for (const [name, ids] of addedBy) {
    const pattern = word(name);
    // Definitions in one file count as one definer (a function, and the line that exports it).
    // With one more, a line of another file that imports the name (`var stringifyJson =
    // require('./utils').stringifyJson`: a function moved into another module and renamed,
    // expressjs/express trial), the binding needs the definitions, and the users of other files
    // need the binding.
    const bindings = ids.filter((id) =>
      added.get(id)!.some((l) => IMPORT_FORM.test(l) && definedNames(l).includes(name)),
    );
    const binding = ids.length > 1 && bindings.length === 1 ? bindings[0]! : null;
    const home = binding === null ? ids : ids.filter((id) => id !== binding);
    const homeFile = fileOf.get(home[0]!);
    // One definer; or definers in one file and an import of the name in another. (Several
    // definitions and no import: locals of one name in several places, not one thing.)
    if (
      binding === null
        ? ids.length !== 1
        : fileOf.get(binding) === homeFile || home.some((id) => fileOf.get(id) !== homeFile)
    )
      continue;
    if (binding !== null) for (const definer of home) add(binding, definer);
    for (const [id, lines] of added) {
      if (ids.includes(id) || !lines.some((l) => pattern.test(l))) continue;
      const needs = binding !== null && fileOf.get(id) !== homeFile ? [binding] : home;
      for (const definer of needs) add(id, definer);
    }
  }
  for (const [name, ids] of definers(removed)) {
    if (ids.length !== 1) continue;
    const remover = ids[0]!;
    if (addedBy.get(name)?.includes(remover)) continue;
    const pattern = word(name);
    for (const [id, lines] of removed) {
      if (id === remover || !lines.some((l) => pattern.test(l))) continue;
      if (added.get(id)!.some((l) => pattern.test(l))) continue;
      add(remover, id);
    }
  }
  return new Map([...hints].map(([id, set]) => [id, [...set]]));
}

/**
 * Definitions moved between units (pure): unit -> the other units whose added lines define a
 * name that its removed lines define (a function moved into a new file: the removal of the old
 * one -> the new file). isolate's guiltyTogether blames a moved definition with the units that
 * moved it; unlike the hints above, this decides an answer, so it asks for the same name defined
 * on both sides, not a use.
 */
export function movedDefinitions(diff: Diff): Map<string, string[]> {
  const texts = unitTexts(diff);
  const addedBy = definers(new Map([...texts].map(([id, t]) => [id, t.added])));
  const moved = new Map<string, string[]>();
  for (const [id, text] of texts) {
    const to = new Set<string>();
    for (const line of text.removed) {
      for (const name of definedNames(line)) {
        for (const other of addedBy.get(name) ?? []) if (other !== id) to.add(other);
      }
    }
    if (to.size > 0) moved.set(id, [...to]);
  }
  return moved;
}
