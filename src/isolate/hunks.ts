import { inflateSync } from "node:zlib";

/*
 * The hunk model of `culprit isolate`: the user's changes as units that can be applied to the
 * baseline one by one. Everything here is pure and works on bytes (a diff of a Latin-1 file or a
 * binary patch is not valid UTF-8), so that the contents it computes are exactly git's.
 *
 * Input: the bytes printed by `git diff-tree` with the arguments of `diffTreeArgs`.
 */

/**
 * The argv (after `git`) whose stdout `parseDiff` takes: read it as bytes (a Buffer), not as a
 * string, or the contents of non-UTF-8 files and binary patches are lost.
 */
export function diffTreeArgs(baseTree: string, userTree: string): string[] {
  return [
    // Unicode and control characters in names come quoted, whatever the user's config says.
    "-c",
    "core.quotePath=true",
    "diff-tree",
    "-r",
    "-p",
    "--raw",
    "--no-abbrev",
    "--binary",
    "--full-index",
    "-M",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--unified=3",
    "--inter-hunk-context=0",
    baseTree,
    userTree,
  ];
}

/** What a unit changes. */
export type UnitKind =
  | "hunk"
  | "lines"
  | "new"
  | "delete"
  | "rename"
  | "mode"
  | "binary"
  | "symlink"
  | "type";

/** The smallest change `isolate` applies or leaves out. */
export interface Unit {
  /** Stable id: `path#n` (n-th hunk, 1-based), `path#n.m` (m-th line unit of hunk n), or `path#new`, `#delete`, `#rename`, `#mode`, `#binary`, `#symlink`, `#type`. */
  id: string;
  kind: UnitKind;
  /** The user's path (the old path for a deletion). */
  path: string;
  /** Index of the file in `Diff.files`. */
  file: number;
  /** Units that must be applied with this one (a renamed file's hunks need the rename; a new file where a deleted folder was needs that deletion). */
  requires: string[];
  /** For a line unit, the id of its hunk (`path#n`). */
  hunk?: string;
}

/** One line of a hunk, without its line feed. */
interface Line {
  text: Buffer;
  /** False for the last line of a file that does not end with a line feed. */
  eol: boolean;
}

/** Lines removed and added together, with the unit of each position. */
interface Block {
  removed: Line[];
  added: Line[];
  /** Unit of position i (the i-th removed line with the i-th added line); as long as the longer side. */
  units: string[];
}

type Segment = { context: Line } | { block: Block };

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Text after the second `@@`, kept for patches. */
  section: Buffer;
  segments: Segment[];
}

/** One path (or renamed pair of paths) of the diff. */
export interface DiffFile {
  /** Path at the baseline, null for a new file. */
  oldPath: string | null;
  /** Path in the user's tree, null for a deleted file. */
  newPath: string | null;
  /** Mode at the baseline (`100644`, `100755`, `120000`), null for a new file. */
  oldMode: string | null;
  /** Mode in the user's tree, null for a deleted file. */
  newMode: string | null;
  /** Blob ids (all zeros on the side where the file does not exist). */
  oldBlob: string;
  newBlob: string;
  /** A delete-then-add of one path whose type changed (file to symlink or back). */
  typeChange: boolean;
  binary: boolean;
  /** The units of this file, in order. */
  units: Unit[];
  /** @internal parsed content hunks. */
  hunks: Hunk[];
  /** @internal the `GIT binary patch` section as git printed it (with the preceding `index` line handled separately). */
  binaryPatch: Buffer | null;
  /** @internal for a type change, the deletion and the creation as two files. */
  parts: DiffFile[];
}

/** A parsed diff: its files and all their units, in diff order. */
export interface Diff {
  files: DiffFile[];
  units: Unit[];
}

/** Options of `parseDiff`. */
export interface ParseOptions {
  /**
   * Split each text hunk into line units: in each run of removed-then-added lines, the i-th
   * removed line and the i-th added line form one unit (a modified line), surplus lines are units
   * alone; a run that touches a last line without line feed stays one unit.
   */
  lines?: boolean;
}

/** What one path looks like in a configuration. */
export interface PathState {
  path: string;
  /** Null when the path does not exist in the configuration. */
  mode: string | null;
  /** Null when the path does not exist in the configuration. */
  bytes: Buffer | null;
}

/** Where a unit is, in the user's version of the file (the baseline's for a deletion). */
export interface UnitLocation {
  path: string;
  startLine: number;
  endLine: number;
}

const ZERO_BLOB = "0".repeat(40);
const LF = 0x0a;

/** Thrown when the diff or the baseline bytes do not fit together (a caller's bug, not the user's). */
export class HunkModelError extends Error {
  override readonly name = "HunkModelError";
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

function startsWith(line: Buffer, prefix: string): boolean {
  return line.subarray(0, prefix.length).toString("latin1") === prefix;
}

function after(line: Buffer, prefix: string): Buffer {
  return line.subarray(prefix.length);
}

const C_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  t: 9,
  n: 10,
  v: 11,
  f: 12,
  r: 13,
  '"': 0x22,
  "\\": 0x5c,
};

/** Reads a C-quoted name at the start of `text` (git's quoting); returns it and what follows. */
function unquote(text: Buffer): { name: string; rest: Buffer } {
  const out: number[] = [];
  let i = 1;
  while (i < text.length && text[i] !== 0x22) {
    const ch = text[i]!;
    if (ch !== 0x5c) {
      out.push(ch);
      i += 1;
      continue;
    }
    const next = String.fromCharCode(text[i + 1] ?? 0);
    if (next >= "0" && next <= "7") {
      out.push(Number.parseInt(text.subarray(i + 1, i + 4).toString("latin1"), 8));
      i += 4;
    } else {
      out.push(C_ESCAPES[next] ?? text[i + 1]!);
      i += 2;
    }
  }
  return { name: Buffer.from(out).toString("utf8"), rest: text.subarray(i + 1) };
}

/** A name on a `---`, `+++`, `rename from` line: quoted, or up to a trailing tab (git adds one after a name with a space). */
function readName(text: Buffer, strip: string | null): string | null {
  let name: string;
  if (text[0] === 0x22) name = unquote(text).name;
  else {
    let raw = text.toString("utf8");
    const tab = raw.indexOf("\t");
    if (tab >= 0) raw = raw.slice(0, tab);
    name = raw;
  }
  if (name === "/dev/null") return null;
  if (strip !== null) {
    if (!name.startsWith(strip)) throw new HunkModelError(`unexpected name in diff: ${name}`);
    name = name.slice(strip.length);
  }
  return name;
}

/** The two names of `diff --git a/X b/Y`: quoted, or the same name twice (git's rule when it cannot tell). */
function headerNames(text: Buffer): [string, string] {
  if (text[0] === 0x22) {
    const first = unquote(text);
    const rest = first.rest.subarray(1);
    const second =
      rest[0] === 0x22 ? unquote(rest).name : rest.toString("utf8").replace(/\t.*$/, "");
    return [first.name.slice(2), second.slice(2)];
  }
  const raw = text.toString("utf8");
  const quoted = raw.indexOf(' "b/');
  if (quoted >= 0) {
    return [
      raw.slice(2, quoted),
      unquote(text.subarray(Buffer.byteLength(raw.slice(0, quoted + 1)))).name.slice(2),
    ];
  }
  // "a/<name> b/<name>": both halves are equally long when the names are the same.
  const half = (raw.length - 1) / 2;
  return [raw.slice(2, half), raw.slice(half + 3)];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

interface RawFile {
  oldPath: string | null;
  newPath: string | null;
  oldMode: string | null;
  newMode: string | null;
  oldBlob: string;
  newBlob: string;
  renamed: boolean;
  hunks: { header: RegExpExecArray; section: Buffer; body: Line[]; kinds: string[] }[];
  binaryPatch: Buffer | null;
}

function parsePatches(lines: Buffer[]): RawFile[] {
  const files: RawFile[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!startsWith(line, "diff --git ")) {
      i += 1;
      continue;
    }
    const [a, b] = headerNames(after(line, "diff --git "));
    const file: RawFile = {
      oldPath: a,
      newPath: b,
      oldMode: null,
      newMode: null,
      oldBlob: ZERO_BLOB,
      newBlob: ZERO_BLOB,
      renamed: false,
      hunks: [],
      binaryPatch: null,
    };
    let mode: string | null = null;
    i += 1;
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      const text = l.toString("latin1");
      if (text.startsWith("old mode ")) file.oldMode = text.slice(9);
      else if (text.startsWith("new mode ")) file.newMode = text.slice(9);
      else if (text.startsWith("deleted file mode ")) {
        file.oldMode = text.slice(18);
        file.newPath = null;
      } else if (text.startsWith("new file mode ")) {
        file.newMode = text.slice(14);
        file.oldPath = null;
      } else if (text.startsWith("rename from ")) {
        file.oldPath = readName(after(l, "rename from "), null);
        file.renamed = true;
      } else if (text.startsWith("rename to ")) {
        file.newPath = readName(after(l, "rename to "), null);
        file.renamed = true;
      } else if (text.startsWith("index ")) {
        const m = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d{6}))?$/.exec(text);
        if (m) {
          file.oldBlob = m[1]!;
          file.newBlob = m[2]!;
          mode = m[3] ?? null;
        }
      } else if (
        text.startsWith("similarity index ") ||
        text.startsWith("dissimilarity index ") ||
        text.startsWith("copy from ") ||
        text.startsWith("copy to ")
      ) {
        // Copies need -C, which diffTreeArgs does not pass.
      } else break;
    }
    if (mode !== null) {
      file.oldMode ??= mode;
      file.newMode ??= mode;
    }
    if (file.oldPath === null) file.oldMode = null;
    if (file.newPath === null) file.newMode = null;
    if (file.oldPath !== null && file.newPath !== null) {
      file.oldMode ??= file.newMode;
      file.newMode ??= file.oldMode;
    }
    // ---/+++ lines, when present, name the files without ambiguity.
    while (i < lines.length && (startsWith(lines[i]!, "--- ") || startsWith(lines[i]!, "+++ "))) {
      const l = lines[i]!;
      if (startsWith(l, "--- ")) {
        const name = readName(after(l, "--- "), "a/");
        if (name !== null) file.oldPath = name;
      } else {
        const name = readName(after(l, "+++ "), "b/");
        if (name !== null) file.newPath = name;
      }
      i += 1;
    }
    if (i < lines.length && lines[i]!.toString("latin1") === "GIT binary patch") {
      const start = i;
      i += 1;
      // Two sections (forward and reverse), each ending with an empty line.
      let sections = 0;
      while (i < lines.length && sections < 2) {
        if (lines[i]!.length === 0) sections += 1;
        i += 1;
      }
      file.binaryPatch = Buffer.concat(
        lines.slice(start, i).flatMap((l) => [l, Buffer.from("\n")]),
      );
    } else if (i < lines.length && startsWith(lines[i]!, "Binary files ")) {
      throw new HunkModelError("binary change without --binary: pass diffTreeArgs");
    }
    while (i < lines.length && startsWith(lines[i]!, "@@ ")) {
      const headerText = lines[i]!.toString("latin1");
      const header = HUNK_HEADER.exec(headerText);
      if (!header) throw new HunkModelError(`bad hunk header: ${headerText}`);
      const section = lines[i]!.subarray(header[0].length);
      i += 1;
      const body: Line[] = [];
      const kinds: string[] = [];
      let oldLeft = header[2] === undefined ? 1 : Number(header[2]);
      let newLeft = header[4] === undefined ? 1 : Number(header[4]);
      while (i < lines.length && (oldLeft > 0 || newLeft > 0 || lines[i]![0] === 0x5c)) {
        const l = lines[i]!;
        const kind = l.length === 0 ? " " : String.fromCharCode(l[0]!);
        if (kind === "\\") {
          // "\ No newline at end of file": the previous line has no line feed.
          if (body.length > 0) body[body.length - 1]!.eol = false;
          i += 1;
          continue;
        }
        if (kind !== " " && kind !== "-" && kind !== "+") break;
        body.push({ text: l.subarray(1), eol: true });
        kinds.push(kind);
        if (kind !== "+") oldLeft -= 1;
        if (kind !== "-") newLeft -= 1;
        i += 1;
      }
      while (i < lines.length && lines[i]![0] === 0x5c) {
        if (body.length > 0) body[body.length - 1]!.eol = false;
        i += 1;
      }
      file.hunks.push({ header, section, body, kinds });
    }
    files.push(file);
  }
  return files;
}

function segmentsOf(body: Line[], kinds: string[]): Segment[] {
  const segments: Segment[] = [];
  let block: Block | null = null;
  body.forEach((line, j) => {
    const kind = kinds[j];
    if (kind === " ") {
      block = null;
      segments.push({ context: line });
      return;
    }
    if (block === null || (kind === "-" && block.added.length > 0)) {
      block = { removed: [], added: [], units: [] };
      segments.push({ block });
    }
    if (kind === "-") block.removed.push(line);
    else block.added.push(line);
  });
  return segments;
}

function isBlock(s: Segment): s is { block: Block } {
  return "block" in s;
}

/** Names the units of a text hunk: the hunk's id, or one per modified line (see ParseOptions.lines). */
function nameUnits(hunk: Hunk, hunkId: string, lines: boolean): string[] {
  const ids: string[] = [];
  let next = 1;
  for (const s of hunk.segments) {
    if (!isBlock(s)) continue;
    const b = s.block;
    const width = Math.max(b.removed.length, b.added.length);
    const atEndWithoutFeed = b.removed.some((l) => !l.eol) || b.added.some((l) => !l.eol);
    if (!lines) b.units = Array(width).fill(hunkId);
    else if (atEndWithoutFeed) {
      b.units = Array(width).fill(`${hunkId}.${next}`);
      next += 1;
    } else {
      b.units = Array.from({ length: width }, (_, p) => `${hunkId}.${next + p}`);
      next += width;
    }
    for (const u of b.units) if (ids.at(-1) !== u) ids.push(u);
  }
  return ids;
}

function toHunks(raw: RawFile): Hunk[] {
  return raw.hunks.map((h) => ({
    oldStart: Number(h.header[1]),
    oldCount: h.header[2] === undefined ? 1 : Number(h.header[2]),
    newStart: Number(h.header[3]),
    newCount: h.header[4] === undefined ? 1 : Number(h.header[4]),
    section: h.section,
    segments: segmentsOf(h.body, h.kinds),
  }));
}

function buildFile(raw: RawFile, index: number, options: ParseOptions): DiffFile {
  const hunks = toHunks(raw);
  const file: DiffFile = {
    oldPath: raw.oldPath,
    newPath: raw.newPath,
    oldMode: raw.oldMode,
    newMode: raw.newMode,
    oldBlob: raw.oldBlob,
    newBlob: raw.newBlob,
    typeChange: false,
    binary: raw.binaryPatch !== null,
    units: [],
    hunks,
    binaryPatch: raw.binaryPatch,
    parts: [],
  };
  const path = (raw.newPath ?? raw.oldPath)!;
  const unit = (suffix: string, kind: UnitKind, requires: string[] = []): Unit => ({
    id: `${path}#${suffix}`,
    kind,
    path,
    file: index,
    requires,
  });
  const whole = (suffix: string, kind: UnitKind, requires: string[] = []): void => {
    const u = unit(suffix, kind, requires);
    file.units.push(u);
    for (const h of hunks) {
      for (const s of h.segments) {
        if (isBlock(s)) {
          s.block.units = Array(Math.max(s.block.removed.length, s.block.added.length)).fill(u.id);
        }
      }
    }
  };
  if (raw.oldPath === null) whole("new", "new");
  else if (raw.newPath === null) whole("delete", "delete");
  else {
    const requires: string[] = [];
    if (raw.renamed) {
      const r = unit("rename", "rename");
      file.units.push(r);
      requires.push(r.id);
    }
    if (raw.oldMode !== raw.newMode) file.units.push(unit("mode", "mode", [...requires]));
    if (raw.binaryPatch !== null) whole("binary", "binary", [...requires]);
    else if (raw.newMode === "120000") whole("symlink", "symlink", [...requires]);
    else {
      hunks.forEach((h, n) => {
        const hunkId = `${path}#${n + 1}`;
        const kind: UnitKind = options.lines ? "lines" : "hunk";
        for (const id of nameUnits(h, hunkId, options.lines === true)) {
          const unit: Unit = { id, kind, path, file: index, requires: [...requires] };
          if (options.lines) unit.hunk = hunkId;
          file.units.push(unit);
        }
      });
    }
  }
  return file;
}

/** A delete and an add of the same path (a type change) become one file with one unit. */
function mergeTypeChanges(files: DiffFile[]): DiffFile[] {
  const outFiles: DiffFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const next = files[i + 1];
    if (f.newPath === null && next && next.oldPath === null && next.newPath === f.oldPath) {
      const index = outFiles.length;
      const path = f.oldPath!;
      const merged: DiffFile = {
        oldPath: path,
        newPath: path,
        oldMode: f.oldMode,
        newMode: next.newMode,
        oldBlob: f.oldBlob,
        newBlob: next.newBlob,
        typeChange: true,
        binary: f.binary || next.binary,
        units: [{ id: `${path}#type`, kind: "type", path, file: index, requires: [] }],
        hunks: [],
        binaryPatch: null,
        parts: [f, next],
      };
      outFiles.push(merged);
      i += 1;
      continue;
    }
    outFiles.push(f);
  }
  return outFiles;
}

function reindex(files: DiffFile[]): void {
  files.forEach((f, index) => {
    for (const u of f.units) u.file = index;
  });
}

/**
 * A path created where another path is removed needs that removal: the same path (a rename away
 * from it), a file where a folder was, a folder where a file was.
 */
function addFolderConflicts(files: DiffFile[]): void {
  const removers: { path: string; unit: string }[] = [];
  const creators: { path: string; unit: Unit }[] = [];
  for (const f of files) {
    if (f.typeChange) continue;
    const removal = f.units.find((u) => u.kind === "delete" || u.kind === "rename");
    if (removal && f.oldPath !== null) removers.push({ path: f.oldPath, unit: removal.id });
    const creation = f.units.find((u) => u.kind === "new" || u.kind === "rename");
    if (creation && f.newPath !== null) creators.push({ path: f.newPath, unit: creation });
  }
  for (const c of creators) {
    for (const r of removers) {
      if (r.unit === c.unit.id) continue;
      if (c.path === r.path || c.path.startsWith(`${r.path}/`) || r.path.startsWith(`${c.path}/`)) {
        if (!c.unit.requires.includes(r.unit)) c.unit.requires.push(r.unit);
      }
    }
  }
}

/** One line of `--raw` output: modes and blobs, which a patch leaves out for a rename alone. */
interface RawEntry {
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  oldPath: string;
  newPath: string;
}

// Object ids are 40 hex digits, or 64 in a SHA-256 repository.
const RAW_LINE = /^:(\d{6}) (\d{6}) ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) [A-Z]\d*\t/;

function parseRawLines(lines: Buffer[]): RawEntry[] {
  const entries: RawEntry[] = [];
  for (const line of lines) {
    if (startsWith(line, "diff --git ")) break;
    const m = RAW_LINE.exec(line.toString("latin1"));
    if (!m) continue;
    // Names are tab-separated; a name holding a tab comes quoted, so splitting is safe.
    const names = line.subarray(m[0].length);
    const tab = names[0] === 0x22 ? unquote(names).rest : names.subarray(names.indexOf(0x09));
    const oldPath = readName(names, null)!;
    const newPath = tab.length > 1 ? readName(tab.subarray(1), null)! : oldPath;
    entries.push({
      oldMode: m[1]!,
      newMode: m[2]!,
      oldBlob: m[3]!,
      newBlob: m[4]!,
      oldPath,
      newPath,
    });
  }
  return entries;
}

/** Fills the modes and blobs a patch section leaves out from the `--raw` lines. */
function fillFromRaw(file: RawFile, raw: RawEntry[]): void {
  const entry = raw.find(
    (e) =>
      e.oldPath === (file.oldPath ?? file.newPath) && e.newPath === (file.newPath ?? file.oldPath),
  );
  if (!entry) return;
  if (file.oldPath !== null) {
    file.oldMode ??= entry.oldMode;
    if (/^0+$/.test(file.oldBlob)) file.oldBlob = entry.oldBlob;
  }
  if (file.newPath !== null) {
    file.newMode ??= entry.newMode;
    if (/^0+$/.test(file.newBlob)) file.newBlob = entry.newBlob;
  }
}

/**
 * Parses the output of `git diff-tree` run with `diffTreeArgs` into files and units (pure).
 * Submodule changes (mode 160000) are left out: they are never the user's hunks to isolate.
 */
export function parseDiff(diff: Uint8Array | string, options: ParseOptions = {}): Diff {
  const bytes = typeof diff === "string" ? Buffer.from(diff, "utf8") : Buffer.from(diff);
  const lines = splitLines(bytes);
  const rawEntries = parseRawLines(lines);
  const raws = parsePatches(lines);
  for (const r of raws) fillFromRaw(r, rawEntries);
  const kept = raws.filter((r) => r.oldMode !== "160000" && r.newMode !== "160000");
  const built = kept.map((r, i) => buildFile(r, i, options));
  const files = mergeTypeChanges(built);
  reindex(files);
  addFolderConflicts(files);
  return { files, units: files.flatMap((f) => f.units) };
}

/** The lines of `bytes`, each with whether it ends with a line feed. */
function toLines(bytes: Buffer): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF) {
      out.push({ text: bytes.subarray(start, i), eol: true });
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push({ text: bytes.subarray(start), eol: false });
  return out;
}

function fromLines(lines: Line[]): Buffer {
  const parts: Buffer[] = [];
  for (const l of lines) {
    parts.push(l.text);
    if (l.eol) parts.push(Buffer.from([LF]));
  }
  return Buffer.concat(parts);
}

function sameLine(a: Line, b: Line): boolean {
  return a.eol === b.eol && a.text.equals(b.text);
}

type Op = { kind: " " | "-" | "+"; line: Line };

/** The lines of a hunk with only `applied` units applied, as patch operations (pure). */
function hunkOps(hunk: Hunk, applied: ReadonlySet<string>): Op[] {
  const ops: Op[] = [];
  for (const s of hunk.segments) {
    if (!isBlock(s)) {
      ops.push({ kind: " ", line: s.context });
      continue;
    }
    const b = s.block;
    const width = Math.max(b.removed.length, b.added.length);
    // Applied positions become "-old +new" pairs, the others stay as context, in order, so the
    // patch and the contents agree for any subset (see ParseOptions.lines).
    let pending: Op[] = [];
    const flush = (): void => {
      ops.push(...pending.filter((o) => o.kind === "-"), ...pending.filter((o) => o.kind === "+"));
      pending = [];
    };
    for (let p = 0; p < width; p++) {
      const on = applied.has(b.units[p]!);
      const old = b.removed[p];
      const neu = b.added[p];
      if (on) {
        if (old) pending.push({ kind: "-", line: old });
        if (neu) pending.push({ kind: "+", line: neu });
      } else {
        flush();
        if (old) ops.push({ kind: " ", line: old });
      }
    }
    flush();
  }
  return ops;
}

/** Where a hunk starts in the baseline's lines (0-based). */
function hunkStart(hunk: Hunk): number {
  return hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
}

function applyHunks(
  base: Buffer,
  hunks: Hunk[],
  applied: ReadonlySet<string>,
  what: string,
): Buffer {
  const lines = toLines(base);
  const out: Line[] = [];
  let at = 0;
  for (const hunk of hunks) {
    const start = hunkStart(hunk);
    if (start < at || start > lines.length) {
      throw new HunkModelError(`hunk at line ${hunk.oldStart} does not fit ${what}`);
    }
    out.push(...lines.slice(at, start));
    at = start;
    for (const op of hunkOps(hunk, applied)) {
      if (op.kind !== "+") {
        const baseLine = lines[at];
        if (!baseLine || !sameLine(baseLine, op.line)) {
          throw new HunkModelError(
            `the baseline's ${what} differs from the diff at line ${at + 1}`,
          );
        }
        at += 1;
      }
      if (op.kind !== "-") out.push(op.line);
    }
  }
  out.push(...lines.slice(at));
  return fromLines(out);
}

const BASE85 =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
const BASE85_VALUE = new Map([...BASE85].map((c, i) => [c, i]));

/** Decodes one section of a `GIT binary patch` (git's base85 lines of zlib data). */
function decodeBinarySection(lines: string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const line of lines) {
    const c = line.charCodeAt(0);
    const size = c <= 90 ? c - 64 : c - 96 + 26;
    const out = Buffer.alloc(Math.ceil(size / 4) * 4);
    for (let g = 0; (g + 1) * 5 <= line.length - 1; g++) {
      let value = 0;
      for (let k = 0; k < 5; k++) value = value * 85 + BASE85_VALUE.get(line[1 + g * 5 + k]!)!;
      out.writeUInt32BE(value >>> 0, g * 4);
    }
    chunks.push(out.subarray(0, size));
  }
  return inflateSync(Buffer.concat(chunks));
}

/** Applies a git delta (https://git-scm.com/docs/pack-format#_deltified_representation). */
function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let i = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[i++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const sourceSize = varint();
  if (sourceSize !== base.length) throw new HunkModelError("binary delta for another baseline");
  const out = Buffer.alloc(varint());
  let at = 0;
  while (i < delta.length) {
    const op = delta[i++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let b = 0; b < 4; b++) if (op & (1 << b)) offset += delta[i++]! * 2 ** (8 * b);
      for (let b = 0; b < 3; b++) if (op & (1 << (4 + b))) size += delta[i++]! * 2 ** (8 * b);
      if (size === 0) size = 0x10000;
      base.copy(out, at, offset, offset + size);
      at += size;
    } else if (op > 0) {
      delta.copy(out, at, i, i + op);
      at += op;
      i += op;
    } else throw new HunkModelError("bad binary delta");
  }
  return out;
}

/** The user's bytes of a binary file, from its forward binary patch and the baseline's bytes. */
function binaryResult(patch: Buffer, base: Buffer): Buffer {
  const lines = patch.toString("latin1").split("\n");
  const head = lines[1] ?? "";
  const data: string[] = [];
  for (let j = 2; j < lines.length && lines[j] !== ""; j++) data.push(lines[j]!);
  const decoded = decodeBinarySection(data);
  if (head.startsWith("literal ")) return decoded;
  if (head.startsWith("delta ")) return applyDelta(base, decoded);
  throw new HunkModelError(`bad binary patch: ${head}`);
}

function contentsOf(file: DiffFile, base: Buffer, applied: ReadonlySet<string>): Buffer {
  if (file.binaryPatch !== null) {
    return file.units.some((u) => u.kind !== "mode" && u.kind !== "rename" && applied.has(u.id))
      ? binaryResult(file.binaryPatch, base)
      : base;
  }
  return applyHunks(base, file.hunks, applied, file.oldPath ?? file.newPath ?? "file");
}

function needBase(file: DiffFile, base: Uint8Array | null): Buffer {
  if (base === null) {
    throw new HunkModelError(`the baseline's bytes of ${file.oldPath} are needed`);
  }
  return Buffer.from(base);
}

/**
 * What the file's paths hold at the baseline with `applied` units of it applied (pure): one state
 * per path it touches (two for a rename). `baseline` is the baseline's blob of `oldPath` (null
 * for a new file); the bytes are exact (line endings, missing final line feed, encoding).
 */
export function configureFile(
  file: DiffFile,
  baseline: Uint8Array | null,
  applied: ReadonlySet<string>,
): PathState[] {
  const on = (kind: UnitKind) => file.units.some((u) => u.kind === kind && applied.has(u.id));
  if (file.typeChange) {
    if (on("type")) {
      const created = file.parts[1]!;
      return [
        {
          path: created.newPath!,
          mode: created.newMode,
          bytes: contentsOf(created, Buffer.alloc(0), new Set(created.units.map((u) => u.id))),
        },
      ];
    }
    return [{ path: file.oldPath!, mode: file.oldMode, bytes: needBase(file, baseline) }];
  }
  if (file.oldPath === null) {
    return on("new")
      ? [
          {
            path: file.newPath!,
            mode: file.newMode,
            bytes: contentsOf(file, Buffer.alloc(0), applied),
          },
        ]
      : [{ path: file.newPath!, mode: null, bytes: null }];
  }
  const base = needBase(file, baseline);
  if (file.newPath === null) {
    return on("delete")
      ? [{ path: file.oldPath, mode: null, bytes: null }]
      : [{ path: file.oldPath, mode: file.oldMode, bytes: base }];
  }
  const bytes = contentsOf(file, base, applied);
  const mode = on("mode") ? file.newMode : file.oldMode;
  if (file.oldPath === file.newPath) return [{ path: file.newPath, mode, bytes }];
  // A renamed file's other units require the rename; without it they apply at the old path.
  return on("rename")
    ? [
        { path: file.oldPath, mode: null, bytes: null },
        { path: file.newPath, mode, bytes },
      ]
    : [
        { path: file.oldPath, mode, bytes },
        { path: file.newPath, mode: null, bytes: null },
      ];
}

function quotePath(path: string): string {
  if (!/[\u0000-\u0020"\\\u007f-\uffff]/.test(path)) return path;
  let out = '"';
  for (const byte of Buffer.from(path, "utf8")) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte === 0x0a) out += "\\n";
    else if (byte === 0x09) out += "\\t";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

function named(prefix: string, path: string): string {
  const q = quotePath(path);
  return q.startsWith('"') ? `"${prefix}${q.slice(1)}` : `${prefix}${q}`;
}

function hunkText(hunk: Hunk, ops: Op[], newStart: number): Buffer {
  const oldCount = ops.filter((o) => o.kind !== "+").length;
  const newCount = ops.filter((o) => o.kind !== "-").length;
  const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
  // Unapplied removals stay as context, so the old side is the original hunk's.
  const oldStart = hunk.oldStart;
  const parts: Buffer[] = [
    Buffer.from(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`),
    hunk.section,
    Buffer.from("\n"),
  ];
  for (const op of ops) {
    parts.push(Buffer.from(op.kind), op.line.text, Buffer.from("\n"));
    if (!op.line.eol) parts.push(Buffer.from("\\ No newline at end of file\n"));
  }
  return Buffer.concat(parts);
}

function hunksText(file: DiffFile, applied: ReadonlySet<string>): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (const hunk of file.hunks) {
    const ops = hunkOps(hunk, applied);
    const oldCount = ops.filter((o) => o.kind !== "+").length;
    const newCount = ops.filter((o) => o.kind !== "-").length;
    if (ops.every((o) => o.kind === " ")) continue;
    const start = hunkStart(hunk) + offset;
    parts.push(hunkText(hunk, ops, newCount === 0 ? start : start + 1));
    offset += newCount - oldCount;
  }
  return Buffer.concat(parts);
}

function filePatch(file: DiffFile, applied: ReadonlySet<string>): Buffer {
  const ids = file.units.filter((u) => applied.has(u.id));
  if (ids.length === 0) return Buffer.alloc(0);
  if (file.typeChange) {
    const [gone, created] = file.parts;
    return Buffer.concat([
      filePatch(gone!, new Set(gone!.units.map((u) => u.id))),
      filePatch(created!, new Set(created!.units.map((u) => u.id))),
    ]);
  }
  const on = (kind: UnitKind) => ids.some((u) => u.kind === kind);
  const renamed = on("rename");
  const from = file.oldPath ?? file.newPath!;
  const to = file.newPath === null ? from : renamed ? file.newPath : from;
  const head: string[] = [`diff --git ${named("a/", from)} ${named("b/", to)}`];
  if (file.oldPath === null) head.push(`new file mode ${file.newMode}`);
  else if (file.newPath === null) head.push(`deleted file mode ${file.oldMode}`);
  else {
    if (on("mode")) head.push(`old mode ${file.oldMode}`, `new mode ${file.newMode}`);
    if (renamed)
      head.push(`rename from ${quotePath(file.oldPath)}`, `rename to ${quotePath(file.newPath)}`);
  }
  // git apply checks a binary patch against the blob ids of its index line
  // (https://git-scm.com/docs/git-apply#_description); a text patch needs none.
  const content = on("binary") || on("new") || on("delete");
  if (file.binaryPatch !== null && content) head.push(`index ${file.oldBlob}..${file.newBlob}`);
  const body =
    file.binaryPatch !== null
      ? content
        ? file.binaryPatch
        : Buffer.alloc(0)
      : hunksText(file, applied);
  const parts: Buffer[] = [Buffer.from(`${head.join("\n")}\n`)];
  if (body.length > 0 && file.binaryPatch === null) {
    parts.push(
      Buffer.from(
        `--- ${file.oldPath === null ? "/dev/null" : named("a/", from)}\n+++ ${file.newPath === null ? "/dev/null" : named("b/", to)}\n`,
      ),
    );
  }
  parts.push(body);
  return Buffer.concat(parts);
}

/**
 * A patch that `git apply` accepts on the baseline and that applies exactly the `applied` units
 * (pure). Units of a file whose requirements are missing apply as `configureFile` says.
 */
export function patchFor(diff: Diff, applied: ReadonlySet<string>): Buffer {
  return Buffer.concat(diff.files.map((f) => filePatch(f, applied)));
}

function countLines(hunks: Hunk[]): number {
  let n = 0;
  for (const h of hunks) for (const s of h.segments) if (isBlock(s)) n += s.block.added.length;
  return n;
}

/**
 * The lines of a unit in the user's version of its file (pure): the added lines of a hunk or a
 * line unit (for a pure removal, the line that now follows it), 1 to the last line of a new
 * file, the baseline's lines of a deleted one, line 1 for a rename, mode, binary or type change.
 */
export function locateUnit(diff: Diff, id: string): UnitLocation {
  const unit = diff.units.find((u) => u.id === id);
  if (!unit) throw new HunkModelError(`no unit ${id}`);
  const file = diff.files[unit.file]!;
  if (unit.kind === "new" || unit.kind === "delete") {
    const lines =
      unit.kind === "new" ? countLines(file.hunks) : file.hunks.reduce((n, h) => n + h.oldCount, 0);
    return { path: unit.path, startLine: 1, endLine: Math.max(1, lines) };
  }
  if (unit.kind !== "hunk" && unit.kind !== "lines") {
    return { path: unit.path, startLine: 1, endLine: 1 };
  }
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let removalAt = 0;
  for (const hunk of file.hunks) {
    let line = hunk.newCount === 0 ? hunk.newStart + 1 : hunk.newStart;
    for (const s of hunk.segments) {
      if (!isBlock(s)) {
        line += 1;
        continue;
      }
      const b = s.block;
      const width = Math.max(b.removed.length, b.added.length);
      for (let p = 0; p < width; p++) {
        if (b.units[p] !== id) continue;
        if (p < b.added.length) {
          first = Math.min(first, line + p);
          last = Math.max(last, line + p);
        } else if (removalAt === 0) removalAt = line + b.added.length;
      }
      line += b.added.length;
    }
  }
  if (last === 0) {
    const at = Math.max(1, removalAt);
    return { path: unit.path, startLine: at, endLine: at };
  }
  return { path: unit.path, startLine: first, endLine: last };
}

/** The text of the lines a unit adds and removes (UTF-8; none for a binary, mode or rename unit) (pure). */
const textsOf = new WeakMap<Diff, ReadonlyMap<string, { added: string[]; removed: string[] }>>();

/**
 * unitText of every unit, by id, computed once a diff: the hints read them, and so does every
 * diagnosis of a "?" (src/isolate/diagnose.ts).
 */
export function unitTexts(diff: Diff): ReadonlyMap<string, { added: string[]; removed: string[] }> {
  let texts = textsOf.get(diff);
  if (!texts) {
    texts = new Map(diff.units.map((u) => [u.id, unitText(diff, u.id)]));
    textsOf.set(diff, texts);
  }
  return texts;
}

export function unitText(diff: Diff, id: string): { added: string[]; removed: string[] } {
  const unit = diff.units.find((u) => u.id === id);
  if (!unit) throw new HunkModelError(`no unit ${id}`);
  const file = diff.files[unit.file]!;
  const added: string[] = [];
  const removed: string[] = [];
  const files = file.typeChange ? file.parts : [file];
  for (const f of files) {
    for (const hunk of f.hunks) {
      for (const s of hunk.segments) {
        if (!isBlock(s)) continue;
        s.block.units.forEach((u, p) => {
          if (u !== id && !file.typeChange) return;
          const old = s.block.removed[p];
          const neu = s.block.added[p];
          if (old) removed.push(old.text.toString("utf8"));
          if (neu) added.push(neu.text.toString("utf8"));
        });
      }
    }
  }
  return { added, removed };
}
