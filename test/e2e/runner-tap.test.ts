import { runnerMatrix } from "../repos/runner-matrix.js";

// Issue 9's matrix with the real node-tap (tap 21, a devDependency): see
// test/repos/runner-matrix.ts for the cases. Before culprit read tap's raw TAP (--output-file),
// the suite with one old failure and one new read PRE-EXISTING, exit 0, over the regression.
runnerMatrix("tap");
