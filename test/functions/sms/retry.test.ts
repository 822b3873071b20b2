import { callApi } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { callNumber, heard } from '../../support/sandbox-call';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';

interface Tracked {
  status: string;
  errorCode: number | null;
  retryOf?: { sid: string; attempt: number };
  retriedBy?: { sid: string; sendAt: string };
}

/** Sandbox recipients whose delivery ends undelivered 30003 (transient) and 30006 (permanent). */
const UNREACHABLE = '+15005550010';
const LANDLINE = '+15005550011';
/** Sandbox recipient whose delivery fails with 30008 (unknown error, transient). */
const UNKNOWN_ERROR = '+15005550012';

// Own sandbox: the test moves its clock.
describe('scheduled re-sends of transient delivery failures', () => {
  let own: OwnStack;
  beforeAll(async () => {
    // Marketing at any hour: quiet hours are test/functions/outbound/quiet-hours*.test.ts's.
    own = await startOwnStack((sandbox) => ({
      MESSAGING_SERVICE_SID: sandbox.messagingServiceSid,
      SMS_RETRY_MAX: '2',
      MARKETING_HOURS: 'replace:*=00:00-24:00',
    }));
  });
  afterAll(() => own.close());

  const tracked = async (sid: string) => (await callApi(`${own.functions.url}/sms/message?sid=${sid}`)).json as Tracked;
  const sent = (to: string) => own.client.messages.list({ to });
  const advanceMinutes = async (minutes: number) => {
    await fetch(`${own.sandbox.url}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: minutes * 60 }),
    });
    await own.sandbox.settled();
  };

  it('never re-sends marketing: a re-send would be cleared as transactional, past quiet hours', async () => {
    const recorded = await callApi(`${own.functions.url}/consent`, {
      method: 'POST',
      body: { number: UNKNOWN_ERROR, channel: 'sms', purpose: 'marketing', source: 'web-form', wording: 'Offers by text' },
    });
    expect(recorded.status).toBe(201);
    const result = await callApi(`${own.functions.url}/sms/send`, {
      method: 'POST',
      body: { to: UNKNOWN_ERROR, body: 'Sale today', purpose: 'marketing' },
    });
    expect(result.status).toBe(200);
    const sid = (result.json as { sid: string }).sid;
    await eventually(
      () => tracked(sid),
      (m) => m.status === 'failed',
    );
    await own.sandbox.settled();
    expect((await tracked(sid)).retriedBy).toBeUndefined();
    expect((await sent(UNKNOWN_ERROR)).filter((m) => m.body.startsWith('Sale today'))).toHaveLength(1);
  });

  it('schedules 30003 re-sends through the Messaging Service, doubling, at most SMS_RETRY_MAX, never twice', async () => {
    const result = await callApi(`${own.functions.url}/sms/send`, {
      method: 'POST',
      body: { to: UNREACHABLE, body: 'Your code is ready' },
    });
    expect(result.json).toMatchObject({ status: 'accepted', to: UNREACHABLE });
    const firstSid = (result.json as { sid: string }).sid;

    const first = await eventually(
      () => tracked(firstSid),
      (m) => m.retriedBy !== undefined,
    );
    expect(first).toMatchObject({ status: 'undelivered', errorCode: 30003 });
    const retry1 = await own.client.messages(first.retriedBy!.sid).fetch();
    expect(retry1).toMatchObject({ status: 'scheduled', body: 'Your code is ready', messagingServiceSid: own.sandbox.messagingServiceSid });
    const delay1 = new Date(first.retriedBy!.sendAt).getTime() - own.sandbox.clock.now();
    expect(delay1).toBeGreaterThanOrEqual(15 * 60_000);
    expect(delay1).toBeLessThanOrEqual(17 * 60_000);

    // Twilio repeats the failed callback: no second re-send is scheduled.
    const replay = await fetch(`${own.sandbox.url}/_sandbox/callbacks/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sid: firstSid, statuses: ['undelivered', 'undelivered'] }),
    });
    expect(replay.status).toBe(200);
    expect(await sent(UNREACHABLE)).toHaveLength(2);

    // The first re-send goes out, fails the same way, and the second is scheduled twice as far out.
    await advanceMinutes(17);
    const second = await eventually(
      () => tracked(retry1.sid),
      (m) => m.retriedBy !== undefined,
    );
    expect(second).toMatchObject({ status: 'undelivered', errorCode: 30003, retryOf: { sid: firstSid, attempt: 1 } });
    const delay2 = new Date(second.retriedBy!.sendAt).getTime() - own.sandbox.clock.now();
    expect(delay2).toBeGreaterThanOrEqual(31 * 60_000);
    expect(delay2).toBeLessThanOrEqual(33 * 60_000);

    // The second (last) re-send fails too: SMS_RETRY_MAX=2, so nothing more is scheduled.
    await advanceMinutes(33);
    const last = await eventually(
      () => tracked(second.retriedBy!.sid),
      (m) => m.status === 'undelivered',
    );
    expect(last).toMatchObject({ retryOf: { sid: firstSid, attempt: 2 } });
    expect(last.retriedBy).toBeUndefined();
    await own.sandbox.settled();
    expect(await sent(UNREACHABLE)).toHaveLength(3);
  });

  it('does not retry permanent failures (30006)', async () => {
    const result = await callApi(`${own.functions.url}/sms/send`, { method: 'POST', body: { to: LANDLINE, body: 'hello' } });
    const sid = (result.json as { sid: string }).sid;
    const message = await eventually(
      () => tracked(sid),
      (m) => m.status === 'undelivered',
    );
    await own.sandbox.settled();
    expect(message.errorCode).toBe(30006);
    expect((await tracked(sid)).retriedBy).toBeUndefined();
    expect(await sent(LANDLINE)).toHaveLength(1);
  });

  it('also re-sends a message that failed with 30008', async () => {
    const result = await callApi(`${own.functions.url}/sms/send`, { method: 'POST', body: { to: UNKNOWN_ERROR, body: 'hello' } });
    const sid = (result.json as { sid: string }).sid;
    const message = await eventually(
      () => tracked(sid),
      (m) => m.retriedBy !== undefined,
    );
    expect(message).toMatchObject({ status: 'failed', errorCode: 30008 });
  });

  it('re-sends a WhatsApp message that failed at delivery with 63018 (rate limit) after its back-off', async () => {
    const user = '+15005550040';
    const opened = await fetch(`${own.sandbox.url}/_sandbox/phone/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: user, to: TEST_PHONE_NUMBER, body: 'hi' }),
    });
    expect(opened.status).toBe(200);
    const result = await callApi(`${own.functions.url}/whatsapp/send`, { method: 'POST', body: { to: user, body: 'Your table is ready' } });
    expect(result.status).toBe(200);
    const sid = (result.json as { sid: string }).sid;
    const failed = await eventually(
      () => tracked(sid),
      (m) => m.retriedBy !== undefined,
    );
    expect(failed).toMatchObject({ status: 'failed', errorCode: 63018 });
    const retry = await own.client.messages(failed.retriedBy!.sid).fetch();
    expect(retry).toMatchObject({ status: 'scheduled', to: `whatsapp:${user}`, body: 'Your table is ready' });
  });

  it('never re-sends an IVR text (the caller ID is chosen from outside and may be spoofed)', async () => {
    const before = (await sent(UNREACHABLE)).length;
    const walk = await callNumber(own.sandbox.url, {
      from: UNREACHABLE,
      to: TEST_PHONE_NUMBER,
      inputs: [{ digits: '4' }, { silence: true }, { silence: true }, { silence: true }],
      recording: { durationSeconds: 0 },
    });
    expect(heard(walk)).toContain('We have sent our address to your phone.');
    await own.sandbox.settled();
    const texts = (await sent(UNREACHABLE)).slice(0, (await sent(UNREACHABLE)).length - before);
    expect(texts.map((m) => m.status)).toEqual(['undelivered']);
    await advanceMinutes(40);
    expect((await sent(UNREACHABLE)).length - before).toBe(1);
  });

  it('a STOP arriving between a failure and its scheduled re-send cancels the re-send', async () => {
    const result = await callApi(`${own.functions.url}/sms/send`, {
      method: 'POST',
      body: { to: UNKNOWN_ERROR, body: 'Your parcel is waiting' },
    });
    const sid = (result.json as { sid: string }).sid;
    const failed = await eventually(
      () => tracked(sid),
      (m) => m.retriedBy !== undefined,
    );
    expect((await own.client.messages(failed.retriedBy!.sid).fetch()).status).toBe('scheduled');

    const stop = await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: UNKNOWN_ERROR, to: TEST_PHONE_NUMBER, body: 'Stop' }),
    });
    expect(stop.status).toBe(200);
    expect((await own.client.messages(failed.retriedBy!.sid).fetch()).status).toBe('canceled');

    await advanceMinutes(40);
    const pending = (await sent(UNKNOWN_ERROR)).filter(
      (m) => m.direction === 'outbound-api' && !['canceled', 'failed', 'undelivered'].includes(m.status),
    );
    expect(pending).toEqual([]);
  });

  it('whichever arrives first, the STOP or the failure, nothing more goes out after a STOP', async () => {
    await own.sandbox.settled();
    const before = new Set((await sent(UNREACHABLE)).map((m) => m.sid));
    const result = await callApi(`${own.functions.url}/sms/send`, { method: 'POST', body: { to: UNREACHABLE, body: 'One more thing' } });
    expect(result.status).toBe(200);
    await fetch(`${own.sandbox.url}/_sandbox/phone/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: UNREACHABLE, to: TEST_PHONE_NUMBER, body: 'STOP' }),
    });
    await own.sandbox.settled();
    await advanceMinutes(40);
    const after = (await sent(UNREACHABLE)).filter((m) => !before.has(m.sid) && m.direction === 'outbound-api');
    // The send itself fails at Twilio (21610, if still queued) or at the handset (30003); a re-send, if one was scheduled, is canceled.
    expect(after.filter((m) => !['failed', 'undelivered', 'canceled'].includes(m.status))).toEqual([]);
  });
});
