import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planReport, type ReportReading, withReportedFailures } from "../../src/run/index.js";
import {
  classSourceFile,
  mavenBuildEntries,
  mavenProjectDir,
  mavenReportFolders,
  pomValues,
} from "../../src/run/reports/maven-reports.js";
import { parseJunit } from "../../src/run/reports/parse-junit.js";

// Surefire 3.2.5's reports of JUnit 5.10 tests, recorded with Maven 3.8.7 (`mvn -o -q test`),
// their <properties> and most frames of JUnit and of the JVM trimmed. CalcTest: two assertions that
// fail, one that passes. MoreTest: a @Disabled test, a @ParameterizedTest with one case failing,
// an exception thrown in a helper class of the test's file, and a @Nested class: Surefire wrote
// every test of MoreTest into the @Nested class's file, and an empty file for MoreTest itself.
const calcXml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="demo.CalcTest" time="0.061" tests="3" errors="0" skipped="0" failures="2">
  <properties/>
  <testcase name="oldBug" classname="demo.CalcTest" time="0.024">
    <failure message="expected: &lt;1&gt; but was: &lt;0&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <1> but was: <0>
	at org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
	at demo.CalcTest.oldBug(CalcTest.java:9)
	at java.base/java.lang.reflect.Method.invoke(Method.java:569)
]]></failure>
  </testcase>
  <testcase name="adds" classname="demo.CalcTest" time="0.0"/>
  <testcase name="multiplies" classname="demo.CalcTest" time="0.002">
    <failure message="expected: &lt;6&gt; but was: &lt;7&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <6> but was: <7>
	at org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
	at demo.CalcTest.multiplies(CalcTest.java:8)
	at java.base/java.lang.reflect.Method.invoke(Method.java:569)
]]></failure>
  </testcase>
</testsuite>`;
const nestedXml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="demo.MoreTest$Totals" time="0.002" tests="5" errors="1" skipped="1" failures="2">
  <properties/>
  <testcase name="throwsInHelper" classname="demo.MoreTest" time="0.002">
    <error message="no stock" type="java.lang.IllegalStateException"><![CDATA[java.lang.IllegalStateException: no stock
	at demo.Helper.boom(MoreTest.java:24)
	at demo.MoreTest.throwsInHelper(MoreTest.java:16)
	at java.base/java.lang.reflect.Method.invoke(Method.java:569)
]]></error>
  </testcase>
  <testcase name="doubles(int)[1]" classname="demo.MoreTest" time="0.03"/>
  <testcase name="doubles(int)[2]" classname="demo.MoreTest" time="0.003">
    <failure message="expected: &lt;4&gt; but was: &lt;5&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <4> but was: <5>
	at org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
	at demo.MoreTest.doubles(MoreTest.java:14)
	at java.base/java.lang.reflect.Method.invoke(Method.java:569)
]]></failure>
  </testcase>
  <testcase name="skipped" classname="demo.MoreTest" time="0.0">
    <skipped message="later"/>
  </testcase>
  <testcase name="sums" classname="demo.MoreTest$Totals" time="0.001">
    <failure message="expected: &lt;5&gt; but was: &lt;4&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <5> but was: <4>
	at org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
	at demo.MoreTest$Totals.sums(MoreTest.java:19)
	at java.base/java.lang.reflect.Method.invoke(Method.java:569)
]]></failure>
  </testcase>
</testsuite>`;
const emptyXml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="demo.MoreTest" time="0.102" tests="0" errors="0" skipped="0" failures="0">
  <properties/>
</testsuite>`;

const root = mkdtempSync(join(tmpdir(), "culprit-maven-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const project = join(root, "shop");
write("shop/core/src/test/java/demo/CalcTest.java", "class CalcTest {}\n");
write("shop/core/src/test/java/demo/MoreTest.java", "class MoreTest {}\n");

describe("Surefire's reports, each test at its class's source file", () => {
  const context = {
    cwd: project,
    root: project,
    label: "TEST-demo.CalcTest.xml",
    classFile: (classname: string) => classSourceFile(join(project, "core"), classname),
  };

  it("ids by the test's file and name; the message; the line of the test's file in the stack", () => {
    const parsed = parseJunit(calcXml, context);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.tests.map((t) => [t.id, t.name, t.status, t.message, t.failedAt?.line])).toEqual([
      [
        "core/src/test/java/demo/CalcTest.java::oldBug",
        "demo.CalcTest > oldBug",
        "fail",
        "expected: <1> but was: <0>",
        9,
      ],
      [
        "core/src/test/java/demo/CalcTest.java::adds",
        "demo.CalcTest > adds",
        "pass",
        null,
        undefined,
      ],
      [
        "core/src/test/java/demo/CalcTest.java::multiplies",
        "demo.CalcTest > multiplies",
        "fail",
        "expected: <6> but was: <7>",
        8,
      ],
    ]);
  });

  it("a @Nested class, a parameterized case, a skipped test, an error thrown in a helper", () => {
    const parsed = parseJunit(nestedXml, context);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.tests.map((t) => [t.id, t.status, t.message, t.failedAt?.line])).toEqual([
      // The helper class is in the test's file: its frame is the innermost there.
      [
        "core/src/test/java/demo/MoreTest.java::throwsInHelper",
        "fail",
        "IllegalStateException: no stock",
        24,
      ],
      ["core/src/test/java/demo/MoreTest.java::doubles(int)[1]", "pass", null, undefined],
      [
        "core/src/test/java/demo/MoreTest.java::doubles(int)[2]",
        "fail",
        "expected: <4> but was: <5>",
        14,
      ],
      ["core/src/test/java/demo/MoreTest.java::skipped", "skip", null, undefined],
      [
        "core/src/test/java/demo/MoreTest.java::Totals > sums",
        "fail",
        "expected: <5> but was: <4>",
        19,
      ],
    ]);
  });

  it("a case without a name is the class's own failure (a @BeforeAll that threw)", () => {
    const xml = `<testsuite name="demo.CalcTest"><testcase name="" classname="demo.CalcTest" time="0">
<error message="no database" type="java.lang.IllegalStateException">java.lang.IllegalStateException: no database
\tat demo.CalcTest.setUp(CalcTest.java:5)
</error></testcase></testsuite>`;
    const parsed = parseJunit(xml, context);
    expect(parsed.ok && parsed.tests).toEqual([
      {
        id: "core/src/test/java/demo/CalcTest.java",
        name: "demo.CalcTest",
        file: "core/src/test/java/demo/CalcTest.java",
        line: null,
        status: "fail",
        message: "IllegalStateException: no database",
        kind: "file",
        failedAt: { line: 5 },
      },
    ]);
  });

  it("a class whose source is not found keeps the class as its id", () => {
    const parsed = parseJunit(calcXml, { ...context, classFile: () => null });
    expect(parsed.ok && parsed.tests.map((t) => t.id)).toEqual([
      "demo.CalcTest > oldBug",
      "demo.CalcTest > adds",
      "demo.CalcTest > multiplies",
    ]);
  });
});

describe("the project and its modules", () => {
  it.each([
    [["test"], "/p"],
    [["-f", "core/pom.xml", "test"], "/p/core"],
    [["--file=../other", "test"], "/other"],
    [["-fapi/pom.xml", "-fae", "test"], "/p/api"],
  ])("%j", (args, dir) => {
    expect(mavenProjectDir(args, "/p")).toBe(dir);
  });

  it("the <module> elements of a POM, profiles' too, not those in comments", () => {
    const pom = `<project><modules>
      <module>core</module>
      <!-- <module>old</module> -->
      <module> web </module>
    </modules>
    <profiles><profile><modules><module>extra/pom-extra.xml</module></modules></profile></profiles>
    </project>`;
    expect(pomValues(pom, "module")).toEqual(["core", "web", "extra/pom-extra.xml"]);
    expect(
      pomValues(
        "<reportsDirectory> r </reportsDirectory><!-- <module>x</module> -->",
        "reportsDirectory",
      ),
    ).toEqual(["r"]);
  });

  it("modules of modules, a module named by its POM file, a missing one left out", () => {
    write(
      "tree/pom.xml",
      "<project><modules><module>a</module><module>gone</module><module>b/pom.xml</module></modules></project>",
    );
    write("tree/a/pom.xml", "<project><modules><module>inner</module></modules></project>");
    write("tree/a/inner/pom.xml", "<project/>");
    write("tree/b/pom.xml", "<project/>");
    const folders = mavenReportFolders(join(root, "tree"))
      .filter((f) => f.folder.endsWith("surefire-reports"))
      .map((f) => f.module.slice(root.length + 1));
    expect(folders).toEqual(["tree", "tree/a", "tree/gone", "tree/b", "tree/a/inner"]);
  });

  it("a <reportsDirectory> of a POM, a parent's in every module", () => {
    write(
      "moved/pom.xml",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Maven's properties in a POM
      "<project><modules><module>a</module></modules><build><plugins><plugin><configuration><reportsDirectory>${project.build.directory}/test-reports</reportsDirectory></configuration></plugin></plugins></build></project>",
    );
    write(
      "moved/a/pom.xml",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Maven's properties in a POM
      "<project><reportsDirectory>${project.basedir}/reports</reportsDirectory><x>${other}/r</x></project>",
    );
    const folders = mavenReportFolders(join(root, "moved")).map((f) => [
      f.folder.slice(root.length + 1),
      f.module.slice(root.length + 1),
    ]);
    expect(folders).toEqual([
      ["moved/target/surefire-reports", "moved"],
      ["moved/target/failsafe-reports", "moved"],
      ["moved/target/test-reports", "moved"],
      ["moved/reports", "moved"],
      ["moved/a/target/surefire-reports", "moved/a"],
      ["moved/a/target/failsafe-reports", "moved/a"],
      ["moved/a/target/test-reports", "moved/a"],
      ["moved/a/reports", "moved/a"],
    ]);
  });
});

describe("a Maven run that failed outside its tests", () => {
  const goal = (project: string, what: string) =>
    `[ERROR] Failed to execute goal org.apache.maven.plugins:${what} on project ${project}: Compilation failure -> [Help 1]`;

  it("one entry a project, Maven's failed goals its message", () => {
    const log = [
      "[ERROR] Tests run: 1, Failures: 1, Errors: 0, Skipped: 0",
      "[ERROR] COMPILATION ERROR : ",
      "[ERROR] /p/web/src/main/java/web/Page.java:[7,38] ';' expected",
      goal("web", "maven-compiler-plugin:3.13.0:compile (default-compile)"),
      goal("legacy", "maven-compiler-plugin:3.13.0:compile (default-compile)"),
    ].join("\n");
    expect(mavenBuildEntries(log)).toEqual(
      ["web", "legacy"].map((project) => ({
        id: `(the build of ${project}, outside the tests)`,
        name: `the build of ${project}, outside the tests`,
        file: null,
        line: null,
        status: "fail",
        message: `Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project ${project}: Compilation failure`,
        kind: "check",
      })),
    );
  });

  it("a test JVM that died: the cause after the goal", () => {
    const log = [
      "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project demo: ",
      "[ERROR] ",
      "[ERROR] Please refer to /p/target/surefire-reports for the individual test results.",
      "[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
    ].join("\n");
    expect(mavenBuildEntries(log).map((e) => e.message)).toEqual([
      "Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project demo: The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
    ]);
  });

  it("Surefire's own 'There are test failures' is no entry: the tests say it", () => {
    const log =
      "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project demo: There are test failures.\n";
    expect(mavenBuildEntries(log)).toEqual([]);
  });

  it("without a failed goal, the first error", () => {
    expect(mavenBuildEntries("[INFO] x\n[ERROR] boom\n").map((e) => [e.id, e.message])).toEqual([
      ["(the build, outside the tests)", "boom"],
    ]);
    expect(mavenBuildEntries("")[0]!.message).toBe(
      "Maven failed with no failing test in its reports",
    );
  });
});

describe("a run's reports: the files it made or changed, never those of an earlier run", () => {
  it("reads each module's new and rewritten reports together, an old one left out", async () => {
    const dir = join(root, "run");
    write(
      "run/pom.xml",
      "<project><modules><module>core</module><module>web</module></modules></project>",
    );
    write("run/core/pom.xml", "<project/>");
    write("run/web/pom.xml", "<project/>");
    write(
      "run/core/src/test/java/demo/CalcTest.java",
      "class CalcTest {\n  @Test void adds() {}\n}\n",
    );
    write("run/web/src/test/java/demo/MoreTest.java", "class MoreTest {}\n");
    // Left by an earlier run: a class that no longer runs. Rewritten by this run: CalcTest.
    const stale = write(
      "run/web/target/surefire-reports/TEST-demo.GoneTest.xml",
      calcXml.replaceAll("demo.CalcTest", "demo.GoneTest"),
    );
    const calc = write("run/core/target/surefire-reports/TEST-demo.CalcTest.xml", "<testsuite/>");
    utimesSync(stale, new Date(2020, 1, 1), new Date(2020, 1, 1));
    utimesSync(calc, new Date(2020, 1, 1), new Date(2020, 1, 1));
    const plan = planReport({ argv: ["mvn", "-q", "test"], cwd: dir, root: dir, reportDir: "/r" });
    expect(plan.kind).toBe("report");
    if (plan.kind !== "report") return;
    await plan.prepare();
    write("run/core/target/surefire-reports/TEST-demo.CalcTest.xml", calcXml);
    write("run/web/target/failsafe-reports/TEST-demo.MoreTest$Totals.xml", nestedXml);
    write("run/web/target/surefire-reports/TEST-demo.MoreTest.xml", emptyXml);
    const output = { startedAt: Date.now(), logPath: null, tail: "", exitCode: 0 };
    const read = await plan.read(output);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.report.source).toBe("Surefire XML reports");
    const ids = read.report.tests.map((t) => [t.id, t.status, t.line]);
    expect(ids).toContainEqual(["core/src/test/java/demo/CalcTest.java::adds", "pass", 2]);
    expect(ids).toContainEqual([
      "web/src/test/java/demo/MoreTest.java::Totals > sums",
      "fail",
      null,
    ]);
    expect(ids.some(([id]) => String(id).includes("Gone"))).toBe(false);
    expect(read.report.tests).toHaveLength(8);
    // Read again after a run that exited 1 (told to go on past failing tests): one more entry.
    const failed = await plan.read({
      ...output,
      exitCode: 1,
      tail: "[ERROR] Failed to execute goal x",
    });
    expect(failed.ok && failed.report.tests.map((t) => t.id)).toContain(
      "(the build, outside the tests)",
    );
  });

  it("reports that are not found: Surefire's console lines say whether tests failed", async () => {
    const dir = join(root, "elsewhere");
    write("elsewhere/pom.xml", "<project/>");
    const plan = planReport({ argv: ["mvn", "test"], cwd: dir, root: dir, reportDir: "/r" });
    if (plan.kind !== "report") throw new Error("no plan");
    await plan.prepare();
    const log = write(
      "elsewhere.log",
      "[\u001b[1;31mERROR\u001b[m] \u001b[1;31mTests \u001b[0;1mrun: \u001b[0;1m3\u001b[m, \u001b[1;31mFailures: \u001b[0;1;31m1\u001b[m, Errors: 0, Skipped: 0\n",
    );
    const output = { startedAt: Date.now(), logPath: log, tail: "", exitCode: 0 };
    const read = await plan.read(output);
    expect(read).toMatchObject({ ok: false, testsFailed: true });
    expect(withReportedFailures(plan, { outcome: "pass" }, read).outcome).toBe("fail");
    writeFileSync(log, "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0\n");
    const passed = await plan.read(output);
    expect(withReportedFailures(plan, { outcome: "pass" }, passed).outcome).toBe("pass");
  });

  it("reports found with no failure, where the console says tests failed: the run failed", async () => {
    const dir = join(root, "partly");
    write("partly/pom.xml", "<project/>");
    const plan = planReport({ argv: ["mvn", "test"], cwd: dir, root: dir, reportDir: "/r" });
    if (plan.kind !== "report") throw new Error("no plan");
    await plan.prepare();
    write(
      "partly/target/surefire-reports/TEST-demo.A.xml",
      '<testsuite><testcase name="a" classname="demo.A"/></testsuite>',
    );
    const log = write("partly.log", "[ERROR] Tests run: 1, Failures: 1, Errors: 0, Skipped: 0\n");
    const read = await plan.read({ startedAt: Date.now(), logPath: log, tail: "", exitCode: 0 });
    expect(read).toMatchObject({ ok: false, testsFailed: true });
    expect(withReportedFailures(plan, { outcome: "pass" }, read).outcome).toBe("fail");
  });

  it("a run that wrote no report says so", async () => {
    const dir = join(root, "none");
    write("none/pom.xml", "<project/>");
    const plan = planReport({ argv: ["mvn", "test"], cwd: dir, root: dir, reportDir: "/r" });
    if (plan.kind !== "report") throw new Error("no plan");
    await plan.prepare();
    const read = await plan.read({ startedAt: Date.now(), logPath: null, tail: "", exitCode: 1 });
    expect(read).toEqual({
      ok: false,
      why: "Surefire's XML reports (target/surefire-reports) was not written by this run",
    });
  });
});

describe("Maven exits 0 when tests fail (maven.test.failure.ignore): the report decides", () => {
  const test = (status: "pass" | "fail" | "skip") => ({
    id: `a::${status}`,
    name: status,
    file: null,
    line: null,
    status,
    message: null,
  });
  const read = (...statuses: ("pass" | "fail" | "skip")[]): ReportReading => ({
    ok: true,
    report: { source: "Surefire XML reports", tests: statuses.map(test) },
  });
  const plan = planReport({ argv: ["mvn", "test"], cwd: root, root, reportDir: "/r" });
  const other = planReport({ argv: ["pytest"], cwd: root, root, reportDir: "/r" });

  it.each([
    ["a failing test fails a run that exited 0", plan, "pass", read("pass", "fail"), "fail"],
    ["no failing test: it passed", plan, "pass", read("pass", "skip"), "pass"],
    ["no report: the exit code", plan, "pass", { ok: false, why: "x" } as const, "pass"],
    ["a run that failed stays failed", plan, "fail", read("pass"), "fail"],
    ["a hang stays a hang", plan, "hang", read("fail"), "hang"],
    ["another runner: its exit code", other, "pass", read("fail"), "pass"],
  ] as const)("%s", (_name, p, outcome, reading, expected) => {
    expect(withReportedFailures(p, { outcome }, reading).outcome).toBe(expected);
  });
});
