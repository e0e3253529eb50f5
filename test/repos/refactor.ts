import { createRepo, type TestRepo } from "./harness.js";

/*
 * A refactor caught half-way, as `culprit isolate` meets it: `computeTotal` renamed to
 * `sumItems` in lib and in its three callers, small edits around, and one bug (invoice's tax
 * multiplied by 1.0000001) a few lines from a renamed call, in the same hunk. The suite is
 * node --test: `invoice tax` fails with an AssertionError on the user's tree. A configuration
 * that renames the definition but not every caller breaks the tests otherwise: a caller calls a
 * name that no longer exists (ESM: the import fails to link, or a ReferenceError; CommonJS:
 * `lib.computeTotal is not a function`, a TypeError).
 */

export type RefactorStyle = "esm" | "cjs";

const callers = ["cart", "checkout", "invoice"];

function lib(style: RefactorStyle, name: string, comment: string): string {
  const exported = (fn: string, params: string, body: string) =>
    style === "esm"
      ? `export function ${fn}(${params}) {\n  ${body}\n}\n`
      : `exports.${fn} = (${params}) => {\n  ${body}\n};\n`;
  return [
    exported(name, "items", "return items.reduce((s, i) => s + i.price * i.qty, 0);"),
    exported("formatPrice", "p", "return `$${p.toFixed(2)}`;"),
    exported("taxOf", "amount", `return amount * 0.2;${comment}`),
  ].join("\n");
}

function caller(style: RefactorStyle, file: string, name: string, bug: boolean, edit: boolean) {
  const call = style === "esm" ? `${name}(items)` : `lib.${name}(items)`;
  const head =
    style === "esm"
      ? `import { ${name}, formatPrice, taxOf } from "./lib.mjs";\n`
      : `const lib = require("./lib.cjs");\nconst { formatPrice, taxOf } = lib;\n`;
  const out = style === "esm" ? "export function" : "exports.";
  const fn = (n: string, body: string) =>
    style === "esm"
      ? `${out} ${file}${n}(items) {\n${body}\n}\n`
      : `exports.${file}${n} = (items) => {\n${body}\n};\n`;
  return [
    head,
    fn("Summary", `  const total = ${call};\n  return formatPrice(total);`),
    fn("Tax", `  const total = ${call};\n  return taxOf(total)${bug ? " * 1.0000001" : ""};`),
    fn("Count", `  return items.length${edit ? " + 0" : ""};`),
  ].join("\n");
}

const testFile = (style: RefactorStyle) => {
  const ext = style === "esm" ? "mjs" : "cjs";
  const load =
    style === "esm"
      ? [
          'import { test } from "node:test";',
          'import assert from "node:assert";',
          ...callers.map((c) => `import * as ${c} from "../src/${c}.${ext}";`),
        ]
      : [
          'const { test } = require("node:test");',
          'const assert = require("node:assert");',
          ...callers.map((c) => `const ${c} = require("../src/${c}.${ext}");`),
        ];
  return [
    ...load,
    "const items = [{ price: 2, qty: 3 }, { price: 1.5, qty: 2 }];",
    ...callers.flatMap((c) => [
      `test("${c} summary", () => assert.strictEqual(${c}.${c}Summary(items), "$9.00"));`,
      `test("${c} tax", () => assert.strictEqual(${c}.${c}Tax(items), 1.8));`,
      `test("${c} count", () => assert.strictEqual(${c}.${c}Count(items), 2));`,
    ]),
    "",
  ].join("\n");
};

/** The repository, the refactor uncommitted. The suite: `node --test test/`. */
export function refactorRepo(style: RefactorStyle): TestRepo {
  const repo = createRepo();
  const ext = style === "esm" ? "mjs" : "cjs";
  const write = (renamed: boolean) => {
    const name = renamed ? "sumItems" : "computeTotal";
    repo.write(`src/lib.${ext}`, lib(style, name, renamed ? " // flat rate" : ""));
    for (const c of callers)
      repo.write(
        `src/${c}.${ext}`,
        caller(style, c, name, renamed && c === "invoice", renamed && c === "cart"),
      );
  };
  write(false);
  repo.write(`test/all.test.${ext}`, testFile(style));
  repo.commit("baseline");
  write(true);
  return repo;
}

/** Where the bug is in the user's tree: the line of `invoiceTax`'s return. */
export const refactorBug = { esm: "src/invoice.mjs", cjs: "src/invoice.cjs" } as const;

export const refactorCommand = ["node", "--test", "test/"];
