import { readSettings } from '../../../src/lib/config/settings';
import { issueVerificationHandle } from '../../../src/lib/verify/handle';
import { callApi, callFromPage, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { latestCode, phoneBook } from '../../support/sandbox-phone';
import { stack, TEST_AUTH_TOKEN } from '../../support/stack';
import { match } from '../../support/match';

const mobile = phoneBook('verify-check', { mobileOnly: true });
const start = (to: string, url = stack().functionsUrl) => callFromPage(`${url}/verify/start`, { to });
const check = (body: unknown, url = stack().functionsUrl) => callFromPage(`${url}/verify/check`, body);
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
const outcome = (result: HttpResult) => ({ status: result.status, body: result.json });
/** The handle a start answered with. */
const handleOf = (started: HttpResult) => (started.json as { verification: string }).verification;
/** Starts a verification to `to` and reads back its handle and code. */
async function started(to: string, url?: string, sandboxUrl?: string) {
  const answer = await start(to, url);
  expect(answer.status).toBe(200);
  return { verification: handleOf(answer), code: await latestCode(to, sandboxUrl) };
}

/** The one answer a page gets for a wrong code, nothing pending, and a handle that is not this destination's or has expired. */
const REFUSED = {
  status: 422,
  body: { valid: false, error: { code: 'incorrect_code', message: match.any(String) } },
};

describe('POST /verify/check', () => {
  it('approves the right code with the handle its start answered with', async () => {
    const to = mobile();
    const { verification, code } = await started(to);
    expect(verification).toMatch(/^v1\.\d+\.sms\.[\w-]{22}\.[\w-]{43}$/);
    expect(outcome(await check({ to, code, verification }))).toEqual({ status: 200, body: { valid: true } });
  });

  it('answers a wrong code with 422 { valid: false }, never 200, and the right one still works', async () => {
    const to = mobile();
    const { verification, code } = await started(to);
    expect(outcome(await check({ to, code: wrong(code), verification }))).toEqual(REFUSED);
    expect(outcome(await check({ to, code, verification }))).toEqual({ status: 200, body: { valid: true } });
  });

  it('answers a wrong code and a check with nothing pending byte for byte alike', async () => {
    const [pending, idle] = [mobile(), mobile()];
    const first = await started(pending);
    const wrongCode = await check({ to: pending, code: wrong(first.code), verification: first.verification });
    // A handle whose code was approved: Twilio has nothing pending for this number any more.
    const second = await started(idle);
    expect((await check({ to: idle, code: second.code, verification: second.verification })).status).toBe(200);
    const nothingPending = await check({ to: idle, code: '123456', verification: second.verification });

    expect(outcome(wrongCode)).toEqual(REFUSED);
    expect({ status: nothingPending.status, text: nothingPending.text }).toEqual({ status: wrongCode.status, text: wrongCode.text });
  });

  it('refuses a check without a handle with 400', async () => {
    const to = mobile();
    const { code } = await started(to);
    expect(outcome(await check({ to, code }))).toEqual({
      status: 400,
      body: { error: { code: 'missing_parameter', message: match.stringContaining('"verification"') } },
    });
    expect(outcome(await check({ to, code, verification: '' }))).toMatchObject({ status: 400 });
  });

  it.each([
    ['not one of ours', 'hello'],
    ['oversized', `v1.${'9'.repeat(10_000)}`],
    ['an object', { v: 1 }],
    ['a list', ['v1']],
  ])('refuses a handle that is %s with 400 invalid_verification', async (_, verification) => {
    const result = await check({ to: mobile(), code: '123456', verification });
    expect(outcome(result)).toEqual({
      status: 400,
      body: { error: { code: 'invalid_verification', message: match.any(String) } },
    });
  });

  it('answers 429 max_attempts_reached after five wrong codes', async () => {
    const to = mobile();
    const { verification, code } = await started(to);
    const bad = wrong(code);
    for (let i = 0; i < 5; i += 1) expect((await check({ to, code: bad, verification })).status).toBe(422);
    expect(outcome(await check({ to, code: bad, verification }))).toEqual({
      status: 429,
      body: { valid: false, error: { code: 'max_attempts_reached', message: match.any(String) } },
    });
  });

  it.each(['123', '12345678901', '12 34', '12-34', '', '١٢٣٤'])('refuses the code %j before asking Twilio', async (code) => {
    const result = await check({ to: mobile(), code });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ error: { code: code === '' ? 'missing_parameter' : 'invalid_code_format' } });
  });
});

// Own sandbox: its usage counters see only this file's checks.
describe('a handle that is not for this check', () => {
  let own: OwnStack;
  const usage = async () =>
    ((await (await fetch(`${own.sandbox.url}/_sandbox/usage`)).json()) as { verificationChecks: number }).verificationChecks;
  /** The handle the Functions would sign, made here with the same secret and another clock. */
  const signedAt = (now: number, to: string) =>
    issueVerificationHandle(readSettings({ AUTH_TOKEN: TEST_AUTH_TOKEN }), { to, serviceSid: own.sandbox.verifyServiceSid }, 'sms', now);
  beforeAll(async () => {
    own = await startOwnStack();
  });
  afterAll(() => own.close());

  it("refuses another destination's handle like a wrong code, and spends none of the victim's checks", async () => {
    const [victim, attacker] = ['+447400123456', '+447400123457'];
    const victims = await started(victim, own.functions.url, own.sandbox.url);
    const attackers = await started(attacker, own.functions.url, own.sandbox.url);
    const before = await usage();

    for (let i = 0; i < 6; i += 1)
      expect(
        outcome(await check({ to: victim, code: wrong(victims.code), verification: attackers.verification }, own.functions.url)),
      ).toEqual(REFUSED);
    expect(await usage()).toBe(before);
    // The victim's five checks are all still there.
    expect(outcome(await check({ to: victim, code: victims.code, verification: victims.verification }, own.functions.url))).toEqual({
      status: 200,
      body: { valid: true },
    });
  });

  it('refuses a tampered handle like a wrong code, before Twilio is asked', async () => {
    const to = '+447400123458';
    const { verification, code } = await started(to, own.functions.url, own.sandbox.url);
    const before = await usage();
    const parts = verification.split('.');
    const tampered = [
      [parts[0], String(Number(parts[1]) + 3600), ...parts.slice(2)].join('.'), // a later expiry
      [...parts.slice(0, 2), 'call', ...parts.slice(3)].join('.'), // another channel
      [...parts.slice(0, 3), `${parts[3].slice(0, -1)}${parts[3].endsWith('A') ? 'B' : 'A'}`, parts[4]].join('.'), // another nonce
      [...parts.slice(0, 4), `${parts[4].slice(0, -2)}${parts[4].endsWith('AA') ? 'BB' : 'AA'}`].join('.'), // another MAC
    ];
    for (const handle of tampered) expect(outcome(await check({ to, code, verification: handle }, own.functions.url))).toEqual(REFUSED);
    expect(await usage()).toBe(before);
    expect((await check({ to, code, verification }, own.functions.url)).status).toBe(200);
  });

  it('refuses an expired handle like a wrong code, and accepts the same one signed 9 minutes ago', async () => {
    const to = '+447400123459';
    const { code } = await started(to, own.functions.url, own.sandbox.url);
    const before = await usage();
    const expired = signedAt(Date.now() - 10 * 60_000 - 1000, to);
    expect(outcome(await check({ to, code, verification: expired }, own.functions.url))).toEqual(REFUSED);
    expect(await usage()).toBe(before);
    const fresh = signedAt(Date.now() - 9 * 60_000, to);
    expect(outcome(await check({ to, code, verification: fresh }, own.functions.url))).toEqual({ status: 200, body: { valid: true } });
  });

  it('tells the operator the real reasons in GET /verify/stats', async () => {
    const stats = await callApi(`${own.functions.url}/verify/stats`);
    expect(stats.json).toMatchObject({
      today: { checkFailed: { verification_mismatch: 10, verification_expired: 1 } },
    });
  });
});
