/** What the environment says about where culprit runs (pure functions of env and TTY flags). */

/** `CI` set to anything but "", "0" or "false" (the convention CI services follow). */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const ci = env["CI"];
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

/** Running as a GitHub Actions step. */
export function isGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env["GITHUB_ACTIONS"] === "true";
}

/**
 * Colour: never with NO_COLOR (https://no-color.org: set and not empty); with FORCE_COLOR (not
 * "0"/"false") always; otherwise on a terminal outside CI.
 */
export function useColor(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "0" && force !== "false") return true;
  return isTTY && !isCI(env);
}
