import { describe, expect, it } from "vitest";
import { parseJunit } from "../../src/run/reports/parse-junit.js";
import type { TestCaseResult } from "../../src/run/reports/types.js";

// JUnit dialects of runners that are not on this machine, written from their documented
// formats (each sample names its source). vitest, mocha, node:test and pytest JUnit are read
// from the real runners in test/integration/reports-real-runners.test.ts.

const root = "/home/me/shop";
const options = { label: "the test report junit.xml", cwd: root, root };

function tests(xml: string, extra: Partial<typeof options> = {}): TestCaseResult[] {
  const parsed = parseJunit(xml, { ...options, ...extra });
  if (!parsed.ok) throw new Error(parsed.why);
  return parsed.tests;
}

function brief(list: TestCaseResult[]): Array<[string, string, string]> {
  return list.map((test) => [test.id, test.name, test.status]);
}

describe("gotestsum --junitfile", () => {
  // https://github.com/gotestyourself/gotestsum/blob/main/internal/junitxml/testdata/junitxml-report.golden
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
	<testsuite tests="0" failures="0" time="0.000000" name="example.com/shop/badmain" timestamp="0001-01-01T00:00:00Z">
		<properties>
			<property name="go.version" value="go1.22.1"></property>
		</properties>
		<testcase classname="" name="TestMain" time="0.000000">
			<failure message="Failed" type="">sometimes main can exit 2&#xA;FAIL&#x9;example.com/shop/badmain&#x9;0.010s&#xA;</failure>
		</testcase>
	</testsuite>
	<testsuite tests="6" failures="3" time="0.020000" name="example.com/shop/stub" timestamp="0001-01-01T00:00:00Z">
		<testcase classname="example.com/shop/stub" name="TestFailed" time="0.000000">
			<failure message="Failed" type="">=== RUN   TestFailed&#xA;--- FAIL: TestFailed (0.00s)&#xA;&#x9;stub_test.go:34: this failed&#xA;</failure>
		</testcase>
		<testcase classname="example.com/shop/stub" name="TestNestedWithFailure/c" time="0.000000">
			<failure message="Failed" type="">=== RUN   TestNestedWithFailure/c&#xA;    --- FAIL: TestNestedWithFailure/c (0.00s)&#xA;    &#x9;stub_test.go:65: failed&#xA;</failure>
		</testcase>
		<testcase classname="example.com/shop/stub" name="TestNestedWithFailure" time="0.000000">
			<failure message="Failed" type="">=== RUN   TestNestedWithFailure&#xA;--- FAIL: TestNestedWithFailure (0.00s)&#xA;</failure>
		</testcase>
		<testcase classname="example.com/shop/stub" name="TestSkipped" time="0.000000">
			<skipped message="=== RUN   TestSkipped&#xA;--- SKIP: TestSkipped (0.00s)&#xA;&#x9;stub_test.go:26: &#xA;"></skipped>
		</testcase>
		<testcase classname="example.com/shop/stub" name="TestPassed" time="0.000000"></testcase>
		<testcase classname="example.com/shop/stub" name="TestNestedWithFailure/a" time="0.000000"></testcase>
	</testsuite>
</testsuites>`;

  it("reads packages, subtests and failures; drops a parent whose outcome is its subtests'", () => {
    const list = tests(xml);
    expect(brief(list)).toEqual([
      ["example.com/shop/badmain > TestMain", "example.com/shop/badmain > TestMain", "fail"],
      ["example.com/shop/stub > TestFailed", "example.com/shop/stub > TestFailed", "fail"],
      [
        "example.com/shop/stub > TestNestedWithFailure/c",
        "example.com/shop/stub > TestNestedWithFailure/c",
        "fail",
      ],
      ["example.com/shop/stub > TestSkipped", "example.com/shop/stub > TestSkipped", "skip"],
      ["example.com/shop/stub > TestPassed", "example.com/shop/stub > TestPassed", "pass"],
      [
        "example.com/shop/stub > TestNestedWithFailure/a",
        "example.com/shop/stub > TestNestedWithFailure/a",
        "pass",
      ],
    ]);
  });

  it("takes the output for the message when the attribute only says Failed", () => {
    const list = tests(xml);
    expect(list[1]).toMatchObject({
      file: null,
      line: null,
      message: "stub_test.go:34: this failed",
    });
    expect(list[0]!.message).toBe(
      "sometimes main can exit 2\nFAIL\texample.com/shop/badmain\t0.010s",
    );
  });
});

describe("cargo-nextest JUnit", () => {
  // https://nexte.st/docs/machine-readable/junit/ ("Every test binary forms a single
  // <testsuite>. Every test forms a single <testcase>. Standard output and standard error are
  // included for failed and retried tests."), in quick-junit's format (nextest's writer):
  // https://github.com/nextest-rs/quick-junit/blob/main/crates/quick-junit-tests/tests/fixtures/basic_report.xml
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="nextest-run" tests="5" failures="1" errors="0" uuid="4a5b3c1d-2e3f-4a5b-8c9d-0e1f2a3b4c5d" timestamp="2024-05-02T10:12:41.513+00:00" time="0.031">
    <testsuite name="fixture" tests="3" disabled="1" errors="0" failures="1">
        <testcase name="tests::adds" classname="fixture" timestamp="2024-05-02T10:12:41.514+00:00" time="0.002">
        </testcase>
        <testcase name="tests::rounds" classname="fixture" timestamp="2024-05-02T10:12:41.514+00:00" time="0.003">
            <failure type="test failure"/>
            <system-out></system-out>
            <system-err>
thread 'tests::rounds' panicked at src/lib.rs:16:9:
assertion \`left == right\` failed: one plus two
  left: 3
 right: 4
note: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace
</system-err>
        </testcase>
        <testcase name="tests::later" classname="fixture" timestamp="2024-05-02T10:12:41.514+00:00" time="0.000">
            <skipped/>
        </testcase>
    </testsuite>
    <testsuite name="fixture::parse" tests="2" disabled="0" errors="0" failures="0">
        <testcase name="adds" classname="fixture::parse" timestamp="2024-05-02T10:12:41.520+00:00" time="0.001">
        </testcase>
        <testcase name="flaky" classname="fixture::parse" timestamp="2024-05-02T10:12:41.520+00:00" time="0.004">
            <flakyFailure type="test failure">thread 'flaky' panicked at tests/parse.rs:9:5</flakyFailure>
        </testcase>
    </testsuite>
</testsuites>`;

  it("reads binaries as suites; a retried test that passed in the end passes", () => {
    expect(brief(tests(xml))).toEqual([
      ["fixture > tests::adds", "fixture > tests::adds", "pass"],
      ["fixture > tests::rounds", "fixture > tests::rounds", "fail"],
      ["fixture > tests::later", "fixture > tests::later", "skip"],
      ["fixture::parse > adds", "fixture::parse > adds", "pass"],
      ["fixture::parse > flaky", "fixture::parse > flaky", "pass"],
    ]);
  });

  it("takes the failure from system-err when the failure element is empty", () => {
    expect(tests(xml)[1]!.message).toBe(
      "thread 'tests::rounds' panicked at src/lib.rs:16:9:\nassertion `left == right` failed: one plus two\n  left: 3\n right: 4\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
    );
  });
});

describe("Maven surefire", () => {
  // https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd and
  // https://maven.apache.org/surefire/maven-surefire-plugin/examples/rerun-failing-tests.html
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" version="3.0" name="com.example.CartTest" time="0.052" tests="6" errors="1" skipped="1" failures="2">
  <properties>
    <property name="java.version" value="17.0.9"/>
  </properties>
  <testcase name="adds" classname="com.example.CartTest" time="0.001"/>
  <testcase name="rounds" classname="com.example.CartTest" time="0.004">
    <failure message="expected: &lt;2&gt; but was: &lt;3&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <2> but was: <3>
	at org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)
	at com.example.CartTest.rounds(CartTest.java:17)
]]></failure>
    <system-out><![CDATA[computing total]]></system-out>
  </testcase>
  <testcase name="connects" classname="com.example.CartTest" time="0.010">
    <error type="java.net.ConnectException">java.net.ConnectException: Connection refused
	at com.example.CartTest.connects(CartTest.java:24)</error>
  </testcase>
  <testcase name="later" classname="com.example.CartTest" time="0">
    <skipped message="not yet"/>
  </testcase>
  <testcase name="flaky" classname="com.example.CartTest" time="0.002">
    <flakyFailure message="expected: &lt;true&gt; but was: &lt;false&gt;" type="org.opentest4j.AssertionFailedError">
      <stackTrace>org.opentest4j.AssertionFailedError: expected: &lt;true&gt; but was: &lt;false&gt;</stackTrace>
    </flakyFailure>
  </testcase>
  <testcase name="alwaysFails" classname="com.example.CartTest" time="0.003">
    <failure message="boom" type="java.lang.IllegalStateException">java.lang.IllegalStateException: boom</failure>
    <rerunFailure message="boom" type="java.lang.IllegalStateException">
      <stackTrace>java.lang.IllegalStateException: boom</stackTrace>
    </rerunFailure>
  </testcase>
</testsuite>`;

  it("reads failure, error (both fail), skipped, and reruns by their final outcome", () => {
    const list = tests(xml);
    expect(brief(list)).toEqual([
      ["com.example.CartTest > adds", "com.example.CartTest > adds", "pass"],
      ["com.example.CartTest > rounds", "com.example.CartTest > rounds", "fail"],
      ["com.example.CartTest > connects", "com.example.CartTest > connects", "fail"],
      ["com.example.CartTest > later", "com.example.CartTest > later", "skip"],
      ["com.example.CartTest > flaky", "com.example.CartTest > flaky", "pass"],
      ["com.example.CartTest > alwaysFails", "com.example.CartTest > alwaysFails", "fail"],
    ]);
    expect(list.map((test) => test.message)).toEqual([
      null,
      "expected: <2> but was: <3>",
      "java.net.ConnectException: Connection refused",
      null,
      null,
      "boom",
    ]);
  });
});

describe("jest-junit", () => {
  // https://github.com/jest-community/jest-junit#readme (Example 1: the default output;
  // classname and name are "{classname} {title}"; addFileAttribute adds file on each case).
  const xml = `<testsuites name="jest tests" tests="3" failures="1" errors="0" time="0.5">
  <testsuite name="addition" errors="0" failures="1" skipped="1" timestamp="2017-07-13T09:42:28" time="0.161" tests="3">
    <testcase classname="addition positive numbers should add up" name="addition positive numbers should add up" time="0.004" file="/home/me/shop/__tests__/addition.test.js">
    </testcase>
    <testcase classname="addition positive numbers should round" name="addition positive numbers should round" time="0.002" file="/home/me/shop/__tests__/addition.test.js">
      <failure>Error: expect(received).toBe(expected) // Object.is equality

Expected: 2
Received: 3
    at Object.toBe (/home/me/shop/__tests__/addition.test.js:9:23)
    at Promise.then.completed (/home/me/shop/node_modules/jest-circus/build/utils.js:298:28)</failure>
    </testcase>
    <testcase classname="addition later" name="addition later" time="0" file="/home/me/shop/__tests__/addition.test.js">
      <skipped/>
    </testcase>
  </testsuite>
</testsuites>`;

  it("reads the repeated describe titles once, the file relative to the root", () => {
    expect(tests(xml).map((test) => [test.id, test.name, test.file, test.status])).toEqual([
      [
        "__tests__/addition.test.js::addition positive numbers should add up > addition positive numbers should add up",
        "addition positive numbers should add up",
        "__tests__/addition.test.js",
        "pass",
      ],
      [
        "__tests__/addition.test.js::addition positive numbers should round > addition positive numbers should round",
        "addition positive numbers should round",
        "__tests__/addition.test.js",
        "fail",
      ],
      [
        "__tests__/addition.test.js::addition later > addition later",
        "addition later",
        "__tests__/addition.test.js",
        "skip",
      ],
    ]);
  });

  it("keeps the message, drops the stack frames", () => {
    expect(tests(xml)[1]!.message).toBe(
      "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 2\nReceived: 3",
    );
  });
});

describe("XML the parser must survive", () => {
  const cases: Array<[string, string, Array<Partial<TestCaseResult>>]> = [
    [
      "a bare testcase list, a failure's text in CDATA, entities in names and messages",
      `<testsuite name="s"><testcase classname="k" name="a &amp; b &lt;c&gt; &#x26; &#233;"><failure><![CDATA[x < y & "z"]]></failure></testcase></testsuite>`,
      [{ id: "k > a & b <c> & é", status: "fail", message: 'x < y & "z"' }],
    ],
    [
      "nested testsuites give the path when there is no classname",
      `<testsuites><testsuite name="outer"><testsuite name="inner"><testcase name="t"/></testsuite><testcase name="u"/></testsuite></testsuites>`,
      [
        { id: "outer > inner > t", name: "outer > inner > t", status: "pass" },
        { id: "outer > u", name: "outer > u", status: "pass" },
      ],
    ],
    [
      "a file attribute on the testsuite applies to its cases; line attributes are read",
      `<testsuite name="s" file="src/a.test.ts"><testcase classname="k" name="t" line="12"/></testsuite>`,
      [{ id: "src/a.test.ts::k > t", file: "src/a.test.ts", line: 12 }],
    ],
    [
      "a file outside the tree stays as reported",
      `<testsuite name="s"><testcase classname="k" name="t" file="/opt/shared/t.js"/></testsuite>`,
      [{ id: "/opt/shared/t.js::k > t", file: "/opt/shared/t.js" }],
    ],
    [
      "a message attribute with newlines (&#10;) is the message",
      `<testsuite name="s"><testcase classname="k" name="t"><error message="first&#10;second" type="E">trace</error></testcase></testsuite>`,
      [{ status: "fail", message: "first\nsecond" }],
    ],
    [
      "a failure without message or text says what failed",
      `<testsuite name="s"><testcase classname="k" name="t"><failure type="AssertionError"/></testcase></testsuite>`,
      [{ status: "fail", message: "AssertionError" }],
    ],
    [
      "ANSI colours and trailing blank lines leave the message; only ~10 lines stay",
      `<testsuite name="s"><testcase classname="k" name="t"><failure>\x1b[31mred\x1b[39m\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n\n\n</failure></testcase></testsuite>`,
      [{ message: "red\n1\n2\n3\n4\n5\n6\n7\n8\n9" }],
    ],
    ["a well-formed report without a test", `<testsuites name="x" tests="0"></testsuites>`, []],
  ];

  it.each(cases)("%s", (_name, xml, expected) => {
    const list = tests(xml);
    expect(list).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      expect(list[i]).toMatchObject(want);
    });
  });

  // One id listed more than once: distinct tests of one name (tap-junit names each tape
  // assertion after its kind), or the attempts of a retried test (gotestsum --rerun-fails):
  // numbered in report order, whatever the outcomes, so that both sides number them alike.
  it("an id listed more than once: each is a test of its own, numbered in report order", () => {
    const xml = `<testsuite name="s">${["pass", "fail", "pass"]
      .map((s, i) =>
        s === "fail"
          ? `<testcase classname="k" name="t"><failure message="attempt ${i + 1}"/></testcase>`
          : `<testcase classname="k" name="t"/>`,
      )
      .join("")}</testsuite>`;
    expect(tests(xml).map((t) => [t.id, t.status, t.message])).toEqual([
      ["k > t", "pass", null],
      ["k > t #2", "fail", "attempt 2"],
      ["k > t #3", "pass", null],
    ]);
  });

  const broken: Array<[string, string, RegExp]> = [
    ["empty", "", /^the test report junit\.xml is empty/],
    ["blank", "  \n", /is empty/],
    [
      "cut short mid-element (the run was killed)",
      `<testsuites><testsuite name="s"><testcase classname="k" name="t"><failure>boom`,
      /is not well-formed XML .*; the run may have been cut short$/,
    ],
    [
      "cut short mid-tag",
      `<testsuites><testsuite name="s"><testcase classna`,
      /not well-formed XML/,
    ],
    ["not XML", "FAIL: everything", /not well-formed XML/],
    ["XML but not JUnit", `<coverage line-rate="1"/>`, /is XML but not JUnit/],
  ];

  it.each(broken)("%s: no tests, and why", (_name, xml, why) => {
    const parsed = parseJunit(xml, options);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.why).toMatch(why);
  });
});

describe("pytest's junitxml, as given with --junit", () => {
  it("is recognised by its suite name: node ids, 1-based lines, collection errors as files", () => {
    // Structure as pytest 9 writes it (xunit1); the real pytest is run in the integration tests.
    const xml = `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="1" skipped="0" tests="3"><testcase classname="tests.test_a.TestK" name="test_y[1]" file="tests/test_a.py" line="6" time="0.001"><failure message="assert 2 == 1">...</failure></testcase><testcase classname="tests.test_a" name="test_z" file="tests/test_a.py" line="0" time="0.001" /><testcase classname="" name="tests.test_c" file="tests/test_c.py" time="0.000"><error message="collection failure">ImportError while importing test module</error></testcase></testsuite></testsuites>`;
    expect(tests(xml)).toEqual([
      {
        id: "tests/test_a.py::TestK::test_y[1]",
        name: "tests/test_a.py::TestK::test_y[1]",
        file: "tests/test_a.py",
        line: 7,
        status: "fail",
        message: "assert 2 == 1",
      },
      {
        id: "tests/test_a.py::test_z",
        name: "tests/test_a.py::test_z",
        file: "tests/test_a.py",
        line: 1,
        status: "pass",
        message: null,
      },
      {
        id: "tests/test_c.py",
        name: "tests/test_c.py",
        file: "tests/test_c.py",
        line: null,
        status: "fail",
        message: "ImportError while importing test module",
        kind: "file",
      },
    ]);
  });

  it("finds the module below a rootdir that is not the tree root", () => {
    const xml = `<testsuites name="pytest tests"><testsuite name="pytest"><testcase classname="tests.test_a.TestK" name="test_y" file="tests/test_a.py" line="3"/></testsuite></testsuites>`;
    const exists = (path: string) => path === "/home/me/shop/api/tests/test_a.py";
    const found = parseJunit(xml, { ...options, cwd: "/home/me/shop/api/tests", exists });
    expect(found.ok && found.tests[0]).toMatchObject({
      id: "api/tests/test_a.py::TestK::test_y",
      file: "api/tests/test_a.py",
      line: 4,
    });
  });
});

describe("mocha's xunit: the message, then the stack that repeats it", () => {
  // mocha 12's xunit reporter, as `npx mocha --reporter xunit` wrote it (body-parser trial: the
  // report showed "expected '{}' response body, got 'null'" and then the same after "Error: ").
  const xml = `<testsuite name="Mocha Tests" tests="3" failures="0" errors="3" skipped="0" timestamp="Wed, 02 Dec 2026 01:29:10 GMT" time="0.004">
<testcase classname="" name="throws" file="${root}/test/total.js" time="0"><failure>expected &#x27;{}&#x27; response body, got &#x27;null&#x27;
Error: expected &#x27;{}&#x27; response body, got &#x27;null&#x27;
    at Context.&#x3C;anonymous&#x3E; (test/total.js:5:28)
    at process.processImmediate (node:internal/timers:483:21)</failure></testcase>
<testcase classname="" name="two lines" file="${root}/test/total.js" time="0"><failure>bad input
second line
Error: bad input
second line
    at Context.&#x3C;anonymous&#x3E; (test/total.js:6:28)</failure></testcase>
<testcase classname="" name="total" file="${root}/test/total.js" time="0.001"><failure>Expected values to be strictly equal:

5 !== 4


      + expected - actual

      -5
      +4
      
AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

5 !== 4

    at Context.&#x3C;anonymous&#x3E; (test/total.js:3:26)</failure></testcase>
</testsuite>`;

  // supertest's error, as mocha's xunit wrote it in expressjs/express's suite: the stack of the
  // test, "----", the stack of the assertion. The "----" was shown as the message's second line.
  const joined = `<testsuite name="Mocha Tests" tests="1" failures="0" errors="1" skipped="0">
<testcase classname="" name="escapes" file="${root}/test/res.json.js" time="0.003"><failure>expected &#x27;{&#x22;\\\\u0026&#x22;}&#x27; response body, got &#x27;{&#x22;&#x26;&#x22;}&#x27;
Error: expected &#x27;{&#x22;\\\\u0026&#x22;}&#x27; response body, got &#x27;{&#x22;&#x26;&#x22;}&#x27;
    at Context.&#x3C;anonymous&#x3E; (test/res.json.js:124:10)
    at process.processImmediate (node:internal/timers:483:21)
----
    at error (node_modules/supertest/lib/test.js:335:15)
    at ${root}/node_modules/supertest/lib/test.js:308:13
    at Object.onceWrapper (node:events:638:28)</failure></testcase>
<testcase classname="" name="dashes" file="${root}/test/a.js" time="0"><failure>Error: tables differ
----
a | b</failure></testcase>
</testsuite>`;

  it("drops what joins the stacks of an asynchronous error, not a message's own dashes", () => {
    const [escapes, dashes] = tests(joined).map((t) => t.message);
    expect(escapes).toBe(`Error: expected '{"\\\\u0026"}' response body, got '{"&"}'`);
    expect(dashes).toBe("Error: tables differ\n----\na | b");
  });

  it("keeps one copy; a message with a diff before the stack stays whole", () => {
    const messages = tests(xml).map((t) => t.message);
    expect(messages[0]).toBe("Error: expected '{}' response body, got 'null'");
    expect(messages[1]).toBe("Error: bad input\nsecond line");
    expect(messages[2]).toMatch(/^Expected values to be strictly equal:\n\n5 !== 4\n/);
    expect(messages[2]).toMatch(/\+ expected - actual\n\n\s*-5\n\s*\+4\n/);
  });
});

describe("mocha's xunit: a hook and an error outside any test are listed only when they fail", () => {
  // As mocha 10 writes them (micromatch/picomatch trial): a failing hook read as a test the
  // baseline never ran made the verdict UNRUNNABLE.
  const xml = `<testsuite name="Mocha Tests" tests="4" failures="0" errors="4" skipped="0">
<testcase classname="setup" name="&#x22;before all&#x22; hook for &#x22;uses setup&#x22;" file="${root}/test/a.js" time="0"><failure>boom</failure></testcase>
<testcase classname="setup" name="&#x22;after each&#x22; hook: cleanup for &#x22;uses setup&#x22;" file="${root}/test/a.js" time="0"><failure>boom</failure></testcase>
<testcase classname="" name="Uncaught error outside test suite" file="undefined" time="0"><failure>boom</failure></testcase>
<testcase classname="setup" name="a &#x22;before all&#x22; hook is only a name here" file="${root}/test/a.js" time="0"><failure>boom</failure></testcase>
</testsuite>`;

  it.each([
    [0, "suite", "test/a.js"],
    [1, "suite", "test/a.js"],
    [2, "error", null],
    [3, undefined, "test/a.js"],
  ])("entry %i: kind %s, file %s", (i, kind, file) => {
    const entry = tests(xml)[i]!;
    expect(entry.kind).toBe(kind);
    expect(entry.file).toBe(file);
  });
});
