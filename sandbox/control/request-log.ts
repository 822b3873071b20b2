/**
 * Every Twilio API request the sandbox answered, with when it arrived and when its answer left
 * (`GET /_sandbox/requests`): what a benchmark or a test needs to count a route's round trips and
 * to find which of them waited on each other. Control-plane and console requests are not logged.
 * Bounded: the oldest entries go first.
 */
export interface LoggedRequest {
  /** 1, 2, 3 … in the order answers left; `?after=<seq>` reads what came since. */
  seq: number;
  method: string;
  /** The Twilio host: `api`, `sync`, `verify`, `lookups` … */
  host: string;
  /** The sandbox path without the query, e.g. `/sync/v1/Services/default/Maps/optouts-3/Items`. */
  path: string;
  status: number;
  /** Epoch milliseconds (sub-millisecond precision) when the request arrived and when it was answered. */
  startMs: number;
  endMs: number;
}

const DEFAULT_CAPACITY = 20_000;

/** Epoch milliseconds with the monotonic clock's precision. */
const preciseNow = (): number => performance.timeOrigin + performance.now();

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private lastSeq = 0;
  private open = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** Marks a request as arrived; the returned function logs it once it is answered. */
  begin(method: string, fullPath: string): (status: number) => void {
    const startMs = preciseNow();
    const [, host = '', ...rest] = fullPath.split('/');
    this.open += 1;
    let done = false;
    return (status) => {
      if (done) return;
      done = true;
      this.open -= 1;
      this.entries.push({ seq: ++this.lastSeq, method, host, path: `/${rest.join('/')}`, status, startMs, endMs: preciseNow() });
      if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    };
  }

  /** Entries answered after `seq`, the requests still being served, and the last sequence number. */
  since(seq = 0): { entries: LoggedRequest[]; inFlight: number; lastSeq: number } {
    return { entries: this.entries.filter((entry) => entry.seq > seq), inFlight: this.open, lastSeq: this.lastSeq };
  }

  clear(): number {
    const count = this.entries.length;
    this.entries = [];
    return count;
  }
}

/**
 * The longest chain of requests that waited on each other: B follows A when B arrived after A was
 * answered. With a latency injected into every request (`delayMs`), requests sent together overlap
 * and requests sent one after the other do not, so the chain is the number of sequential round trips.
 */
export function longestChain(requests: ReadonlyArray<Pick<LoggedRequest, 'startMs' | 'endMs'>>): number {
  const sorted = [...requests].sort((a, b) => a.startMs - b.startMs);
  const chain: number[] = [];
  sorted.forEach((request, i) => {
    let before = 0;
    for (let j = 0; j < i; j += 1) if (sorted[j].endMs <= request.startMs) before = Math.max(before, chain[j]);
    chain.push(before + 1);
  });
  return Math.max(0, ...chain);
}
