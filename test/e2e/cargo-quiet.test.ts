import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  captureState,
  createRepo,
  culpritRefs,
  parseJsonOutput,
  runCulprit,
  type TestRepo,
} from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";

// `cargo test -q` (found on dtolnay/itoa): -q names only the failing tests, so culprit had no
// per-test report and judged the exit code, and did not add --no-fail-fast either. An old failure
// in the unit tests stopped cargo before tests/ ran, on both sides: PRE-EXISTING, exit 0, over
// a regression in tests/discount.rs. Now -q is taken out (as --bail is for the other runners),
// --no-fail-fast goes in, and every test is read; `cargo t` is `cargo test`.

const env = {
  RUSTUP_HOME: process.env["RUSTUP_HOME"] ?? join(homedir(), ".rustup"),
  CARGO_HOME: process.env["CARGO_HOME"] ?? join(homedir(), ".cargo"),
  CARGO_TERM_COLOR: "never",
};

const lib = (discount: string) =>
  `pub fn money(cents: i64) -> String {\n    format!("{}.{:02}", cents / 100, cents % 100)\n}\n\npub fn discounted(price: i64) -> i64 {\n    ${discount}\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn formats_money() {\n        assert_eq!(money(123456), "1,234.56");\n    }\n}\n`;

interface Result {
  verdict: string;
  tests: { name: string; verdict: string }[];
}

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const missing = runnerMissing("cargo");
if (missing) console.log(`cargo -q cases skipped: ${missing}`);

describe.skipIf(missing !== null)("cargo test -q, the real cargo", () => {
  test.each([
    [["cargo", "test", "-q", "--offline"]],
    [["cargo", "t", "--offline", "--", "--quiet"]],
  ])(
    "%j: the regression in tests/ is seen past the old failure in the unit tests",
    (command) => {
      repo = createRepo();
      repo.write(".gitignore", "target/\nCargo.lock\n");
      repo.write(
        "Cargo.toml",
        '[package]\nname = "shop"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
      );
      repo.write("src/lib.rs", lib("price * 9 / 10"));
      repo.write(
        "tests/discount.rs",
        "#[test]\nfn takes_10_off() {\n    assert_eq!(shop::discounted(100), 90);\n}\n",
      );
      repo.commit("shop");
      repo.write("src/lib.rs", lib("price - 9"));
      const before = captureState(repo);
      const run = runCulprit(repo, ["--json", "--", ...command], env);
      expect(run.status, run.stderr).toBe(1);
      const result = parseJsonOutput(run) as unknown as Result;
      expect(result.verdict).toBe("regression");
      expect(result.tests.map((t) => [t.name, t.verdict])).toEqual([
        ["tests/discount.rs > takes_10_off", "regression"],
        ["src/lib.rs > tests::formats_money", "pre-existing"],
      ]);
      const after = captureState(repo);
      for (const state of [before, after])
        for (const key of Object.keys(state))
          if (key.startsWith("file target/") || key === "file Cargo.lock" || key === "status")
            delete state[key];
      expect(after).toEqual(before);
      expect(culpritRefs(repo)).toEqual([]);
    },
    240_000,
  );
});
