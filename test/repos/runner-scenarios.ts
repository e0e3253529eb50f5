import { homedir } from "node:os";
import { join } from "node:path";
import { createRepo, type TestRepo } from "./harness.js";
import { mavenRepository, worktreeModules } from "./runner-projects.js";

/**
 * The everyday case of issue 9, for each real runner: a project whose suite has one test that
 * already failed at HEAD (`formats money`: no thousands separator) and one the uncommitted edit
 * breaks (`adds`), and a new test file, with a new helper, whose baseline cannot run it.
 */
export interface RunnerKit {
  /** The runner, as runnerMissing() knows it. */
  runner: string;
  /** The command a user types, for the whole suite and for one test file. */
  suite: string[];
  oneFile: string[];
  /**
   * The suite started by its bin in node_modules/.bin, where `suite` goes through npx: npx reads
   * the whole node_modules tree before it starts the runner, about 0.6 s of CPU a run here. The
   * matrix's cases after the first two use it (they are about what culprit does, not about the
   * launcher, which the first two cover).
   */
  byBin?: string[];
  /** Files of the committed project (the test of `money` fails already). */
  files: Record<string, string>;
  /** The edit that breaks `adds`. */
  bug: Record<string, string>;
  /** The test file with `adds` alone (committed, for the one-test case). */
  oneTest: Record<string, string>;
  /** A new test file and the new helper it needs (the helper uses `add`, broken by the bug). */
  newTest: Record<string, string>;
  /** The source file the bug is in (the regression's suspect). */
  source: string;
  /** The ids' file part of the two suite tests, as the report gives them. */
  addsFile: string;
  /** Extra environment (rustup's home when HOME is a temp folder). */
  env?: NodeJS.ProcessEnv;
  /** Ignored files the runner's own build writes (left out of the byte-for-byte comparison). */
  outputs?: string[];
}

/**
 * A Maven project of JUnit 5 tests (compiler, resources and Surefire pinned: offline here); the
 * JVM Surefire forks for the tests starts with the quick options too.
 */
export const mavenPom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>shop</groupId>
  <artifactId>shop</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.2.5</version>
        <configuration><argLine>-XX:TieredStopAtLevel=1 -XX:+UseSerialGC</argLine></configuration>
      </plugin>
    </plugins>
  </build>
</project>
`;

/** A JUnit 5 test class of the shop package, one @Test method a [name, body]. */
function javaTest(name: string, methods: [string, string][]): string {
  return `package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ${name} {
${methods.map(([method, body]) => `  @Test\n  void ${method}() {\n    ${body}\n  }\n`).join("\n")}}
`;
}

const jsLib = (body: string) =>
  `export function add(a, b) {\n  ${body}\n}\nexport function money(cents) {\n  return (cents / 100).toFixed(2);\n}\n`;
const cjsLib = (body: string) =>
  `function add(a, b) {\n  ${body}\n}\nfunction money(cents) {\n  return (cents / 100).toFixed(2);\n}\nmodule.exports = { add, money };\n`;

/** A JS runner's kit: `expect` is the assertion the runner's style uses. */
function jsKit(
  runner: string,
  options: {
    suite: string[];
    oneFile: string[];
    byBin?: string[];
    header: string;
    assert: (actual: string, expected: string) => string;
    ext: string;
    esm: boolean;
  },
): RunnerKit {
  const { header, assert, ext, esm } = options;
  const lib = esm ? jsLib : cjsLib;
  const importLib = (from: string, names: string) =>
    esm ? `import { ${names} } from "${from}";` : `const { ${names} } = require("${from}");`;
  const file = (name: string) => `test/${name}.test.${ext}`;
  return {
    runner,
    suite: options.suite,
    oneFile: options.oneFile,
    ...(options.byBin ? { byBin: options.byBin } : {}),
    files: {
      "package.json": esm ? '{ "type": "module" }\n' : "{}\n",
      ".gitignore": "node_modules\n",
      [`src/lib.${esm ? "js" : "js"}`]: lib("return a + b;"),
      [file("lib")]:
        `${header}\n${importLib("../src/lib.js", "add, money")}\ndescribe("lib", () => {\n  it("adds", () => { ${assert("add(2, 2)", "4")} });\n  it("formats money", () => { ${assert("money(123456)", '"1,234.56"')} });\n  it("keeps cents", () => { ${assert("money(5)", '"0.05"')} });\n});\n`,
    },
    bug: { "src/lib.js": lib("return a + b + 1; // refactor gone wrong") },
    oneTest: {
      [file("lib")]:
        `${header}\n${importLib("../src/lib.js", "add")}\ndescribe("lib", () => {\n  it("adds", () => { ${assert("add(2, 2)", "4")} });\n});\n`,
    },
    newTest: {
      "src/discount.js": esm
        ? 'import { add } from "./lib.js";\nexport const discounted = (price) => add(price, -10);\n'
        : 'const { add } = require("./lib.js");\nmodule.exports = { discounted: (price) => add(price, -10) };\n',
      [file("discount")]:
        `${header}\n${importLib("../src/discount.js", "discounted")}\ndescribe("discount", () => {\n  it("takes 10 off", () => { ${assert("discounted(100)", "90")} });\n});\n`,
    },
    source: "src/lib.js",
    addsFile: file("lib"),
  };
}

const mochaAssert = (a: string, e: string) => `require("node:assert").strictEqual(${a}, ${e});`;

/** The kits of the runners the e2e matrix covers. */
export const runnerKits: Record<string, RunnerKit> = {
  vitest: jsKit("vitest", {
    suite: ["npx", "vitest", "run"],
    oneFile: ["npx", "vitest", "run", "test/lib.test.js"],
    byBin: ["node_modules/.bin/vitest", "run"],
    header: 'import { describe, expect, it } from "vitest";',
    assert: (a, e) => `expect(${a}).toBe(${e});`,
    ext: "js",
    esm: true,
  }),
  jest: jsKit("jest", {
    suite: ["node", "node_modules/jest/bin/jest.js"],
    oneFile: ["node", "node_modules/jest/bin/jest.js", "test/lib.test.js"],
    header: "",
    assert: (a, e) => `expect(${a}).toBe(${e});`,
    ext: "js",
    esm: false,
  }),
  mocha: jsKit("mocha", {
    // As the issue met it: launched through node and the runner's bin.
    suite: ["node", "node_modules/.bin/mocha", "test/"],
    oneFile: ["node", "node_modules/.bin/mocha", "test/lib.test.js"],
    header: "",
    assert: mochaAssert,
    ext: "js",
    esm: false,
  }),
  // Playwright's test runner, as `npx playwright test`: tests that need no browser (none is
  // installed), in Playwright's own test()/expect, describe and it named as the kit writes them.
  playwright: {
    ...jsKit("playwright", {
      suite: ["npx", "playwright", "test"],
      oneFile: ["npx", "playwright", "test", "test/lib.test.js"],
      byBin: ["node_modules/.bin/playwright", "test"],
      header:
        'const { test, expect } = require("@playwright/test");\nconst describe = test.describe;\nconst it = test;',
      assert: (a, e) => `expect(${a}).toBe(${e});`,
      ext: "js",
      esm: false,
    }),
    // Playwright writes test-results/ on every run; a Playwright project ignores it.
    outputs: ["test-results"],
  },
  // node-tap 21, its own t.test nested as describe and it; the assertion throws (node:assert),
  // which tap reports as the test's failure. Coverage off: tap 21 fails a run under 100%.
  tap: jsKit("tap", {
    suite: ["npx", "tap", "--disable-coverage"],
    oneFile: ["npx", "tap", "--disable-coverage", "test/lib.test.js"],
    byBin: ["node_modules/.bin/tap", "--disable-coverage"],
    header: [
      'const tap = require("tap");',
      "let current = tap;",
      "const nest = (name, fn) =>",
      "  current.test(name, async (t) => {",
      "    const outer = current;",
      "    current = t;",
      "    try { fn(); } finally { current = outer; }",
      "  });",
      "const describe = nest;",
      "const it = nest;",
    ].join("\n"),
    assert: mochaAssert,
    ext: "js",
    esm: false,
  }),
  node: jsKit("node", {
    suite: ["node", "--test", "test/"],
    oneFile: ["node", "--test", "test/lib.test.mjs"],
    header: 'import assert from "node:assert/strict";\nimport { describe, it } from "node:test";',
    assert: (a, e) => `assert.equal(${a}, ${e});`,
    ext: "mjs",
    esm: true,
  }),
  pytest: {
    runner: "pytest",
    suite: ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
    oneFile: ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_lib.py"],
    files: {
      ".gitignore": "__pycache__/\n",
      "src/shop/__init__.py": "",
      "src/shop/lib.py":
        'def add(a, b):\n    return a + b\n\n\ndef money(cents):\n    return f"{cents / 100:.2f}"\n',
      "tests/conftest.py":
        'import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "src"))\n',
      "tests/test_lib.py":
        'from shop.lib import add, money\n\n\ndef test_adds():\n    assert add(2, 2) == 4\n\n\ndef test_formats_money():\n    assert money(123456) == "1,234.56"\n\n\ndef test_keeps_cents():\n    assert money(5) == "0.05"\n',
    },
    bug: {
      "src/shop/lib.py":
        'def add(a, b):\n    return a + b + 1\n\n\ndef money(cents):\n    return f"{cents / 100:.2f}"\n',
    },
    newTest: {
      "src/shop/discount.py":
        "from shop.lib import add\n\n\ndef discounted(price):\n    return add(price, -10)\n",
      "tests/test_discount.py":
        "from shop.discount import discounted\n\n\ndef test_takes_10_off():\n    assert discounted(100) == 90\n",
    },
    oneTest: {
      "tests/test_lib.py":
        "from shop.lib import add\n\n\ndef test_adds():\n    assert add(2, 2) == 4\n",
    },
    source: "src/shop/lib.py",
    addsFile: "tests/test_lib.py",
  },
  // Maven 3 with Surefire 3.2.5 and JUnit 5, offline from the local repository (HOME is a temp
  // folder in these tests: the repository is named in MAVEN_OPTS). The JVM's quick start-up
  // options make a run about 1.6 s instead of 2.
  maven: {
    runner: "maven",
    suite: ["mvn", "-o", "-q", "test"],
    oneFile: ["mvn", "-o", "-q", "test", "-Dtest=LibTest"],
    files: {
      ".gitignore": "target/\n",
      "pom.xml": mavenPom,
      "src/main/java/shop/Lib.java":
        'package shop;\n\npublic class Lib {\n  public static int add(int a, int b) {\n    return a + b;\n  }\n\n  public static String money(int cents) {\n    return String.format("%d.%02d", cents / 100, cents % 100);\n  }\n}\n',
      "src/test/java/shop/LibTest.java": javaTest("LibTest", [
        ["adds", "assertEquals(4, Lib.add(2, 2));"],
        ["formats_money", 'assertEquals("1,234.56", Lib.money(123456));'],
        ["keeps_cents", 'assertEquals("0.05", Lib.money(5));'],
      ]),
    },
    bug: {
      "src/main/java/shop/Lib.java":
        'package shop;\n\npublic class Lib {\n  public static int add(int a, int b) {\n    return a + b + 1;\n  }\n\n  public static String money(int cents) {\n    return String.format("%d.%02d", cents / 100, cents % 100);\n  }\n}\n',
    },
    oneTest: {
      "src/test/java/shop/LibTest.java": javaTest("LibTest", [
        ["adds", "assertEquals(4, Lib.add(2, 2));"],
      ]),
    },
    newTest: {
      "src/main/java/shop/Discount.java":
        "package shop;\n\npublic class Discount {\n  public static int discounted(int price) {\n    return Lib.add(price, -10);\n  }\n}\n",
      "src/test/java/shop/DiscountTest.java": javaTest("DiscountTest", [
        ["takes_10_off", "assertEquals(90, Discount.discounted(100));"],
      ]),
    },
    source: "src/main/java/shop/Lib.java",
    addsFile: "src/test/java/shop/LibTest.java",
    outputs: ["target"],
    env: {
      MAVEN_OPTS: `-Dmaven.repo.local=${mavenRepository} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC`,
    },
  },
  cargo: {
    runner: "cargo",
    suite: ["cargo", "test", "--offline", "--no-fail-fast", "--color", "never"],
    oneFile: ["cargo", "test", "--offline", "--color", "never", "--lib"],
    files: {
      ".gitignore": "target/\nCargo.lock\n",
      "Cargo.toml":
        '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
      "src/lib.rs":
        'pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n\npub fn money(cents: i64) -> String {\n    format!("{}.{:02}", cents / 100, cents % 100)\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(2, 2), 4);\n    }\n\n    #[test]\n    fn formats_money() {\n        assert_eq!(money(123456), "1,234.56");\n    }\n\n    #[test]\n    fn keeps_cents() {\n        assert_eq!(money(5), "0.05");\n    }\n}\n',
    },
    bug: {},
    oneTest: {},
    newTest: {
      "tests/discount.rs":
        "#[test]\nfn takes_10_off() {\n    assert_eq!(shop::add(100, -10), 90);\n}\n",
    },
    source: "src/lib.rs",
    addsFile: "src/lib.rs",
    outputs: ["target", "Cargo.lock"],
    env: {
      RUSTUP_HOME: process.env["RUSTUP_HOME"] ?? join(homedir(), ".rustup"),
      CARGO_HOME: process.env["CARGO_HOME"] ?? join(homedir(), ".cargo"),
      CARGO_TERM_COLOR: "never",
    },
  },
};
// Python's unittest: the pytest kit's package, its tests as TestCase classes; tests/__init__.py
// puts src/ on the path (discover -t . imports the tests as the package `tests`).
{
  const pytest = runnerKits["pytest"]!;
  const testCase = (imports: string, cls: string, methods: [string, string][]) =>
    `import unittest\n\nfrom ${imports}\n\n\nclass ${cls}(unittest.TestCase):\n${methods
      .map(([name, body]) => `    def ${name}(self):\n        ${body}\n`)
      .join("\n")}`;
  const adds: [string, string] = ["test_adds", "self.assertEqual(add(2, 2), 4)"];
  runnerKits["unittest"] = {
    ...pytest,
    runner: "unittest",
    suite: ["python3", "-m", "unittest", "discover", "-s", "tests", "-t", "."],
    oneFile: ["python3", "-m", "unittest", "tests.test_lib"],
    files: {
      ".gitignore": "__pycache__/\n",
      "src/shop/__init__.py": "",
      "src/shop/lib.py": pytest.files["src/shop/lib.py"]!,
      "tests/__init__.py":
        'import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "src"))\n',
      "tests/test_lib.py": testCase("shop.lib import add, money", "TestLib", [
        adds,
        ["test_formats_money", 'self.assertEqual(money(123456), "1,234.56")'],
        ["test_keeps_cents", 'self.assertEqual(money(5), "0.05")'],
      ]),
    },
    newTest: {
      "src/shop/discount.py": pytest.newTest["src/shop/discount.py"]!,
      "tests/test_discount.py": testCase("shop.discount import discounted", "TestDiscount", [
        ["test_takes_10_off", "self.assertEqual(discounted(100), 90)"],
      ]),
    },
    oneTest: { "tests/test_lib.py": testCase("shop.lib import add", "TestLib", [adds]) },
  };
}
// The bug of the Rust crate: `add` with one more, the tests of the module kept as they are.
runnerKits["cargo"]!.bug["src/lib.rs"] = runnerKits["cargo"]!.files["src/lib.rs"]!.replace(
  "    a + b\n",
  "    a + b + 1\n",
);
// The one-test crate: the module's tests but `adds`.
runnerKits["cargo"]!.oneTest["src/lib.rs"] = runnerKits["cargo"]!.files["src/lib.rs"]!.replace(
  /\n {4}#\[test\]\n {4}fn formats_money\(\) \{[\s\S]*?\n {4}\}\n\n {4}#\[test\]\n {4}fn keeps_cents\(\) \{[\s\S]*?\n {4}\}\n/,
  "\n",
);
runnerKits["playwright"]!.files[".gitignore"] = "node_modules\ntest-results\n";
// tap 21 loads its TypeScript plugin's ts-node in every test process, and ts-node takes the
// `typescript` of the project's node_modules: culprit's own, TypeScript 7, which has no
// JavaScript API (every file "Cannot read properties of undefined (reading 'fileExists')").
// A project of tap's has a TypeScript 5; the one tap installed for itself stands in for it.
runnerKits["tap"]!.env = {
  TS_NODE_COMPILER: join(worktreeModules, "@tapjs", "test", "node_modules", "typescript"),
};
// node --test's files are .mjs (the kit's sources too).
for (const kit of [runnerKits["node"]!]) {
  for (const part of ["files", "bug", "newTest", "oneTest"] as const) {
    const renamed: Record<string, string> = {};
    for (const [path, content] of Object.entries(kit[part]))
      renamed[path.replace(/^src\/(.*)\.js$/, "src/$1.mjs")] = content.replace(
        /"(\.\.?\/[^"]*)\.js"/g,
        '"$1.mjs"',
      );
    kit[part] = renamed;
  }
  kit.source = "src/lib.mjs";
}

/** A committed project of the kit's runner (JS ones get this checkout's node_modules, ignored). */
export function runnerRepo(kit: RunnerKit): TestRepo {
  const repo = createRepo();
  for (const [path, content] of Object.entries(kit.files)) repo.write(path, content);
  if (kit.files["package.json"] !== undefined) repo.symlink(worktreeModules, "node_modules");
  repo.commit("a shop with a test that already fails");
  return repo;
}

/** Writes a set of files into the repository (uncommitted). */
export function writeAll(repo: TestRepo, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
}
