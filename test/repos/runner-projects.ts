import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRepo, type TestRepo } from "./harness.js";

/** This checkout's node_modules: where the fixtures get vitest, jest and mocha. */
export const worktreeModules = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "node_modules",
);

/** A throwaway project of one test runner in a temp folder (not a git repository). */
export interface RunnerProject {
  dir: string;
  write(path: string, content: string): void;
  cleanup(): void;
}

/** Creates a project from `files`; JS projects get a node_modules symlink to this checkout's, ignored by a .gitignore. */
export function createRunnerProject(name: string, files: Record<string, string>): RunnerProject {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `culprit-${name}-`)));
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  if (files["package.json"] !== undefined) {
    symlinkSync(worktreeModules, join(dir, "node_modules"));
    write(".gitignore", "node_modules\n");
  }
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A git repository of a JS project: `files` and a .gitignore of node_modules committed, then
 * node_modules linked to this checkout's (ignored), where the real runners are found.
 */
export function jsProjectRepo(files: Record<string, string>, message: string): TestRepo {
  const repo = createRepo();
  repo.write(".gitignore", "node_modules\n");
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  repo.commit(message);
  symlinkSync(worktreeModules, join(repo.dir, "node_modules"));
  return repo;
}

/** Whether a runner can run here: null when it can, else why not (printed when its tests are skipped). */
export function runnerMissing(runner: string): string | null {
  const probe = (argv: string[]): boolean =>
    spawnSync(argv[0]!, argv.slice(1), { stdio: "ignore", timeout: 30_000 }).status === 0;
  switch (runner) {
    case "vitest":
    case "jest":
    case "mocha":
      return existsSync(join(worktreeModules, ".bin", runner))
        ? null
        : `${runner} is not in node_modules (npm ci first)`;
    case "tap":
      return existsSync(join(worktreeModules, ".bin", "tap"))
        ? null
        : "tap is not in node_modules (npm ci first)";
    case "playwright":
      return existsSync(join(worktreeModules, ".bin", "playwright"))
        ? null
        : "playwright is not in node_modules (npm ci first)";
    case "node":
      return null;
    case "pytest":
      return probe(["python3", "-m", "pytest", "--version"])
        ? null
        : "python3 -m pytest is not installed";
    case "unittest":
      return probe(["python3", "-c", "import unittest"]) ? null : "python3 is not installed";
    case "cargo":
      return probe(["cargo", "--version"]) ? null : "cargo is not installed";
    case "go":
      return probe(["go", "version"]) ? null : "go is not installed";
    case "maven":
      return mavenMissing(probe);
    default:
      return `no probe for ${runner}`;
  }
}

/** Maven's local repository, where the offline builds of the Maven kit find their plugins. */
export const mavenRepository = join(homedir(), ".m2", "repository");

// What the Maven kit's offline build needs from the local repository (no network here): the
// plugins of its POM and of the test phase, JUnit 5 and Surefire's provider for it.
const mavenArtifacts = [
  "org/apache/maven/plugins/maven-compiler-plugin/3.13.0",
  "org/apache/maven/plugins/maven-resources-plugin/3.3.1",
  "org/apache/maven/plugins/maven-surefire-plugin/3.2.5",
  "org/apache/maven/surefire/surefire-junit-platform/3.2.5",
  "org/junit/jupiter/junit-jupiter/5.10.2",
  "org/junit/platform/junit-platform-launcher/1.10.2",
];

function mavenMissing(probe: (argv: string[]) => boolean): string | null {
  if (!probe(["mvn", "-v"])) return "mvn is not installed";
  const absent = mavenArtifacts.find((path) => !existsSync(join(mavenRepository, path)));
  return absent === undefined
    ? null
    : `Maven's local repository has no ${absent} (the kit builds offline)`;
}

// Each fixture: two test files, a suite (describe, class, module) with a passing, a failing and a
// skipped test, and a second file with a passing and a failing test.

/** vitest: test/cart.test.js (cart > total > adds|rounds, cart > later skipped), test/parse.test.js. */
export const vitestFiles: Record<string, string> = {
  "package.json": '{ "type": "module" }\n',
  "test/cart.test.js": `import { describe, expect, it } from "vitest";
describe("cart", () => {
  describe("total", () => {
    it("adds", () => { expect(1 + 2).toBe(3); });
    it("rounds", () => { expect(Math.round(2.5)).toBe(2); });
  });
  it.skip("later", () => {});
});
`,
  "test/parse.test.js": `import { expect, it } from "vitest";
it("parses", () => { expect(JSON.parse("1")).toBe(1); });
it("breaks", () => { throw new Error("bad input\\nsecond line"); });
`,
};

/** jest: the same tests with jest's globals. */
export const jestFiles: Record<string, string> = {
  "package.json": "{}\n",
  "test/cart.test.js": `describe("cart", () => {
  describe("total", () => {
    it("adds", () => { expect(1 + 2).toBe(3); });
    it("rounds", () => { expect(Math.round(2.5)).toBe(2); });
  });
  it.skip("later", () => {});
});
`,
  "test/parse.test.js": `it("parses", () => { expect(JSON.parse("1")).toBe(1); });
it("breaks", () => { throw new Error("bad input\\nsecond line"); });
`,
};

/** mocha: the same tests with node:assert. */
export const mochaFiles: Record<string, string> = {
  "package.json": "{}\n",
  "test/cart.spec.js": `const assert = require("node:assert");
describe("cart", () => {
  describe("total", () => {
    it("adds", () => { assert.strictEqual(1 + 2, 3); });
    it("rounds", () => { assert.strictEqual(Math.round(2.5), 2); });
  });
  it.skip("later", () => {});
});
`,
  "test/parse.spec.js": `const assert = require("node:assert");
it("parses", () => { assert.strictEqual(JSON.parse("1"), 1); });
it("breaks", () => { throw new Error("bad input\\nsecond line"); });
`,
};

/** node --test: the same tests with node:test. */
export const nodeTestFiles: Record<string, string> = {
  "package.json": "{}\n",
  "test/cart.test.mjs": `import assert from "node:assert/strict";
import { describe, it } from "node:test";
describe("cart", () => {
  describe("total", () => {
    it("adds", () => { assert.equal(1 + 2, 3); });
    it("rounds", () => { assert.equal(Math.round(2.5), 2); });
  });
  it.skip("later", () => {});
});
`,
  "test/parse.test.mjs": `import assert from "node:assert/strict";
import { it } from "node:test";
it("parses", () => { assert.equal(JSON.parse("1"), 1); });
it("breaks", () => { throw new Error("bad input\\nsecond line"); });
`,
};

/** pytest: a class with a passing, a failing and a skipped test; a parametrized test. */
export const pytestFiles: Record<string, string> = {
  "tests/test_cart.py": `import pytest


class TestTotal:
    def test_adds(self):
        assert 1 + 2 == 3

    def test_rounds(self):
        assert round(2.6) == 2

    @pytest.mark.skip(reason="later")
    def test_later(self):
        pass
`,
  "tests/test_parse.py": `import pytest


@pytest.mark.parametrize("text", ["1", "x"])
def test_parses(text):
    assert text.isdigit(), f"bad input {text!r}"
`,
};

/** cargo: unit tests in src/lib.rs (one should_panic, one ignored with a reason), a doc test, and an integration test file sharing a test name with them. */
export const cargoFiles: Record<string, string> = {
  "Cargo.toml": `[package]
name = "fixture"
version = "0.1.0"
edition = "2021"

[dependencies]
`,
  "src/lib.rs": `/// Adds two numbers.
///
/// \`\`\`
/// assert_eq!(fixture::add(1, 2), 3);
/// \`\`\`
pub fn add(a: i32, b: i32) -> i32 {
    a + b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(1, 2), 3);
    }

    #[test]
    fn rounds() {
        assert_eq!(add(1, 2), 4, "one plus two");
    }

    #[test]
    #[ignore = "needs a database"]
    fn later() {}

    #[test]
    #[should_panic]
    fn panics() {
        panic!("expected");
    }
}
`,
  "tests/parse.rs": `#[test]
fn adds() {
    assert_eq!(fixture::add(2, 2), 4);
}

#[test]
fn breaks() {
    panic!("bad input\\nsecond line");
}
`,
};

/** go test: a test with a passing and a failing subtest, a skipped test, a second file. */
export const goFiles: Record<string, string> = {
  "go.mod": "module example.com/fixture\n\ngo 1.21\n",
  "cart_test.go": `package fixture

import "testing"

func TestTotal(t *testing.T) {
	t.Run("adds", func(t *testing.T) {
		if 1+2 != 3 {
			t.Fatal("1+2")
		}
	})
	t.Run("rounds", func(t *testing.T) {
		t.Fatalf("got %d, want %d", 3, 2)
	})
}

func TestLater(t *testing.T) {
	t.Skip("later")
}
`,
  "parse_test.go": `package fixture

import "testing"

func TestParses(t *testing.T) {}

func TestBreaks(t *testing.T) {
	t.Error("bad input")
}
`,
};

/**
 * The everyday case with mocha: `test/total.js` holds a test that already fails at HEAD and one
 * that your uncommitted edit of `lib.js` breaks; `files` add to (or replace) the project's.
 */
export function mochaOldAndNewFailure(files: Record<string, string>, message: string): TestRepo {
  const repo = jsProjectRepo(
    {
      "lib.js": "exports.total = (a, b) => a + b;\n",
      "test/total.js": [
        'const assert = require("node:assert");',
        'const { total } = require("../lib");',
        'it("old failure", () => assert.strictEqual(1, 2));',
        'it("total", () => assert.strictEqual(total(2, 2), 4));',
        "",
      ].join("\n"),
      ...files,
    },
    message,
  );
  repo.write("lib.js", "exports.total = (a, b) => a * b + 1;\n");
  return repo;
}
