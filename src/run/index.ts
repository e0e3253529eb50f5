export { type CaptureOptions, OutputCapture } from "./capture-output.js";
export {
  type Classification,
  type ClassifyInput,
  type ClassifyOptions,
  cannotRunExitCodes,
  classify,
  normalizeOutput,
  outcomeWithReport,
  plainOutput,
  runnerNames,
  selectProfiles,
} from "./classify.js";
export {
  type CommandLine,
  type CommandSegment,
  commandSegments,
  detectRunner,
  detectRunners,
  type LocatedProgram,
  locateProgram,
} from "./detect-runner.js";
export { groupAlive, ProcessGroup, processAlive, signalGroup } from "./kill-group.js";
export {
  buildStopped,
  type CommandReportOptions,
  packageScriptRunner,
  packageScriptWords,
  planReport,
  planRunReport,
  type ReportPlan,
  type ReportReading,
  type ReportRequest,
  type RunOutput,
  readRunReport,
  withReportedFailures,
} from "./reports/plan.js";
export { failureKind, failureSignature, sameFailureKind } from "./reports/signature.js";
export type { TestCaseResult, TestReport, TestStatus } from "./reports/types.js";
export { runWithHangRetry } from "./retry-hang.js";
export { type RunClassifyOptions, runCommand } from "./run-command.js";
export { findProfile, type RunnerProfile, runnerProfiles } from "./runner-profiles.js";
export type { Outcome, RunResult, RunSpec } from "./types.js";
