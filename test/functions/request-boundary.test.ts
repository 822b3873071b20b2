// The boundary's gaps of issue #22, each tried the way an attacker (or a real phone) would: real
// HTTP to the Functions on the local edge, real X-Twilio-Signature where the route is a webhook.
import http from 'node:http';
import { getExpectedBodyHash, getExpectedTwilioSignature } from 'twilio';
import { startLocalFunctions, type LocalFunctions } from '../../local/functions-server';
import { invokeBuilt } from '../support/built-function';
import { callApi, postSignedForm, toResult, type HttpResult } from '../support/http';
import { match } from '../support/match';
import { messagesOf } from '../support/twiml';
import { TEST_API_TOKEN, TEST_AUTH_TOKEN, TEST_PHONE_NUMBER, functionsEnv, stack } from '../support/stack';

const code = (answer: HttpResult) => (answer.json as { error?: { code?: string } } | undefined)?.error?.code;

/** Numbers of this file only (fictional 555-01xx lines in an area code no phone book uses). */
let nextLine = 0;
const phone = () => `+1971555${String(100 + (nextLine++ % 100)).padStart(4, '0')}`;
let nextSid = 0;
const messageSid = () => `SM${String(nextSid++).padStart(6, '0')}${'b'.repeat(26)}`;

const optedOut = async (number: string) =>
  ((await callApi(`${stack().functionsUrl}/sms/optout?number=${encodeURIComponent(number)}`)).json as { optedOut: boolean }).optedOut;

describe('reserved names are judged by their first qs segment, leading brackets included (finding 1)', () => {
  const smuggled = `Bearer ${TEST_API_TOKEN}`;
  it.each([
    ['[request][headers][authorization]=TOKEN&[request][cookies][a]=b'],
    ['%5Brequest%5D%5Bheaders%5D%5Bauthorization%5D=TOKEN&%5Brequest%5D%5Bcookies%5D%5Ba%5D=b'],
    ['[request]%5Bheaders%5D[authorization]=TOKEN&[[request]][cookies][a]=b'],
    ['reque%73t[headers][authorization]=TOKEN&request%5Bcookies%5D[a]=b'],
    ['request.headers=TOKEN'],
  ])('never reads the API token from ?%s', async (query) => {
    const answer = await toResult(await fetch(`${stack().functionsUrl}/sms/stats?${query.replace('TOKEN', encodeURIComponent(smuggled))}`));
    expect({ status: answer.status, code: code(answer) }).toEqual({ status: 400, code: 'reserved_parameter' });
  });

  it('a cross-site form cannot wipe its Origin with [request] in the query', async () => {
    const response = await fetch(`${stack().functionsUrl}/verify/start?[request][headers][x]=1&[request][cookies][a]=b`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'to=%2B12025550123',
    });
    const answer = await toResult(response);
    expect({ status: answer.status, code: code(answer) }).toEqual({ status: 400, code: 'reserved_parameter' });
    // Without the smuggled names, the same form meets the Origin check.
    const plain = await fetch(`${stack().functionsUrl}/verify/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'to=%2B12025550123',
    });
    expect(plain.status).toBe(403);
  });
});

describe('a protected webhook believes only what its signature covers (finding 2)', () => {
  const url = () => `${stack().functionsUrl}/sms/incoming`;
  const stopFrom = (from: string) => ({ MessageSid: messageSid(), From: from, To: TEST_PHONE_NUMBER, Body: 'STOP' });

  it('refuses a JSON body under a signature made for the URL alone (no bodySHA256)', async () => {
    const from = phone();
    const response = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, url(), {}) },
      body: JSON.stringify(stopFrom(from)),
    });
    const answer = await toResult(response);
    expect({ status: answer.status, code: code(answer) }).toEqual({ status: 403, code: 'invalid_signature' });
    expect(await optedOut(from)).toBe(false);
  });

  it('refuses a GET that carries a body: only the URL is signed', async () => {
    const from = phone();
    const body = new URLSearchParams(stopFrom(from)).toString();
    // fetch sends no GET body; node:http does, as an attacker's client would.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.request(
        url(),
        {
          method: 'GET',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, url(), {}),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(status).toBe(403);
    expect(await optedOut(from)).toBe(false);
  });

  it('serves a JSON body whose bodySHA256 is in the signed URL', async () => {
    const from = phone();
    const text = JSON.stringify(stopFrom(from));
    const signed = `${url()}?bodySHA256=${getExpectedBodyHash(text)}`;
    const response = await fetch(signed, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, signed, {}) },
      body: text,
    });
    expect(response.status).toBe(200);
    expect(await optedOut(from)).toBe(true);
  });

  it.each(['APPLICATION/X-WWW-FORM-URLENCODED', 'Application/X-Www-Form-Urlencoded; Charset=UTF-8'])(
    'reads %s as a form: its parameters are signed, a URL-only signature is refused',
    async (contentType) => {
      const post = (from: string, signature: string) =>
        fetch(url(), {
          method: 'POST',
          headers: { 'content-type': contentType, 'x-twilio-signature': signature },
          body: new URLSearchParams(stopFrom(from)).toString(),
        });
      const forged = phone();
      expect((await post(forged, getExpectedTwilioSignature(TEST_AUTH_TOKEN, url(), {}))).status).toBe(403);
      expect(await optedOut(forged)).toBe(false);
      const genuine = phone();
      const params = stopFrom(genuine);
      const response = await fetch(url(), {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, url(), params) },
        body: new URLSearchParams(params).toString(),
      });
      expect(response.status).toBe(200);
      expect(await optedOut(genuine)).toBe(true);
    },
  );

  // No edge in front: what the deployed Function itself refuses, whatever Twilio's gateway let through.
  it('refuses, in the Function itself, a webhook with a JSON body and no bodySHA256', async () => {
    const from = phone();
    const request = { headers: { 'content-type': 'APPLICATION/JSON; charset=utf-8' }, cookies: {} };
    const answer = await invokeBuilt(
      'sms/status.protected',
      { ...functionsEnv(stack().sandbox) },
      { request, ...stopFrom(from), MessageStatus: 'sent' },
    );
    expect({ status: answer.statusCode, body: answer.body }).toEqual({
      status: 403,
      body: { error: { code: 'unsigned_body', message: match.any(String) } },
    });
  });
});

describe('nesting is bounded before any work that walks it (finding 3)', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const send = (body: string) =>
    fetch(`${stack().functionsUrl}/sms/send`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_API_TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': `deep-${Math.random()}`,
      },
      body,
    }).then(toResult);

  it.each([10_000, 1_000_000])('answers a body %i levels deep with 400 too_deeply_nested, not 500', async (depth) => {
    const answer = await send(`{"to":"+12025550123","body":"hi","extra":${nested(depth)}}`);
    expect({ status: answer.status, code: code(answer) }).toEqual({ status: 400, code: 'too_deeply_nested' });
    expect((await fetch(`${stack().functionsUrl}/health`)).status).toBe(200);
  });

  it('is not fooled by brackets inside strings', async () => {
    const answer = await send(JSON.stringify({ to: 'not a number', body: `${'['.repeat(100)} "\\" {` }));
    expect(code(answer)).not.toBe('too_deeply_nested');
  });

  it('refuses deep parameters in the Function itself (a deployed runtime parses before any edge check)', async () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 10_000; level += 1) deep = [deep];
    const answer = await invokeBuilt(
      'sms/send',
      { ...functionsEnv(stack().sandbox) },
      {
        request: { headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'idempotency-key': 'deep-in-function' }, cookies: {} },
        to: '+12025550123',
        body: 'hi',
        extra: deep,
      },
    );
    expect({ status: answer.statusCode, body: answer.body }).toEqual({
      status: 400,
      body: { error: { code: 'too_deeply_nested', message: match.any(String) } },
    });
  });
});

describe("Twilio's webhook text is kept, control characters replaced, never refused (finding 4)", () => {
  it.each([
    ['a BEL after STOP', 'STOP\u0007'],
    ['a Hangul filler before STOP', '\u3164STOP'],
    ['Hangul fillers inside STOP', 'S\u115FT\u1160O\uFFA0P'],
    ['a lone surrogate after STOP', 'STOP\uD800'],
  ])('opts out on %s, on the webhook and on the fallback', async (_name, body) => {
    for (const route of ['/sms/incoming', '/sms/fallback', '/whatsapp/incoming', '/whatsapp/fallback']) {
      const whatsapp = route.startsWith('/whatsapp');
      const from = phone();
      const answer = await postSignedForm(`${stack().functionsUrl}${route}`, {
        MessageSid: messageSid(),
        From: whatsapp ? `whatsapp:${from}` : from,
        To: whatsapp ? `whatsapp:${TEST_PHONE_NUMBER}` : TEST_PHONE_NUMBER,
        Body: body,
      });
      expect({ route, status: answer.status }).toEqual({ route, status: 200 });
      if (!whatsapp) expect({ route, optedOut: await optedOut(from) }).toEqual({ route, optedOut: true });
    }
  });

  it('serves every webhook a parameter with control characters (voice and status included)', async () => {
    const webhooks = [
      '/sms/status',
      '/voice/incoming',
      '/voice/menu',
      '/voice/status',
      '/voice/fallback',
      '/voice/recording',
      '/voice/transcription',
      '/voice/dial-status',
    ];
    for (const route of webhooks) {
      const answer = await postSignedForm(`${stack().functionsUrl}${route}`, {
        MessageSid: messageSid(),
        CallSid: `CA${'c'.repeat(32)}`,
        RecordingSid: `RE${'c'.repeat(32)}`,
        From: '+12025550123',
        To: TEST_PHONE_NUMBER,
        MessageStatus: 'sent',
        CallStatus: 'completed',
        SpeechResult: 'sales\u0008\u001B',
        TranscriptionText: 'Hello\fthere\u0000',
        TranscriptionStatus: 'completed',
        ErrorMessage: 'x\u007F',
      });
      expect({ route, status: answer.status, invalid: /invalid_parameter/.test(answer.text) }).toEqual({
        route,
        status: 200,
        invalid: false,
      });
    }
  });
});

describe('forwards and auto-replies with settings (findings 4 and 5)', () => {
  const staff = '+12025550177';
  let server: LocalFunctions;

  beforeAll(async () => {
    server = await startLocalFunctions({ port: 0, env: { ...functionsEnv(stack().sandbox), FORWARD_TO: staff } });
  });
  afterAll(() => server.close());

  const inbound = (from: string, body: string) =>
    postSignedForm(`${server.url}/sms/incoming`, { MessageSid: messageSid(), From: from, To: TEST_PHONE_NUMBER, Body: body });

  it('keeps and forwards a text with a form feed, the character replaced', async () => {
    const from = phone();
    const answer = await inbound(from, 'Hello\fis my order ready?');
    expect(answer.status).toBe(200);
    expect(messagesOf(answer.text)).toEqual([{ to: staff, body: `From ${from}: "Hello\uFFFDis my order ready?"`, media: [] }]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['a line separator', '\u2028'],
    ['a paragraph separator', '\u2029'],
    ['NEL', '\u0085'],
  ])('quotes the text on one line, so %s cannot forge a second "From" line', async (_name, breakChars) => {
    const from = phone();
    const answer = await inbound(from, `ok${breakChars}From +12025550100: send the gate code to this number`);
    const [forward] = messagesOf(answer.text);
    expect(forward).toEqual({ to: staff, body: match.any(String), media: [] });
    expect(forward.body).toBe(`From ${from}: "ok From +12025550100: send the gate code to this number"`);
    expect(forward.body).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
  });
});
