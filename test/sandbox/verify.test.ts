import type { CodeLogEntry } from '../../sandbox';
import { ACCOUNT_SID, control, restError, sandboxWithReceiver, startTestSandbox, type TestSandbox } from './helpers';
import { match } from '../support/match';

const fixture = sandboxWithReceiver();

/** Each test uses its own destinations (fictional 555-01xx lines) so tests never share a verification. */
const PHONE_A = '+12025550101';
const PHONE_B = '+12025550102';
const PHONE_C = '+12025550103';
const PHONE_D = '+12025550104';
const PHONE_E = '+12025550105';
const PHONE_F = '+12025550106';
const PHONE_G = '+12025550107';

function verify(env: TestSandbox = fixture.env) {
  return env.client.verify.v2.services(env.sandbox.verifyServiceSid);
}

async function codes(to: string, env: TestSandbox = fixture.env): Promise<CodeLogEntry[]> {
  const answer = await control<CodeLogEntry[]>(env.sandbox, 'GET', `/verify/codes?to=${encodeURIComponent(to)}`);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function latestCode(to: string, env: TestSandbox = fixture.env): Promise<string> {
  const all = await codes(to, env);
  return all[all.length - 1].code;
}

describe('Verify Services (verify.twilio.com/v2)', () => {
  it('seeds a default service and exposes its SID as sandbox.verifyServiceSid', async () => {
    const { verifyServiceSid } = fixture.env.sandbox;
    expect(verifyServiceSid).toMatch(/^VA[0-9a-f]{32}$/);
    const listed = await fixture.env.client.verify.v2.services.list();
    expect(listed.map((s) => s.sid)).toContain(verifyServiceSid);
    const one = await verify().fetch();
    expect([one.accountSid, one.friendlyName, one.codeLength]).toEqual([ACCOUNT_SID, 'Sandbox Verify Service', 6]);
    expect(one.url).toBe(`https://verify.twilio.com/v2/Services/${verifyServiceSid}`);
  });

  it('creates services (CodeLength 4–10, FriendlyName required) and answers 404 for unknown ones', async () => {
    const created = await fixture.env.client.verify.v2.services.create({ friendlyName: 'Acme', codeLength: 8 });
    expect(created.sid).toMatch(/^VA[0-9a-f]{32}$/);
    expect((await fixture.env.client.verify.v2.services(created.sid).fetch()).codeLength).toBe(8);
    const tooShort = await restError(fixture.env.client.verify.v2.services.create({ friendlyName: 'x', codeLength: 3 }));
    expect([tooShort.status, tooShort.code]).toEqual([400, 60200]);
    const unnamed = await restError(fixture.env.client.verify.v2.services.create({ friendlyName: '' }));
    expect([unnamed.status, unnamed.code, unnamed.message]).toEqual([400, 60200, 'Invalid parameter: FriendlyName']);
    const unknown = await restError(fixture.env.client.verify.v2.services(`VA${'9'.repeat(32)}`).fetch());
    expect([unknown.status, unknown.code]).toEqual([404, 20404]);
  });

  it('seeds services from options: SID, code length, disabled channels, lookup + skip SMS to landlines', async () => {
    const sid = `VA${'a'.repeat(32)}`;
    const env = await startTestSandbox({
      verifyServices: [
        { sid, friendlyName: 'Login', codeLength: 8, disabledChannels: ['call'], lookupEnabled: true, skipSmsToLandlines: true },
      ],
    });
    try {
      expect(env.sandbox.verifyServiceSid).toBe(sid);
      const started = await verify(env).verifications.create({ to: PHONE_A, channel: 'sms' });
      expect(await latestCode(PHONE_A, env)).toMatch(/^\d{8}$/);
      expect(started.lookup).toEqual({
        carrier: { error_code: null, name: 'Sandbox Mobile', mobile_country_code: '001', mobile_network_code: '01', type: 'mobile' },
      });
      const disabled = await restError(verify(env).verifications.create({ to: PHONE_B, channel: 'call' }));
      expect([disabled.status, disabled.code]).toEqual([400, 60223]);
      // +1 NPA 555-015x is a landline in the sandbox's line-type table.
      const landline = await restError(verify(env).verifications.create({ to: '+12025550150', channel: 'sms' }));
      expect([landline.status, landline.code]).toEqual([403, 60205]);
      await expect(verify(env).verifications.create({ to: '+12025550150', channel: 'call' })).rejects.toMatchObject({ code: 60223 });
    } finally {
      await env.sandbox.close();
    }
    await expect(startTestSandbox({ verifyServices: [{ sid: 'VAnope' }] })).rejects.toThrow(/VA \+ 32 hex/);
    await expect(startTestSandbox({ verifyServices: [{ codeLength: 11 }] })).rejects.toThrow(/codeLength/);
  });
});

describe('Verifications and checks', () => {
  it('sends an SMS code to the phone (not as a Message of the account) and approves the right code', async () => {
    const started = await verify().verifications.create({ to: PHONE_A, channel: 'sms', locale: 'en' });
    expect(started.sid).toMatch(/^VE[0-9a-f]{32}$/);
    expect([started.status, started.valid, started.channel, started.to]).toEqual(['pending', false, 'sms', PHONE_A]);
    expect(started.sendCodeAttempts).toHaveLength(1);
    expect(started.sendCodeAttempts[0]).toMatchObject({ channel: 'SMS', attempt_sid: match.stringMatching(/^VL[0-9a-f]{32}$/) });

    // Verify sends from Twilio's own senders: the code is not in the account's Messages.
    expect(await fixture.env.client.messages.list({ to: PHONE_A })).toEqual([]);
    const [sent] = await codes(PHONE_A);
    const code = /verification code is: (\d{6})$/.exec(sent.body)?.[1];
    expect(await codes(PHONE_A)).toEqual([
      {
        to: PHONE_A,
        channel: 'sms',
        code,
        verificationSid: started.sid,
        body: `Your Sandbox Verify Service verification code is: ${code}`,
        status: 'pending',
        at: match.any(String),
      },
    ]);

    const wrong = await verify().verificationChecks.create({ to: PHONE_A, code: code === '000000' ? '111111' : '000000' });
    expect([wrong.status, wrong.valid, wrong.sid]).toEqual(['pending', false, started.sid]);
    const right = await verify().verificationChecks.create({ verificationSid: started.sid, code });
    expect([right.status, right.valid]).toEqual(['approved', true]);

    // Approved verifications are soft-deleted: fetch and check answer 404 / 20404.
    expect(await restError(verify().verifications(started.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(await restError(verify().verificationChecks.create({ to: PHONE_A, code }))).toMatchObject({
      status: 404,
      code: 20404,
    });
    expect((await codes(PHONE_A))[0].status).toBe('approved');
  });

  it('re-sends the same code on a new start for a pending verification, at most 5 sends (then 429 / 60203)', async () => {
    const first = await verify().verifications.create({ to: PHONE_B, channel: 'sms' });
    const again = await verify().verifications.create({ to: PHONE_B, channel: 'call' });
    expect(again.sid).toBe(first.sid);
    expect(again.channel).toBe('call');
    expect(again.sendCodeAttempts.map((a: { channel: string }) => a.channel)).toEqual(['SMS', 'CALL']);
    const sent = await codes(PHONE_B);
    expect(sent.map((c) => c.channel)).toEqual(['sms', 'call']);
    expect(sent[0].code).toBe(sent[1].code);
    for (let i = 3; i <= 5; i += 1) await verify().verifications.create({ to: PHONE_B, channel: 'sms' });
    const sixth = await restError(verify().verifications.create({ to: PHONE_B, channel: 'sms' }));
    expect([sixth.status, sixth.code]).toEqual([429, 60203]);
    expect((await verify().verifications(first.sid).fetch()).sendCodeAttempts).toHaveLength(5);
  });

  it('fetches and updates by SID or by To: canceled, approved; other statuses are 60200', async () => {
    const started = await verify().verifications.create({ to: PHONE_C, channel: 'sms' });
    expect((await verify().verifications(PHONE_C).fetch()).sid).toBe(started.sid);
    const bad = await restError(
      verify()
        .verifications(started.sid)
        .update({ status: 'pending' as 'canceled' }),
    );
    expect([bad.status, bad.code]).toEqual([400, 60200]);
    const canceled = await verify().verifications(PHONE_C).update({ status: 'canceled' });
    expect([canceled.sid, canceled.status]).toEqual([started.sid, 'canceled']);
    expect(await restError(verify().verifications(started.sid).fetch())).toMatchObject({ status: 404, code: 20404 });

    const next = await verify().verifications.create({ to: PHONE_C, channel: 'sms' });
    expect(next.sid).not.toBe(started.sid);
    expect(await latestCode(PHONE_C)).not.toBeUndefined();
    const approved = await verify().verifications(next.sid).update({ status: 'approved' });
    expect([approved.status, approved.valid]).toEqual(['approved', true]);
  });

  it('delivers WhatsApp, call and email codes to the code log only, never as Messages of the account', async () => {
    const before = (await fixture.env.client.messages.list({})).length;
    await verify().verifications.create({ to: PHONE_D, channel: 'whatsapp' });
    expect(await fixture.env.client.messages.list({ to: `whatsapp:${PHONE_D}` })).toEqual([]);
    expect((await codes(PHONE_D))[0]).toMatchObject({ channel: 'whatsapp', body: match.stringContaining(await latestCode(PHONE_D)) });

    await verify().verifications.create({ to: PHONE_E, channel: 'call' });
    const email = await verify().verifications.create({ to: 'Someone@Example.com', channel: 'email' });
    expect(email.sendCodeAttempts[0]).toMatchObject({ channel: 'EMAIL' });
    expect((await fixture.env.client.messages.list({})).length).toBe(before);
    expect((await codes(PHONE_E))[0]).toMatchObject({ channel: 'call', code: match.stringMatching(/^\d{6}$/) });
    expect((await codes('someone@example.com'))[0]).toMatchObject({ to: 'Someone@Example.com', channel: 'email' });
    const checked = await verify().verificationChecks.create({ to: 'someone@example.com', code: await latestCode('someone@example.com') });
    expect(checked.status).toBe('approved');
  });

  it('gives different verifications different codes', async () => {
    const a = await verify().verifications.create({ to: PHONE_F, channel: 'call' });
    const b = await verify().verifications.create({ to: PHONE_G, channel: 'call' });
    expect(a.sid).not.toBe(b.sid);
    const codeA = await latestCode(PHONE_F);
    const codeB = await latestCode(PHONE_G);
    // Two random 6-digit codes collide once in a million runs.
    expect(codeA).not.toBe(codeB);
  });

  it('validates parameters: To, Channel, Code, and a check needs To or VerificationSid', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ to: '2025550123', channel: 'sms' }, 'Invalid parameter: To'],
      [{ to: 'not-an-email', channel: 'email' }, 'Invalid parameter: To'],
      [{ to: PHONE_A, channel: 'pigeon' }, 'Invalid parameter: Channel'],
      [{ to: PHONE_A, channel: '' }, 'Invalid parameter: Channel'],
    ];
    for (const [params, message] of cases) {
      const error = await restError(verify().verifications.create(params as { to: string; channel: string }));
      expect([error.status, error.code, error.message]).toEqual([400, 60200, message]);
    }
    const noTarget = await restError(verify().verificationChecks.create({ code: '123456' }));
    expect([noTarget.status, noTarget.code]).toEqual([400, 60221]);
    const shortCode = await restError(verify().verificationChecks.create({ to: PHONE_A, code: '123' }));
    expect([shortCode.status, shortCode.code]).toEqual([400, 60200]);
    const none = await restError(verify().verificationChecks.create({ to: '+12025550199', code: '123456' }));
    expect([none.status, none.code]).toEqual([404, 20404]);
  });

  it.each([
    ['+15005550001', 'sms', 400, 60200],
    ['+15005550020', 'sms', 403, 60205],
    ['+15005550022', 'call', 429, 60212],
    ['+15005550023', 'whatsapp', 400, 60223],
    ['+15005550035', 'sms', 403, 60410],
    ['+5352345678', 'sms', 403, 60605],
    ['+989123456789', 'call', 403, 60605],
  ])('refuses the magic destination %s on %s with %i / %i', async (to, channel, status, code) => {
    const error = await restError(verify().verifications.create({ to, channel }));
    expect([error.status, error.code, error.moreInfo]).toEqual([status, code, `https://www.twilio.com/docs/errors/${code}`]);
  });

  it('lets other channels reach channel-specific magic destinations', async () => {
    await expect(verify().verifications.create({ to: '+15005550020', channel: 'call' })).resolves.toMatchObject({ status: 'pending' });
    await expect(verify().verifications.create({ to: '+15005550035', channel: 'call' })).resolves.toMatchObject({ status: 'pending' });
    await expect(verify().verifications.create({ to: '+5352345678', channel: 'whatsapp' })).resolves.toMatchObject({ status: 'pending' });
  });
});

describe('Verification limits on the sandbox clock', () => {
  let env: TestSandbox;
  beforeEach(async () => {
    env = await startTestSandbox();
  });
  afterEach(async () => {
    await env.sandbox.close();
  });

  it('allows 5 checks; the 6th answers 429 / 60202 and the verification is max_attempts_reached until it expires', async () => {
    const started = await verify(env).verifications.create({ to: PHONE_A, channel: 'sms' });
    const wrong = (await latestCode(PHONE_A, env)) === '999999' ? '888888' : '999999';
    for (let i = 0; i < 5; i += 1) {
      const check = await verify(env).verificationChecks.create({ to: PHONE_A, code: wrong });
      expect([check.status, check.valid]).toEqual(['pending', false]);
    }
    const sixth = await restError(verify(env).verificationChecks.create({ to: PHONE_A, code: await latestCode(PHONE_A, env) }));
    expect([sixth.status, sixth.code]).toEqual([429, 60202]);
    expect((await verify(env).verifications(started.sid).fetch()).status).toBe('max_attempts_reached');
    const restart = await restError(verify(env).verifications.create({ to: PHONE_A, channel: 'sms' }));
    expect([restart.status, restart.code]).toEqual([429, 60202]);

    env.sandbox.clock.advance(10 * 60 * 1000);
    expect(await restError(verify(env).verifications(started.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    const fresh = await verify(env).verifications.create({ to: PHONE_A, channel: 'sms' });
    expect(fresh.sid).not.toBe(started.sid);
  });

  it('expires codes 10 minutes after creation (re-sends do not extend it): checks and fetches answer 404 / 20404', async () => {
    const started = await verify(env).verifications.create({ to: PHONE_B, channel: 'sms' });
    const code = await latestCode(PHONE_B, env);
    env.sandbox.clock.advance(9 * 60 * 1000);
    await verify(env).verifications.create({ to: PHONE_B, channel: 'sms' });
    env.sandbox.clock.advance(50 * 1000); // the sandbox clock also runs in real time: keep a margin
    expect((await verify(env).verifications(started.sid).fetch()).status).toBe('pending');
    env.sandbox.clock.advance(10 * 1000);
    expect(await restError(verify(env).verificationChecks.create({ to: PHONE_B, code }))).toMatchObject({ status: 404, code: 20404 });
    expect(await restError(verify(env).verifications(started.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect((await codes(PHONE_B, env)).map((c) => c.status)).toEqual(['expired', 'expired']);
  });
});
