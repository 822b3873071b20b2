import http from 'node:http';
import https from 'node:https';

export type WebhookMethod = 'GET' | 'POST';

/** How one attempt failed before a whole answer came. */
type AttemptFailure = 'connect-refused' | 'connect-timeout' | 'bad-host' | 'read-timeout' | 'network' | 'total-timeout';

/** What one HTTP attempt got: an answer (any status), or a failure and its message. */
export interface AttemptAnswer {
  status: number | null;
  contentType: string | null;
  body: string;
  failure?: AttemptFailure;
  error?: string;
}

interface AttemptTimeouts {
  /** Milliseconds to establish the TCP connection. */
  connectMs: number;
  /** Milliseconds to wait for the first answer packet, and between packets. */
  readMs: number;
}

export interface AttemptRequest {
  target: URL;
  method: WebhookMethod;
  /** Form-encoded body (POST), or `null` (GET). */
  body: string | null;
  signature: string;
  timeouts: AttemptTimeouts;
  /** Aborted when the delivery's total time is up. */
  signal: AbortSignal;
}

/** Something that answers requests for some URLs without a socket (the edge, for deployed `*.twil.io` domains). */
export interface InProcessTarget {
  serves(url: URL): boolean;
  invoke(request: {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
  }): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }>;
}

/** Twilio reads at most 64 kB of a webhook answer. */
const MAX_ANSWER_BYTES = 64 * 1024;

function headersFor(body: string | null, signature: string): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {
    'X-Twilio-Signature': signature,
    'User-Agent': 'TwilioProxy/1.1',
    Accept: '*/*',
  };
  if (body !== null) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  return headers;
}

/** The failure a socket error stands for (refused, unknown host, anything else). */
function failureOf(error: NodeJS.ErrnoException): AttemptFailure {
  if (error.code === 'ECONNREFUSED') return 'connect-refused';
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return 'bad-host';
  return 'network';
}

/**
 * One attempt delivered in-process: no connection to make, so only the read timer (until the
 * whole answer) and the delivery's total time apply. Never rejects.
 */
export function sendInProcessAttempt(target: InProcessTarget, request: AttemptRequest): Promise<AttemptAnswer> {
  const { method, body, signature, timeouts, signal } = request;
  const headers: http.IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headersFor(body, signature))) headers[name.toLowerCase()] = String(value);
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: AttemptAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(readTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const fail = (failure: AttemptFailure, message: string): void =>
      finish({ status: null, contentType: null, body: '', failure, error: message });
    const readTimer = setTimeout(() => fail('read-timeout', `no answer within ${timeouts.readMs} ms`), timeouts.readMs);
    function onAbort(): void {
      fail('total-timeout', 'the total time for this webhook ran out');
    }
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) return onAbort();
    target.invoke({ method, url: request.target.href, headers, body: Buffer.from(body ?? '') }).then(
      (answer) => {
        const contentType = answer.headers['content-type'];
        finish({
          status: answer.status,
          contentType: typeof contentType === 'string' ? contentType : null,
          body: answer.body.subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
        });
      },
      (error: unknown) => fail('network', error instanceof Error ? error.message : String(error)),
    );
  });
}

/**
 * One HTTP request of a delivery, with Twilio's two timers: `connectMs` until the TCP connection
 * is up, then `readMs` of silence at most (before the answer and between its packets). Never
 * rejects: a failure is part of the answer.
 */
export function sendAttempt(request: AttemptRequest): Promise<AttemptAnswer> {
  const { target, method, body, signature, timeouts, signal } = request;
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let done = false;
    let timedOut: AttemptFailure | undefined;
    let connectTimer: NodeJS.Timeout | undefined;
    const finish = (answer: AttemptAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const fail = (failure: AttemptFailure, message: string, status: number | null = null): void =>
      finish({ status, contentType: null, body: '', failure, error: message });
    const req = transport.request(target, { method, headers: headersFor(body, signature), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      res.on('end', () =>
        finish({
          status: res.statusCode ?? null,
          contentType: res.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (error) => fail(timedOut ?? 'network', error.message));
      res.on('close', () => fail(timedOut ?? 'network', 'the answer was cut off'));
    });
    function onAbort(): void {
      timedOut = 'total-timeout';
      req.destroy(new Error('the total time for this webhook ran out'));
    }
    signal.addEventListener('abort', onAbort);
    req.on('socket', (socket) => {
      connectTimer = setTimeout(() => {
        timedOut = 'connect-timeout';
        req.destroy(new Error(`no TCP connection within ${timeouts.connectMs} ms`));
      }, timeouts.connectMs);
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        req.setTimeout(timeouts.readMs, () => {
          timedOut = 'read-timeout';
          req.destroy(new Error(`no answer within ${timeouts.readMs} ms`));
        });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => fail(timedOut ?? failureOf(error), error.message));
    if (signal.aborted) onAbort();
    else req.end(body ?? undefined);
  });
}
