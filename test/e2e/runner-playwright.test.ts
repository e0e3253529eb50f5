import { runnerMatrix } from "../repos/runner-matrix.js";

// Issue 9's matrix with the real Playwright test runner (@playwright/test, a devDependency; tests
// that need no browser): see test/repos/runner-matrix.ts for the cases. Before culprit knew it,
// the suite with one old failure and one new read PRE-EXISTING, exit 0, over the regression.
runnerMatrix("playwright");
