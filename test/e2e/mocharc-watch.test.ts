import { afterEach, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { mochaOldAndNewFailure, runnerMissing } from "../repos/runner-projects.js";

/*
 * `watch: true` in a .mocharc.json: every run of `npx mocha test/` watched the files and never
 * ended, hung until the timeout and was retried (84 s at --timeout 10s, 40 minutes at the
 * default: body-parser trial). `--watch` on the command line is refused; in a config file,
 * culprit's `--no-watch` (beside its `--no-bail`) turns it off. The real mocha.
 */

const missing = runnerMissing("mocha");
if (missing) console.log(`mocharc-watch: skipped: ${missing}`);

let repo: TestRepo | undefined;
afterEach(() => repo?.cleanup());

test.skipIf(missing !== null)(
  "watch: true in .mocharc.json: the runs end, each test judged",
  () => {
    repo = mochaOldAndNewFailure(
      { ".mocharc.json": '{ "watch": true }\n' },
      "tests, one already failing, mocha set to watch",
    );
    const { json, status } = attributeUntouched(
      repo,
      ["npx", "mocha", "test/"],
      ["--no-cache", "--timeout", "30s", "--kill-after", "2s"],
    );
    expect(json.verdict, String(json.reason)).toBe("regression");
    expect(status).toBe(1);
    const runs = json["runs"] as { outcome: string }[];
    expect(runs.filter((r) => r.outcome === "hang")).toEqual([]);
  },
  180_000,
);
