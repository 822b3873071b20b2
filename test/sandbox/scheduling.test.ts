import twilio from 'twilio';
import { AUTH_TOKEN, CUSTOMER, control, restError, startReceiver, startTestSandbox, type Receiver, type TestSandbox } from './helpers';

let env: TestSandbox;
let receiver: Receiver;
/** twilio-node serializes only Dates of its own realm (jest gives tests another `Date`). */
let TwilioDate: DateConstructor;

const MINUTE = 60_000;

beforeAll(async () => {
  env = await startTestSandbox();
  receiver = await startReceiver();
  const probe = await env.client.messages.create({ to: CUSTOMER, from: '+15005550006', body: 'probe' });
  TwilioDate = probe.dateCreated.constructor as DateConstructor;
  await env.sandbox.settled();
});

afterAll(async () => {
  await env.sandbox.close();
  await receiver.close();
});

/** An instant `ms` after the sandbox clock's now. */
const inSandbox = (ms: number): Date => new TwilioDate(env.sandbox.clock.now() + ms);

function schedule(sendAt: Date, extra: { statusCallback?: string; to?: string } = {}) {
  return env.client.messages.create({
    to: extra.to ?? CUSTOMER,
    messagingServiceSid: env.sandbox.messagingServiceSid,
    body: 'later',
    scheduleType: 'fixed',
    sendAt,
    ...(extra.statusCallback ? { statusCallback: extra.statusCallback } : {}),
  });
}

describe('scheduled messages', () => {
  it('stays scheduled until the sandbox clock reaches SendAt, then walks queued → delivered with callbacks', async () => {
    receiver.requests.length = 0;
    const statusCallback = `${receiver.url}/scheduled`;
    const created = await schedule(inSandbox(20 * MINUTE), { statusCallback });
    expect(created.status).toBe('scheduled');
    expect(created.from).toBeNull();
    await env.sandbox.settled();
    expect((await env.client.messages(created.sid).fetch()).status).toBe('scheduled');
    expect((await env.client.messages.list({ to: CUSTOMER, limit: 5 })).find((m) => m.sid === created.sid)?.status).toBe('scheduled');

    env.sandbox.clock.advance(10 * MINUTE);
    await env.sandbox.settled();
    expect((await env.client.messages(created.sid).fetch()).status).toBe('scheduled');
    expect(receiver.requests).toHaveLength(0);

    const advanced = await control<{ now: number }>(env.sandbox, 'POST', '/clock', { advanceSeconds: 600 });
    expect(advanced.status).toBe(200);
    await env.sandbox.settled();
    const mine = receiver.requests.filter((r) => r.params.MessageSid === created.sid);
    expect(mine.map((r) => r.params.MessageStatus)).toEqual(['queued', 'sending', 'sent', 'delivered']);
    for (const r of mine)
      expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), statusCallback, r.params)).toBe(true);
    const sent = await env.client.messages(created.sid).fetch();
    expect(sent.status).toBe('delivered');
    expect(sent.from).toBe('+14155550142');
  });

  it('releases several due messages in SendAt order with one clock jump', async () => {
    receiver.requests.length = 0;
    const late = await schedule(inSandbox(40 * MINUTE), { statusCallback: `${receiver.url}/late` });
    const early = await schedule(inSandbox(30 * MINUTE), { statusCallback: `${receiver.url}/early` });
    const never = await schedule(inSandbox(3 * 24 * 60 * MINUTE));
    env.sandbox.clock.advance(45 * MINUTE);
    const queuedNow = await Promise.all([early, late].map((m) => env.client.messages(m.sid).fetch()));
    expect(queuedNow.every((m) => m.status !== 'scheduled')).toBe(true);
    await env.sandbox.settled();
    const firstQueued = receiver.requests.filter((r) => r.params.MessageStatus === 'queued').map((r) => r.params.MessageSid);
    expect(firstQueued).toEqual([early.sid, late.sid]);
    expect((await env.client.messages(never.sid).fetch()).status).toBe('scheduled');
  });

  it('cancels a scheduled message: status canceled, a canceled callback, never sent', async () => {
    receiver.requests.length = 0;
    const created = await schedule(inSandbox(20 * MINUTE), { statusCallback: `${receiver.url}/cancel` });
    const canceled = await env.client.messages(created.sid).update({ status: 'canceled' });
    expect(canceled.status).toBe('canceled');
    await env.sandbox.settled();
    env.sandbox.clock.advance(30 * MINUTE);
    await env.sandbox.settled();
    const mine = receiver.requests.filter((r) => r.params.MessageSid === created.sid);
    expect(mine.map((r) => r.params.MessageStatus)).toEqual(['canceled']);
    const fetched = await env.client.messages(created.sid).fetch();
    expect([fetched.status, fetched.from, fetched.dateSent]).toEqual(['canceled', null, null]);
  });

  it('refuses to cancel a message that is not scheduled (400 / 30409)', async () => {
    const now = await env.client.messages.create({ to: CUSTOMER, from: '+15005550006', body: 'now' });
    const error = await restError(env.client.messages(now.sid).update({ status: 'canceled' }));
    expect([error.status, error.code]).toEqual([400, 30409]);
    const scheduled = await schedule(inSandbox(20 * MINUTE));
    await env.client.messages(scheduled.sid).update({ status: 'canceled' });
    expect((await restError(env.client.messages(scheduled.sid).update({ status: 'canceled' }))).code).toBe(30409);
    await env.sandbox.settled();
  });

  it('redacts a body with Body=""', async () => {
    const m = await env.client.messages.create({ to: CUSTOMER, from: '+15005550006', body: 'secret' });
    await env.sandbox.settled();
    expect((await env.client.messages(m.sid).update({ body: '' })).body).toBe('');
  });

  it.each([
    ['SendAt less than 15 minutes ahead', { sendAtMs: 14 * MINUTE }, 35114],
    ['SendAt more than 35 days ahead', { sendAtMs: 35 * 24 * 60 * MINUTE + MINUTE }, 35115],
    ['no MessagingServiceSid', { sendAtMs: 20 * MINUTE, from: '+15005550006' }, 35118],
  ])('rejects %s (400 / %i)', async (_name, spec, code) => {
    const error = await restError(
      env.client.messages.create({
        to: CUSTOMER,
        body: 'x',
        scheduleType: 'fixed',
        sendAt: inSandbox(spec.sendAtMs),
        ...('from' in spec ? { from: spec.from } : { messagingServiceSid: env.sandbox.messagingServiceSid }),
      }),
    );
    expect([error.status, error.code]).toEqual([400, code]);
  });

  it('accepts the window’s inclusive bounds and rejects a missing or malformed SendAt', async () => {
    expect((await schedule(inSandbox(15 * MINUTE + 1000))).status).toBe('scheduled');
    expect((await schedule(inSandbox(35 * 24 * 60 * MINUTE - 1000))).status).toBe('scheduled');
    const post = (form: Record<string, string>) =>
      fetch(`${env.sandbox.url}/api/2010-04-01/Accounts/${env.client.accountSid}/Messages.json`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${env.client.accountSid}:${AUTH_TOKEN}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: CUSTOMER, Body: 'x', MessagingServiceSid: env.sandbox.messagingServiceSid, ...form }).toString(),
      }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code: number }).code }));
    expect(await post({ ScheduleType: 'fixed' })).toEqual({ status: 400, code: 35111 });
    expect(await post({ ScheduleType: 'fixed', SendAt: 'tomorrow' })).toEqual({ status: 400, code: 35114 });
    expect(await post({ ScheduleType: 'whenever', SendAt: inSandbox(20 * MINUTE).toISOString() })).toEqual({ status: 400, code: 35126 });
  });
});
