import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { TestCaseResult } from "./types.js";

/*
 * Maven's test reports: where Surefire and Failsafe write them
 * ============================================================
 *
 * Surefire writes one JUnit XML file a test class, `TEST-<class>.xml`, in each module's
 * `target/surefire-reports` (Failsafe, `mvn verify`'s integration tests, in
 * `target/failsafe-reports`). The folder has no command-line property (its `reportsDirectory`
 * has none: https://maven.apache.org/surefire/maven-surefire-plugin/test-mojo.html), so culprit
 * reads them where they are, in your tree, and never writes, moves or deletes them (they are
 * yours, and ignored: DESIGN.md invariant 3). Surefire does not empty the folder: a class that did
 * not run this time keeps its file of an earlier run. So the files of a run are those that the
 * run made or changed: their stat data before the run (`reportStamps`) against after.
 *
 * The modules are read from the POMs (`<module>` elements, those of profiles too), from the
 * project the command builds (`-f`/`--file`, else the folder it runs in), at most `maxModules`.
 * Not seen: a module whose build directory is not `target` (`<directory>` in its POM), a
 * `<reportsDirectory>` named through another property. A run whose reports are not found is
 * judged by Surefire's console lines (`surefireFailed`).
 */

/** The most POMs read for their modules. */
const maxModules = 500;

/** The folder of the project `mvn` builds: its `-f`/`--file` (a POM's .xml file or a folder), else cwd (pure). */
export function mavenProjectDir(args: readonly string[], cwd: string): string {
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if ((word === "-f" || word === "--file") && args[i + 1] !== undefined) file = args[++i];
    else if (word.startsWith("--file=")) file = word.slice("--file=".length);
    // -fFILE, the value attached; -fae, -ff and -fn are Maven's options of their own.
    else if (/^-f[^-]/.test(word) && !["-fae", "-ff", "-fn"].includes(word)) file = word.slice(2);
  }
  if (file === undefined) return cwd;
  const path = resolve(cwd, file);
  return /\.xml$/i.test(path) ? dirname(path) : path;
}

/** The values of a POM's `<tag>` elements (Maven's `<module>`, Surefire's `<reportsDirectory>`), comments left out (pure). */
export function pomValues(pom: string, tag: string): string[] {
  const text = pom.replace(/<!--[\s\S]*?-->/g, "");
  return [...text.matchAll(new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`, "g"))]
    .map((match) => match[1]!)
    .filter((value) => value !== "");
}

/**
 * The folders where the project at `dir` and its modules have their reports: each module's
 * `target/surefire-reports` and `target/failsafe-reports`, and a `<reportsDirectory>` of any of
 * their POMs (a parent's applies to its children) in every module, when it names its folder by
 * `${project.build.directory}` (taken as `target`), `${project.basedir}` or a plain path.
 */
export function mavenReportFolders(dir: string): { folder: string; module: string }[] {
  const modules: string[] = [];
  const configured = new Set<string>();
  const queue = [resolve(dir)];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < maxModules) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    modules.push(next);
    let pom: string;
    try {
      pom = readFileSync(join(next, "pom.xml"), "utf8");
    } catch {
      continue;
    }
    for (const value of pomValues(pom, "reportsDirectory")) configured.add(value);
    for (const module of pomValues(pom, "module")) {
      const path = resolve(next, module);
      // A module may name its POM file rather than its folder.
      queue.push(/\.xml$/.test(module) && !isDirectory(path) ? dirname(path) : path);
    }
  }
  const relative = ["target/surefire-reports", "target/failsafe-reports"];
  for (const value of configured) {
    const path = value
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Maven's property, not a template
      .replaceAll("${project.build.directory}", "target")
      .replace(/^\$\{(?:project\.)?basedir\}\/?/, "");
    if (!path.includes("${")) relative.push(path);
  }
  const folders = new Map<string, string>();
  for (const module of modules) {
    for (const path of relative) {
      const folder = resolve(module, path);
      if (!folders.has(folder)) folders.set(folder, module);
    }
  }
  return [...folders].map(([folder, module]) => ({ folder, module }));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Each report file (`TEST-*.xml`) of the folders with its stat data (`ino:size:mtime:ctime`), by path. */
export function reportStamps(folders: readonly string[]): Map<string, string> {
  const stamps = new Map<string, string>();
  for (const reports of folders) {
    let names: string[];
    try {
      names = readdirSync(reports);
    } catch {
      // Not there (a module not built yet): no report.
      continue;
    }
    for (const name of names.sort()) {
      if (!/^TEST-.+\.xml$/.test(name)) continue;
      const path = join(reports, name);
      try {
        const info = statSync(path);
        if (!info.isFile()) continue;
        stamps.set(path, `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`);
      } catch {
        // Gone since the listing: not this run's.
      }
    }
  }
  return stamps;
}

/** The report files a run made or changed: in `after` and not in `before` with the same stat data. */
export function changedReports(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  return [...after].filter(([path, stamp]) => before.get(path) !== stamp).map(([path]) => path);
}

/**
 * The test's source file of a class a report names (`shop.LibTest`, `shop.LibTest$Nested`):
 * `src/test/java/shop/LibTest.java` (or .kt, .groovy, .scala) of the module whose report it is,
 * when it exists; else null.
 */
export function classSourceFile(moduleDir: string, classname: string): string | null {
  const outer = classname.split("$")[0]!;
  if (!/^[\w.]+$/.test(outer)) return null;
  const path = outer.split(".").join("/");
  for (const [folder, ext] of [
    ["java", "java"],
    ["kotlin", "kt"],
    ["java", "kt"],
    ["groovy", "groovy"],
    ["scala", "scala"],
  ] as const) {
    const file = join(moduleDir, "src", "test", folder, `${path}.${ext}`);
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Whether Surefire's console lines (the run's log) say that tests failed: "Tests run: 3,
 * Failures: 1, Errors: 0, ..." with failures or errors, for a run whose reports are not where
 * culprit looks (pure).
 */
export function surefireFailed(log: string): boolean {
  for (const match of log.matchAll(/Tests run: \d+, Failures: (\d+), Errors: (\d+)/g)) {
    if (match[1] !== "0" || match[2] !== "0") return true;
  }
  return false;
}

/** The id of the entry of a Maven run that failed outside its tests, for a project (module) or none. */
export function mavenBuildId(project: string | null): string {
  return project === null
    ? "(the build, outside the tests)"
    : `(the build of ${project}, outside the tests)`;
}

/**
 * What failed outside the tests of a Maven run that exited non-zero: a module that does not
 * compile, a test's JVM that died (System.exit). One entry a project ("Failed to execute goal
 * ... on project web"), judged like a test, with Maven's lines as its message: without them such
 * a run read as its failing tests alone, and a module your change stopped compiling, beside an
 * old failure in another, read PRE-EXISTING; and one entry for all, an old failure of one module
 * hid a new one of another (found in review). Surefire's and Failsafe's "There are test
 * failures" is not one (a POM's `<testFailureIgnore>false` wins over culprit's property): the
 * tests say it. `log` is the run's output, colours taken out.
 */
export function mavenBuildEntries(log: string): TestCaseResult[] {
  const errors = [...log.matchAll(/^\[ERROR\] (.*?)\s*$/gm)].map((match) => match[1]!);
  const byProject = new Map<string | null, string[]>();
  errors.forEach((line, i) => {
    const goal = /^(Failed to execute goal .*?)(?: -> \[Help \d+\])?$/.exec(line)?.[1];
    if (goal === undefined) return;
    // "...on project demo:" with its cause on the lines after (a test JVM that died: "The
    // forked VM terminated without properly saying goodbye").
    const cause = goal.endsWith(":")
      ? errors
          .slice(i + 1)
          .find((next) => next !== "" && !/^(?:Please refer|Command was|-> \[Help)/.test(next))
      : undefined;
    const message = cause === undefined ? goal : `${goal} ${cause}`;
    if (/: There are test failures\.?$/.test(message)) return;
    const project = / on project ([^\s:]+)/.exec(goal)?.[1] ?? null;
    byProject.set(project, [...(byProject.get(project) ?? []), message]);
  });
  if (byProject.size === 0) {
    // Surefire's own failures alone: the tests say it.
    if (errors.some((line) => /There are test failures/.test(line))) return [];
    byProject.set(null, [
      errors.find((line) => line !== "") ?? "Maven failed with no failing test in its reports",
    ]);
  }
  return [...byProject].map(([project, messages]) => ({
    id: mavenBuildId(project),
    name:
      project === null
        ? "the build, outside the tests"
        : `the build of ${project}, outside the tests`,
    file: null,
    line: null,
    status: "fail",
    message: messages.slice(0, 3).join("\n"),
    kind: "check",
  }));
}
