import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioClient } from '../../src/lib/twilio/client';
import type { TwilioClient } from '../../src/lib/twilio/sdk';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

export const ACCOUNT_SID = `AC${'0'.repeat(32)}`;
export const AUTH_TOKEN = 'sandbox-test-auth-token';
export const API_KEY = { sid: `SK${'1'.repeat(32)}`, secret: 'sandbox-test-key-secret' };
/** Owned by the test account; a real area code with a fictional 555-01xx line. */
export const OWNED_NUMBER = '+14155550142';
export const CUSTOMER = '+12025550123';

export interface TestSandbox {
  sandbox: Sandbox;
  client: TwilioClient;
}

export async function startTestSandbox(overrides: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    apiKeys: [API_KEY],
    phoneNumbers: [OWNED_NUMBER, '+15005550006'],
    port: 0,
    callbackDelayMs: 1,
    ...overrides,
  });
  const client = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, sandboxUrl: sandbox.url });
  return { sandbox, client };
}

export interface ReceivedRequest {
  method: string;
  /** Full URL as Twilio would have signed it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  params: Record<string, string>;
}

interface ReplySpec {
  status?: number;
  contentType?: string;
  body?: string;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** What the next requests are answered with. */
  reply: ReplySpec;
  close(): Promise<void>;
}

/** A tiny webhook receiver on an ephemeral port that records what it gets. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: Receiver = { url: '', requests, reply: {}, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        url: `${receiver.url}${req.url ?? '/'}`.replace(/(:\d+)\/\//, '$1/'),
        headers: req.headers,
        body,
        params: Object.fromEntries(new URLSearchParams(body)),
      });
      const { status = 200, contentType = 'text/xml', body: answer = '<Response/>' } = receiver.reply;
      res.writeHead(status, { 'Content-Type': contentType }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

/** Calls a `/_sandbox` control endpoint. */
export async function control<T>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The RestException twilio-node raised, or a failure if the call succeeded. */
export async function restError(call: Promise<unknown>): Promise<{ status: number; code: number; moreInfo: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { status: number; code: number; moreInfo: string; message: string };
  }
  throw new Error('expected the call to fail with a RestException');
}

/** One sandbox and one callback receiver for a test file: started before its tests, closed after. */
export function sandboxWithReceiver(): { readonly env: TestSandbox; readonly receiver: Receiver } {
  const fixture = {} as { env: TestSandbox; receiver: Receiver };
  beforeAll(async () => {
    fixture.env = await startTestSandbox();
    fixture.receiver = await startReceiver();
  });
  afterAll(async () => {
    await fixture.env.sandbox.close();
    await fixture.receiver.close();
  });
  return fixture;
}

/** What a routed receiver does with one request: answer as `ReplySpec` says, or never answer. */
type ScriptedReply = ReplySpec | 'hang';

export interface RoutedReceiver {
  url: string;
  requests: ReceivedRequest[];
  /**
   * Answers by path (query ignored): each request takes the next entry, the last one repeats.
   * A path without entry answers 200 `<Response/>`.
   */
  routes: Map<string, ScriptedReply[]>;
  /** Requests so far to `path`. */
  to(path: string): ReceivedRequest[];
  close(): Promise<void>;
}

/** A webhook receiver whose answers are scripted per path: failures, hangs, then success. */
export async function startRoutedReceiver(): Promise<RoutedReceiver> {
  const requests: ReceivedRequest[] = [];
  const routes = new Map<string, ScriptedReply[]>();
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0];
      requests.push({
        method: req.method ?? '',
        url: `${receiver.url}${req.url ?? '/'}`,
        headers: req.headers,
        body,
        params: Object.fromEntries(new URLSearchParams(body)),
      });
      const script = routes.get(path) ?? [{}];
      const index = seen.get(path) ?? 0;
      seen.set(path, index + 1);
      const reply = script[Math.min(index, script.length - 1)];
      if (reply === 'hang') return;
      const { status = 200, contentType = 'text/xml', body: answer = '<Response/>' } = reply;
      res.writeHead(status, { 'Content-Type': contentType }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: RoutedReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    routes,
    to: (path) => requests.filter((r) => new URL(r.url).pathname === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return receiver;
}

/** A sandbox, a routed receiver and OWNED_NUMBER's SID: what the webhook-behaviour tests start; `close` stops both. */
export async function startSandboxAndReceiver(): Promise<{
  env: TestSandbox;
  app: RoutedReceiver;
  numberSid: string;
  close: () => Promise<void>;
}> {
  const env = await startTestSandbox();
  const app = await startRoutedReceiver();
  const numberSid = (await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER }))[0].sid;
  return {
    env,
    app,
    numberSid,
    close: async () => {
      await env.sandbox.close();
      await app.close();
    },
  };
}
