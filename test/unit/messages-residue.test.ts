import { describe, expect, test } from "vitest";
import { formatPaths, messages } from "../../src/messages.js";

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

describe("formatPaths: a list cut short names the source files first", () => {
  test.each([
    [["a.txt"], 3, "a.txt"],
    [["b.md", "a.txt"], 3, "b.md and a.txt"],
    [["Readme.md", "notes.txt", "src/index.ts"], 3, "Readme.md, notes.txt and src/index.ts"],
    [
      ["Readme.md", "generated.txt", "notes.txt", "src/index.ts"],
      3,
      "src/index.ts, Readme.md, generated.txt and 1 more",
    ],
    [["docs/a.md", "lib/x.py", "lib/y.go", "z.txt"], 2, "lib/x.py, lib/y.go and 2 more"],
  ] as const)("%j (at most %i)", (paths, max, text) => {
    expect(formatPaths(paths, max)).toBe(text);
  });
});

// Ctrl-C during the first run said "interrupted by SIGINT after 0 runs".
test.each([
  [0, "interrupted by SIGINT before the first run ended; no verdict"],
  [1, "interrupted by SIGINT after 1 run; no verdict"],
  [3, "interrupted by SIGINT after 3 runs; no verdict"],
])("interrupted after %i runs", (runs, line) => {
  expect(messages.interruptedReason("SIGINT", runs)).toBe(line);
  expect(messages.cancelledReason(runs)).toBe(
    line.replace("interrupted by SIGINT", "cancelled at a question"),
  );
});
