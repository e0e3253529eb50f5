import { runnerMatrix } from "../repos/runner-matrix.js";

// Issue 9 with the real node: see test/repos/runner-matrix.ts for the cases.
runnerMatrix("node");
