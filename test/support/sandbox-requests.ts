// The sandbox's request log (`/_sandbox/requests`): for tests that count the Twilio and Sync
// requests a route makes.

/** One logged request to the sandbox's Twilio API. */
export interface LoggedRequest {
  method: string;
  /** Twilio's subdomain: `api`, `sync`, `verify`, … */
  host: string;
  path: string;
}

interface RequestLog {
  lastSeq: number;
  entries: LoggedRequest[];
}

const readLog = async (sandboxUrl: string, after: number): Promise<RequestLog> =>
  (await (await fetch(`${sandboxUrl}/_sandbox/requests?after=${after}`)).json()) as RequestLog;

/** The sequence number of the newest logged request: what came after it is what a test caused. */
export async function lastRequestSeq(sandboxUrl: string): Promise<number> {
  return (await readLog(sandboxUrl, 0)).lastSeq;
}

/** The requests logged after `seq`, oldest first. */
export async function requestsAfter(sandboxUrl: string, seq: number): Promise<LoggedRequest[]> {
  return (await readLog(sandboxUrl, seq)).entries;
}
