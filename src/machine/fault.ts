/**
 * Test-only fault injection, read in this one place: CULPRIT_FAULT="<state>[/<detail>][@SIGNAL]"
 * makes the process send itself SIGNAL (default SIGKILL) right after the journal records that
 * transition, e.g. CULPRIT_FAULT="enter-baseline/stashed" or "probe-baseline/run 2@SIGINT".
 */
const spec = process.env["CULPRIT_FAULT"];

interface Fault {
  state: string;
  detail: string | undefined;
  signal: NodeJS.Signals;
}

/** Parses a CULPRIT_FAULT value. */
export function parseFault(text: string | undefined): Fault | null {
  if (!text) return null;
  const [point = "", signal = "SIGKILL"] = text.split("@");
  const slash = point.indexOf("/");
  return {
    state: slash < 0 ? point : point.slice(0, slash),
    detail: slash < 0 ? undefined : point.slice(slash + 1),
    signal: signal as NodeJS.Signals,
  };
}

const fault = parseFault(spec);
let fired = false;

/** Called after every journal write; fires the configured fault once. */
export function faultPoint(state: string, detail: string | undefined): void {
  if (!fault || fired || fault.state !== state) return;
  if (fault.detail !== undefined && fault.detail !== detail) return;
  fired = true;
  process.kill(process.pid, fault.signal);
}
