import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

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
 * Not seen: a module whose build directory is not `target` (`<directory>` in its POM).
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

/** The `<module>` paths of a POM's text, comments left out (pure). */
export function pomModules(pom: string): string[] {
  const text = pom.replace(/<!--[\s\S]*?-->/g, "");
  const modules: string[] = [];
  for (const match of text.matchAll(/<module>\s*([^<]*?)\s*<\/module>/g)) {
    if (match[1] !== "") modules.push(match[1]!);
  }
  return modules;
}

/** The folders of the project at `dir` and of its modules, the project first. */
export function mavenModuleDirs(dir: string): string[] {
  const seen = new Set<string>();
  const queue = [resolve(dir)];
  while (queue.length > 0 && seen.size < maxModules) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    let pom: string;
    try {
      pom = readFileSync(join(next, "pom.xml"), "utf8");
    } catch {
      continue;
    }
    for (const module of pomModules(pom)) {
      const path = resolve(next, module);
      // A module may name its POM file rather than its folder.
      queue.push(/\.xml$/.test(module) && !isDirectory(path) ? dirname(path) : path);
    }
  }
  return [...seen];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const reportFolders = ["surefire-reports", "failsafe-reports"];

/** Each report file of the modules with its stat data (`ino:size:mtime:ctime`), by path. */
export function reportStamps(moduleDirs: readonly string[]): Map<string, string> {
  const stamps = new Map<string, string>();
  for (const dir of moduleDirs) {
    for (const folder of reportFolders) {
      const reports = join(dir, "target", folder);
      if (!existsSync(reports)) continue;
      let names: string[];
      try {
        names = readdirSync(reports);
      } catch {
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
