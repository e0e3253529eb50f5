import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched, twoRuns } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
import { runnerMissing } from "../repos/runner-projects.js";

/*
 * A report read from the run's output (cargo's test lines), in a run that hangs: the output ends
 * before the run did, and culprit read no test of it ("the run was cut short"). Beside an old
 * test that hangs on both sides, a test your change breaks went unseen: PRE-EXISTING, exit 0
 * (tried on a crate by hand). The output up to the timer is read: the tests that ended, not
 * the one the run hung in (nor what the runner prints as the stop kills it). The real cargo.
 */

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const missing = runnerMissing("cargo");
if (missing) console.log(`cargo hang case skipped: ${missing}`);

const lib = (value: number) =>
  [
    `pub fn v() -> i32 {\n    ${value}\n}\n`,
    "#[cfg(test)]",
    "mod tests {",
    "    use super::*;",
    "",
    "    #[test]",
    "    fn v_is_one() {",
    "        assert_eq!(v(), 1);",
    "    }",
    "",
    "    #[test]",
    "    fn slow() {",
    "        loop {",
    "            std::thread::sleep(std::time::Duration::from_millis(50));",
    "        }",
    "    }",
    "}",
    "",
  ].join("\n");

describe.skipIf(missing !== null)("a hung cargo test run", () => {
  test("an old hang beside a test your change breaks: the tests that ended are read", () => {
    repo = createRepo();
    repo.write(".gitignore", "target/\nCargo.lock\n");
    repo.write(
      "Cargo.toml",
      '[package]\nname = "hangs"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n',
    );
    repo.write("src/lib.rs", lib(1));
    repo.commit("a crate with a test that never ends");
    repo.write("src/lib.rs", lib(2));
    const { json, status } = attributeUntouched(
      repo,
      ["cargo", "test", "--offline"],
      [...twoRuns, "--no-cache", "--timeout", "6s", "--kill-after", "1s"],
      {
        RUSTUP_HOME: process.env["RUSTUP_HOME"] ?? join(homedir(), ".rustup"),
        CARGO_HOME: process.env["CARGO_HOME"] ?? join(homedir(), ".cargo"),
        CARGO_TERM_COLOR: "never",
      },
      ["target", "Cargo.lock"],
    );
    expect(json.verdict, String(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const rows = json["tests"] as { id: string; verdict: string }[];
    expect(rows.find((t) => t.id.endsWith("::tests::v_is_one"))?.verdict).toBe("regression");
    expect(rows.some((t) => t.id.endsWith("::tests::slow"))).toBe(false);
  }, 240_000);
});
