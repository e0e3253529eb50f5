import { createRepo, type TestRepo } from "./harness.js";

/**
 * Fixture repositories for the selective revert: a new, untracked test that the stash baseline
 * cannot run (the file does not exist at HEAD), importing source files the user changed.
 */

const price = (body: string) =>
  `export function total(items) {\n  return items.reduce((sum, item) => ${body}, 0);\n}\n`;
const goodPrice = price("sum + item.price * item.qty");
const buggyPrice = price("sum + item.price /* refactor: forgot the quantity */");

const newTest = `import test from "node:test";
import assert from "node:assert/strict";
import { total } from "../src/price.mjs";

test("total counts quantities", () => {
  assert.equal(total([{ price: 100, qty: 3 }, { price: 50, qty: 6 }]), 600);
});
`;

/** The command of the new test (argv, no shell). */
export const newTestCommand = ["node", "--test", "test/new.test.mjs"];

/** HEAD: src/price.mjs (correct) and src/util.mjs; no test/new.test.mjs yet. */
function committedProject(): TestRepo {
  const repo = createRepo();
  repo.write("src/price.mjs", goodPrice);
  repo.write("src/util.mjs", "export const currency = 'EUR';\n");
  repo.write("README.md", "# shop\n");
  repo.write(".gitignore", "*.log\n");
  repo.commit("initial");
  return repo;
}

/**
 * The bug is in src/price.mjs (uncommitted), the new test is untracked: at the stash baseline
 * the test file does not exist, so `node --test` cannot run it.
 */
export function newTestRepo(): TestRepo {
  const repo = committedProject();
  repo.write("src/price.mjs", buggyPrice);
  repo.write("test/new.test.mjs", newTest);
  return repo;
}

/** As `newTestRepo`, with an innocent edit in src/util.mjs beside the bug. */
export function newTestWithInnocentEditRepo(): TestRepo {
  const repo = newTestRepo();
  repo.write("src/util.mjs", "export const currency = 'USD';\n");
  return repo;
}

/**
 * Two changed source files: src/price.mjs has the bug, src/format.mjs gains the `fmt` export the
 * new test imports. Reverting both leaves the test unable to import `fmt` (cannot run), and so
 * does reverting src/format.mjs alone; reverting src/price.mjs alone runs and finds the bug.
 */
export function narrowingRepo(): TestRepo {
  const repo = createRepo();
  repo.write("src/price.mjs", goodPrice);
  repo.write("src/format.mjs", "export const currency = 'EUR';\n");
  repo.commit("initial");
  repo.write("src/price.mjs", buggyPrice);
  repo.write(
    "src/format.mjs",
    "export const currency = 'EUR';\nexport function fmt(cents) {\n  return (cents / 100).toFixed(2) + ' ' + currency;\n}\n",
  );
  repo.write(
    "test/new.test.mjs",
    `import test from "node:test";
import assert from "node:assert/strict";
import { fmt } from "../src/format.mjs";
import { total } from "../src/price.mjs";

test("the total, formatted", () => {
  assert.equal(fmt(total([{ price: 100, qty: 3 }, { price: 50, qty: 6 }])), "6.00 EUR");
});
`,
  );
  return repo;
}

/**
 * The new test imports a module that is itself new (untracked): no baseline can run it, neither
 * HEAD nor the tree with that module reverted (i.e. removed).
 */
export function neverRunnableRepo(): TestRepo {
  const repo = committedProject();
  repo.write("src/discount.mjs", "export const discount = (x) => x * 0.8 + 1;\n");
  repo.write(
    "test/new.test.mjs",
    `import test from "node:test";
import assert from "node:assert/strict";
import { discount } from "../src/discount.mjs";

test("20% off", () => {
  assert.equal(discount(100), 80);
});
`,
  );
  return repo;
}

/** Only the new test changed (it fails against the committed code): nothing to revert. */
export function onlyTestChangedRepo(): TestRepo {
  const repo = committedProject();
  repo.write("src/price.mjs", buggyPrice);
  repo.commit("the bug is committed");
  repo.write("test/new.test.mjs", newTest);
  return repo;
}

/** The same layout as the README's "Done when": CommonJS, `node --test test/new.test.js`. */
export function doneWhenRepo(): TestRepo {
  const repo = createRepo();
  repo.write(
    "src/cart.js",
    "exports.subtotal = (lines) => lines.reduce((sum, l) => sum + l.price * l.qty, 0);\n",
  );
  repo.write("README.md", "# cart\n");
  repo.commit("initial");
  repo.write(
    "src/cart.js",
    "// faster\nexports.subtotal = (lines) => lines.reduce((sum, l) => sum + l.price, 0);\n",
  );
  repo.write(
    "test/new.test.js",
    `const test = require("node:test");
const assert = require("node:assert/strict");
const { subtotal } = require("../src/cart.js");

test("subtotal multiplies by quantity", () => {
  assert.equal(subtotal([{ price: 5, qty: 2 }]), 10);
});
`,
  );
  return repo;
}

/**
 * `newTestRepo`, plus a tracked file `config` replaced by a folder holding an ignored log:
 * reverting `config` would delete the ignored file, so no suspect set with `config` is entered.
 */
export function ignoredInTheWayRepo(): TestRepo {
  const repo = committedProject();
  repo.write("config", "one config file\n");
  repo.commit("config file");
  repo.remove("config");
  repo.write("config/base.json", "{}\n");
  repo.write("config/debug.log", "ignored (*.log), inside the new folder\n");
  repo.write("src/price.mjs", buggyPrice);
  repo.write("test/new.test.mjs", newTest);
  return repo;
}

/**
 * The new check is `check.mjs` at the top, a name no keep glob knows: it is a suspect itself, so
 * reverting every suspect gives HEAD's tree again (the stash baseline, which could not run).
 */
export function unusualTestNameRepo(): TestRepo {
  const repo = committedProject();
  repo.write("src/price.mjs", buggyPrice);
  repo.write(
    "check.mjs",
    'import { total } from "./src/price.mjs";\nprocess.exit(total([{ price: 2, qty: 3 }]) === 6 ? 0 : 1);\n',
  );
  return repo;
}

const newHelper = "export const line = (price, qty) => ({ price, qty });\n";

const testWithHelper = `import test from "node:test";
import assert from "node:assert/strict";
import { line } from "../src/helper.mjs";
import { total } from "../src/price.mjs";

test("total counts quantities", () => {
  assert.equal(total([line(100, 3), line(50, 6)]), 600);
});
`;

/**
 * The bug in src/price.mjs, a new helper src/helper.mjs the new test imports (reverting it, an
 * untracked file, takes it away: the test cannot load), and an untracked notes.txt that nothing
 * reads. The suspects: src/helper.mjs, src/price.mjs and notes.txt. Reverting all of them, or
 * src/, cannot run; reverting notes.txt alone still fails (it is not the cause); reverting
 * src/price.mjs passes.
 */
export function helperAndNotesRepo(): TestRepo {
  const repo = committedProject();
  repo.write("src/price.mjs", buggyPrice);
  repo.write("src/helper.mjs", newHelper);
  repo.write("notes.txt", "todo: make total faster\n");
  repo.write("test/new.test.mjs", testWithHelper);
  return repo;
}

/**
 * As `helperAndNotesRepo`, but the bug is in the new helper itself (no other source change): no
 * revert that takes the bug away can run the test, and reverting notes.txt still fails.
 */
export function bugInNewHelperRepo(): TestRepo {
  const repo = committedProject();
  repo.write("src/helper.mjs", "export const line = (price, qty) => ({ price, qty: 1 });\n");
  repo.write("notes.txt", "todo: make total faster\n");
  repo.write("test/new.test.mjs", testWithHelper);
  return repo;
}
