/**
 * Test-only fault injection, read in this one place: CULPRIT_FAULT="<state>[/<detail>][#n][@SIGNAL]"
 * makes the process send itself SIGNAL (default SIGKILL) right after the journal records that
 * transition for the n-th time (default the first), e.g. CULPRIT_FAULT="enter-baseline/stashed",
 * "probe-baseline/run 2@SIGINT" or "verify#2" (the verify after a second baseline attempt).
 */
const spec = process.env["CULPRIT_FAULT"];

interface Fault {
  state: string;
  detail: string | undefined;
  /** Which matching transition fires (1 = the first). */
  occurrence: number;
  signal: NodeJS.Signals;
}

/** Parses a CULPRIT_FAULT value. */
export function parseFault(text: string | undefined): Fault | null {
  if (!text) return null;
  const [spot = "", signal = "SIGKILL"] = text.split("@");
  const counted = /^(.*)#(\d+)$/s.exec(spot);
  const point = counted ? counted[1]! : spot;
  const occurrence = counted ? Number(counted[2]) : 1;
  const slash = point.indexOf("/");
  return {
    state: slash < 0 ? point : point.slice(0, slash),
    detail: slash < 0 ? undefined : point.slice(slash + 1),
    occurrence,
    signal: signal as NodeJS.Signals,
  };
}

const fault = parseFault(spec);
let seen = 0;

/** Until the signal a fault point sent has reached culprit's handlers (null: none was sent). */
let delivered: Promise<void> | null = null;

/** Called after every journal write; fires the configured fault once, at its occurrence. */
export function faultPoint(state: string, detail: string | undefined): void {
  if (!fault || seen >= fault.occurrence || fault.state !== state) return;
  if (fault.detail !== undefined && fault.detail !== detail) return;
  seen += 1;
  if (seen !== fault.occurrence) return;
  if (fault.signal !== "SIGKILL")
    delivered = new Promise((resolve) => process.once(fault.signal, () => resolve()));
  process.kill(process.pid, fault.signal);
}

/**
 * Resolves once the signal a fault point sent has been handled. A signal reaches node's handlers
 * only when its loop next polls, and the last state's git call may end in the same poll (git is
 * quick to start from culprit's shell): without this, a SIGINT sent at "report" was now and then
 * never handled before culprit had printed its verdict and exited, and the cell failed.
 */
export function faultSignalHandled(): Promise<void> {
  return delivered ?? Promise.resolve();
}
