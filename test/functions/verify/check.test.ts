import { readSettings } from '../../../src/lib/config/settings';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores } from '../../../src/lib/stores';
import { callFromPage, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { latestCode, phoneBook } from '../../support/sandbox-phone';
import { stack } from '../../support/stack';
import { match } from '../../support/match';

const mobile = phoneBook('verify-check', { mobileOnly: true });
const start = (to: string, url = stack().functionsUrl) => callFromPage(`${url}/verify/start`, { to });
const check = (body: unknown, url = stack().functionsUrl) => callFromPage(`${url}/verify/check`, body);
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
const outcome = (result: HttpResult) => ({ status: result.status, body: result.json });

describe('POST /verify/check', () => {
  it('answers a wrong code with 422 { valid: false }, never 200, and the right one still works', async () => {
    const to = mobile();
    await start(to);
    const code = await latestCode(to);
    expect(outcome(await check({ to, code: wrong(code) }))).toEqual({
      status: 422,
      body: { valid: false, error: { code: 'incorrect_code', message: match.any(String) } },
    });
    expect(outcome(await check({ to, code }))).toEqual({ status: 200, body: { valid: true } });
  });

  it('answers a check with nothing pending with 404 { valid: false }', async () => {
    expect(outcome(await check({ to: mobile(), code: '123456' }))).toEqual({
      status: 404,
      body: { valid: false, error: { code: 'no_pending_verification', message: match.any(String) } },
    });
  });

  it('answers 429 max_attempts_reached after five wrong codes', async () => {
    const to = mobile();
    await start(to);
    const bad = wrong(await latestCode(to));
    for (let i = 0; i < 5; i += 1) expect((await check({ to, code: bad })).status).toBe(422);
    expect(outcome(await check({ to, code: bad }))).toEqual({
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

// Own sandbox: the test moves the sandbox's clock past the 10-minute code lifetime.
describe('an expired code', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack();
  });
  afterAll(() => own.close());

  it('answers 410 verification_expired once the code is older than 10 minutes', async () => {
    const to = '+447400123456';
    await start(to, own.functions.url);
    const code = await latestCode(to, own.sandbox.url);

    // Eleven minutes pass for Twilio (the sandbox clock) and for us (the sent time we recorded).
    await fetch(`${own.sandbox.url}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: 11 * 60 }),
    });
    const destinations = createStores(own.client, readSettings({}), Deadline.in(9000)).verifyDestinations;
    const record = await destinations.get(to);
    await destinations.recordSent(to, 'sms', (record.lastSentAt ?? Date.now()) - 11 * 60_000);

    expect(outcome(await check({ to, code }, own.functions.url))).toEqual({
      status: 410,
      body: { valid: false, error: { code: 'verification_expired', message: match.any(String) } },
    });
  });
});
