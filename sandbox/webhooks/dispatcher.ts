import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../clock';
import type { TaskTracker } from '../tasks';
import { computeSignature } from './signature';

export type WebhookMethod = 'GET' | 'POST';

/** One delivery the sandbox made, as `GET /_sandbox/callbacks` reports it. */
export interface DeliveryRecord {
  url: string;
  method: WebhookMethod;
  params: Record<string, string>;
  signature: string;
  /** HTTP status of the answer; `null` when the request failed (Twilio logs 11200). */
  status: number | null;
  /** Sandbox-clock time the request was sent, ISO 8601. */
  at: string;
  /** Real milliseconds until the answer (or the failure) came. */
  durationMs: number;
  /** The answer's content type and its first ANSWER_EXCERPT_CHARS characters (TwiML, JSON, …). */
  answer: { contentType: string | null; body: string };
  error?: string;
}

/** How much of each answer the log keeps. */
export const ANSWER_EXCERPT_CHARS = 2000;

export interface DeliveryResult {
  status: number | null;
  contentType: string | null;
  body: string;
  error?: string;
}

export interface Delivery {
  url: string;
  method: WebhookMethod;
  params: Record<string, string>;
}

/** Twilio's timeout for messaging webhooks. */
const DELIVERY_TIMEOUT_MS = 15_000;
/**
 * Deliveries in flight at once; the rest wait their turn (in order). Without a cap, a burst (a
 * clock advance releasing a thousand queued messages, or a loaded machine firing many lifecycle
 * timers together) opens hundreds of connections at once, overflows the receiver's listen backlog
 * (511 in Node) and leaves dropped connects unanswered until the 15 s timeout.
 */
const MAX_CONCURRENT_DELIVERIES = 64;
/** Twilio reads at most 64 kB of a webhook answer. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Sends webhooks and status callbacks the way Twilio does: form-encoded (POST) or as query
 * parameters (GET), signed with X-Twilio-Signature, and keeps a log of every delivery.
 */
export class WebhookDispatcher {
  private readonly log: DeliveryRecord[] = [];
  /** The same records by MessageSid / SmsSid / CallSid, so `records(sid)` does not scan the whole log. */
  private readonly bySid = new Map<string, DeliveryRecord[]>();

  constructor(
    private readonly authToken: string,
    private readonly clock: Clock,
    private readonly tasks: TaskTracker,
    private readonly logLine: (line: string) => void,
    /** Told of every delivery once it is logged (the console's live callback log). */
    private readonly onRecord: (record: DeliveryRecord) => void = () => undefined,
  ) {}

  /** Deliveries so far, in order; with `sid`, only those about that message. */
  records(sid?: string): DeliveryRecord[] {
    if (!sid) return [...this.log];
    return [...(this.bySid.get(sid) ?? [])];
  }

  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /** Sends one webhook; counts as in flight for `settled()` until the answer is in. */
  deliver(delivery: Delivery): Promise<DeliveryResult> {
    return this.tasks.track(
      this.whenFree()
        .then(() => this.send(delivery))
        .finally(() => this.next()),
    );
  }

  /** Resolves when fewer than MAX_CONCURRENT_DELIVERIES deliveries are in flight (taking a place). */
  private whenFree(): Promise<void> {
    if (this.active < MAX_CONCURRENT_DELIVERIES) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A delivery ended: its place goes to the first waiting one. */
  private next(): void {
    const wake = this.waiting.shift();
    if (wake) wake();
    else this.active -= 1;
  }

  private async send({ url, method, params }: Delivery): Promise<DeliveryResult> {
    const started = Date.now();
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return this.finish(
        { url, method, params, signature: '' },
        { status: null, contentType: null, body: '', error: `invalid URL: ${url}` },
        started,
      );
    }
    const encoded = new URLSearchParams(params).toString();
    if (method === 'GET') {
      for (const [name, value] of Object.entries(params)) target.searchParams.append(name, value);
    }
    const signedUrl = method === 'GET' ? target.toString() : url;
    const signature = computeSignature(this.authToken, signedUrl, method === 'GET' ? {} : params);
    const record = { url: signedUrl, method, params, signature };
    const result = await request(target, method, method === 'POST' ? encoded : null, signature);
    return this.finish(record, result, started);
  }

  private finish(
    request: Omit<DeliveryRecord, 'status' | 'at' | 'durationMs' | 'answer'>,
    result: DeliveryResult,
    started: number,
  ): DeliveryResult {
    const record: DeliveryRecord = {
      ...request,
      status: result.status,
      at: new Date(this.clock.now()).toISOString(),
      durationMs: Date.now() - started,
      answer: { contentType: result.contentType, body: result.body.slice(0, ANSWER_EXCERPT_CHARS) },
    };
    if (result.error) record.error = result.error;
    this.log.push(record);
    const sid = request.params.MessageSid || request.params.SmsSid || request.params.CallSid;
    if (sid) {
      const records = this.bySid.get(sid);
      if (records) records.push(record);
      else this.bySid.set(sid, [record]);
    }
    this.logLine(`webhook ${request.method} ${request.url} -> ${result.status ?? result.error}`);
    this.onRecord(record);
    return result;
  }
}

function request(target: URL, method: WebhookMethod, body: string | null, signature: string): Promise<DeliveryResult> {
  const transport = target.protocol === 'https:' ? https : http;
  const headers: http.OutgoingHttpHeaders = {
    'X-Twilio-Signature': signature,
    'User-Agent': 'TwilioProxy/1.1',
    Accept: '*/*',
  };
  if (body !== null) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve) => {
    const req = transport.request(target, { method, headers, agent: false, timeout: DELIVERY_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? null,
          contentType: res.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (error) => resolve({ status: res.statusCode ?? null, contentType: null, body: '', error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)));
    req.on('error', (error) => resolve({ status: null, contentType: null, body: '', error: error.message }));
    req.end(body ?? undefined);
  });
}
