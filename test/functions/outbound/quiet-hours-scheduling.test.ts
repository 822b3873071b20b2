// Marketing in quiet hours with a Messaging Service: scheduled for the window's opening with
// Twilio's Message Scheduling (202, `scheduled: true`, `sendAt`) instead of refused; an opening
// under 15 minutes away keeps the 409 quiet_hours (without a Messaging Service: quiet-hours.test.ts).
import { readSettings } from '../../../src/lib/config/settings';
import { rememberScheduled, type GateContext } from '../../../src/lib/outbound/gate';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores } from '../../../src/lib/stores';
import { addFault, clearFaults, syncItems } from '../../support/faults';
import { callApi, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { eventually } from '../../support/wait';
import { textFromPhone } from '../../support/sandbox-phone';

const WORDING = 'I agree to receive recurring marketing texts from Acme at this number. Consent is not a condition of purchase.';
const HOUR = 3_600_000;

/** The time now in a zone, as hours and minutes (the Functions run on real time, so the windows are chosen around it). */
function clockIn(timeZone: string, when = new Date()): { hour: number; minute: number } {
  const [hour, minute] = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(when)
    .split(':')
    .map(Number);
  return { hour, minute };
}
const hhmm = (minutes: number): string =>
  minutes >= 24 * 60 ? '24:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

// California's window opens one to two hours from now (a whole hour, one hour long); New York's
// opens in about ten minutes, too soon for Twilio's scheduling; elsewhere open all day.
const la = clockIn('America/Los_Angeles');
const caStart = ((la.hour + 2) % 24) * 60;
const ny = clockIn('America/New_York', new Date(Date.now() + 10 * 60_000));
const nyStart = ny.hour * 60 + ny.minute;
const MARKETING_HOURS = `replace:CA=${hhmm(caStart)}-${hhmm(caStart + 60)},NY=${hhmm(nyStart)}-${hhmm(nyStart + 60)},*=00:00-24:00`;

describe('marketing in quiet hours, scheduled for the opening when a Messaging Service can', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack((sandbox) => ({
      ALLOWED_COUNTRIES: '',
      MARKETING_HOURS,
      MESSAGING_SERVICE_SID: sandbox.messagingServiceSid,
    }));
  });
  afterAll(() => own.close());

  let line = 100;
  const californian = () => `+1415555${String(line++).padStart(4, '0')}`;
  const newYorker = () => `+1212555${String(line++).padStart(4, '0')}`;
  const api = (path: string, body: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, { method: 'POST', body });
  const optIn = (number: string) => api('/consent', { number, channel: 'sms', purpose: 'marketing', source: 'web-form', wording: WORDING });
  const marketing = (to: string) => api('/sms/send', { to, body: 'Sale today', purpose: 'marketing' });
  const status = async (sid: string) => (await own.client.messages(sid).fetch()).status;
  const text = (from: string, body: string) => textFromPhone(from, body, { sandboxUrl: own.sandbox.url });
  /** A marketing message scheduled for the opening (202), its SID. */
  const scheduledFor = async (to: string): Promise<string> => {
    await optIn(to);
    const answer = await marketing(to);
    expect(answer.status).toBe(202);
    const { sid } = answer.json as { sid: string };
    expect(await status(sid)).toBe('scheduled');
    return sid;
  };
  const scheduledTo = async (to: string) =>
    (await own.client.messages.list({ to })).filter((m) => m.direction === 'outbound-api' && m.status !== 'canceled');

  it('keeps the 409 quiet_hours when the window opens in under 15 minutes', async () => {
    const to = newYorker();
    await optIn(to);
    const refused = await marketing(to);
    expect(refused.status).toBe(409);
    const error = (refused.json as { error: { code: string; retryAt: string } }).error;
    expect(error.code).toBe('quiet_hours');
    expect(Date.parse(error.retryAt) - Date.now()).toBeLessThan(15 * 60_000);
    expect((await own.client.messages.list({ to })).filter((m) => m.direction === 'outbound-api')).toHaveLength(0);
  });

  it('cancels the scheduled message when a STOP comes before the opening', async () => {
    const to = californian();
    const sid = await scheduledFor(to);
    await text(to, 'STOP');
    expect(await status(sid)).toBe('canceled');
  });

  it('cancels it when the person opts out of marketing only, in words', async () => {
    const to = californian();
    const sid = await scheduledFor(to);
    await text(to, 'stop the promotions');
    expect(await status(sid)).toBe('canceled');
  });

  it.each([['marketing'], ['transactional']])('cancels it when POST /consent records an opt-out of %s', async (purpose) => {
    const to = californian();
    const sid = await scheduledFor(to);
    const recorded = await api('/consent', { number: to, channel: 'sms', purpose, change: 'opt-out', source: 'crm' });
    expect(recorded.status).toBe(201);
    expect(await status(sid)).toBe('canceled');
  });

  it('cancels it when a later send meets 21610: Twilio holds an opt-out we missed', async () => {
    const to = californian();
    const sid = await scheduledFor(to);
    // The STOP reaches Twilio, but our webhook cannot record it (Sync refuses the opt-out's write).
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('optouts'), status: 400, code: 54006, times: 100 });
    try {
      await text(to, 'STOP');
      await own.sandbox.settled();
    } finally {
      await clearFaults(own.sandbox.url);
    }
    expect(await status(sid)).toBe('scheduled');
    const refused = await api('/sms/send', { to, body: 'Your order shipped' });
    expect((refused.json as { error: { code: string } }).error.code).toBe('opted_out');
    expect(await status(sid)).toBe('canceled');
  });

  it('cancels the message at Twilio and fails when it cannot be registered for cancelling', async () => {
    const to = californian();
    await optIn(to);
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('scheduled-resends'), status: 400, code: 54006, times: 50 });
    try {
      const answer = await marketing(to);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    } finally {
      await clearFaults(own.sandbox.url);
    }
    const sent = (await own.client.messages.list({ to })).filter((m) => m.direction === 'outbound-api');
    expect(sent.map((m) => m.status)).toEqual(['canceled']);
  });

  it('answers 409 opted_out, the message canceled, when an opt-out of marketing comes before it is registered', async () => {
    const to = californian();
    await optIn(to);
    // The registration waits while the person texts (the scheduling itself has gone through).
    await addFault(own.sandbox.url, { method: 'POST', pathPattern: syncItems('scheduled-resends'), delayMs: 3_000, times: 1 });
    const answering = marketing(to);
    const [message] = await eventually(
      () => scheduledTo(to),
      (found) => found.length === 1,
    );
    await text(to, 'stop the promotions');
    const answer = await answering;
    await clearFaults(own.sandbox.url);
    expect(answer.status).toBe(409);
    expect((answer.json as { error: { code: string } }).error.code).toBe('opted_out');
    expect(await status(message.sid)).toBe('canceled');
  });

  // Last: it moves the sandbox clock past the opening.
  it('answers 202 scheduled with sendAt at the opening; Twilio holds it until then, then sends it', async () => {
    const to = californian();
    await optIn(to);
    const answer = await marketing(to);
    expect(answer.status).toBe(202);
    const { sid, sendAt, scheduled, status: answered } = answer.json as { sid: string; sendAt: string; scheduled: boolean; status: string };
    expect({ scheduled, answered }).toEqual({ scheduled: true, answered: 'scheduled' });
    const ahead = Date.parse(sendAt) - Date.now();
    expect(ahead).toBeGreaterThan(HOUR - 60_000);
    expect(ahead).toBeLessThanOrEqual(2 * HOUR);
    expect(clockIn('America/Los_Angeles', new Date(sendAt))).toEqual({ hour: caStart / 60, minute: 0 });
    expect(await status(sid)).toBe('scheduled');

    own.sandbox.clock.advance(Date.parse(sendAt) - own.sandbox.clock.now() - 60_000);
    await own.sandbox.settled();
    expect(await status(sid)).toBe('scheduled');
    own.sandbox.clock.advance(60_000);
    await own.sandbox.settled();
    expect(await status(sid)).toBe('delivered');
  });

  // After the clock moved: a message scheduled more than a day ahead (Twilio allows 35 days) is
  // still cancelled by an opt-out a day later (the registry item lives a day past its sendAt).
  it('cancels a message scheduled more than a day ahead when the STOP comes a day later', async () => {
    const to = californian();
    await optIn(to);
    const sendAt = new Date(own.sandbox.clock.now() + 45 * HOUR);
    const message = await own.client.messages.create({
      to,
      body: 'Sale on Monday',
      messagingServiceSid: own.sandbox.messagingServiceSid,
      scheduleType: 'fixed',
      sendAt,
    });
    const settings = readSettings({ MESSAGING_SERVICE_SID: own.sandbox.messagingServiceSid });
    const deadline = Deadline.in(60_000);
    const context: GateContext = { twilio: () => own.client, settings, deadline, stores: createStores(own.client, settings, deadline) };
    expect(await rememberScheduled(context, 'sms', to, message.sid, { purpose: 'marketing', sendAt })).toBe('scheduled');

    own.sandbox.clock.advance(26 * HOUR);
    await own.sandbox.settled();
    expect(await status(message.sid)).toBe('scheduled');
    await text(to, 'STOP');
    expect(await status(message.sid)).toBe('canceled');
  });
});
