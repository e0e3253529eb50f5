import { spawnSync } from "node:child_process";
import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import { createRepo, type TestRepo } from "../repos/harness.js";

/*
 * Python runs a cached .pyc while its source has the size and the whole-second modification
 * time the .pyc recorded. A one-character edit (13 to 14) keeps the size: a baseline written in
 * the second of your edit ran your compiled code ("fails 3/3 without": PRE-EXISTING, exit 0, for
 * a regression), and your version put back in the second the baseline's was compiled left HEAD's
 * bytecode behind, so that your own runs afterwards ran HEAD's code (python-humanize/humanize).
 * Files culprit writes over one of the same size in the same second now get a later second.
 * Everything happens within a second here (python -c is quick, and the edit is made at the
 * start of a second), which is when it went wrong; the check holds whatever the timing.
 */

const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
const skip = python.status !== 0 ? "python3 is not on this machine" : "";
if (skip) console.log(`hazard-pyc-same-second: skipped: ${skip}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

const mod = (last: number) =>
  `def ordinal(n):\n    return "th" if n in (11, 12, ${last}) else "x"\n`;
const check = ["python3", "-c", "import sys, mod; sys.exit(0 if mod.ordinal(13) == 'th' else 1)"];

function runCheck(r: TestRepo): number | null {
  return spawnSync(check[0]!, check.slice(1), { cwd: r.dir, env: r.env }).status;
}

/** Waits for the start of the next second (and 20 ms), so that what follows shares it. */
function startOfSecond(): void {
  const wait = 1000 - (Date.now() % 1000) + 20;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
}

test.skipIf(Boolean(skip)).each([
  ["in place (baseline-reset)", []],
  ["--strategy stash", ["--strategy", "stash"]],
])("a same-size edit compiled in the second culprit starts: %s", (_name, args) => {
  repo = createRepo();
  // Bytecode written, as on most machines (this one may say otherwise).
  delete repo.env["PYTHONDONTWRITEBYTECODE"];
  repo.write(".gitignore", "__pycache__/\n");
  repo.write("mod.py", mod(13));
  repo.commit("ordinal");
  expect(runCheck(repo)).toBe(0);
  startOfSecond();
  repo.write("mod.py", mod(14));
  // Your version compiled, as your last run left it.
  expect(runCheck(repo)).toBe(1);
  const { json } = attributeUntouched(repo, check, ["--no-cache", ...args], {}, ["__pycache__"]);
  expect(json["verdict"]).toBe("regression");
  // Your tree runs your code afterwards, not HEAD's bytecode.
  expect(runCheck(repo)).toBe(1);
});
