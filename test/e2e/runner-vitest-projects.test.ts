import { afterEach, describe, expect, test } from "vitest";
import { attributeUntouched } from "../repos/expect-untouched.js";
import type { TestRepo } from "../repos/harness.js";
import { jsProjectRepo, runnerMissing } from "../repos/runner-projects.js";

// A vitest project your change adds, run by name (`vitest run --project integration`): at HEAD
// the config has no such project and vitest stops with a Startup Error ("No projects matched the
// filter") before any test. That is a baseline that cannot run the command, not one where it
// fails: before, HEAD's runs counted as failures ("the verdict rests on it").

const missing = runnerMissing("vitest");
if (missing) console.log(`skipped: vitest projects (${missing})`);

let repo: TestRepo | null = null;
afterEach(() => {
  repo?.cleanup();
  repo = null;
});

const config = (projects: string[]) =>
  `import { defineConfig } from "vitest/config";
export default defineConfig({ test: { projects: [${projects.join(", ")}] } });
`;
const unit = '{ test: { name: "unit", include: ["test/*.test.mjs"] } }';
const integration = '{ test: { name: "integration", include: ["int/*.int.mjs"] } }';

describe.skipIf(missing !== null)("vitest --project that only your change has", () => {
  test("HEAD cannot run it; reverting the code alone answers: regression", () => {
    repo = jsProjectRepo(
      {
        "vitest.config.mjs": config([unit]),
        "lib.mjs": "export const add = (a, b) => a + b;\n",
        "test/lib.test.mjs": `import { test, expect } from "vitest";
import { add } from "../lib.mjs";
test("adds", () => expect(add(2, 2)).toBe(4));
`,
      },
      "a library with a unit project",
    );
    repo.write("vitest.config.mjs", config([unit, integration]));
    repo.write(
      "int/cart.int.mjs",
      `import { test, expect } from "vitest";
import { add } from "../lib.mjs";
test("cart total", () => expect(add(1, 1)).toBe(2));
`,
    );
    repo.write("lib.mjs", "export const add = (a, b) => a - b;\n");
    const { json } = attributeUntouched(repo, ["npx", "vitest", "run", "--project", "integration"]);
    const attempts = json["attempts"] as { outcome: string; counts: { cannotRun: number } }[];
    expect(json["verdict"], JSON.stringify(attempts)).toBe("regression");
    expect(attempts[0]).toMatchObject({ outcome: "unrunnable", counts: { cannotRun: 3 } });
  });
});
