import { describe, expect, test } from "vitest";
import { attributeUntouched, killRecoverUntouched, twoRuns } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";
import { ptySkipReason } from "../repos/pty.js";
import { ctrlCRestored } from "../repos/pty-expect.js";
import { runnerMissing } from "../repos/runner-projects.js";
import { mavenPom, runnerKits } from "../repos/runner-scenarios.js";

// A project of two Maven modules, `web` depending on `core`, whose `core` has a test that already
// fails, with the real Maven (see runner-maven.test.ts). Maven stops at a module whose tests
// fail, and skips those that depend on it: culprit makes every module run its tests, and reads
// what fails outside them.

const kit = runnerKits["maven"]!;

/** Two modules, `web` depending on `core`, committed: core's test already fails. */
function twoModules(): { repo: TestRepo; page: (body: string) => string } {
  const repo = createRepo();
  const parent = mavenPom
    .replace("<artifactId>shop</artifactId>", "<artifactId>parent</artifactId>")
    .replace(
      "<version>1.0</version>\n",
      "<version>1.0</version>\n  <packaging>pom</packaging>\n  <modules><module>core</module><module>web</module></modules>\n",
    );
  const child = (name: string, deps: string) =>
    `<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <parent><groupId>shop</groupId><artifactId>parent</artifactId><version>1.0</version></parent>\n  <artifactId>${name}</artifactId>\n${deps}</project>\n`;
  repo.write(".gitignore", "target/\n");
  repo.write("pom.xml", parent);
  repo.write("core/pom.xml", child("core", ""));
  repo.write(
    "web/pom.xml",
    child(
      "web",
      "  <dependencies><dependency><groupId>shop</groupId><artifactId>core</artifactId><version>1.0</version></dependency></dependencies>\n",
    ),
  );
  repo.write(
    "core/src/main/java/core/Money.java",
    'package core;\n\npublic class Money {\n  public static String format(int cents) {\n    return String.format("%d.%02d", cents / 100, cents % 100);\n  }\n}\n',
  );
  repo.write(
    "core/src/test/java/core/MoneyTest.java",
    'package core;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass MoneyTest {\n  @Test\n  void thousands() {\n    assertEquals("1,234.56", Money.format(123456));\n  }\n}\n',
  );
  const page = (body: string) =>
    `package web;\n\nimport core.Money;\n\npublic class Page {\n  public static String price(int cents) {\n    ${body}\n  }\n}\n`;
  repo.write("web/src/main/java/web/Page.java", page('return "$" + Money.format(cents);'));
  repo.write(
    "web/src/test/java/web/PageTest.java",
    'package web;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\nimport org.junit.jupiter.api.Test;\n\nclass PageTest {\n  @Test\n  void price() {\n    assertEquals("$0.05", Page.price(5));\n  }\n}\n',
  );
  repo.commit("two modules, core's test already failing");
  return { repo, page };
}

const builds = ["core/target", "web/target", "target"];
type Entry = { id: string; verdict: string; message: string | null };
const oldFailure = [
  "core/src/test/java/core/MoneyTest.java::thousands",
  "pre-existing",
  "expected: <1,234.56> but was: <1234.56>",
];

describe.skipIf(runnerMissing("maven") !== null)("maven, two modules", () => {
  // Maven stops at core's failing tests (and -fae still skips web, which depends on core):
  // web's tests never ran on either side, and the answer was PRE-EXISTING, exit 0.
  test("a module whose tests fail does not hide a new failure in the module that depends on it", () => {
    const { repo, page } = twoModules();
    try {
      repo.write("web/src/main/java/web/Page.java", page('return "USD " + Money.format(cents);'));
      const { json, status } = attributeUntouched(repo, kit.suite, [...twoRuns], kit.env, builds);
      expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
      expect(status).toBe(1);
      expect((json["tests"] as Entry[]).map((t) => [t.id, t.verdict, t.message])).toEqual([
        [
          "web/src/test/java/web/PageTest.java::price",
          "regression",
          "expected: <$0.05> but was: <USD 0.05>",
        ],
        oldFailure,
      ]);
    } finally {
      repo.cleanup();
    }
  }, 300_000);

  // Told to go on past failing tests, Maven exits 1 for what is not a test: web does not
  // compile on your tree, its test vanishes, and core's old failure alone read PRE-EXISTING,
  // exit 0 (found in review).
  test("a module your change stops compiling, beside an old failure in another: a regression", () => {
    const { repo, page } = twoModules();
    try {
      repo.write("web/src/main/java/web/Page.java", page('return "$" + Money.format(cents)'));
      const { json, status } = attributeUntouched(repo, kit.suite, [...twoRuns], kit.env, builds);
      expect(json.verdict, JSON.stringify(json["tests"])).toBe("regression");
      expect(status).toBe(1);
      const tests = json["tests"] as Entry[];
      expect(tests.map((t) => [t.id, t.verdict])).toEqual([
        ["(the build of web, outside the tests)", "regression"],
        oldFailure.slice(0, 2),
      ]);
      expect(tests[0]!.message).toMatch(
        /maven-compiler-plugin.* on project web: Compilation failure/,
      );
    } finally {
      repo.cleanup();
    }
  }, 300_000);

  // Ctrl-C at a real terminal while Maven builds and tests the baseline (reports being written
  // in target/, a test JVM forked): the tree comes back, verified, exit 130.
  test.skipIf(ptySkipReason() !== null)(
    "Ctrl-C while Maven runs at the baseline: your work restored and verified, exit 130",
    async () => {
      const { repo, page } = twoModules();
      try {
        repo.write("web/src/main/java/web/Page.java", page('return "USD " + Money.format(cents);'));
        repo.write("NOTES.md", "untracked, kept\n");
        const screen = await ctrlCRestored(repo, ["--no-cache", "--", ...kit.suite], {
          state: "probe-baseline",
          detail: "run 1",
          env: kit.env,
          outputs: builds,
        });
        expect(screen).toContain("culprit: INCONCLUSIVE: interrupted by SIGINT");
      } finally {
        repo.cleanup();
      }
    },
    300_000,
  );

  // kill -9 right after Maven's second run at the baseline (its reports read, the tree not yet
  // put back), then `culprit recover`: the tree as it was.
  test("kill -9 after a baseline run of Maven, then culprit recover: your work as it was", () => {
    const { repo, page } = twoModules();
    try {
      repo.write("web/src/main/java/web/Page.java", page('return "USD " + Money.format(cents);'));
      repo.write("NOTES.md", "untracked, kept\n");
      killRecoverUntouched(repo, kit.suite, "probe-baseline/run 2", ["--no-cache"], undefined, {
        env: kit.env,
        outputs: builds,
      });
    } finally {
      repo.cleanup();
    }
  }, 300_000);
});
