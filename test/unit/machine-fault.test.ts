import { expect, test } from "vitest";
import { parseFault } from "../../src/machine/fault.js";

test.each([
  ["verify", { state: "verify", detail: undefined, occurrence: 1, signal: "SIGKILL" }],
  [
    "probe-baseline/run 2@SIGINT",
    { state: "probe-baseline", detail: "run 2", occurrence: 1, signal: "SIGINT" },
  ],
  ["verify#2", { state: "verify", detail: undefined, occurrence: 2, signal: "SIGKILL" }],
  [
    "enter-baseline/revert suspects#2@SIGINT",
    { state: "enter-baseline", detail: "revert suspects", occurrence: 2, signal: "SIGINT" },
  ],
])("CULPRIT_FAULT=%s", (text, fault) => {
  expect(parseFault(text)).toEqual(fault);
});

test("no CULPRIT_FAULT, no fault", () => {
  expect(parseFault(undefined)).toBeNull();
  expect(parseFault("")).toBeNull();
});
