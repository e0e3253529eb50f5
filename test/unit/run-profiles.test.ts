import { describe, expect, it } from "vitest";
import {
  type CommandLine,
  classify,
  detectRunners,
  runnerNames,
  runnerProfiles,
} from "../../src/run/index.js";

// Samples. Recorded here (then trimmed of timings and long stack traces):
// pytest 9.0.3, unittest of Python 3.11.7, vitest 4.1.12, node 20.20.2 (node and node --test), cargo 1.95.0,
// playwright 1.65.1 (@playwright/test, list reporter), tap 21.8.0, Maven 3.8.7 offline (colours taken out), tape 5.10.2 (its lazy-require case written
// from its TAP output for a thrown error),
// uvu 0.5.6 (colours taken out),
// tsc 7.0.2. Written from the runners' documented formats (not installed here):
// jest (jest-message-util "Test suite failed to run", jest-resolve
// "Cannot find module '<m>' from '<file>'", jest-cli "No tests found, exiting
// with code 1"), mocha (lib/cli/collect-files.js "Error: No test files found",
// lib/cli/run.js prints err.stack on load errors), go test (cmd/go:
// "FAIL\t<pkg> [build failed]" / "[setup failed]", "no Go files in <dir>").

interface Sample {
  name: string;
  command: CommandLine;
  exitCode: number;
  output: string;
}

interface ProfileSamples {
  cannotRun: Sample[];
  fail: Sample[];
}

/** The lines Maven ends every error with, naming the exception's help page. */
const mavenHelp = (exception: string) => `[ERROR] 
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
[ERROR] Re-run Maven using the -X switch to enable full debug logging.
[ERROR] 
[ERROR] For more information about the errors and possible solutions, please read the following articles:
[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/${exception}
`;

/** tap 21's TAP of test/enc.test.js, whose one assertion fails (recorded here). */
const tapEncTest = `# Subtest: test/enc.test.js
    # Subtest: enc
        not ok 1 - should be equal
          ---
          compare: ===
          at:
            fileName: test/enc.test.js
            lineNumber: 2
            columnNumber: 32
            typeName: Test
          stack: |
            Test.<anonymous> (test/enc.test.js:2:32)
            Object.<anonymous> (test/enc.test.js:2:3)
          source: |
            const t = require("tap");
            t.test("enc", async (t) => { t.equal("a_b", "a~b"); });
            -------------------------------^
          diff: |
            --- expected
            +++ actual
            @@ -1,1 +1,1 @@
            -a~b
            +a_b
          ...
        
        1..1
    not ok 1 - enc # time=19.691ms
    1..1
`;

const samples: Record<string, ProfileSamples> = {
  unittest: {
    cannotRun: [
      {
        name: "a dotted name whose import fails",
        command: ["python3", "-m", "unittest", "pkg.test_missingmod"],
        exitCode: 1,
        output: `E
======================================================================
ERROR: test_missingmod (unittest.loader._FailedTest.test_missingmod)
----------------------------------------------------------------------
ImportError: Failed to import test module: test_missingmod
Traceback (most recent call last):
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/loader.py", line 162, in loadTestsFromName
    module = __import__(module_name)
             ^^^^^^^^^^^^^^^^^^^^^^^
  File "/tmp/profiles-check/ut/pkg/test_missingmod.py", line 2, in <module>
    import no_such_module_zz
ModuleNotFoundError: No module named 'no_such_module_zz'


----------------------------------------------------------------------
Ran 1 test in 0.000s

FAILED (errors=1)
`,
      },
      {
        name: "a dotted name that does not exist",
        command: ["python3", "-m", "unittest", "pkg.test_nope"],
        exitCode: 1,
        output: `E
======================================================================
ERROR: test_nope (unittest.loader._FailedTest.test_nope)
----------------------------------------------------------------------
ImportError: Failed to import test module: test_nope
Traceback (most recent call last):
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/loader.py", line 162, in loadTestsFromName
    module = __import__(module_name)
             ^^^^^^^^^^^^^^^^^^^^^^^
ModuleNotFoundError: No module named 'pkg.test_nope'


----------------------------------------------------------------------
Ran 1 test in 0.000s

FAILED (errors=1)
`,
      },
      {
        name: "a dotted name that does not parse",
        command: ["python3", "-m", "unittest", "pkg.test_syntax"],
        exitCode: 1,
        output: `Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "<frozen runpy>", line 88, in _run_code
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/__main__.py", line 18, in <module>
    main(module=None)
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/main.py", line 101, in __init__
    self.parseArgs(argv)
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/main.py", line 150, in parseArgs
    self.createTests()
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/main.py", line 161, in createTests
    self.test = self.testLoader.loadTestsFromNames(self.testNames,
                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/loader.py", line 232, in loadTestsFromNames
    suites = [self.loadTestsFromName(name, module) for name in names]
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/loader.py", line 232, in <listcomp>
    suites = [self.loadTestsFromName(name, module) for name in names]
              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/loader.py", line 162, in loadTestsFromName
    module = __import__(module_name)
             ^^^^^^^^^^^^^^^^^^^^^^^
  File "/tmp/profiles-check/ut/pkg/test_syntax.py", line 3
    def test_s(self:
              ^
SyntaxError: '(' was never closed
`,
      },
      {
        name: "an unknown option",
        command: ["python3", "-m", "unittest", "--nope-option", "pkg.test_ok"],
        exitCode: 2,
        output: `usage: python3 -m unittest [-h] [-v] [-q] [--locals] [-f] [-c] [-b]
                           [-k TESTNAMEPATTERNS]
                           [tests ...]
python3 -m unittest: error: unrecognized arguments: --nope-option
`,
      },
      {
        name: "a start directory that is not there (a traceback, exit 1)",
        command: ["python3", "-m", "unittest", "discover", "-s", "nothere"],
        exitCode: 1,
        output: `Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/unittest/loader.py", line 332, in discover
    raise ImportError('Start directory is not importable: %r' % start_dir)
ImportError: Start directory is not importable: 'nothere'
`,
      },
      {
        // Python 3.12 and later, as 3.12.1 printed it here; 3.11 exits 0 there.
        name: "no tests ran (exit 5)",
        command: "uv run python -m unittest discover -s empty",
        exitCode: 5,
        output: `
----------------------------------------------------------------------
Ran 0 tests in 0.000s

NO TESTS RAN
`,
      },
    ],
    fail: [
      {
        name: "an assertion (exit 1)",
        command: ["python3", "-m", "unittest", "test_calc"],
        exitCode: 1,
        output: `F.
======================================================================
FAIL: test_add (test_calc.TestCalc.test_add)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/tmp/ut/test_calc.py", line 5, in test_add
    self.assertEqual(add(2, 2), 4)
AssertionError: 5 != 4

----------------------------------------------------------------------
Ran 2 tests in 0.001s

FAILED (failures=1)
`,
      },
    ],
  },
  pytest: {
    cannotRun: [
      {
        name: "import error during collection (exit 2)",
        command: ["pytest", "test_load.py"],
        exitCode: 2,
        output: `============================= test session starts ==============================
platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0
rootdir: /tmp/rs/py
collected 0 items / 1 error

==================================== ERRORS ====================================
________________________ ERROR collecting test_load.py _________________________
ImportError while importing test module '/tmp/rs/py/test_load.py'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
/root/.pyenv/versions/3.11.7/lib/python3.11/importlib/__init__.py:126: in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
test_load.py:1: in <module>
    from missing_module import add
E   ModuleNotFoundError: No module named 'missing_module'
=========================== short test summary info ============================
ERROR test_load.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
=============================== 1 error in 0.85s ===============================
`,
      },
      {
        name: "syntax error during collection (exit 2)",
        command: ["python3", "-m", "pytest", "-q", "test_syntax.py"],
        exitCode: 2,
        output: `==================================== ERRORS ====================================
_______________________ ERROR collecting test_syntax.py ________________________
/root/.pyenv/versions/3.11.7/lib/python3.11/ast.py:50: in parse
    return compile(source, filename, mode, flags,
E     File "/tmp/rs/py/test_syntax.py", line 1
E       def test_add(:
E                    ^
E   SyntaxError: invalid syntax
=========================== short test summary info ============================
ERROR test_syntax.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
=============================== 1 error in 0.89s ===============================
`,
      },
      {
        name: "file not found (exit 4)",
        command: "uv run pytest nothere.py",
        exitCode: 4,
        output: `============================= test session starts ==============================
collected 0 items

============================ no tests ran in 0.67s =============================
ERROR: file or directory not found: nothere.py

`,
      },
      {
        name: "no tests collected (exit 5)",
        command: ["pytest", "empty"],
        exitCode: 5,
        output: `============================= test session starts ==============================
collected 0 items

============================ no tests ran in 0.67s =============================
`,
      },
      {
        name: "usage error (exit 4)",
        command: ["pytest", "--bogus"],
        exitCode: 4,
        output: `ERROR: usage: pytest [options] [file_or_dir] [file_or_dir] [...]
pytest: error: unrecognized arguments: --bogus
  inifile: None
  rootdir: /tmp/rs/py
`,
      },
      {
        name: "collection error with --continue-on-collection-errors (exit 1)",
        command: ["pytest", "--continue-on-collection-errors", "-q"],
        exitCode: 1,
        output: `FF                                                                       [100%]
==================================== ERRORS ====================================
________________________ ERROR collecting test_load.py _________________________
ImportError while importing test module '/tmp/rs/py/test_load.py'.
E   ModuleNotFoundError: No module named 'missing_module'
=========================== short test summary info ============================
ERROR test_load.py
2 failed, 1 error in 0.69s
`,
      },
    ],
    fail: [
      {
        name: "assertion failures, one mentioning 'ERROR collecting' and ImportError",
        command: ["pytest", "test_assert.py"],
        exitCode: 1,
        output: `============================= test session starts ==============================
collected 2 items

test_assert.py FF                                                        [100%]

=================================== FAILURES ===================================
___________________________________ test_add ___________________________________

    def test_add():
>       assert add(1, 2) == 3
E       assert 4 == 3
E        +  where 4 = add(1, 2)

test_assert.py:4: AssertionError
__________________________________ test_error __________________________________

    def test_error():
>       raise RuntimeError("ERROR collecting data: ImportError while importing config")
E       RuntimeError: ERROR collecting data: ImportError while importing config

test_assert.py:6: RuntimeError
=========================== short test summary info ============================
FAILED test_assert.py::test_add - assert 4 == 3
FAILED test_assert.py::test_error - RuntimeError: ERROR collecting data: Impo...
============================== 2 failed in 0.78s ===============================
`,
      },
    ],
  },

  vitest: {
    cannotRun: [
      {
        name: "a CommonJS helper requiring a file that is not there",
        command: ["npx", "vitest", "run", "c/missing-cjs.test.ts"],
        exitCode: 1,
        output: `
[1m[30m[46m RUN [49m[39m[22m [36mv4.1.12 [39m[90m/tmp/profiles-check/vt[39m

 [31m❯[39m c/missing-cjs.test.ts [2m([22m[2m0 test[22m[2m)[22m

[31m⎯⎯⎯⎯⎯⎯[39m[1m[41m Failed Suites 1 [49m[22m[31m⎯⎯⎯⎯⎯⎯⎯[39m

[41m[1m FAIL [22m[49m c/missing-cjs.test.ts[2m [ c/missing-cjs.test.ts ][22m
[31m[1mError[22m: Cannot find module './nope-cjs'
Require stack:
- /tmp/profiles-check/vt/c/helper.cjs[39m
[36m [2m❯[22m c/helper.cjs:[2m1:18[22m[39m
    [90m  1|[39m module[33m.[39mexports [33m=[39m [34mrequire[39m([32m"./nope-cjs"[39m)[33m;[39m
    [90m   |[39m                  [31m^[39m
    [90m  2|[39m

[31m[2m⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯[22m[39m


[2m Test Files [22m [1m[31m1 failed[39m[22m[90m (1)[39m
[2m      Tests [22m [2mno tests[22m
[2m   Start at [22m 13:03:03
[2m   Duration [22m 402ms[2m (transform 16ms, setup 0ms, import 0ms, tests 0ms, environment 0ms)[22m

`,
      },
      {
        name: "missing module",
        command: ["npx", "vitest", "run", "load.test.ts"],
        exitCode: 1,
        output: `
 RUN  v4.1.12 /tmp/rs/vt

 ❯ load.test.ts (0 test)

⎯⎯⎯⎯⎯⎯ Failed Suites 1 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  load.test.ts [ load.test.ts ]
Error: Cannot find module './missing.js' imported from /tmp/rs/vt/load.test.ts
 ❯ load.test.ts:2:1
      1| import { describe, it, expect } from "vitest";
      2| import { sum } from "./missing.js";
       | ^
      3| it("adds", () => { expect(sum(1, 2)).toBe(3); });

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯


 Test Files  1 failed (1)
      Tests  no tests
`,
      },
      {
        name: "missing package",
        command: ["vitest", "run", "pkg.test.ts"],
        exitCode: 1,
        output: `
 FAIL  pkg.test.ts [ pkg.test.ts ]
Error: Cannot find package 'no-such-package-xyz' imported from /tmp/rs/vt/pkg.test.ts
 ❯ pkg.test.ts:2:1

 Test Files  1 failed (1)
      Tests  no tests
`,
      },
      {
        name: "syntax error (transform failed), coloured",
        command: "pnpm exec vitest run syntax.test.ts",
        exitCode: 1,
        output: `
 \x1b[31mFAIL\x1b[39m  syntax.test.ts [ syntax.test.ts ]
\x1b[31mError: Transform failed with 1 error:\x1b[39m

\x1b[31m[PARSE_ERROR] \x1b[0mExpected \`}\` but found \`EOF\`

  Plugin: vite:oxc
  File: /tmp/rs/vt/syntax.test.ts

 Test Files  1 failed (1)
      Tests  no tests
`,
      },
      {
        name: "no test files",
        command: ["./node_modules/.bin/vitest", "run", "nothing-here"],
        exitCode: 1,
        output: `
 RUN  v4.1.12 /tmp/rs/vt

No test files found, exiting with code 1

filter: nothing-here
include: **/*.{test,spec}.?(c|m)[jt]s?(x)
exclude:  **/node_modules/**, **/.git/**

`,
      },
      {
        name: "a --project the config does not have (one your change adds, at the baseline)",
        command: ["npx", "vitest", "run", "--project", "nope"],
        exitCode: 1,
        output: `
[31m⎯⎯⎯⎯⎯⎯⎯[39m[1m[41m Startup Error [49m[22m[31m⎯⎯⎯⎯⎯⎯⎯⎯[39m
Error: No projects matched the filter "nope".
    at Vitest._setServer (file:///work/main/node_modules/vitest/dist/chunks/cli-api.B0Pz1_R7.js:13232:22)
    at async BasicMinimalPluginContext.handler (file:///work/main/node_modules/vitest/dist/chunks/cli-api.B0Pz1_R7.js:14258:5)
    at async _createServer (file:///work/main/node_modules/vite/dist/node/chunks/node.js:25018:84)
    at async createViteServer (file:///work/main/node_modules/vitest/dist/chunks/cli-api.B0Pz1_R7.js:8902:17)
    at async createVitest (file:///work/main/node_modules/vitest/dist/chunks/cli-api.B0Pz1_R7.js:14288:18)
    at async prepareVitest (file:///work/main/node_modules/vitest/dist/chunks/cli-api.B0Pz1_R7.js:14655:14)
    at async startVitest (file:///work/main/node_modules/vitest/dist/chunks/cli-api.B0Pz1_R7.js:14598:14)
    at async start (file:///work/main/node_modules/vitest/dist/chunks/cac.DzDtg8hz.js:2340:15)
    at async CAC.run (file:///work/main/node_modules/vitest/dist/chunks/cac.DzDtg8hz.js:2318:2)



`,
      },
      {
        name: "an unknown option",
        command: ["npx", "vitest", "run", "--nosuchopt"],
        exitCode: 1,
        output: `file:///work/main/node_modules/vitest/dist/chunks/cac.DzDtg8hz.js:406
          throw new CACError(\`Unknown option \\\`\${name.length > 1 ? \`--\${name}\` : \`-\${name}\`}\\\`\`);
                ^

CACError: Unknown option \`--nosuchopt\`
    at Command.checkUnknownOptions (file:///work/main/node_modules/vitest/dist/chunks/cac.DzDtg8hz.js:406:17)
    at CAC.runMatchedCommand (file:///work/main/node_modules/vitest/dist/chunks/cac.DzDtg8hz.js:606:13)
    at CAC.parse (file:///work/main/node_modules/vitest/dist/chunks/cac.DzDtg8hz.js:547:12)
    at file:///work/main/node_modules/vitest/dist/cli.js:11:13
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)
    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)
    at async asyncRunEntryPointWithESMLoader (node:internal/modules/run_main:117:5)

Node.js v20.20.2
`,
      },
      {
        // reduxjs/redux-thunk's `npm run test:cov` without the coverage plugin installed: no test
        // ran on either side, and it read PRE-EXISTING, exit 0.
        name: "--coverage without its provider installed",
        command: ["npx", "vitest", "run", "--coverage"],
        exitCode: 1,
        output:
          "\u001b[1m\u001b[30m\u001b[41m MISSING DEPENDENCY \u001b[49m\u001b[39m\u001b[22m \u001b[31mCannot find dependency '@vitest/coverage-v8'\n\n\u001b[39m",
      },
    ],
    fail: [
      {
        name: "assertion failure and an error mentioning 'cannot find'",
        command: ["npx", "vitest", "run", "assert.test.ts"],
        exitCode: 1,
        output: `
 RUN  v4.1.12 /tmp/rs/vt

 ❯ assert.test.ts (2 tests | 2 failed) 10ms
   × adds 7ms
   × error message 1ms

⎯⎯⎯⎯⎯⎯⎯ Failed Tests 2 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  assert.test.ts > adds
AssertionError: expected 3 to be 4 // Object.is equality

- Expected
+ Received

- 4
+ 3

 ❯ assert.test.ts:2:34
      1| import { it, expect } from "vitest";
      2| it("adds", () => { expect(1 + 2).toBe(4); });
       |                                  ^

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/2]⎯

 FAIL  assert.test.ts > error message
Error: connection error: cannot find the server
 ❯ assert.test.ts:3:35

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[2/2]⎯


 Test Files  1 failed (1)
      Tests  2 failed (2)
`,
      },
    ],
  },

  jest: {
    cannotRun: [
      {
        name: "a config that does not parse",
        command: ["npx", "jest", "c/ok"],
        exitCode: 1,
        output: `/tmp/profiles-check/jt/jest.config.js:2



SyntaxError: Unexpected end of input
    at wrapSafe (node:internal/modules/cjs/loader:1464:18)
    at Module._compile (node:internal/modules/cjs/loader:1495:20)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at Module._load (node:internal/modules/cjs/loader:1091:12)
    at Module.require (node:internal/modules/cjs/loader:1289:19)
    at require (node:internal/modules/helpers:182:18)
    at requireOrImportModule (/work/main/node_modules/jest-util/build/index.js:1077:28)
    at readConfigFileAndSetRootDir (/work/main/node_modules/jest-config/build/index.js:2369:66)
    at readInitialOptions (/work/main/node_modules/jest-config/build/index.js:1190:60)
`,
      },
      {
        name: "--config naming no file",
        command: ["npx", "jest", "--config", "nope.config.js", "c/ok"],
        exitCode: 1,
        output: `Error: Can't find a root directory while resolving a config file path.
Provided path to resolve: nope.config.js
cwd: /tmp/profiles-check/jt
    at resolveConfigPath (/work/main/node_modules/jest-config/build/index.js:2565:11)
    at readInitialOptions (/work/main/node_modules/jest-config/build/index.js:1181:55)
    at readConfig (/work/main/node_modules/jest-config/build/index.js:957:13)
    at readConfigs (/work/main/node_modules/jest-config/build/index.js:1211:32)
    at runCLI (/work/main/node_modules/@jest/core/build/index.js:1420:43)
    at Object.run (/work/main/node_modules/jest-cli/build/index.js:665:34)
`,
      },
      {
        name: "an unknown option",
        command: ["npx", "jest", "--nosuchopt"],
        exitCode: 1,
        output: `● Unrecognized CLI Parameter:

  Unrecognized option "nosuchopt".

  CLI Options Documentation:
  https://jestjs.io/docs/cli

`,
      },
      {
        name: "a config option jest refuses",
        command: ["npx", "jest"],
        exitCode: 1,
        output: `● Validation Error:

  Option "testMatch" must be of type:
    string or array
  but instead received:
    number

  Example:
  {
    "testMatch": "**/__tests__/**/?(*.)+(spec|test).?([mc])[jt]s?(x)"
  }

  or

  {
    "testMatch": [
      "**/__tests__/**/*.?([mc])[jt]s?(x)",
      "**/?(*.)+(spec|test).?([mc])[jt]s?(x)"
    ]
  }

  Configuration Documentation:
  https://jestjs.io/docs/configuration

`,
      },
      {
        name: "a config that throws",
        command: ["npx", "jest"],
        exitCode: 1,
        output: `Error: config broke
    at Object.<anonymous> (/tmp/jp/jest.config.js:1:7)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at Module._load (node:internal/modules/cjs/loader:1091:12)
    at Module.require (node:internal/modules/cjs/loader:1289:19)
    at require (node:internal/modules/helpers:182:18)
    at requireOrImportModule (/work/main/node_modules/jest-util/build/index.js:1077:28)
    at readConfigFileAndSetRootDir (/work/main/node_modules/jest-config/build/index.js:2369:66)
    at readInitialOptions (/work/main/node_modules/jest-config/build/index.js:1190:60)
`,
      },
      {
        name: "missing module",
        command: ["npx", "jest", "src/sum.test.js"],
        exitCode: 1,
        output: ` FAIL  src/sum.test.js
  ● Test suite failed to run

    Cannot find module './sum' from 'src/sum.test.js'

    > 1 | const sum = require('./sum');
        | ^
      2 |

      at Resolver._throwModNotFoundError (node_modules/jest-resolve/build/resolver.js:427:11)
      at Object.<anonymous> (src/sum.test.js:1:1)

Test Suites: 1 failed, 1 total
Tests:       0 total
Snapshots:   0 total
Time:        0.412 s
Ran all test suites matching /src\\/sum.test.js/i.
`,
      },
      {
        name: "suite-level syntax error",
        command: ["yarn", "jest"],
        exitCode: 1,
        output: ` FAIL  src/parse.test.js
  ● Test suite failed to run

    SyntaxError: /home/user/project/src/parse.js: Unexpected token (3:14)

      1 | export function parse(text) {
      2 |   return text
    > 3 |     .split(",",
        |               ^

Test Suites: 1 failed, 1 total
Tests:       0 total
`,
      },
      {
        name: "no tests found",
        command: ["jest", "nothing"],
        exitCode: 1,
        output: `No tests found, exiting with code 1
Run with \`--passWithNoTests\` to exit with code 0
In /home/user/project
  3 files checked.
  testMatch: **/__tests__/**/*.[jt]s?(x), **/?(*.)+(spec|test).[tj]s?(x) - 0 matches
  testPathIgnorePatterns: /node_modules/ - 3 matches
Pattern: nothing - 0 matches
`,
      },
    ],
    fail: [
      {
        name: "assertion failure, message mentioning a module",
        command: ["npx", "jest"],
        exitCode: 1,
        output: ` FAIL  src/sum.test.js
  ● adds 1 + 2 to equal 3

    expect(received).toBe(expected) // Object.is equality

    Expected: 3
    Received: 4

      3 | test('adds 1 + 2 to equal 3', () => {
    > 4 |   expect(sum(1, 2)).toBe(3);
        |                     ^
      5 | });

      at Object.toBe (src/sum.test.js:4:21)

  ● loader › reports a missing plugin

    Error: cannot find module config in the cache (error while loading)

      at Object.<anonymous> (src/loader.test.js:9:11)

Test Suites: 2 failed, 2 total
Tests:       2 failed, 5 passed, 7 total
`,
      },
    ],
  },

  node: {
    cannotRun: [
      {
        name: "an option node does not know",
        command: ["node", "--test", "--nope-option", "c/ok.test.js"],
        exitCode: 9,
        output: `node: bad option: --nope-option
`,
      },
      {
        name: "tsx --test: a TypeScript file that does not transform",
        command: ["npx", "tsx", "--test", "c/syntax.test.ts"],
        exitCode: 1,
        output: `TAP version 13
# node:internal/modules/run_main:123
#     triggerUncaughtException(
#     ^
# Error [TransformError]: Transform failed with 1 error:
# /tmp/profiles-check/tx/c/syntax.test.ts:2:36: ERROR: Unexpected ";"
#     at failureErrorWithLog (/work/main/node_modules/esbuild/lib/main.js:1752:15)
#     at /work/main/node_modules/esbuild/lib/main.js:1019:50
#     at responseCallbacks.<computed> (/work/main/node_modules/esbuild/lib/main.js:886:9)
#     at handleIncomingPacket (/work/main/node_modules/esbuild/lib/main.js:941:12)
#     at Socket.readFromStdout (/work/main/node_modules/esbuild/lib/main.js:864:7)
#     at Socket.emit (node:events:524:28)
#     at addChunk (node:internal/streams/readable:561:12)
#     at readableAddChunkPushByteMode (node:internal/streams/readable:512:3)
#     at Readable.push (node:internal/streams/readable:392:5)
#     at Pipe.onStreamRead (node:internal/stream_base_commons:191:23)
# Node.js v20.20.2
# Subtest: /tmp/profiles-check/tx/c/syntax.test.ts
not ok 1 - /tmp/profiles-check/tx/c/syntax.test.ts
  ---
  duration_ms: 357.595359
  location: '/tmp/profiles-check/tx/c/syntax.test.ts:1:1'
  failureType: 'testCodeFailure'
  exitCode: 1
  signal: ~
  error: 'test failed'
  code: 'ERR_TEST_FAILURE'
  ...
1..1
# tests 1
# suites 0
# pass 0
# fail 1
# cancelled 0
# skipped 0
# todo 0
# duration_ms 361.699924
`,
      },
      {
        name: "node --test, ESM module not found (TAP)",
        command: ["node", "--test", "load.test.mjs"],
        exitCode: 1,
        output: `TAP version 13
# node:internal/modules/esm/resolve:283
#     throw new ERR_MODULE_NOT_FOUND(
#           ^
# Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/rs/nd/missing.mjs' imported from /tmp/rs/nd/load.test.mjs
#     at finalizeResolution (node:internal/modules/esm/resolve:283:11)
#     at moduleResolve (node:internal/modules/esm/resolve:952:10)
#   code: 'ERR_MODULE_NOT_FOUND',
#   url: 'file:///tmp/rs/nd/missing.mjs'
# }
# Node.js v20.20.2
# Subtest: /tmp/rs/nd/load.test.mjs
not ok 1 - /tmp/rs/nd/load.test.mjs
  ---
  duration_ms: 94.508722
  location: '/tmp/rs/nd/load.test.mjs:1:1'
  failureType: 'testCodeFailure'
  exitCode: 1
  signal: ~
  error: 'test failed'
  code: 'ERR_TEST_FAILURE'
  ...
1..1
# tests 1
# pass 0
# fail 1
`,
      },
      {
        name: "node --test, CommonJS module not found (TAP)",
        command: ["node", "--test", "load.test.cjs"],
        exitCode: 1,
        output: `TAP version 13
# node:internal/modules/cjs/loader:1210
#   throw err;
#   ^
# Error: Cannot find module './missing.cjs'
# Require stack:
# - /tmp/rs/nd/load.test.cjs
#     at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
#     at Module._load (node:internal/modules/cjs/loader:1038:27)
#   code: 'MODULE_NOT_FOUND',
#   requireStack: [ '/tmp/rs/nd/load.test.cjs' ]
# }
# Node.js v20.20.2
# Subtest: /tmp/rs/nd/load.test.cjs
not ok 1 - /tmp/rs/nd/load.test.cjs
`,
      },
      {
        name: "node --test, syntax error (spec reporter)",
        command: ["node", "--test", "--test-reporter=spec", "syntax.test.mjs"],
        exitCode: 1,
        output: `file:///tmp/rs/nd/syntax.test.mjs:2
test("adds", () => { foo(; });
                         ^

SyntaxError: Unexpected token ';'
    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)
    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:146:18)
    at async ModuleJob._link (node:internal/modules/esm/module_job:148:19)

Node.js v20.20.2
✖ /tmp/rs/nd/syntax.test.mjs (86.822375ms)
  'test failed'

ℹ tests 1
ℹ pass 0
ℹ fail 1
`,
      },
      {
        name: "plain node, CommonJS syntax error",
        command: ["node", "syn.cjs"],
        exitCode: 1,
        output: `/tmp/rs/nd/syn.cjs:2
function f( { return x; }
                     ^

SyntaxError: Unexpected identifier 'x'
    at wrapSafe (node:internal/modules/cjs/loader:1464:18)
    at Module._compile (node:internal/modules/cjs/loader:1495:20)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)

Node.js v20.20.2
`,
      },
      {
        name: "plain node, missing named export",
        command: ["node", "export.test.mjs"],
        exitCode: 1,
        output: `file:///tmp/rs/nd/export.test.mjs:2
import { nope } from "./lib.mjs";
         ^^^^
SyntaxError: The requested module './lib.mjs' does not provide an export named 'nope'
    at ModuleJob._instantiate (node:internal/modules/esm/module_job:213:21)
    at async ModuleJob.run (node:internal/modules/esm/module_job:320:5)

Node.js v20.20.2
`,
      },
      {
        name: "plain node, script not found",
        command: "node nofile.js",
        exitCode: 1,
        output: `node:internal/modules/cjs/loader:1210
  throw err;
  ^

Error: Cannot find module '/tmp/rs/nd/nofile.js'
    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
    at Module._load (node:internal/modules/cjs/loader:1038:27)
    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)
    at node:internal/main/run_main_module:28:49 {
  code: 'MODULE_NOT_FOUND',
  requireStack: []
}

Node.js v20.20.2
`,
      },
      {
        name: "node --test, test file not found",
        command: ["node", "--test", "nothere.test.js"],
        exitCode: 1,
        output: "Could not find '/tmp/rs/nd/nothere.test.js'\n",
      },
    ],
    fail: [
      {
        name: "node --test assertion, JSON SyntaxError and a message about loading (TAP)",
        command: ["node", "--test", "assert.test.mjs"],
        exitCode: 1,
        output: `TAP version 13
# Subtest: adds
not ok 1 - adds
  ---
  duration_ms: 2.37742
  location: '/tmp/rs/nd/assert.test.mjs:3:1'
  failureType: 'testCodeFailure'
  error: |-
    Expected values to be strictly equal:
    
    3 !== 4
    
  code: 'ERR_ASSERTION'
  name: 'AssertionError'
  expected: 4
  actual: 3
  operator: 'strictEqual'
  stack: |-
    TestContext.<anonymous> (file:///tmp/rs/nd/assert.test.mjs:3:29)
    Test.runInAsyncScope (node:async_hooks:206:9)
  ...
# Subtest: json
not ok 2 - json
  ---
  duration_ms: 0.168755
  location: '/tmp/rs/nd/assert.test.mjs:4:1'
  failureType: 'testCodeFailure'
  error: "Expected property name or '}' in JSON at position 1"
  code: 'ERR_TEST_FAILURE'
  name: 'SyntaxError'
  stack: |-
    JSON.parse (<anonymous>)
    TestContext.<anonymous> (file:///tmp/rs/nd/assert.test.mjs:4:27)
  ...
# Subtest: error
not ok 3 - error
  ---
  duration_ms: 0.133129
  location: '/tmp/rs/nd/assert.test.mjs:5:1'
  failureType: 'testCodeFailure'
  error: 'Cannot connect: error while loading'
  code: 'ERR_TEST_FAILURE'
  ...
1..3
# tests 3
# pass 0
# fail 3
`,
      },
      {
        name: "plain node, uncaught JSON SyntaxError",
        command: ["node", "throwjson.cjs"],
        exitCode: 1,
        output: `<anonymous_script>:1
{nope
 ^

SyntaxError: Expected property name or '}' in JSON at position 1
    at JSON.parse (<anonymous>)
    at Object.<anonymous> (/tmp/rs/nd/throwjson.cjs:1:6)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)

Node.js v20.20.2
`,
      },
      {
        name: "plain node, failed assert with a message about loading a module",
        command: ["node", "ass.cjs"],
        exitCode: 1,
        output: `node:assert:90
  throw new AssertionError(obj);
  ^

AssertionError [ERR_ASSERTION]: sum is wrong: error loading module

3 !== 4

    at Object.<anonymous> (/tmp/rs/nd/ass.cjs:2:8)
    at Module._compile (node:internal/modules/cjs/loader:1521:14) {
  generatedMessage: false,
  code: 'ERR_ASSERTION',
  actual: 3,
  expected: 4,
  operator: 'strictEqual'
}

Node.js v20.20.2
`,
      },
    ],
  },

  playwright: {
    cannotRun: [
      {
        name: "a config Playwright refuses",
        command: ["npx", "playwright", "test", "c/ok.spec.ts"],
        exitCode: 1,
        output: `Error: playwright.config.ts: config.workers must be a number or percentage
    at errorWithFile (/work/main/node_modules/playwright/lib/common/index.js:389:10)
    at validateProject (/work/main/node_modules/playwright/lib/common/index.js:1552:13)
    at validateConfig (/work/main/node_modules/playwright/lib/common/index.js:1387:3)
    at loadConfig (/work/main/node_modules/playwright/lib/common/index.js:1369:3)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)
    at Object.loadConfigFromFile (/work/main/node_modules/playwright/lib/common/index.js:1586:10)
    at runTests (/work/main/node_modules/playwright/lib/cli/testActions.js:44:18)
    at _Command.<anonymous> (/work/main/node_modules/playwright/lib/program.js:55:7)
`,
      },
      {
        name: "a file that does not parse among others: nothing runs",
        command: [
          "npx",
          "playwright",
          "test",
          "c/syntax.spec.ts",
          "c/ok.spec.ts",
          "c/assert.spec.ts",
        ],
        exitCode: 1,
        output: `SyntaxError: /tmp/profiles-check/pw/c/syntax.spec.ts: Unexpected token (3:0)

   at c/syntax.spec.ts:3

  1 | import { test, expect } from "@playwright/test";
  2 | test("s", () => { expect(1).toBe(1);
> 3 |
    | ^

`,
      },
      {
        name: "a test file that cannot load (CommonJS): the whole run stops",
        command: ["npx", "playwright", "test"],
        exitCode: 1,
        output: `Error: Cannot find module './missing'
Require stack:
- /tmp/pw/tests/bad/bad.spec.js
- /tmp/pw/node_modules/playwright/lib/common/index.js
- /tmp/pw/node_modules/playwright/lib/program.js
- /tmp/pw/node_modules/@playwright/test/cli.js

   at bad/bad.spec.js:1

> 1 | const { test } = require("@playwright/test"); const { x } = require("./missing"); test("t", () => {});
    |                                                             ^
  2 |
    at Object.<anonymous> (/tmp/pw/tests/bad/bad.spec.js:1:61)

`,
      },
      {
        name: "a test file that cannot load (an ES module's import)",
        command: ["npx", "playwright", "test"],
        exitCode: 1,
        output: `Error: Cannot find module '/tmp/pw/tests/missing.mjs' imported from /tmp/pw/tests/esm.spec.mjs
`,
      },
      {
        name: "a project that is not there (one your changes add, at the baseline)",
        command: ["npx", "playwright", "test", "--project=nope"],
        exitCode: 1,
        output: `Error: Project(s) "nope" not found. Available projects: ""
    at Object.filterProjects (/tmp/pw/node_modules/playwright/lib/runner/index.js:2244:11)
    at runTests (/tmp/pw/node_modules/playwright/lib/cli/testActions.js:59:30)
`,
      },
      {
        name: "an option Playwright does not know",
        command: ["npx", "playwright", "test", "--grp", "x"],
        exitCode: 1,
        output: `error: unknown option '--grp'
(Did you mean --grep?)
`,
      },
      {
        name: "a config that does not parse",
        command: ["npx", "playwright", "test"],
        exitCode: 1,
        output: `SyntaxError: /tmp/pw/playwright.config.js: Unexpected token (2:0)
    at toSyntaxError (/tmp/pw/node_modules/playwright/lib/transform/babelBundle.js:72499:23)
    at babelTransform (/tmp/pw/node_modules/playwright/lib/transform/babelBundle.js:72491:11)
`,
      },
      {
        name: "a config that throws",
        command: ["npx", "playwright", "test"],
        exitCode: 1,
        output: `Error: boom
    at Object.<anonymous> (/tmp/pw/playwright.config.js:1:7)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
`,
      },
      {
        name: "a config file that is not there",
        command: ["npx", "playwright", "test", "-c", "nothere.config.js"],
        exitCode: 1,
        output: `Error: /tmp/pw/nothere.config.js does not exist
    at resolveConfigFile2 (/tmp/pw/node_modules/playwright/lib/common/index.js:1576:11)
`,
      },
      {
        name: "a test file that is not there (a new test at the stash baseline)",
        command: ["npx", "playwright", "test", "tests/nothing.spec.js"],
        exitCode: 1,
        output: `Error: No tests found.
Make sure that arguments are regular expressions matching test files.
You may need to escape symbols like "$" or "*" and quote the arguments.

`,
      },
    ],
    fail: [
      {
        name: "assertion failure",
        command: ["npx", "playwright", "test", "tests/math.spec.js"],
        exitCode: 1,
        output: `
Running 3 tests using 1 worker

  ✓  1 tests/math.spec.js:3:1 › adds (12ms)
  ✓  2 tests/math.spec.js:4:1 › multiplies (3ms)
  ✘  3 tests/math.spec.js:5:1 › old bug: subtracts (14ms)


  1) tests/math.spec.js:5:1 › old bug: subtracts ───────────────────────────────────────────────────

    Error: expect(received).toBe(expected) // Object.is equality

    Expected: 1
    Received: -1

      3 | test("adds", () => { expect(add(2, 2)).toBe(4); });
      4 | test("multiplies", () => { expect(mul(2, 3)).toBe(6); });
    > 5 | test("old bug: subtracts", () => { expect(2 - 3).toBe(1); });
        |                                                  ^
      6 |
        at /tmp/pw/tests/math.spec.js:5:50

    Error Context: test-results/math-old-bug-subtracts/error-context.md

  1 failed
    tests/math.spec.js:5:1 › old bug: subtracts ────────────────────────────────────────────────────
  2 passed (1.2s)
`,
      },
    ],
  },

  mocha: {
    cannotRun: [
      {
        name: "mocha 12: an ES module test file that does not parse",
        command: ["npx", "mocha", "c/syntax.spec.mjs"],
        exitCode: 1,
        output: `
 Exception during run: SyntaxError[ @/tmp/profiles-check/mo/c/syntax.spec.mjs ]: Unexpected end of input
    at compileSourceTextModule (node:internal/modules/esm/utils:346:16)
    at ModuleLoader.moduleStrategy (node:internal/modules/esm/translators:146:18)
    at #translate (node:internal/modules/esm/loader:497:12)
    at ModuleLoader.loadAndTranslate (node:internal/modules/esm/loader:544:27)
    at async ModuleJob._link (node:internal/modules/esm/module_job:148:19)
`,
      },
      {
        name: "mocha 12: a .mocharc.js that throws",
        command: ["npx", "mocha", "c/ok.spec.js"],
        exitCode: 1,
        output: `file:///work/main/node_modules/mocha/lib/errors.js:344
  var err = new Error(message);
            ^

Error: Unable to read/parse /tmp/profiles-check/mo/.mocharc.js: Error: config boom
    at createUnparsableFileError (file:///work/main/node_modules/mocha/lib/errors.js:344:13)
    at exports.loadConfig (/work/main/node_modules/mocha/lib/cli/config.cjs:95:11)
    at loadRc (/work/main/node_modules/mocha/lib/cli/options.cjs:65:21)
    at loadOptions (/work/main/node_modules/mocha/lib/cli/options.cjs:149:20)
    at file:///work/main/node_modules/mocha/bin/mocha.js:33:14
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)
    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)
    at async asyncRunEntryPointWithESMLoader (node:internal/modules/run_main:117:5) {
  code: 'ERR_MOCHA_UNPARSABLE_FILE'
}

Node.js v20.20.2
`,
      },
      {
        name: "mocha 12: a .mocharc.json that does not parse",
        command: ["npx", "mocha", "c/ok.spec.js"],
        exitCode: 1,
        output: `file:///work/main/node_modules/mocha/lib/errors.js:344
  var err = new Error(message);
            ^

Error: Unable to read/parse /tmp/profiles-check/mo/.mocharc.json: SyntaxError: Unexpected end of JSON input
    at createUnparsableFileError (file:///work/main/node_modules/mocha/lib/errors.js:344:13)
    at exports.loadConfig (/work/main/node_modules/mocha/lib/cli/config.cjs:95:11)
    at loadRc (/work/main/node_modules/mocha/lib/cli/options.cjs:65:21)
    at loadOptions (/work/main/node_modules/mocha/lib/cli/options.cjs:149:20)
    at file:///work/main/node_modules/mocha/bin/mocha.js:33:14
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)
    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)
    at async asyncRunEntryPointWithESMLoader (node:internal/modules/run_main:117:5) {
  code: 'ERR_MOCHA_UNPARSABLE_FILE'
}

Node.js v20.20.2
`,
      },
      {
        name: "mocha 12: a test file's missing CommonJS module",
        command: ["npx", "mocha", "mt/"],
        exitCode: 1,
        output: `
 Exception during run: Error: Cannot find module './nope'
Require stack:
- /tmp/jp/mt/b.spec.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
    at Module._load (node:internal/modules/cjs/loader:1038:27)
    at Module.require (node:internal/modules/cjs/loader:1289:19)
    at require (node:internal/modules/helpers:182:18)
    at Object.<anonymous> (/tmp/jp/mt/b.spec.js:1:1)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at Module._load (node:internal/modules/cjs/loader:1091:12)
    at cjsLoader (node:internal/modules/esm/translators:298:15)
    at ModuleWrap.<anonymous> (node:internal/modules/esm/translators:240:7)
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)
    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)
    at async formattedImport (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:11:14)
    at async Object.requireModule [as requireOrImport] (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:106:30)
    at async exports.loadFilesAsync (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:182:20)
    at async singleRun (/work/main/node_modules/mocha/lib/cli/run-helpers.cjs:174:3)
    at async exports.handler (/work/main/node_modules/mocha/lib/cli/run.cjs:143:5) {
  code: 'MODULE_NOT_FOUND',
  requireStack: [ '/tmp/jp/mt/b.spec.js' ]
}
`,
      },
      {
        name: "mocha 12: a test file's missing ES module",
        command: ["npx", "mocha", "me/"],
        exitCode: 1,
        output: `
 Exception during run: Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/jp/me/nope.mjs' imported from /tmp/jp/me/a.spec.mjs
    at finalizeResolution (node:internal/modules/esm/resolve:283:11)
    at moduleResolve (node:internal/modules/esm/resolve:952:10)
    at defaultResolve (node:internal/modules/esm/resolve:1188:11)
    at ModuleLoader.defaultResolve (node:internal/modules/esm/loader:708:12)
    at #cachedDefaultResolve (node:internal/modules/esm/loader:657:25)
    at ModuleLoader.resolve (node:internal/modules/esm/loader:640:38)
    at ModuleLoader.getModuleJobForImport (node:internal/modules/esm/loader:264:38)
    at ModuleJob._link (node:internal/modules/esm/module_job:168:49) {
  code: 'ERR_MODULE_NOT_FOUND',
  url: 'file:///tmp/jp/me/nope.mjs'
}
`,
      },
      {
        name: "mocha 12: a test file that does not parse",
        command: ["npx", "mocha", "ms/"],
        exitCode: 1,
        output: `
 Exception during run: /tmp/jp/ms/a.spec.js:1
it("a", () => { let x = ; });
                        ^

SyntaxError: Unexpected token ';'
    at wrapSafe (node:internal/modules/cjs/loader:1464:18)
    at Module._compile (node:internal/modules/cjs/loader:1495:20)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at Module._load (node:internal/modules/cjs/loader:1091:12)
    at cjsLoader (node:internal/modules/esm/translators:298:15)
    at ModuleWrap.<anonymous> (node:internal/modules/esm/translators:240:7)
    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)
    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)
    at async formattedImport (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:11:14)
    at async Object.requireModule [as requireOrImport] (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:106:30)
    at async exports.loadFilesAsync (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:182:20)
    at async singleRun (/work/main/node_modules/mocha/lib/cli/run-helpers.cjs:174:3)
    at async exports.handler (/work/main/node_modules/mocha/lib/cli/run.cjs:143:5)
`,
      },
      {
        name: "mocha 12: a --require that is not there (.mocharc.js)",
        command: ["npx", "mocha", "mt/"],
        exitCode: 1,
        output: `
✖ ERROR: Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'nonexist-module' imported from /work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs
    at packageResolve (node:internal/modules/esm/resolve:873:9)
    at moduleResolve (node:internal/modules/esm/resolve:946:18)
    at defaultResolve (node:internal/modules/esm/resolve:1188:11)
    at ModuleLoader.defaultResolve (node:internal/modules/esm/loader:708:12)
    at #cachedDefaultResolve (node:internal/modules/esm/loader:657:25)
    at ModuleLoader.resolve (node:internal/modules/esm/loader:640:38)
    at ModuleLoader.getModuleJobForImport (node:internal/modules/esm/loader:264:38)
    at ModuleLoader.import (node:internal/modules/esm/loader:605:34)
    at defaultImportModuleDynamicallyForScript (node:internal/modules/esm/utils:234:31)
    at importModuleDynamicallyCallback (node:internal/modules/esm/utils:256:12)
    at exports.doImport (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:37:36)
    at formattedImport (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:34:18)
    at requireModule (/work/main/node_modules/mocha/lib/nodejs/esm-utils.cjs:106:36)
    at exports.handleRequires (/work/main/node_modules/mocha/lib/cli/run-helpers.cjs:109:34)
    at async Object.prepareRunOptions (/work/main/node_modules/mocha/lib/cli/run.cjs:126:19)
    at async runCommand (file:///work/main/node_modules/mocha/lib/cli/cli.js:91:5) {
  code: 'ERR_MODULE_NOT_FOUND'
}
`,
      },
      {
        name: "missing CommonJS module",
        command: ["npx", "mocha", "test/sum.spec.js"],
        exitCode: 1,
        output: `
Error: Cannot find module './missing'
Require stack:
- /home/user/project/test/sum.spec.js
- /home/user/project/node_modules/mocha/lib/nodejs/file-unloader.js
- /home/user/project/node_modules/mocha/lib/mocha.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1140:15)
    at Module._load (node:internal/modules/cjs/loader:981:27)
`,
      },
      {
        name: "missing ESM module",
        command: ["mocha", "test/sum.spec.mjs"],
        exitCode: 1,
        output: `
Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/home/user/project/lib/sum.mjs' imported from /home/user/project/test/sum.spec.mjs
    at finalizeResolution (node:internal/modules/esm/resolve:264:11)
`,
      },
      {
        name: "no test files",
        command: ["mocha", "test/nothing"],
        exitCode: 1,
        output: `Warning: Cannot find any files matching pattern "test/nothing"
\x1b[31mError: No test files found: "test/nothing"\x1b[39m
`,
      },
    ],
    fail: [
      {
        name: "assertion failure",
        command: ["mocha"],
        exitCode: 1,
        output: `

  sum
    1) adds
    ✔ handles zero


  1 passing (5ms)
  1 failing

  1) sum
       adds:

      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

3 !== 4

      + expected - actual

      -3
      +4
      
      at Context.<anonymous> (test/sum.spec.js:6:12)
      at process.processImmediate (node:internal/timers:476:21)



`,
      },
    ],
  },

  ava: {
    cannotRun: [
      {
        name: "ava 6 --tap: no test file (an empty plan)",
        command: ["npx", "ava", "test/nothing.js", "--tap"],
        exitCode: 1,
        output: `TAP version 13

1..0
# tests 0
# pass 0
# fail 0

`,
      },
      {
        name: "ava 6 --tap: the only test file imports a module that is not there",
        command: ["npx", "ava", "test/e.mjs", "--tap"],
        exitCode: 1,
        output: `TAP version 13
not ok 1 - Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/tmp/aq/lib/missing.mjs' imported from /tmp/aq/test/e.mjs
  ---
    name: Error
    message: Cannot find module '/tmp/aq/lib/missing.mjs' imported from /tmp/aq/test/e.mjs
    at: 'finalizeResolution (node:internal/modules/esm/resolve:283:11)'
  ...
not ok 2 - test/e.mjs exited with a non-zero exit code: 1

1..0
# tests 0
# pass 0
# fail 2

`,
      },
    ],
    fail: [
      {
        name: "ava 6 --tap: an assertion that fails",
        command: ["npx", "ava", "test/enc.js", "--tap"],
        exitCode: 1,
        output: `TAP version 13
ok 1 - enc keeps letters
not ok 2 - enc keeps tildes
  ---
    name: AssertionError
    assertion: t.is()
    details:
      'Difference (- actual, + expected):': |-
        - 'a_b'
        + 'a~b'
    message: ''
    at: 'ExecutionContext.is (file:///work/main/node_modules/ava/lib/assert.js:309:16)'
  ...

1..2
# tests 2
# pass 1
# fail 1

`,
      },
      {
        name: "ava 6 --tap: a require inside a test, which AVA reports as the test's error",
        command: ["npx", "ava", "test/lazy.js", "--tap"],
        exitCode: 1,
        output: `TAP version 13
not ok 1 - loads lazily
  ---
    name: AssertionError
    details:
      'Error thrown in test:': |-
        Error {
          code: 'MODULE_NOT_FOUND',
          requireStack: [
            '/tmp/aq/test/lazy.js',
            '/work/main/node_modules/ava/lib/worker/base.js',
          ],
          message: \`Cannot find module '../lib/later'␊
          Require stack:␊
          - /tmp/aq/test/lazy.js␊
          - /work/main/node_modules/ava/lib/worker/base.js\`,
        }
    message: Error thrown in test
    at: 'Require stack:'
  ...

1..1
# tests 1
# pass 0
# fail 1

`,
      },
    ],
  },

  maven: {
    cannotRun: [
      {
        name: "maven 3.8 (surefire 3.2.5): the main code does not compile (-q)",
        command: ["mvn", "-o", "-q", "test"],
        exitCode: 1,
        output: `[ERROR] COMPILATION ERROR : 
[ERROR] /tmp/mv/src/main/java/demo/Calc.java:[4,55] illegal start of expression
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project demo: Compilation failure
[ERROR] /tmp/mv/src/main/java/demo/Calc.java:[4,55] illegal start of expression
[ERROR] 
[ERROR] -> [Help 1]
${mavenHelp("MojoFailureException")}`,
      },
      {
        name: "maven 3.8: Surefire 2.12.4 (Maven's default) offline, a dependency of it not there",
        command: ["mvn", "-o", "-q", "test"],
        exitCode: 1,
        output: `[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test (default-test) on project demo: Execution default-test of goal org.apache.maven.plugins:maven-surefire-plugin:2.12.4:test failed: Plugin org.apache.maven.plugins:maven-surefire-plugin:2.12.4 or one of its dependencies could not be resolved: Failed to collect dependencies at org.apache.maven.plugins:maven-surefire-plugin:jar:2.12.4 -> org.apache.maven.surefire:maven-surefire-common:jar:2.12.4 -> org.apache.maven.shared:maven-common-artifact-filters:jar:1.3: Failed to read artifact descriptor for org.apache.maven.shared:maven-common-artifact-filters:jar:1.3: Cannot access central (https://repo.maven.apache.org/maven2) in offline mode and the artifact org.apache.maven.shared:maven-shared-components:pom:12 has not been downloaded from it before. -> [Help 1]
${mavenHelp("PluginResolutionException")}`,
      },
      {
        name: "maven 3.8: -Dtest names a class that is not there",
        command: ["mvn", "-o", "-q", "test", "-Dtest=NopeTest"],
        exitCode: 1,
        output: `[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project demo: No tests matching pattern "NopeTest" were executed! (Set -Dsurefire.failIfNoSpecifiedTests=false to ignore this error.) -> [Help 1]
${mavenHelp("MojoFailureException")}`,
      },
      {
        name: "maven 3.8: an unknown phase",
        command: ["mvn", "-o", "-q", "tset"],
        exitCode: 1,
        output: `[ERROR] Unknown lifecycle phase "tset". You must specify a valid lifecycle phase or a goal in the format <plugin-prefix>:<goal> or <plugin-group-id>:<plugin-artifact-id>[:<plugin-version>]:<goal>. Available lifecycle phases are: validate, initialize, generate-sources, process-sources, generate-resources, process-resources, compile, process-classes, generate-test-sources, process-test-sources, generate-test-resources, process-test-resources, test-compile, process-test-classes, test, prepare-package, package, pre-integration-test, integration-test, post-integration-test, verify, install, deploy, pre-clean, clean, post-clean, pre-site, site, post-site, site-deploy. -> [Help 1]
${mavenHelp("LifecyclePhaseNotFoundException")}`,
      },
      {
        name: "maven 3.8: an option Maven does not know",
        command: ["mvn", "-o", "-q", "--bogus", "test"],
        exitCode: 1,
        output: `Unable to parse command line options: Unrecognized option: --bogus

usage: mvn [options] [<goal(s)>] [<phase(s)>]
`,
      },
      {
        name: "maven 3.8: no POM where it runs",
        command: ["mvn", "-o", "-q", "test"],
        exitCode: 1,
        output: `[ERROR] The goal you specified requires a project to execute but there is no POM in this directory (/tmp). Please verify you invoked Maven from the correct directory. -> [Help 1]
${mavenHelp("MissingProjectException")}`,
      },
    ],
    fail: [
      {
        name: "maven 3.8 (surefire 3.2.5, JUnit 5.10): two assertions that fail (-q)",
        command: ["mvn", "-o", "-q", "test"],
        exitCode: 1,
        output: `[ERROR] Tests run: 3, Failures: 2, Errors: 0, Skipped: 0, Time elapsed: 0.061 s <<< FAILURE! -- in demo.CalcTest
[ERROR] demo.CalcTest.oldBug -- Time elapsed: 0.031 s <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <1> but was: <0>
	at demo.CalcTest.oldBug(CalcTest.java:9)

[ERROR] demo.CalcTest.multiplies -- Time elapsed: 0.002 s <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <6> but was: <7>
	at demo.CalcTest.multiplies(CalcTest.java:8)

[ERROR] Failures: 
[ERROR]   CalcTest.multiplies:8 expected: <6> but was: <7>
[ERROR]   CalcTest.oldBug:9 expected: <1> but was: <0>
[ERROR] Tests run: 3, Failures: 2, Errors: 0, Skipped: 0
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project demo: There are test failures.
[ERROR] 
[ERROR] Please refer to /tmp/mv/target/surefire-reports for the individual test results.
[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.
[ERROR] -> [Help 1]
${mavenHelp("MojoFailureException")}`,
      },
    ],
  },
  uvu: {
    // uvu 0.5.6, recorded here (colours taken out; its bin forces them on), stacks trimmed.
    cannotRun: [
      {
        name: "uvu 0.5: a test file that requires a module that is not there",
        command: ["npx", "uvu", "test"],
        exitCode: 1,
        output: `Error: Cannot find module '../lib/missing'
Require stack:
- /tmp/profiles-check/uv/test/missing.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
    at Module._load (node:internal/modules/cjs/loader:1038:27)
    at Module.require (node:internal/modules/cjs/loader:1289:19)
    at require (node:internal/modules/helpers:182:18)
    at Object.<anonymous> (/tmp/profiles-check/uv/test/missing.js:2:1)
`,
      },
      {
        name: "uvu 0.5: a -r module it cannot require",
        command: ["npx", "uvu", "-r", "tsm", "test"],
        exitCode: 1,
        output: `Error: Cannot find module "tsm"
    at /work/main/node_modules/uvu/parse/index.js:22:21
    at Array.forEach (<anonymous>)
    at parse (/work/main/node_modules/uvu/parse/index.js:20:11)
    at /work/main/node_modules/uvu/bin.js:23:20
`,
      },
      {
        name: "uvu 0.5: a dir that is not there",
        command: ["npx", "uvu", "spec"],
        exitCode: 1,
        output: `Error: ENOENT: no such file or directory, scandir '/tmp/profiles-check/uv/spec'
`,
      },
    ],
    fail: [
      {
        name: "uvu 0.5: an assertion that fails",
        command: ["npx", "uvu", "test"],
        exitCode: 1,
        output: `enc.js
✘ •   (1 / 2)

   FAIL  "enc keeps tildes"
    Expected values to be strictly equal:  (is)

        ++a~b    (Expected)
        --a_b    (Actual)
           ^ 
    at assert (/work/main/node_modules/uvu/assert/index.js:33:8)
    at Object.is (/work/main/node_modules/uvu/assert/index.js:41:2)
    at Object.handler (/tmp/profiles-check/uv/test/enc.js:3:41)
    at Number.runner (/work/main/node_modules/uvu/dist/index.js:78:16)



  Total:     2
  Passed:    1
  Skipped:   0
  Duration:  2.93ms

`,
      },
    ],
  },
  tap: {
    cannotRun: [
      {
        name: "tap 21: no test file matches the files given",
        command: ["npx", "tap", "--disable-coverage", "test/nope.test.js"],
        exitCode: 1,
        output: 'No valid test files found matching "test/nope.test.js"\n',
      },
      {
        name: "tap 21: no test file at all",
        command: ["npx", "tap", "--disable-coverage"],
        exitCode: 1,
        output: "No test files found\n",
      },
    ],
    fail: [
      {
        name: "tap 21: an assertion that fails",
        command: ["npx", "tap", "--disable-coverage", "test/enc.test.js"],
        exitCode: 1,
        output: `TAP version 14
1..1
${tapEncTest}not ok 1 - test/enc.test.js # time=30.2ms

# No coverage generated
# { total: 1, fail: 1 }
# time=1786.5ms
`,
      },
    ],
  },
  tape: {
    cannotRun: [
      {
        name: "tape 5: a test file that requires a module that is not there",
        command: ["npx", "tape", "test/missing.js", "test/enc.js"],
        exitCode: 1,
        output: `node:internal/modules/cjs/loader:1210
  throw err;
  ^

Error: Cannot find module '../lib/missing'
Require stack:
- /tmp/profiles-check/tp/test/missing.js
- /work/main/node_modules/tape/bin/import-or-require.js
- /work/main/node_modules/tape/bin/tape
    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
    at Module._load (node:internal/modules/cjs/loader:1038:27)
    at Module.require (node:internal/modules/cjs/loader:1289:19)
    at require (node:internal/modules/helpers:182:18)
    at Object.<anonymous> (/tmp/profiles-check/tp/test/missing.js:2:15)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at Module._load (node:internal/modules/cjs/loader:1091:12)
    at Module.require (node:internal/modules/cjs/loader:1289:19) {
  code: 'MODULE_NOT_FOUND',
  requireStack: [
    '/tmp/profiles-check/tp/test/missing.js',
    '/work/main/node_modules/tape/bin/import-or-require.js',
    '/work/main/node_modules/tape/bin/tape'
  ]
}

Node.js v20.20.2
`,
      },
      {
        name: "tape 5: a test file that does not parse",
        command: ["npx", "tape", "test/syntax.js"],
        exitCode: 1,
        output: `/tmp/profiles-check/tp/test/syntax.js:3



SyntaxError: Unexpected end of input
    at wrapSafe (node:internal/modules/cjs/loader:1464:18)
    at Module._compile (node:internal/modules/cjs/loader:1495:20)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at Module._load (node:internal/modules/cjs/loader:1091:12)
    at Module.require (node:internal/modules/cjs/loader:1289:19)
    at require (node:internal/modules/helpers:182:18)
    at importOrRequire (/work/main/node_modules/tape/bin/import-or-require.js:15:2)
    at /work/main/node_modules/tape/bin/tape:115:9
    at Array.reduce (<anonymous>)

Node.js v20.20.2
`,
      },
    ],
    fail: [
      {
        name: "tape 5: an assertion that fails",
        command: ["npx", "tape", "test/enc.js"],
        exitCode: 1,
        output: `TAP version 13
# enc
ok 1 should be strictly equal
not ok 2 should be strictly equal
  ---
    operator: equal
    expected: 'a~b'
    actual:   'a_b'
    at: Test.<anonymous> (/tmp/profiles-check/tp/test/enc.js:5:5)
    stack: |-
      Error: should be strictly equal
          at Test.assert [as _assert] (/work/main/node_modules/tape/lib/test.js:548:48)
          at Test.strictEqual (/work/main/node_modules/tape/lib/test.js:734:7)
          at Test.<anonymous> (/tmp/profiles-check/tp/test/enc.js:5:5)
          at Test.run (/work/main/node_modules/tape/lib/test.js:151:28)
          at Immediate.next [as _onImmediate] (/work/main/node_modules/tape/lib/results.js:175:7)
          at process.processImmediate (node:internal/timers:483:21)
  ...
ok 3 should be strictly equal

1..3
# tests 3
# pass  2
# fail  1

`,
      },
      {
        name: "tape 5: a require inside a test, which tape reports as the test's error",
        command: ["npx", "tape", "test/lazy.js"],
        exitCode: 1,
        output: `TAP version 13
# loads lazily
not ok 1 Error: Cannot find module '../lib/later'
  ---
    operator: error
    stack: |-
      Error: Cannot find module '../lib/later'
      Require stack:
      - /tmp/profiles-check/tp/test/lazy.js
          at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
          at Test.<anonymous> (/tmp/profiles-check/tp/test/lazy.js:3:3)
  ...

1..1
# tests 1
# pass  0
# fail  1
`,
      },
    ],
  },
  go: {
    cannotRun: [
      {
        name: "build failed",
        command: ["go", "test", "./..."],
        exitCode: 1,
        output: `# example.com/calc [example.com/calc.test]
./calc_test.go:9:9: undefined: Sub
FAIL	example.com/calc [build failed]
FAIL
`,
      },
      {
        name: "setup failed",
        command: "cd calc && go test -run TestAdd .",
        exitCode: 1,
        output: `# example.com/calc
calc.go:3:8: package example.com/missing is not in std (/usr/local/go/src/example.com/missing)
FAIL	example.com/calc [setup failed]
FAIL
`,
      },
      {
        name: "no Go files",
        command: ["go", "test", "./empty"],
        exitCode: 1,
        output: "no Go files in /home/user/calc/empty\n",
      },
    ],
    fail: [
      {
        name: "assertion failure, message mentioning a failed build",
        command: ["go", "test", "./..."],
        exitCode: 1,
        output: `--- FAIL: TestAdd (0.00s)
    calc_test.go:8: Add(1, 2) = 4, want 3
--- FAIL: TestDeploy (0.00s)
    calc_test.go:14: status = "FAIL example.com/app [build failed]", want "ok"
FAIL
FAIL	example.com/calc	0.002s
FAIL
`,
      },
    ],
  },

  cargo: {
    cannotRun: [
      {
        name: "an option cargo does not know",
        command: ["cargo", "test", "--offline", "--nope-option"],
        exitCode: 1,
        output: `error: unexpected argument '--nope-option' found

  tip: to pass '--nope-option' as a value, use '-- --nope-option'

Usage: cargo test --offline [TESTNAME] [-- [ARGS]...]

For more information, try '--help'.
`,
      },
      {
        name: "an option the test harness does not know",
        command: ["cargo", "test", "--offline", "--", "--nope-option"],
        exitCode: 101,
        output: `    Finished \`test\` profile [unoptimized + debuginfo] target(s) in 0.01s
     Running unittests src/lib.rs (target/debug/deps/rs-a35a48c092d3f767)
error: Unrecognized option: 'nope-option'
error: test failed, to rerun pass \`--lib\`
`,
      },
      {
        name: "a Cargo.toml that does not parse",
        command: ["cargo", "test", "--offline"],
        exitCode: 101,
        output: `error: string values must be quoted, expected literal string
 --> Cargo.toml:7:11
  |
7 | edition = 
  |           ^
`,
      },
      {
        name: "a Cargo.toml with a key twice",
        command: ["cargo", "test", "--offline"],
        exitCode: 101,
        output: `error: duplicate key
 --> Cargo.toml:8:2
  |
8 | [dependencies]
  |  ^^^^^^^^^^^^
`,
      },
      {
        name: "a build script that panics",
        command: ["cargo", "test", "--offline"],
        exitCode: 101,
        output: `   Compiling rs v0.1.0 (/tmp/profiles-check/rs)
error: failed to run custom build command for \`rs v0.1.0 (/tmp/profiles-check/rs)\`
note: To improve backtraces for build dependencies, set the CARGO_PROFILE_TEST_BUILD_OVERRIDE_DEBUG=true environment variable to enable debug information generation.

Caused by:
  process didn't exit successfully: \`/tmp/profiles-check/rs/target/debug/build/rs-cafac26ef71ea05a/build-script-build\` (exit status: 101)
  --- stderr

  thread 'main' (32737) panicked at build.rs:1:13:
  build script boom
  stack backtrace:
     0: __rustc::rust_begin_unwind
               at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/panicking.rs:689:5
     1: core::panicking::panic_fmt
               at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/panicking.rs:80:14
     2: build_script_build::main
     3: core::ops::function::FnOnce::call_once
  note: Some details are omitted, run with \`RUST_BACKTRACE=full\` for a verbose backtrace.
`,
      },
      {
        name: "a path dependency that is not there",
        command: ["cargo", "test", "--offline"],
        exitCode: 101,
        output: `error: failed to get \`local-zz\` as a dependency of package \`rs v0.1.0 (/tmp/profiles-check/rs)\`

Caused by:
  failed to load source for dependency \`local-zz\`

Caused by:
  unable to update /tmp/profiles-check/no-such-dir

Caused by:
  failed to read \`/tmp/profiles-check/no-such-dir/Cargo.toml\`

Caused by:
  No such file or directory (os error 2)
`,
      },
      {
        name: "could not compile",
        command: ["cargo", "test"],
        exitCode: 101,
        output: `   Compiling ok v0.1.0 (/tmp/rs/cg/bad)
error[E0308]: mismatched types
 --> src/lib.rs:6:39
  |
6 |     fn adds() { assert_eq!(add(1, 2), "3"); }
  |                                       ^^^ expected \`u64\`, found \`&str\`

For more information about this error, try \`rustc --explain E0308\`.
error: could not compile \`ok\` (lib test) due to 1 previous error
`,
      },
      {
        name: "no manifest",
        command: ["cargo", "+stable", "test", "--offline"],
        exitCode: 101,
        output: "error: could not find `Cargo.toml` in `/tmp/rs/cg/nom` or any parent directory\n",
      },
    ],
    fail: [
      {
        name: "assertion failure and a panic message starting with 'error: could not'",
        command: ["cargo", "test"],
        exitCode: 101,
        output: `   Compiling ok v0.1.0 (/tmp/rs/cg/ok)
    Finished \`test\` profile [unoptimized + debuginfo] target(s) in 0.87s
     Running unittests src/lib.rs (target/debug/deps/ok-cd7b45825d3ff7d1)

running 2 tests
test tests::adds ... FAILED
test tests::message ... FAILED

failures:

---- tests::adds stdout ----

thread 'tests::adds' (5223) panicked at src/lib.rs:6:17:
assertion \`left == right\` failed
  left: 4
 right: 3
note: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace

---- tests::message stdout ----

thread 'tests::message' (5224) panicked at src/lib.rs:8:20:
error: could not connect; compile step failed


failures:
    tests::adds
    tests::message

test result: FAILED. 0 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.11s

error: test failed, to rerun pass \`--lib\`
`,
      },
    ],
  },

  tsc: {
    cannotRun: [
      {
        name: "type errors in the build step",
        command: "tsc -p . && node --test dist/",
        exitCode: 2,
        output: `a.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.
a.ts(1,42): error TS2307: Cannot find module './nope' or its corresponding type declarations.
`,
      },
      {
        name: "pretty, coloured type errors in the build step",
        command: ["sh", "-c", "npx tsc --pretty && vitest run"],
        exitCode: 1,
        output: `\x1b[96ma.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m7\x1b[0m - \x1b[91merror\x1b[0m\x1b[90m TS2322: \x1b[0mType 'string' is not assignable to type 'number'.

\x1b[7m1\x1b[0m const n: number = "x";
\x1b[7m \x1b[0m \x1b[91m      ~\x1b[0m


Found 1 error in a.ts\x1b[90m:1\x1b[0m

`,
      },
    ],
    fail: [
      {
        name: "the tests after the build step fail",
        command: "tsc -p . && node --test dist/",
        exitCode: 1,
        output: `TAP version 13
# Subtest: adds
not ok 1 - adds
  ---
  error: |-
    Expected values to be strictly equal:
    
    3 !== 4
    
  code: 'ERR_ASSERTION'
  ...
1..1
# fail 1
`,
      },
    ],
  },
};

const allFailSamples = Object.entries(samples).flatMap(([runner, { fail }]) =>
  fail.map((sample) => ({ runner, sample })),
);

/** tap 21's output for a file that cannot load beside one whose assertion fails (recorded here). */
const tapBrokenFile = `TAP version 14
1..2
node:internal/modules/cjs/loader:1207
  const err = new Error(message);
              ^

Error: Cannot find module '../lib/missing.js'
Require stack:
- /tmp/taptry/ps/test/broken.test.js
    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
    at Module._load (node:internal/modules/cjs/loader:1038:27)
    at Module.require (node:internal/modules/cjs/loader:1289:19)
    at require (node:internal/modules/helpers:182:18)
    at Object.<anonymous> (/tmp/taptry/ps/test/broken.test.js:2:1)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Module._compile (/tmp/taptry/node_modules/pirates/lib/index.js:129:24)
    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)
    at newLoader (/tmp/taptry/node_modules/pirates/lib/index.js:134:7)
    at Object.require.extensions.<computed> (/tmp/taptry/node_modules/@isaacs/ts-node-temp-fork-for-pr-2009/src/index.ts:1358:43) {
  code: 'MODULE_NOT_FOUND',
  requireStack: [ '/tmp/taptry/ps/test/broken.test.js' ]
}

Node.js v20.20.2
# Subtest: test/broken.test.js
    1..0 # no tests found
not ok 1 - test/broken.test.js # time=982.938ms
  ---
  stdio: inherit
  cwd: /tmp/taptry/ps
  externalID: test/broken.test.js
  command: /usr/bin/node
  args:
    - --import=file:///tmp/taptry/node_modules/@tapjs/typescript/dist/esm/import.mjs
    - --import=file:///tmp/taptry/node_modules/@tapjs/mock/dist/esm/import.mjs
    - --enable-source-maps
    - --import=file:///tmp/taptry/node_modules/@tapjs/processinfo/dist/esm/import.mjs
    - /tmp/taptry/ps/test/broken.test.js
  exitCode: 1
  signal: null
  ...

${tapEncTest}not ok 2 - test/enc.test.js # time=30.2ms

# No coverage generated
# { total: 2, pass: 0, fail: 2 }
# time=1786.5ms
`;

describe("runner profile samples", () => {
  it("covers every profile with both kinds of sample", () => {
    for (const name of runnerNames) {
      expect(samples[name]?.cannotRun.length, name).toBeGreaterThan(0);
      expect(samples[name]?.fail.length, name).toBeGreaterThan(0);
    }
    expect(Object.keys(samples).sort()).toEqual([...runnerNames].sort());
  });

  for (const [runner, { cannotRun, fail }] of Object.entries(samples)) {
    describe(runner, () => {
      it.each(cannotRun)("cannot-run: $name", (sample) => {
        expect(detectRunners(sample.command).map((p) => p.name)).toContain(runner);
        const result = classify(
          { exitCode: sample.exitCode, signal: null, timedOut: false, tail: sample.output },
          { command: sample.command },
        );
        expect(result.outcome).toBe("cannot-run");
        expect(result.reason.startsWith(`${runner}: `)).toBe(true);
      });

      it.each(fail)("fail: $name", (sample) => {
        expect(detectRunners(sample.command).map((p) => p.name)).toContain(runner);
        const result = classify(
          { exitCode: sample.exitCode, signal: null, timedOut: false, tail: sample.output },
          { command: sample.command },
        );
        expect(result).toMatchObject({ outcome: "fail", reason: `exit ${sample.exitCode}` });
      });

      if (runner === "unittest")
        it("a traceback through createTests: the reason is the error it ends with, not a frame", () => {
          // more-itertools trial: the reason read `unittest: File ".../unittest/main.py", line
          // 161, in createTests`.
          const sample = cannotRun.find((s) => s.name === "a dotted name that does not parse")!;
          const result = classify(
            { exitCode: sample.exitCode, signal: null, timedOut: false, tail: sample.output },
            { command: sample.command },
          );
          expect(result.reason).toBe("unittest: SyntaxError: '(' was never closed");
        });

      if (runner === "unittest")
        it.each([
          [
            "a dotted name whose import fails",
            "unittest: test_missingmod: ModuleNotFoundError: No module named 'no_such_module_zz'",
          ],
          [
            "a dotted name that does not exist",
            "unittest: test_nope: ModuleNotFoundError: No module named 'pkg.test_nope'",
          ],
        ])(
          "%s: the reason is the error its stand-in test ended with, not the stand-in",
          (name, reason) => {
            // Python trial: the reason read `unittest: ERROR: test_recipes
            // (unittest.loader._FailedTest.test_recipes)`, where the log had the ImportError.
            const sample = cannotRun.find((s) => s.name === name)!;
            const result = classify(
              { exitCode: sample.exitCode, signal: null, timedOut: false, tail: sample.output },
              { command: sample.command },
            );
            expect(result.reason).toBe(reason);
          },
        );

      it("a pass is never reclassified, whatever it printed", () => {
        for (const sample of cannotRun) {
          const result = classify(
            { exitCode: 0, signal: null, timedOut: false, tail: sample.output },
            { command: sample.command },
          );
          expect(result.outcome).toBe("pass");
        }
      });
    });
  }

  it("no profile's patterns match any runner's ordinary failure", () => {
    for (const profile of runnerProfiles) {
      for (const { runner, sample } of allFailSamples) {
        const result = classify(
          { exitCode: sample.exitCode, signal: null, timedOut: false, tail: sample.output },
          { runner: profile.name },
        );
        expect(result.outcome, `${profile.name} on ${runner}: ${sample.name}`).toBe("fail");
      }
    }
  });

  it("tap: a test file that cannot load fails as that file, beside the others: not the run", () => {
    // tap runs each file in a process of its own and relays node's error for the one that
    // cannot load; the other files ran (the report has both). node's words, which mean "could
    // not run" for node, mocha or tape, which load every file in one process, do not for tap.
    const command = ["npx", "tap", "--disable-coverage", "test/broken.test.js", "test/enc.test.js"];
    const result = classify(
      { exitCode: 1, signal: null, timedOut: false, tail: tapBrokenFile },
      { command },
    );
    expect(result).toMatchObject({ outcome: "fail", reason: "exit 1" });
  });
});
