// One confirmation for every opt-out method (47 CFR 64.1200(a)(12)): the IVR's 9 and an opt-out
// recorded with POST /consent get one text, sent by REST through the gate, only when the opt-out
// is new; a repeated 9, or a STOP after the API's opt-out, get none.
import { ensureDailySpendTrigger } from '../../../local/usage-triggers';
import { callApi, postSignedForm, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';
import { textFromPhone } from '../../support/sandbox-phone';

const CONFIRMED = 'Bye.';
const MARKETING_CONFIRMED = 'No more offers.';
const CALLS_CONFIRMED = 'No more calls.';

// Own sandbox: the kill switch test pauses every non-essential send of this stack.
describe('one opt-out confirmation for the IVR and the API, never twice', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({
      OPT_OUT_REPLIES: 'ours',
      OPT_OUT_MESSAGE: CONFIRMED,
      OPT_OUT_MARKETING_MESSAGE: MARKETING_CONFIRMED,
      CALL_OPT_OUT_MESSAGE: CALLS_CONFIRMED,
    });
  });
  afterAll(() => own.close());

  let line = 100;
  /** A fresh US mobile number for each test. */
  const person = () => `+1303555${String(line++).padStart(4, '0')}`;
  const api = (path: string, body?: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, body ? { method: 'POST', body } : {});
  /** The bodies we texted a number through the REST API (TwiML replies are not in it). */
  const textedTo = async (number: string) =>
    (await own.client.messages.list({ to: number })).filter((m) => m.direction === 'outbound-api').map((m) => m.body);
  /** A person texting our number through the sandbox phone; the bodies of the TwiML replies. */
  const text = async (from: string, body: string): Promise<string[]> =>
    (await textFromPhone(from, body, { sandboxUrl: own.sandbox.url })).replies.map((reply) => reply.body);
  const optOut = (number: string, extra: Record<string, unknown> = {}) =>
    api('/consent', { number, channel: 'sms', purpose: 'transactional', change: 'opt-out', source: 'preference-center', ...extra });
  const confirmationOf = (result: HttpResult) => (result.json as { confirmation?: unknown }).confirmation;

  describe('the IVR: 9 on a reminder call', () => {
    const reminderCall = async (to: string) => {
      await fetch(`${own.sandbox.url}/_sandbox/phone/callee`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ number: to, outcome: 'answer', inputs: [{ digits: '9' }] }),
      });
      const placed = await api('/voice/call', { to, reminder: 'Reminder: dentist tomorrow.' });
      expect(placed.status).toBe(200);
      const sid = (placed.json as { sid: string }).sid;
      await eventually(
        async () => ((await (await fetch(`${own.sandbox.url}/_sandbox/calls/${sid}`)).json()) as { status: string }).status,
        (status) => status === 'completed',
      );
      return sid;
    };

    it('texts the callee one confirmation; a second 9 (the same answer posted again) sends none', async () => {
      const to = person();
      const sid = await reminderCall(to);
      expect(await textedTo(to)).toEqual([CALLS_CONFIRMED]);
      // Twilio posting the Gather's answer again (a retry), or a second call in flight: already opted out.
      const again = await postSignedForm(`${own.functions.url}/voice/reminder?attempt=0`, {
        CallSid: sid,
        AccountSid: 'AC00000000000000000000000000000000',
        From: TEST_PHONE_NUMBER,
        To: to,
        Digits: '9',
      });
      expect(again.status).toBe(200);
      expect(await textedTo(to)).toEqual([CALLS_CONFIRMED]);
    });

    it('texts an opt-out of marketing calls only as that, not as all calls', async () => {
      const to = person();
      expect(confirmationOf(await optOut(to, { channel: 'voice', purpose: 'marketing' }))).toMatchObject({ sent: true });
      expect(await textedTo(to)).toEqual(['You will receive no more marketing calls from us.']);
    });

    it('does not text someone who opted out of SMS about calls', async () => {
      const to = person();
      expect(await text(to, 'STOP')).toEqual([CONFIRMED]);
      await reminderCall(to);
      expect(await textedTo(to)).toEqual([]);
    });
  });

  describe('the API: POST /consent with change "opt-out"', () => {
    it('texts one confirmation; a later STOP is not confirmed again, nor a repeated opt-out', async () => {
      const to = person();
      const first = await optOut(to);
      expect(first.status).toBe(201);
      expect(confirmationOf(first)).toMatchObject({ sent: true, sid: match.stringMatching(/^SM/) });
      expect(await textedTo(to)).toEqual([CONFIRMED]);
      expect(await text(to, 'STOP')).toEqual([]);
      expect(confirmationOf(await optOut(to))).toEqual({ sent: false, reason: 'not_new' });
      expect(await textedTo(to)).toEqual([CONFIRMED]);
    });

    it('confirms an opt-out of marketing only with the marketing text, once', async () => {
      const to = person();
      expect(confirmationOf(await optOut(to, { purpose: 'marketing' }))).toMatchObject({ sent: true });
      expect(confirmationOf(await optOut(to, { purpose: 'marketing' }))).toEqual({ sent: false, reason: 'not_new' });
      expect(await textedTo(to)).toEqual([MARKETING_CONFIRMED]);
    });

    it('texts a confirmation for an opt-out of calls', async () => {
      const to = person();
      expect(confirmationOf(await optOut(to, { channel: 'voice' }))).toMatchObject({ sent: true });
      expect(await textedTo(to)).toEqual([CALLS_CONFIRMED]);
    });

    it('does not confirm an opt-out recorded more than five minutes after it was made', async () => {
      const to = person();
      const late = await optOut(to, { at: new Date(Date.now() - 6 * 60_000).toISOString() });
      expect(confirmationOf(late)).toEqual({ sent: false, reason: 'too_late' });
      expect(await textedTo(to)).toEqual([]);
    });

    it('answers an opt-in with no confirmation at all', async () => {
      const to = person();
      const optIn = await api('/consent', { number: to, channel: 'sms', purpose: 'marketing', source: 'web', wording: 'Yes, texts.' });
      expect(optIn.status).toBe(201);
      expect(confirmationOf(optIn)).toBeUndefined();
      expect(await textedTo(to)).toEqual([]);
    });

    // Last in the file: the pause holds for the rest of this stack.
    it('confirms while a Usage Trigger has paused non-essential sends (the confirmation is essential)', async () => {
      const customer = person();
      await ensureDailySpendTrigger(own.client, { baseUrl: own.functions.url, dailyUsd: 0.01 });
      for (const body of ['first', 'second']) expect((await api('/sms/send', { to: customer, body })).status).toBe(200);
      await own.sandbox.settled();
      // Paused by the trigger (not false, and not 'unknown' from a Sync read that timed out).
      expect(((await callApi(`${own.functions.url}/health`, { token: null })).json as { paused: unknown }).paused).toMatchObject({
        usageCategory: 'totalprice',
      });
      const to = person();
      expect(confirmationOf(await optOut(to))).toMatchObject({ sent: true });
      expect(await textedTo(to)).toEqual([CONFIRMED]);
    });
  });
});
