import { describe, expect, test } from "vitest";
import { canPrompt } from "../../src/cli/pick-suspects.js";

describe("canPrompt: a prompt needs a person, and a terminal with a size", () => {
  const person = { stdinIsTTY: true, stderrIsTTY: true, env: {} };
  test.each([
    [{ columns: 120, rows: 40 }, true],
    [{ columns: 20, rows: 5 }, true],
    [{ columns: 1, rows: 1 }, true],
    // `script -qfc ... < /dev/null` gives its command a 0x0 terminal: nobody can answer.
    [{ columns: 0, rows: 0 }, false],
    [{ columns: 80, rows: 0 }, false],
    [{ columns: 0, rows: 24 }, false],
    [undefined, true],
  ])("size %j: %s", (size, expected) => {
    expect(canPrompt({ ...person, ...(size ? { size } : {}) })).toBe(expected);
  });

  test("a sized terminal in CI still gets no prompt", () => {
    expect(canPrompt({ ...person, env: { CI: "true" }, size: { columns: 80, rows: 24 } })).toBe(
      false,
    );
  });
});
