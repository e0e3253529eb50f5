import { type Diff, unitText } from "./hunks.js";

/*
 * Likely dependencies between units, guessed from the diff alone, so that the search tries a
 * definition before its users and a new file before the units that import it (fewer "?"
 * configurations). Two cheap heuristics, nothing language-specific beyond keywords:
 * 1. A new (or renamed-to) file is needed by every other unit whose added lines import it: a
 *    line with an import keyword (import, from, require, include, use, mod) that names the
 *    file's base name without extension as a word.
 * 2. A name defined in the added lines of exactly one unit (after function, def, class, fn,
 *    func, const, let, var, interface, type, struct, enum, trait; 3 characters or more) is
 *    needed by every other unit whose added lines use it as a word.
 * Hints only order the search: a wrong one costs configurations, never a wrong answer.
 */

const IMPORT_LINE = /\b(?:import|from|require|include|use|mod)\b/;
const DEFINITION =
  /\b(?:function|def|class|fn|func|const|let|var|interface|type|struct|enum|trait)\s+([A-Za-z_$][\w$]*)/g;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function word(name: string): RegExp {
  return new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`);
}

/** Unit id -> ids of the units it probably needs (pure). */
export function guessDependencies(diff: Diff): Map<string, string[]> {
  const text = new Map(diff.units.map((u) => [u.id, unitText(diff, u.id).added]));
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
    for (const [id, lines] of text) {
      if (lines.some((l) => IMPORT_LINE.test(l) && pattern.test(l))) add(id, unit.id);
    }
  }
  const definers = new Map<string, string[]>();
  for (const [id, lines] of text) {
    for (const line of lines) {
      for (const m of line.matchAll(DEFINITION)) {
        const name = m[1]!;
        if (name.length < 3) continue;
        const list = definers.get(name) ?? [];
        if (!list.includes(id)) list.push(id);
        definers.set(name, list);
      }
    }
  }
  for (const [name, ids] of definers) {
    if (ids.length !== 1) continue;
    const pattern = word(name);
    for (const [id, lines] of text) {
      if (id !== ids[0] && lines.some((l) => pattern.test(l))) add(id, ids[0]!);
    }
  }
  return new Map([...hints].map(([id, set]) => [id, [...set]]));
}
