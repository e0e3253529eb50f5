// The sentences of per-test reports, one place (kept here until src/messages.ts takes them).

const useJunit = "pass --junit PATH (a JUnit XML file your test runner writes) to judge each test";

/** Why a run is judged by its exit code, or why its report could not be read: one sentence each. */
export const reportMessages = {
  shellCommand: () =>
    `a shell command (--shell, or sh -c) is a script, where culprit cannot add a test report: ${useJunit}`,
  scriptRunner: (program: string) =>
    `\`${program}\` runs a script, where culprit cannot add a test report: ${useJunit}, or run the test runner itself`,
  /**
   * The script is known, and culprit does not follow it to one runner: quoted, to say why. Run
   * alone, the runner gets a report only when culprit reads one of it (`runnerKnown`): for a
   * runner it has none for (hapi's lab; uvu before culprit read it), "run the test runner
   * itself" sent you to a command judged by its exit code all the same.
   */
  scriptNotFollowed: (shown: string, script: string, runnerKnown: boolean) =>
    runnerKnown
      ? `\`${shown}\` runs \`${script}\`, where culprit cannot add a test report (it follows a script to one runner, after build steps only): ${useJunit}, or run the test runner itself`
      : `\`${shown}\` runs \`${script}\`, where culprit cannot add a test report (it has none for the programs it runs): ${useJunit}`,
  unknownProgram: (program: string) =>
    `culprit knows no test report for \`${program}\`: ${useJunit}`,
  runnerNone: () => `--runner none turns runner profiles off: ${useJunit}`,
  otherRunner: (runner: string, program: string) =>
    `--runner ${runner} does not match the program \`${program}\`, so culprit cannot add a test report: ${useJunit}`,
  buildStep: (program: string) => `\`${program}\` builds, it runs no tests`,
  nodeScript: () =>
    `\`node\` without --test runs a script, not the test runner: use \`node --test\`, or ${useJunit}`,
  /** A uvu test file run as a script: its file line is uvu's bin's, which reads each test. */
  nodeUvuScript: (script: string, dir: string, file: string) =>
    `\`node ${script}\` runs a uvu test file as a script, where culprit reads no test: run it through uvu (\`npx uvu ${dir} ${file}\`) to judge each test, or ${useJunit}`,
  nodeReporters: () =>
    `your --test-reporter and --test-reporter-destination options do not pair up, so culprit cannot add its own reporter: ${useJunit}`,
  vitestOutputFile: () =>
    `your command already sets --outputFile, so culprit cannot add a report of its own: ${useJunit}`,
  vitestSubcommand: (subcommand: string) =>
    `\`vitest ${subcommand}\` runs no tests culprit can judge`,
  jestOutputFile: () =>
    `your command sets --outputFile without --json, so culprit cannot add a report of its own: ${useJunit}`,
  cargoFormat: (format: string) =>
    `\`--format ${format}\` replaces the test lines culprit reads: drop it, or ${useJunit}`,
  cargoNextest: () =>
    'cargo nextest writes JUnit XML only when configured: set `[profile.default.junit] path = "junit.xml"` in .config/nextest.toml and pass --junit target/nextest/default/junit.xml',
  pytestNoJunit: () =>
    `your command turns pytest's junitxml plugin off (-p no:junitxml): ${useJunit}`,
  goSubcommand: () => "only `go test` runs tests",
  tapSubcommand: (subcommand: string) => `\`tap ${subcommand}\` runs no tests culprit can judge`,
  mavenNoTests: (goals: string) =>
    goals === ""
      ? "`mvn` without a phase or goal runs no tests"
      : `\`mvn ${goals}\` runs no tests culprit can judge (Surefire runs in the test phase and those after it: test, package, verify, install)`,
  /** Maven's Surefire and Failsafe reports, read in each module's target folder. */
  mavenReports: () => "Surefire's XML reports (target/surefire-reports)",
  mavenReportsElsewhere: () =>
    "Surefire's console says tests failed that none of the reports culprit found has (a <reportsDirectory> culprit cannot read): pass --junit PATH to judge each test",
  playwrightSubcommand: () => "only `playwright test` runs tests",
  notPlaywrightJson: (what: string) => `${what} is JSON but has no suites`,

  missing: (what: string) => `${what} was not written by this run`,
  notRewritten: (what: string) =>
    `${what} was not rewritten by this run (it is the one from before)`,
  writtenAsStopped: (what: string) =>
    `${what} was written only as culprit stopped the hung run: the stop wrote it, not the tests`,
  notAFile: (what: string) => `${what} is not a file`,
  unreadable: (what: string, detail: string) => `${what} could not be read (${detail})`,
  empty: (what: string) => `${what} is empty (the run may have been cut short)`,
  badXml: (what: string, detail: string) =>
    `${what} is not well-formed XML (${detail}); the run may have been cut short`,
  badJson: (what: string, detail: string) =>
    `${what} is not valid JSON (${detail}); the run may have been cut short`,
  notJunit: (what: string) => `${what} is XML but not JUnit (no testsuite or testcase in it)`,
  notJestJson: (what: string) => `${what} is JSON but has no testResults`,
  unfinished: (what: string) => `${what} ends before the run did (the run was cut short)`,
  /** How the reasons name a report culprit asked for ("the jest --json report") or one the user names. */
  ownReport: (source: string) => `the ${source} report`,
  userReport: (path: string) => `the test report ${path}`,
  noLog: () => "the run's output was not logged, so culprit cannot read its tests from it",
  logCut: () => "the run's log was cut (too much output), so its test lines are incomplete",
  unfinishedLog: (what: string) =>
    `the run's output ends before ${what} finished (the run was cut short)`,
  avaTimeout:
    "AVA's --timeout ended a test, and AVA's TAP reporter crashed reporting it (an AVA bug): a longer --timeout gives a per-test report",
};
