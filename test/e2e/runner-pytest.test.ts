import { runnerMatrix } from "../repos/runner-matrix.js";

// Issue 9 with the real pytest: see test/repos/runner-matrix.ts for the cases.
runnerMatrix("pytest");
