import twilio from 'twilio';
import type { CallTranscript } from '../../sandbox';
import { freePort } from '../support/free-port';
import {
  AUTH_TOKEN,
  CUSTOMER,
  OWNED_NUMBER,
  control,
  startSandboxAndReceiver,
  type ReceivedRequest,
  type RoutedReceiver,
  type TestSandbox,
} from './helpers';

interface InboundAnswer {
  messageSid: string;
  webhook: { url: string; status: number | null; errorCode?: number };
  fallback?: {
    url: string;
    method: string;
    status: number | null;
    errorCode?: number;
    cause: { code: number; message: string; url: string };
  };
  replies: Array<{ body: string; to: string }>;
  twimlError?: { code: number; message: string };
}

const FALLBACK_REPLY = { body: '<Response><Message>Sorry, we are having trouble. We got your message.</Message></Response>' };

let env: TestSandbox;
let app: RoutedReceiver;
let numberSid: string;

let close: () => Promise<void>;

beforeAll(async () => {
  ({ env, app, numberSid, close } = await startSandboxAndReceiver());
});

afterAll(() => close());

beforeEach(() => {
  app.requests.length = 0;
  app.routes.clear();
});

async function text(body: string): Promise<InboundAnswer> {
  const res = await control<InboundAnswer>(env.sandbox, 'POST', '/phone/sms', { from: CUSTOMER, to: OWNED_NUMBER, body });
  expect(res.status).toBe(200);
  return res.body;
}

function signedFor(request: ReceivedRequest, url: string): boolean {
  return twilio.validateRequest(AUTH_TOKEN, String(request.headers['x-twilio-signature']), url, request.params);
}

async function setSms(smsUrl: string, fallback: { url: string; method?: 'GET' | 'POST' } | null): Promise<void> {
  await env.client.incomingPhoneNumbers(numberSid).update({
    smsUrl,
    smsFallbackUrl: fallback?.url ?? '',
    smsFallbackMethod: fallback?.method ?? 'POST',
  });
}

describe('SmsFallbackUrl', () => {
  it('gets the same signed parameters plus ErrorCode 11200 and ErrorUrl when SmsUrl answers 500, and its TwiML is executed', async () => {
    await setSms(`${app.url}/sms?tenant=1`, { url: `${app.url}/sms-fallback` });
    app.routes.set('/sms', [{ status: 500, body: 'boom' }]);
    app.routes.set('/sms-fallback', [FALLBACK_REPLY]);
    const answer = await text('hello');

    const [primary] = app.to('/sms');
    const [fallback] = app.to('/sms-fallback');
    expect(signedFor(fallback, `${app.url}/sms-fallback`)).toBe(true);
    const { ErrorCode, ErrorUrl, ...rest } = fallback.params;
    expect([ErrorCode, ErrorUrl]).toEqual(['11200', `${app.url}/sms?tenant=1`]);
    expect(rest).toEqual(primary.params);
    expect(answer.webhook).toMatchObject({ status: 500, errorCode: 11200 });
    expect(answer.fallback).toMatchObject({
      url: `${app.url}/sms-fallback`,
      method: 'POST',
      status: 200,
      cause: { code: 11200, url: `${app.url}/sms?tenant=1` },
    });
    expect(answer.replies.map((r) => [r.to, r.body])).toEqual([[CUSTOMER, 'Sorry, we are having trouble. We got your message.']]);
    expect(answer.twimlError).toBeUndefined();
  });

  it('is used for a 4xx too', async () => {
    await setSms(`${app.url}/missing`, { url: `${app.url}/sms-fallback` });
    app.routes.set('/missing', [{ status: 404 }]);
    const answer = await text('hi');
    expect(app.to('/sms-fallback')[0].params.ErrorCode).toBe('11200');
    expect(answer.fallback?.status).toBe(200);
  });

  it('is used when SmsUrl refuses the connection (11202, after Twilio’s one retry)', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/sms`;
    await setSms(closed, { url: `${app.url}/sms-fallback` });
    const answer = await text('hi');
    expect(app.to('/sms-fallback')[0].params).toMatchObject({ ErrorCode: '11202', ErrorUrl: closed });
    expect(answer.webhook).toMatchObject({ status: null, errorCode: 11202 });
  });

  it('is used when SmsUrl does not answer in time (11205; the read timeout from the URL’s #rt override)', async () => {
    await setSms(`${app.url}/slow#rt=200&rc=0`, { url: `${app.url}/sms-fallback` });
    app.routes.set('/slow', ['hang']);
    const started = Date.now();
    const answer = await text('hi');
    expect(Date.now() - started).toBeLessThan(5000);
    // ErrorUrl is the URL requested: the fragment is never part of it.
    expect(app.to('/sms-fallback')[0].params).toMatchObject({ ErrorCode: '11205', ErrorUrl: `${app.url}/slow` });
    expect(answer.fallback?.cause.code).toBe(11205);
  });

  it.each([
    ['malformed TwiML', 12100, { body: '<Response><Message>oops</Response>' }],
    ['a root other than <Response>', 12100, { body: '<Reply/>' }],
    ['a wrong content type', 12300, { contentType: 'application/json', body: '{"reply":"hi"}' }],
  ])('is used for %s (%i)', async (_name, code, reply) => {
    await setSms(`${app.url}/bad`, { url: `${app.url}/sms-fallback` });
    app.routes.set('/bad', [reply]);
    app.routes.set('/sms-fallback', [FALLBACK_REPLY]);
    const answer = await text('hi');
    expect(app.to('/sms-fallback')[0].params.ErrorCode).toBe(String(code));
    expect(answer.webhook.errorCode).toBe(code);
    expect(answer.twimlError).toBeUndefined();
    expect(answer.replies).toHaveLength(1);
  });

  it('uses SmsFallbackMethod (GET: parameters in the signed query)', async () => {
    await setSms(`${app.url}/down`, { url: `${app.url}/sms-fallback?x=1`, method: 'GET' });
    app.routes.set('/down', [{ status: 503 }]);
    await text('hi');
    const [fallback] = app.to('/sms-fallback');
    expect(fallback.method).toBe('GET');
    const query = new URL(fallback.url).searchParams;
    expect([query.get('x'), query.get('ErrorCode'), query.get('Body')]).toEqual(['1', '11200', 'hi']);
    expect(twilio.validateRequest(AUTH_TOKEN, String(fallback.headers['x-twilio-signature']), fallback.url, {})).toBe(true);
  });

  it('is not requested after a good answer, nor when none is set', async () => {
    await setSms(`${app.url}/ok`, { url: `${app.url}/sms-fallback` });
    expect((await text('hi')).fallback).toBeUndefined();
    await setSms(`${app.url}/down`, null);
    app.routes.set('/down', [{ status: 500 }]);
    const answer = await text('hi');
    expect(answer.fallback).toBeUndefined();
    expect(answer.webhook.errorCode).toBe(11200);
    expect(app.to('/sms-fallback')).toHaveLength(0);
  });

  it('reports a fallback that fails too, and stops there', async () => {
    await setSms(`${app.url}/down`, { url: `${app.url}/sms-fallback` });
    app.routes.set('/down', [{ status: 500 }]);
    app.routes.set('/sms-fallback', [{ body: 'not xml <' }]);
    const answer = await text('hi');
    expect(answer.fallback).toMatchObject({ status: 200, errorCode: 12100, cause: { code: 11200 } });
    expect(answer.twimlError?.code).toBe(12100);
    expect(answer.replies).toEqual([]);
  });

  it('applies to WhatsApp messages that go to the number’s SmsUrl', async () => {
    await setSms(`${app.url}/down`, { url: `${app.url}/sms-fallback` });
    app.routes.set('/down', [{ status: 500 }]);
    const res = await control<InboundAnswer>(env.sandbox, 'POST', '/phone/whatsapp', { from: CUSTOMER, to: OWNED_NUMBER, body: 'hola' });
    expect(res.body.fallback?.status).toBe(200);
    expect(app.to('/sms-fallback')[0].params).toMatchObject({ ErrorCode: '11200', From: `whatsapp:${CUSTOMER}` });
  });
});

describe('VoiceFallbackUrl', () => {
  type Answer = CallTranscript & { error?: { code: number; message: string; url?: string } };

  async function call(body: Record<string, unknown> = {}): Promise<Answer> {
    const res = await control<Answer>(env.sandbox, 'POST', '/phone/call', { from: CUSTOMER, to: OWNED_NUMBER, ...body });
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    await env.client.incomingPhoneNumbers(numberSid).update({
      voiceUrl: `${app.url}/voice`,
      voiceFallbackUrl: `${app.url}/voice-fallback`,
    });
  });

  it('gets the voice parameters plus ErrorCode and ErrorUrl when VoiceUrl fails, and the caller hears its TwiML', async () => {
    app.routes.set('/voice', [{ status: 502 }]);
    app.routes.set('/voice-fallback', [{ body: '<Response><Say>We are having trouble. Please call back.</Say></Response>' }]);
    const answer = await call();
    const [primary] = app.to('/voice');
    const [fallback] = app.to('/voice-fallback');
    expect(signedFor(fallback, `${app.url}/voice-fallback`)).toBe(true);
    const { ErrorCode, ErrorUrl, ...rest } = fallback.params;
    expect([ErrorCode, ErrorUrl]).toEqual(['11200', `${app.url}/voice`]);
    expect(rest).toEqual(primary.params);
    expect(answer.endedBy).toBe('end-of-twiml');
    expect(answer.steps.map((s) => [s.verb, s.text])).toEqual([['Say', 'We are having trouble. Please call back.']]);
    expect(answer.fallback).toMatchObject({
      url: `${app.url}/voice-fallback`,
      status: 200,
      cause: { code: 11200, url: `${app.url}/voice` },
    });
    expect(answer.error).toBeUndefined();
  });

  it('is used for a TwiML request later in the call (a Gather action), once per call', async () => {
    app.routes.set('/voice', [{ body: `<Response><Gather numDigits="1" action="${app.url}/menu"/></Response>` }]);
    app.routes.set('/menu', [{ status: 500 }]);
    app.routes.set('/voice-fallback', [{ body: `<Response><Redirect>${app.url}/menu</Redirect></Response>` }]);
    const answer = await call({ inputs: [{ digits: '1' }] });
    expect(app.to('/voice-fallback')).toHaveLength(1);
    expect(app.to('/voice-fallback')[0].params).toMatchObject({ ErrorCode: '11200', ErrorUrl: `${app.url}/menu`, Digits: '1' });
    // The fallback's Redirect fails again: no second fallback, the call ends on the error.
    expect(answer.endedBy).toBe('webhook-error');
    expect(answer.error).toMatchObject({ code: 11200, url: `${app.url}/menu` });
  });

  it('records both failures when the fallback fails too', async () => {
    app.routes.set('/voice', [{ status: 500 }]);
    app.routes.set('/voice-fallback', [{ contentType: 'text/plain', body: 'nope' }]);
    const answer = await call();
    expect(answer.endedBy).toBe('webhook-error');
    expect(answer.fallback).toMatchObject({ errorCode: 12300, cause: { code: 11200 } });
    expect(answer.error).toMatchObject({ code: 12300, url: `${app.url}/voice-fallback` });
  });

  it('uses the FallbackUrl of a Calls create', async () => {
    app.routes.set('/outbound', [{ status: 500 }]);
    app.routes.set('/outbound-fallback', [{ body: '<Response><Say>fallback</Say></Response>' }]);
    const created = await env.client.calls.create({
      to: CUSTOMER,
      from: OWNED_NUMBER,
      url: `${app.url}/outbound`,
      fallbackUrl: `${app.url}/outbound-fallback`,
    });
    await env.sandbox.settled();
    const view = await control<CallTranscript>(env.sandbox, 'GET', `/calls/${created.sid}`);
    expect(app.to('/outbound-fallback')[0].params).toMatchObject({ ErrorCode: '11200', CallSid: created.sid });
    expect(view.body.steps.map((s) => s.text)).toEqual(['fallback']);
  });
});
