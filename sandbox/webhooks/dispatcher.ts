import type { Clock } from '../clock';
import type { TaskTracker } from '../tasks';
import { readWebhookUrl, retryConditionOf, TWILIO_WEBHOOK_TIMEOUTS, type WebhookTimeouts, type WebhookUrl } from './connection-overrides';
import { failureOf } from './failure-codes';
import { sendAttempt, sendInProcessAttempt, type AttemptAnswer, type InProcessTarget, type WebhookMethod } from './http-attempt';
import { computeSignature } from './signature';

export type { WebhookMethod };

/** One HTTP attempt the sandbox made (a delivery retried makes several), as `GET /_sandbox/callbacks` reports it. */
export interface DeliveryRecord {
  /** The URL requested and signed: without its fragment, with the parameters of a GET. */
  url: string;
  method: WebhookMethod;
  params: Record<string, string>;
  signature: string;
  /** HTTP status of the answer; `null` when the request failed. */
  status: number | null;
  /** Sandbox-clock time the request was sent, ISO 8601. */
  at: string;
  /** Real milliseconds until the answer (or the failure) came. */
  durationMs: number;
  /** The answer's content type and its first ANSWER_EXCERPT_CHARS characters (TwiML, JSON, …). */
  answer: { contentType: string | null; body: string };
  /** 1 for the first request of a delivery, 2 for its first retry, …; 0 when no request was made (11100, 11243). */
  attempt: number;
  /** Twilio's error for a failed attempt (11200, 11202, 11203, 11205, 11210, 11243, 11100). */
  errorCode?: number;
  error?: string;
  /** The URL's connection-override fragment (without `#`), when it had one. */
  fragment?: string;
  /** Overrides of the fragment that were ignored. */
  warnings?: string[];
}

/** How much of each answer the log keeps. */
const ANSWER_EXCERPT_CHARS = 2000;

/** The outcome of a delivery: its last attempt's answer. */
export interface DeliveryResult {
  /** The URL requested (without fragment). */
  url: string;
  status: number | null;
  contentType: string | null;
  body: string;
  /** Requests made (1 + retries; 0 when the overrides were refused). */
  attempts: number;
  /** Twilio's error when the delivery failed (a non-2xx answer included). */
  errorCode?: number;
  error?: string;
}

export interface Delivery {
  url: string;
  method: WebhookMethod;
  params: Record<string, string>;
  /**
   * A product's own fixed limit on the whole delivery (ms), one attempt, no connection overrides
   * read from the URL: Conversations webhooks "have a maximum timeout of 5 seconds"
   * (https://twilio.com/docs/conversations/conversations-webhooks).
   */
  limitMs?: number;
}

/**
 * Deliveries in flight at once; the rest wait their turn (in order). Without a cap, a burst (a
 * clock advance releasing a thousand queued messages, or a loaded machine firing many lifecycle
 * timers together) opens hundreds of connections at once, overflows the receiver's listen backlog
 * (511 in Node) and leaves dropped connects unanswered until the timeouts.
 */
const MAX_CONCURRENT_DELIVERIES = 64;

export interface DispatcherOptions {
  authToken: string;
  clock: Clock;
  tasks: TaskTracker;
  logLine: (line: string) => void;
  /** Told of every attempt once it is logged (the console's live callback log). */
  onRecord?: (record: DeliveryRecord) => void;
  /** Timers of URLs without overrides; default Twilio's (TWILIO_WEBHOOK_TIMEOUTS). */
  timeouts?: Partial<WebhookTimeouts>;
  /** Answers the URLs it serves without a socket: the edge, for sites deployed to the sandbox. */
  inProcess?: InProcessTarget;
}

/**
 * The URL without fragment or overrides, with one attempt bounded by `limitMs` in all, or by the
 * sandbox's shorter `webhookTimeouts.totalMs` (a test's, so a hanging receiver need not take 5 s).
 */
function fixedLimitUrl(url: string, limitMs: number, defaults: WebhookTimeouts): WebhookUrl {
  const plain = readWebhookUrl(url.split('#')[0], defaults);
  const limit = Math.min(limitMs, defaults.totalMs);
  const settings = {
    ...plain.settings,
    connectTimeoutMs: Math.min(plain.settings.connectTimeoutMs, limit),
    readTimeoutMs: limit,
    totalTimeoutMs: limit,
    retryCount: 0,
  };
  return { ...plain, settings };
}

type AttemptHead = Pick<DeliveryRecord, 'url' | 'method' | 'params' | 'signature' | 'fragment' | 'warnings'>;

/**
 * Sends webhooks and status callbacks the way Twilio does: form-encoded (POST) or as query
 * parameters (GET), signed with X-Twilio-Signature, and keeps a log of every delivery.
 */
export class WebhookDispatcher {
  private readonly log: DeliveryRecord[] = [];
  /** The same records by MessageSid / SmsSid / CallSid, so `records(sid)` does not scan the whole log. */
  private readonly bySid = new Map<string, DeliveryRecord[]>();

  private readonly timeouts: WebhookTimeouts;

  constructor(private readonly options: DispatcherOptions) {
    this.timeouts = { ...TWILIO_WEBHOOK_TIMEOUTS, ...options.timeouts };
  }

  /** Deliveries so far, in order; with `sid`, only those about that message. */
  records(sid?: string): DeliveryRecord[] {
    if (!sid) return [...this.log];
    return [...(this.bySid.get(sid) ?? [])];
  }

  private active = 0;
  private readonly waiting: Array<() => void> = [];

  /** Sends one webhook; counts as in flight for `settled()` until the answer is in. */
  deliver(delivery: Delivery): Promise<DeliveryResult> {
    return this.options.tasks.track(
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

  /**
   * One delivery: the URL's connection overrides read (and its fragment dropped), the request
   * signed once, then attempts until one succeeds, the retry policy says stop, the retries are
   * used up or the total time runs out. Each attempt is logged.
   */
  private async send({ url, method, params, limitMs }: Delivery): Promise<DeliveryResult> {
    const webhookUrl = limitMs === undefined ? readWebhookUrl(url, this.timeouts) : fixedLimitUrl(url, limitMs, this.timeouts);
    let target: URL;
    try {
      target = new URL(webhookUrl.url);
    } catch {
      const head = { url: webhookUrl.url, method, params, signature: '' };
      return this.refuse(head, { code: 11100, message: `Invalid URL format: ${url}` });
    }
    if (method === 'GET') {
      for (const [name, value] of Object.entries(params)) target.searchParams.append(name, value);
    }
    const signedUrl = method === 'GET' ? target.toString() : webhookUrl.url;
    const signature = this.sign(signedUrl, method === 'GET' ? {} : params);
    const head = attemptHead(webhookUrl, signedUrl, method, params, signature);
    if (webhookUrl.error) return this.refuse(head, webhookUrl.error);
    return this.attempts(head, target, method === 'POST' ? new URLSearchParams(params).toString() : null, webhookUrl);
  }

  private sign(url: string, params: Record<string, string>): string {
    return computeSignature(this.options.authToken, url, params);
  }

  private async attempts(head: AttemptHead, target: URL, body: string | null, { url, settings }: WebhookUrl): Promise<DeliveryResult> {
    const total = new AbortController();
    const timer = setTimeout(() => total.abort(), settings.totalTimeoutMs);
    try {
      for (let attempt = 1; ; attempt += 1) {
        const started = Date.now();
        const request = {
          target,
          method: head.method,
          body,
          signature: head.signature,
          timeouts: { connectMs: settings.connectTimeoutMs, readMs: settings.readTimeoutMs },
          signal: total.signal,
        };
        const inProcess = this.options.inProcess;
        const answer = await (inProcess?.serves(target) ? sendInProcessAttempt(inProcess, request) : sendAttempt(request));
        const failure = failureOf(answer, settings.totalTimeoutSet);
        const condition = retryConditionOf(answer);
        const retry =
          failure !== null &&
          attempt <= settings.retryCount &&
          condition !== null &&
          settings.retryPolicy.has(condition) &&
          !total.signal.aborted;
        this.record(head, answer, attempt, started, failure?.code);
        if (!retry) return resultOf(url, answer, attempt, failure?.code);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** A delivery Twilio would not make (bad URL, invalid overrides): logged as one failed attempt. */
  private refuse(head: AttemptHead, failure: { code: number; message: string }): DeliveryResult {
    const answer: AttemptAnswer = { status: null, contentType: null, body: '', error: failure.message };
    this.record(head, answer, 0, Date.now(), failure.code);
    return resultOf(head.url, answer, 0, failure.code);
  }

  private record(head: AttemptHead, answer: AttemptAnswer, attempt: number, started: number, errorCode: number | undefined): void {
    const record: DeliveryRecord = {
      ...head,
      status: answer.status,
      at: new Date(this.options.clock.now()).toISOString(),
      durationMs: Date.now() - started,
      answer: { contentType: answer.contentType, body: answer.body.slice(0, ANSWER_EXCERPT_CHARS) },
      attempt,
    };
    if (errorCode !== undefined) record.errorCode = errorCode;
    if (answer.error) record.error = answer.error;
    this.log.push(record);
    const sid = head.params.MessageSid || head.params.SmsSid || head.params.CallSid;
    if (sid) {
      const records = this.bySid.get(sid);
      if (records) records.push(record);
      else this.bySid.set(sid, [record]);
    }
    const retry = attempt > 1 ? ` (attempt ${attempt})` : '';
    this.options.logLine(`webhook ${head.method} ${head.url}${retry} -> ${answer.status ?? answer.error}`);
    this.options.onRecord?.(record);
  }
}

function attemptHead(
  webhookUrl: WebhookUrl,
  signedUrl: string,
  method: WebhookMethod,
  params: Record<string, string>,
  signature: string,
): AttemptHead {
  const head: AttemptHead = { url: signedUrl, method, params, signature };
  if (webhookUrl.fragment !== null) head.fragment = webhookUrl.fragment;
  if (webhookUrl.warnings.length > 0) head.warnings = webhookUrl.warnings;
  return head;
}

function resultOf(url: string, answer: AttemptAnswer, attempts: number, errorCode: number | undefined): DeliveryResult {
  const result: DeliveryResult = { url, status: answer.status, contentType: answer.contentType, body: answer.body, attempts };
  if (errorCode !== undefined) result.errorCode = errorCode;
  if (answer.error) result.error = answer.error;
  return result;
}
