import { expect, test } from "vitest";
import { messages } from "../../src/messages.js";

// `culprit recover` lists the residue refs of the run it recovered: a settle's holds what a test
// wrote on a side; its own ("/recover") holds the working tree as the dead run left it, which may
// be a baseline half entered rather than anything a test wrote.
test.each([
  [
    "refs/culprit/residue/20261130T135753-dfe0/baseline",
    "what the test wrote is kept in refs/culprit/residue/20261130T135753-dfe0/baseline",
  ],
  [
    "refs/culprit/residue/20261130T135753-dfe0/current",
    "what the test wrote is kept in refs/culprit/residue/20261130T135753-dfe0/current",
  ],
  [
    "refs/culprit/residue/20261130T135753-dfe0/recover",
    "the working tree as the stopped run left it is kept in refs/culprit/residue/20261130T135753-dfe0/recover",
  ],
])("residue %s", (ref, line) => {
  expect(messages.residueKept(ref)).toBe(line);
});
