// Counts the Twilio requests one operation makes, through the sandbox's request log
// (GET /_sandbox/requests), and the longest chain of them that waited on each other.
import { longestChain, type LoggedRequest } from '../../sandbox';

export interface RoundTrips {
  /** Twilio requests the operation made. */
  requests: number;
  /** The longest chain of requests that waited on each other (sequential round trips). */
  criticalPath: number;
  /** Wall time of the operation, as its caller saw it. */
  ms: number;
  /** Requests still running, or started, after the operation answered (a Function left work behind). */
  afterAnswer: number;
  /** `METHOD host path` of each request, in arrival order (for reading a figure, not for asserting on). */
  trace: string[];
}

interface LogPage {
  entries: LoggedRequest[];
  inFlight: number;
  lastSeq: number;
}

async function control(sandboxUrl: string, path: string, init: { method: 'GET' | 'POST' | 'DELETE'; body?: unknown } = { method: 'GET' }) {
  const response = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method: init.method,
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`sandbox ${init.method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const readLog = (sandboxUrl: string, after: number) => control(sandboxUrl, `/requests?after=${after}`) as Promise<LogPage>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Adds `delayMs` to every Twilio request the sandbox serves from now on (a latency-only fault). */
export async function injectLatency(sandboxUrl: string, delayMs: number): Promise<void> {
  await control(sandboxUrl, '/faults', { method: 'POST', body: { pathPattern: '^/', delayMs, rate: 1 } });
}

/**
 * Runs `operation` alone against the sandbox and reads back the requests it caused: those
 * answered after it began, once nothing is in flight and nothing new started for `quietMs`.
 * Needs a sandbox with no background work of its own meanwhile (status callbacks held back).
 */
export async function measureRoundTrips(sandboxUrl: string, operation: () => Promise<unknown>, quietMs = 250): Promise<RoundTrips> {
  const { lastSeq } = await readLog(sandboxUrl, Number.MAX_SAFE_INTEGER);
  const started = performance.timeOrigin + performance.now();
  await operation();
  const answered = performance.timeOrigin + performance.now();
  let page = await readLog(sandboxUrl, lastSeq);
  for (let seen = -1; page.inFlight > 0 || page.lastSeq !== seen;) {
    seen = page.lastSeq;
    await sleep(quietMs);
    page = await readLog(sandboxUrl, lastSeq);
  }
  const entries = [...page.entries].sort((a, b) => a.startMs - b.startMs);
  return {
    requests: entries.length,
    criticalPath: longestChain(entries),
    ms: answered - started,
    afterAnswer: entries.filter((entry) => entry.endMs > answered).length,
    trace: entries.map((entry) => `${entry.method} ${entry.host} ${entry.path}`),
  };
}
