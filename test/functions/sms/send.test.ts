import { startLocalFunctions, type LocalFunctions } from '../../../local/functions-server';
import { callApi, type HttpResult } from '../../support/http';
import { startOwnStack } from '../../support/own-stack';
import { phoneBook, sandboxClient, textFromPhone } from '../../support/sandbox-phone';
import { TEST_API_TOKEN, functionsEnv, stack } from '../../support/stack';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

const uniquePhone = phoneBook('sms-send');
const send = (body: unknown, url = stack().functionsUrl): Promise<HttpResult> => callApi(`${url}/sms/send`, { method: 'POST', body });
const tracked = async (sid: string) =>
  (await callApi(`${stack().functionsUrl}/sms/message?sid=${sid}`)).json as { status: string; history: Array<{ status: string }> };

describe('POST /sms/send', () => {
  it('sends, answers { sid, status, to, segments, encoding }, and tracks delivery from the signed callbacks', async () => {
    const to = uniquePhone();
    const result = await send({ to, body: 'Your order has shipped.' });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ sid: match.stringMatching(/^SM[0-9a-f]{32}$/), status: 'queued', to, segments: 1, encoding: 'GSM-7' });
    const { sid } = result.json as { sid: string };

    const message = await eventually(
      () => tracked(sid),
      (m) => m.status === 'delivered',
    );
    expect(message.history.map((event) => event.status)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    const sent = await sandboxClient().messages(sid).fetch();
    expect(sent).toMatchObject({ to, body: 'Your order has shipped.', from: '+15005550006' });
  });

  it('takes a form body too, with repeated mediaUrl fields', async () => {
    const to = uniquePhone();
    const form = new URLSearchParams([
      ['to', to],
      ['body', 'Photos attached'],
      ['mediaUrl', 'https://media.example/1.png'],
      ['mediaUrl', 'https://media.example/2.png'],
    ]);
    const response = await fetch(`${stack().functionsUrl}/sms/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.status).toBe(200);
    const { sid } = (await response.json()) as { sid: string };
    expect((await sandboxClient().messages(sid).fetch()).numMedia).toBe('2');
  });

  it('counts UCS-2 segments and sends media, one or many', async () => {
    const result = await send({
      to: uniquePhone(),
      body: 'Привет! '.repeat(10),
      mediaUrl: ['https://media.example/a.png', 'https://media.example/b.png'],
    });
    expect(result.json).toMatchObject({ segments: 2, encoding: 'UCS-2' });
    const sent = await sandboxClient()
      .messages((result.json as { sid: string }).sid)
      .fetch();
    expect(sent.numMedia).toBe('2');
  });

  it('keeps GSM-7 for smart quotes with smartEncoding', async () => {
    const plain = await send({ to: uniquePhone(), body: 'It\u2019s ready' });
    const smart = await send({ to: uniquePhone(), body: 'It\u2019s ready', smartEncoding: true });
    expect(plain.json).toMatchObject({ encoding: 'UCS-2' });
    expect(smart.json).toMatchObject({ encoding: 'GSM-7' });
  });

  it('refuses an opted-out recipient with 409 without calling Twilio', async () => {
    const to = uniquePhone();
    await textFromPhone(to, 'STOP');
    const result = await send({ to, body: 'Sale today!' });
    expect(result.status).toBe(409);
    expect(result.json).toMatchObject({ error: { code: 'opted_out' } });
    expect(await sandboxClient().messages.list({ to })).toEqual([]);
  });

  it.each([
    ['+15005550001', 400, 'invalid_number', 21211],
    ['+15005550009', 400, 'not_mobile', 21614],
    ['+15005550003', 400, 'region_not_enabled', 21408],
    ['+15005550002', 400, 'unroutable', 21612],
  ])("maps Twilio's error for %s to %i %s", async (to, status, code, twilioCode) => {
    const result = await send({ to, body: 'hi' });
    expect(result.status).toBe(status);
    expect(result.json).toEqual({ error: { code, message: match.any(String), twilioCode } });
  });

  it('records a carrier opt-out (21610) and refuses the next send without calling Twilio', async () => {
    const to = '+15005550004';
    const first = await send({ to, body: 'hi' });
    expect(first.json).toMatchObject({ error: { code: 'opted_out', twilioCode: 21610 } });
    const optout = await callApi(`${stack().functionsUrl}/sms/optout?number=${encodeURIComponent(to)}`);
    expect(optout.json).toMatchObject({ optedOut: true, source: 'twilio-21610' });
    const second = await send({ to, body: 'hi' });
    expect(second.json).toEqual({ error: { code: 'opted_out', channel: 'sms', message: match.any(String) } });
  });

  it.each([
    ['no recipient', { body: 'hi' }, 400, 'missing_parameter'],
    ['no body or media', { to: '+12025550123' }, 400, 'missing_parameter'],
    ['an invalid number', { to: '+1 555 123 4567', body: 'hi' }, 400, 'invalid_phone_number'],
    ['a national number without DEFAULT_COUNTRY', { to: '(202) 555-0123', body: 'hi' }, 400, 'invalid_phone_number'],
    ['a number that is too long', { to: '+1202555012399999', body: 'hi' }, 400, 'invalid_phone_number'],
    ['a body over 1600 characters', { to: '+12025550123', body: 'x'.repeat(1601) }, 400, 'body_too_long'],
    ['a body over MAX_SEGMENTS', { to: '+12025550123', body: 'x'.repeat(1531) }, 400, 'too_many_segments'],
    ['a media URL that is not http(s)', { to: '+12025550123', mediaUrl: 'ftp://media.example/a.png' }, 400, 'invalid_media_url'],
    ['a recipient list', { to: ['+12025550123', '+12025550124'], body: 'hi' }, 400, 'invalid_parameter'],
  ])('refuses %s with a clear %i', async (_name, body, status, code) => {
    const result = await send(body);
    expect(result.status).toBe(status);
    expect(result.json).toMatchObject({ error: { code } });
  });

  it('requires the API token', async () => {
    expect(
      (await callApi(`${stack().functionsUrl}/sms/send`, { method: 'POST', body: { to: uniquePhone(), body: 'hi' }, token: null })).status,
    ).toBe(401);
  });

  describe('with DEFAULT_COUNTRY, ALLOWED_COUNTRIES and MAX_SEGMENTS', () => {
    let server: LocalFunctions;
    beforeAll(async () => {
      server = await startLocalFunctions({
        port: 0,
        env: { ...functionsEnv(stack().sandbox), DEFAULT_COUNTRY: 'US', ALLOWED_COUNTRIES: 'US,CA', MAX_SEGMENTS: '2' },
      });
    });
    afterAll(() => server.close());

    it('reads national numbers with spaces and punctuation as E.164', async () => {
      const e164 = uniquePhone();
      const national = `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
      expect((await send({ to: national, body: 'hi' }, server.url)).json).toMatchObject({ to: e164 });
    });

    it('refuses a country outside ALLOWED_COUNTRIES with 403', async () => {
      const result = await send({ to: '+44 7400 123456', body: 'hi' }, server.url);
      expect(result.status).toBe(403);
      expect(result.json).toMatchObject({ error: { code: 'country_not_allowed', country: 'GB' } });
    });

    it('refuses a body over MAX_SEGMENTS, saying how many it needs', async () => {
      const result = await send({ to: uniquePhone(), body: 'x'.repeat(307) }, server.url);
      expect(result.json).toMatchObject({ error: { code: 'too_many_segments', segments: 3, encoding: 'GSM-7' } });
      expect((await send({ to: uniquePhone(), body: 'x'.repeat(306) }, server.url)).json).toMatchObject({ segments: 2 });
    });
  });

  it("retries Twilio's 20429 (too many concurrent requests) with backoff and sends once", async () => {
    const own = await startOwnStack();
    try {
      const fault = { method: 'POST', pathPattern: '/Messages\\.json$', status: 429, code: 20429, times: 3 };
      await fetch(`${own.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      const to = uniquePhone();
      const result = await send({ to, body: 'hi' }, own.functions.url);
      expect(result.status).toBe(200);
      expect(await own.client.messages.list({ to })).toHaveLength(1);
      expect(await (await fetch(`${own.sandbox.url}/_sandbox/faults`)).json()).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
