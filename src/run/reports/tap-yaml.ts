/*
 * The YAML block of a TAP point (`  ---` ... `  ...`), as the TAP runners print it (AVA's
 * details, node-tap's diagnostics): its top-level fields, each value as one string (the lines
 * of a block value joined with newlines, a folded one with spaces).
 */

const yamlEnd = /^\s+\.\.\.\s*$/;

/** The YAML block's top-level fields from `start` (the details' labelled values joined under `details`); the index of its `...` line. */
export function readYaml(
  lines: readonly string[],
  start: number,
  fields: Record<string, string>,
): number {
  let j = start;
  let indent = -1;
  let key: string | null = null;
  let blockDepth = 0;
  let folded = false;
  const values: string[] = [];
  const flush = () => {
    if (key !== null) fields[key] = values.join(folded ? " " : "\n").trim();
    values.length = 0;
  };
  for (; j < lines.length && !yamlEnd.test(lines[j]!); j++) {
    const line = lines[j]!;
    const depth = /^\s*/.exec(line)![0].length;
    if (indent < 0) indent = depth;
    const field = depth === indent ? /^\s*([A-Za-z]\w*):(?: (.*))?$/.exec(line) : null;
    if (field) {
      flush();
      blockDepth = indent + 2;
      key = field[1]!;
      const value = field[2] ?? "";
      folded = /^>[-+0-9]*$/.test(value);
      if (!/^[|>][-+0-9]*$/.test(value)) values.push(unquote(value));
      continue;
    }
    // A value over several lines, or a details entry: `'Label:': |-` then its lines, deeper.
    const label = /^(\s*)'((?:[^']|'')*)': (.*)$/.exec(line);
    if (label) {
      const text = label[2]!.replace(/''/g, "'");
      if (/^[|>][-+0-9]*$/.test(label[3]!)) {
        values.push(text);
        blockDepth = label[1]!.length + 2;
      } else values.push(`${text} ${unquote(label[3]!)}`);
      continue;
    }
    values.push(line.trim() === "" ? "" : line.slice(Math.min(depth, blockDepth)));
  }
  flush();
  return j;
}

export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'"))
    return v.slice(1, -1).replace(/''/g, "'");
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1);
  return v;
}
