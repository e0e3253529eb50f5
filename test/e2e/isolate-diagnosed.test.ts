import { expect, test } from "vitest";
import { captureState, createRepo, runCulpritAsync } from "../repos/harness.js";
import { expectIsolateUntouched, parseIsolateJson } from "../repos/isolate.js";

/*
 * A configuration that cannot run, and says what it misses (src/isolate/diagnose.ts), with the
 * real node --test. The page now slugs its titles with a new helper, a key of text.js's object
 * literal (no definition src/isolate/hints.ts reads), and the test expected the upper-case
 * title: the page's hunk is guilty, text.js's new key needed to run. The page without the key
 * fails otherwise (`TypeError: text.slugify is not a function`): the search reads the name, and
 * judges the same configuration again with the key. Before, it took that "?" as "not failing" and
 * went on to larger configurations.
 */

const filler = (name: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `// ${name} line ${from + i}\n`).join("");

function shop() {
  const repo = createRepo();
  const text = (edits: { top?: string; key?: string }) =>
    `${edits.top ?? "// text helpers"}\n${filler("text", 2, 14)}module.exports = {\n  upper: (s) => s.toUpperCase(),\n${edits.key ?? ""}};\n`;
  const money = (edits: { top?: string; end?: string }) =>
    `${edits.top ?? "// money helpers"}\n${filler("money", 2, 14)}module.exports = {\n  price: (cents) => "$" + (cents / 100).toFixed(2),\n};\n${edits.end ?? ""}`;
  const page = (edits: { top?: string; title?: string }) =>
    `${edits.top ?? "// the page"}\nconst text = require("./text.js");\nconst money = require("./money.js");\n${filler("page", 4, 16)}function render(item) {\n  return ${edits.title ?? "text.upper(item.name)"} + " " + money.price(item.cents);\n}\nmodule.exports = { render };\n`;
  repo.write("src/text.js", text({}));
  repo.write("src/money.js", money({}));
  repo.write("src/page.js", page({}));
  repo.write("README.md", `# shop\n${filler("readme", 2, 14).replace(/\/\/ /g, "")}the end\n`);
  repo.write(
    "test/page.test.js",
    [
      'const assert = require("node:assert");',
      'const { test } = require("node:test");',
      'const { render } = require("../src/page.js");',
      'test("renders an item", () => {',
      '  assert.strictEqual(render({ name: "Blue Hat", cents: 1999 }), "BLUE HAT $19.99");',
      "});",
      "",
    ].join("\n"),
  );
  repo.commit("a shop");
  // Seven hunks in four files: the page's two, text.js's two, money.js's two, the README's one.
  repo.write(
    "src/text.js",
    text({
      top: "// text helpers, now with slugs",
      key: '  slugify: (s) => s.toLowerCase().replace(/ /g, "-"),\n',
    }),
  );
  repo.write("src/money.js", money({ top: "// money helpers (cents)", end: "// end of money\n" }));
  repo.write(
    "src/page.js",
    page({ top: "// the page, with slugs", title: "text.slugify(item.name)" }),
  );
  repo.write(
    "README.md",
    `# shop, with slugs\n${filler("readme", 2, 14).replace(/\/\/ /g, "")}the end\n`,
  );
  return repo;
}

type Hunk = { file: string; startLine: number; endLine: number };
type Doc = {
  verdict: string;
  hunks: Hunk[];
  needed: Hunk[];
  configurations: {
    units: string[];
    judgement: string;
    missed?: string[];
    runs: { judged: string; otherFailure?: string }[];
  }[];
};

test("the page without the helper it calls names it: judged again with it, the page blamed, the helper needed", async () => {
  const repo = shop();
  try {
    const before = captureState(repo);
    const result = await runCulpritAsync(repo, [
      "isolate",
      "--json",
      "--",
      "node",
      "--test",
      "test/page.test.js",
    ]);
    const doc = parseIsolateJson<Doc>(result);
    expectIsolateUntouched(repo, before);
    expect(doc.verdict, result.stderr).toBe("isolated");
    expect(result.status).toBe(0);
    expect(doc.hunks.map((h) => [h.file, h.startLine])).toEqual([["src/page.js", 18]]);
    expect(doc.needed.map((h) => [h.file, h.startLine])).toEqual([["src/text.js", 17]]);
    // A configuration with the page's call and without the key could not run (a TypeError where
    // your tree fails an assertion); the next one is the same with the key.
    const call = "src/page.js#2";
    const key = "src/text.js#2";
    const configs = doc.configurations;
    const missed = configs.findIndex(
      (c) => c.judgement === "cannot-run" && c.units.includes(call) && !c.units.includes(key),
    );
    expect(
      missed,
      JSON.stringify(configs.map((c) => [c.units, c.judgement])),
    ).toBeGreaterThanOrEqual(0);
    expect(configs[missed]!.runs.map((r) => r.otherFailure)).toEqual(["TypeError"]);
    expect(configs[missed]!.missed).toEqual(["slugify"]);
    expect(configs[missed + 1]?.units.sort()).toEqual([...configs[missed]!.units, key].sort());
    expect(configs[missed + 1]?.judgement).toBe("fail");
    // 10 configurations, 2 of them "?", where the search without the diagnosis took 13, 4 "?".
    console.log(`${configs.length} configurations`);
  } finally {
    repo.cleanup();
  }
}, 120_000);
