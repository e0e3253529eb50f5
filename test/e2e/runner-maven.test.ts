import { runnerMatrix } from "../repos/runner-matrix.js";

// Issue 9's matrix with the real Maven (3.8 on this machine, Surefire 3.2.5 and JUnit 5 from its
// local repository, offline): see test/repos/runner-matrix.ts for the cases. Before culprit read
// Surefire's reports, `mvn test` was judged by its exit code: the suite with one old failure and
// one new read PRE-EXISTING, exit 0, over the regression. Two modules: maven-modules.test.ts.
runnerMatrix("maven");
