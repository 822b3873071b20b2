import { callApi, callFromPage, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { landlineIn, latestCode, phoneBook, sandboxClient } from '../../support/sandbox-phone';
import { TEST_ORIGIN, stack } from '../../support/stack';
import { match } from '../../support/match';

const mobile = phoneBook('verify-start', { mobileOnly: true });
const start = (body: unknown, url = stack().functionsUrl, options?: Parameters<typeof callFromPage>[2]) =>
  callFromPage(`${url}/verify/start`, body, options);
const check = (body: unknown, url = stack().functionsUrl) => callFromPage(`${url}/verify/check`, body);
const errorCode = (result: HttpResult) => (result.json as { error?: { code: string } }).error?.code;
/** The handle /verify/check requires, from the start's answer. */
const handleOf = (started: HttpResult) => (started.json as { verification: string }).verification;

describe('POST /verify/start → /verify/check, per channel', () => {
  it('sms: the code arrives as a message to the phone, and checks as valid', async () => {
    const to = mobile();
    const started = await start({ to, channel: 'sms' });
    expect(started.status).toBe(200);
    expect(started.json).toEqual({
      sid: match.stringMatching(/^VE[0-9a-f]{32}$/),
      status: 'pending',
      to,
      channel: 'sms',
      verification: match.any(String),
    });
    expect(started.headers.get('access-control-allow-origin')).toBe(TEST_ORIGIN);

    // Verify's codes reach the phone, not the account's Messages (the sandbox's code log shows them).
    const code = await latestCode(to);
    const result = await check({ to, code, verification: handleOf(started) });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ valid: true });
  });

  it.each(['call', 'whatsapp'])('%s: sends through Verify and checks as valid', async (channel) => {
    const to = mobile();
    const started = await start({ to, channel });
    expect(started.json).toMatchObject({ status: 'pending', channel });
    expect((await check({ to, code: await latestCode(to), verification: handleOf(started) })).json).toEqual({ valid: true });
  });

  it('email: to an address, lower-cased', async () => {
    const started = await start({ to: 'Ada.Lovelace@Example.com', channel: 'email' });
    expect(started.json).toMatchObject({ status: 'pending', channel: 'email', to: 'ada.lovelace@example.com' });
    const to = 'ada.lovelace@example.com';
    expect((await check({ to, code: await latestCode(to), verification: handleOf(started) })).json).toEqual({ valid: true });
  });

  it('reads national and spaced numbers as E.164 before anything else', async () => {
    const to = mobile();
    const spaced = `${to.slice(0, 2)} (${to.slice(2, 5)}) ${to.slice(5, 8)}-${to.slice(8)}`;
    expect((await start({ to: spaced })).json).toMatchObject({ to, channel: 'sms' });
  });
});

describe('POST /verify/start refusals', () => {
  it('answers the 4th start to one number within the window with 429, Retry-After and retryAfter', async () => {
    const to = mobile();
    for (let i = 0; i < 3; i += 1) expect((await start({ to })).status).toBe(200);
    const limited = await start({ to });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(limited.json).toEqual({ error: { code: 'rate_limited', message: match.any(String), retryAfter } });
    expect(limited.headers.get('access-control-allow-origin')).toBe(TEST_ORIGIN);
  });

  it('refuses SMS to a landline without saying it is one (no line-type oracle), and sends the call', async () => {
    const to = landlineIn('verify-start');
    const refused = await start({ to, channel: 'sms' });
    expect(refused.status).toBe(422);
    expect(refused.json).toEqual({ error: { code: 'destination_refused', message: match.any(String) } });
    expect(refused.text).not.toMatch(/landline/i);
    expect(await sandboxClient().messages.list({ to })).toEqual([]);
    expect((await start({ to, channel: 'call' })).json).toMatchObject({ status: 'pending', channel: 'call' });
  });

  it.each([
    ['a premium-rate number (known without a Lookup)', '+44 909 879 0500', 422, 'destination_refused'],
    ['a toll-free line', '+1 800 555 0100', 422, 'destination_refused'],
    ['an invalid number', '+1 555 123 4567', 400, 'invalid_phone_number'],
    ["Twilio's 60200 (invalid parameter)", '+15005550001', 400, 'invalid_destination'],
    ["Twilio's 60212 (concurrent requests)", '+15005550022', 429, 'too_many_concurrent_requests'],
    ["Twilio's 60223 (channel disabled)", '+15005550023', 400, 'channel_disabled'],
    ["Twilio's 60410 (Fraud Guard)", '+15005550031', 422, 'destination_refused'],
    ["Twilio's 60605 (geo permissions)", '+53 5 123 4567', 403, 'country_blocked'],
  ])('refuses %s with %i %s', async (_name, to, status, code) => {
    const result = await start({ to, channel: 'sms' });
    expect({ status: result.status, code: errorCode(result) }).toEqual({ status, code });
  });

  it('refuses a channel that is not offered, an unknown channel and a bad email', async () => {
    expect(errorCode(await start({ to: mobile(), channel: 'pigeon' }))).toBe('channel_not_allowed');
    expect(errorCode(await start({ to: 'not-an-address', channel: 'email' }))).toBe('invalid_email');
    expect(errorCode(await start({ channel: 'sms' }))).toBe('missing_parameter');
  });

  it('refuses pages from other origins, serves callers without an Origin', async () => {
    const foreign = await start({ to: mobile() }, undefined, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ error: { code: 'origin_not_allowed' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await start({ to: mobile() }, undefined, { origin: null })).status).toBe(200);
  });
});

describe('settings: channels, countries, app token, escalation (own sandbox)', () => {
  let own: OwnStack;
  const book = phoneBook('verify-defences', { mobileOnly: true });
  beforeAll(async () => {
    own = await startOwnStack({
      VERIFY_CHANNELS: 'sms,call',
      ALLOWED_COUNTRIES: 'US',
      VERIFY_APP_TOKEN: 'app-token-'.padEnd(40, 'z'),
      VERIFY_VOICE_AFTER: '2',
    });
  });
  afterAll(() => own.close());
  const token = 'app-token-'.padEnd(40, 'z');
  const startOwn = (body: unknown, withToken = true) => start(body, own.functions.url, withToken ? { token } : {});

  it('requires VERIFY_APP_TOKEN when it is set', async () => {
    expect((await startOwn({ to: book() }, false)).status).toBe(401);
    expect((await startOwn({ to: book() })).status).toBe(200);
  });

  it('refuses channels outside VERIFY_CHANNELS and countries outside ALLOWED_COUNTRIES before any paid call', async () => {
    await fetch(`${own.sandbox.url}/_sandbox/usage`, { method: 'DELETE' });
    expect(errorCode(await startOwn({ to: 'a@example.com', channel: 'email' }))).toBe('channel_not_allowed');
    const abroad = await startOwn({ to: '+44 7400 123456' });
    expect({ status: abroad.status, code: errorCode(abroad) }).toEqual({ status: 403, code: 'country_not_allowed' });
    expect(await (await fetch(`${own.sandbox.url}/_sandbox/usage`)).json()).toMatchObject({ lookups: 0, verifications: 0 });
  });

  it('offers a voice call after VERIFY_VOICE_AFTER unused SMS codes, and stops offering once one is approved', async () => {
    const to = book();
    expect((await startOwn({ to })).json).not.toHaveProperty('suggestedChannel');
    expect((await startOwn({ to })).json).not.toHaveProperty('suggestedChannel');
    const third = await startOwn({ to });
    expect(third.json).toMatchObject({ channel: 'sms', suggestedChannel: 'call' });
    const approved = await callFromPage(
      `${own.functions.url}/verify/check`,
      { to, code: await latestCode(to, own.sandbox.url), verification: handleOf(third) },
      { token },
    );
    expect(approved.json).toEqual({ valid: true });
  });

  it('counts every send, refusal and approval for GET /verify/stats', async () => {
    const stats = await callApi(`${own.functions.url}/verify/stats`);
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({
      today: {
        sent: { sms: match.any(Number) },
        approved: 1,
        refused: { unauthorized: 1, channel_not_allowed: 1, country_not_allowed: 1 },
        paid: { lookup: match.any(Number), verification: match.any(Number) },
      },
    });
  });
});

describe('VERIFY_ESCALATION=switch (own sandbox)', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ VERIFY_ESCALATION: 'switch', VERIFY_VOICE_AFTER: '1' });
  });
  afterAll(() => own.close());

  it('switches to a call after an unused SMS code', async () => {
    const to = '+447400123456';
    expect((await start({ to }, own.functions.url)).json).toMatchObject({ channel: 'sms' });
    // The handle is signed for the channel the code went out on.
    expect((await start({ to }, own.functions.url)).json).toMatchObject({
      channel: 'call',
      escalatedFrom: 'sms',
      verification: match.stringMatching(/^v1\.\d+\.call\./),
    });
  });
});
