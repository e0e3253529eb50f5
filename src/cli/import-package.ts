/*
 * import() of a package (inquirer), through the bin's loader where it gives one. The loader
 * (src/cli/boot.ts) compiles the CLI from V8's code cache as a vm.Script, and in Node 20 a
 * function compiled from a code cache has lost the script's dynamic import callback: its
 * import() throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING (and the callback node offers for it,
 * vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, prints an ExperimentalWarning). So the loader,
 * which node's own loader compiled, does the import() for it, from the bundle's folder.
 */

/** Where the loader puts its import(). */
const key = Symbol.for("culprit.importPackage");

type Importer = (specifier: string) => Promise<unknown>;

/** Called by the loader before the CLI runs: `importer` does the CLI's import() of packages. */
export function provideImporter(importer: Importer): void {
  (globalThis as { [key]?: Importer })[key] = importer;
}

/** import(specifier): by the loader's import() where it gave one, else by this module's. */
export function importPackage<T>(specifier: string): Promise<T> {
  const importer = (globalThis as { [key]?: Importer })[key];
  return (importer ? importer(specifier) : import(specifier)) as Promise<T>;
}
