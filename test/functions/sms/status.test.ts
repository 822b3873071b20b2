import { readSettings } from '../../../src/lib/config/settings';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { recordStatusCountingOnce } from '../../../src/lib/sms/outcomes';
import { createStores } from '../../../src/lib/stores';
import { callApi, postSignedForm } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { phoneBook } from '../../support/sandbox-phone';
import { stack } from '../../support/stack';
import { messagesOf } from '../../support/twiml';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

const uniquePhone = phoneBook('sms-status');
let sidCounter = 0;
const fakeSid = () => `SM${(Date.now().toString(16) + (sidCounter++).toString(16).padStart(6, '0')).padStart(32, '0')}`;

const callback = (url: string, sid: string, to: string, status: string, errorCode?: number) =>
  postSignedForm(`${url}/sms/status`, {
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: status,
    SmsStatus: status,
    AccountSid: 'AC' + '0'.repeat(32),
    From: '+15005550006',
    To: to,
    ApiVersion: '2010-04-01',
    ...(errorCode ? { ErrorCode: String(errorCode) } : {}),
  });

const tracked = async (url: string, sid: string) =>
  (await callApi(`${url}/sms/message?sid=${sid}`)).json as {
    status: string;
    errorCode: number | null;
    error: { code: number; meaning: string; action: string } | null;
    history: Array<{ status: string; errorCode?: number }>;
  };

describe('POST /sms/status', () => {
  const url = () => stack().functionsUrl;

  it('never moves backwards: late, repeated and out-of-order callbacks change nothing', async () => {
    const sid = fakeSid();
    const to = uniquePhone();
    for (const status of ['queued', 'delivered', 'sent', 'sending', 'delivered', 'queued']) {
      const result = await callback(url(), sid, to, status);
      expect(result.status).toBe(200);
      expect(messagesOf(result.text)).toEqual([]);
    }
    const message = await tracked(url(), sid);
    expect(message.status).toBe('delivered');
    expect(message.history.map((event) => event.status)).toEqual(['queued', 'delivered']);
  });

  it('keeps the ErrorCode of failed and undelivered messages', async () => {
    const sid = fakeSid();
    await callback(url(), sid, uniquePhone(), 'sent');
    await callback(url(), sid, uniquePhone(), 'undelivered', 30006);
    await callback(url(), sid, uniquePhone(), 'sent');
    expect(await tracked(url(), sid)).toMatchObject({
      status: 'undelivered',
      errorCode: 30006,
      history: [{ status: 'sent' }, { status: 'undelivered', errorCode: 30006 }],
    });
  });

  it('records an opt-out when delivery fails with 21610', async () => {
    const to = uniquePhone();
    await callback(url(), fakeSid(), to, 'undelivered', 21610);
    const optout = await callApi(`${url()}/sms/optout?number=${encodeURIComponent(to)}`);
    expect(optout.json).toMatchObject({ optedOut: true, source: 'twilio-21610' });
    // The carrier's opt-out joins the consent history too (GET /consent, /consent/export).
    const consent = await callApi(`${url()}/consent?number=${encodeURIComponent(to)}`);
    expect(consent.json).toMatchObject({ history: [{ channel: 'sms', change: 'opt-out', source: 'twilio-21610' }] });
  });

  it.each([
    ['an unknown status', { MessageStatus: 'exploded' }],
    ['no MessageSid', { MessageSid: '' }],
    ['a non-numeric ErrorCode', { ErrorCode: 'abc' }],
  ])('refuses %s with 400 JSON', async (_name, override) => {
    const result = await postSignedForm(`${url()}/sms/status`, {
      MessageSid: fakeSid(),
      MessageStatus: 'sent',
      To: uniquePhone(),
      ...override,
    });
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ error: { code: match.stringMatching(/_parameter$/) } });
  });

  it('refuses forged callbacks', async () => {
    const sid = fakeSid();
    const result = await postSignedForm(
      `${url()}/sms/status`,
      { MessageSid: sid, MessageStatus: 'delivered', To: uniquePhone() },
      { signature: 'Zm9yZ2Vk' },
    );
    expect(result.status).toBe(403);
    expect((await callApi(`${url()}/sms/message?sid=${sid}`)).status).toBe(404);
  });
});

describe('GET /sms/message', () => {
  it('answers 404 for an untracked message and 400 for something that is not a SID', async () => {
    expect((await callApi(`${stack().functionsUrl}/sms/message?sid=SM${'f'.repeat(32)}`)).json).toMatchObject({
      error: { code: 'not_found' },
    });
    expect((await callApi(`${stack().functionsUrl}/sms/message?sid=hello`)).json).toMatchObject({ error: { code: 'invalid_parameter' } });
  });

  // Sandbox recipients whose messages are accepted, then fail delivery with the given code.
  it.each([
    ['+15005550011', 'undelivered', 30006, /landline/],
    ['+15005550012', 'failed', 30008, /without saying why/],
  ])('explains a delivery failure to %s beside errorCode', async (to, status, code, meaning) => {
    const sent = await callApi(`${stack().functionsUrl}/sms/send`, { method: 'POST', body: { to, body: 'Your order has shipped' } });
    expect(sent.status).toBe(200);
    const sid = (sent.json as { sid: string }).sid;
    const message = await eventually(
      () => tracked(stack().functionsUrl, sid),
      (m) => m.status === status,
    );
    expect(message.errorCode).toBe(code);
    expect(message.error).toEqual({ code, meaning: match.stringMatching(meaning), action: match.any(String) });
  });

  it('answers error: null while nothing failed, and a pointer to Twilio for a code it does not describe', async () => {
    const delivered = fakeSid();
    await callback(stack().functionsUrl, delivered, uniquePhone(), 'delivered');
    expect(await tracked(stack().functionsUrl, delivered)).toMatchObject({ status: 'delivered', errorCode: null, error: null });

    const unknown = fakeSid();
    await callback(stack().functionsUrl, unknown, uniquePhone(), 'undelivered', 30044);
    expect(await tracked(stack().functionsUrl, unknown)).toMatchObject({
      errorCode: 30044,
      error: { code: 30044, meaning: match.stringContaining('https://www.twilio.com/docs/api/errors/30044') },
    });
  });
});

describe('delivery counters, /sms/stats and the delivery alert (own sandbox: counters are per account)', () => {
  const oncall = '+12025550177';
  let own: OwnStack;

  beforeAll(async () => {
    own = await startOwnStack({ ALERT_SMS_TO: oncall, DELIVERY_ALERT_RATE: '0.8', DELIVERY_ALERT_MIN: '10' });
  });
  afterAll(() => own.close());

  const stats = async () =>
    (await callApi(`${own.functions.url}/sms/stats`)).json as {
      lastHour: { delivered: number; undelivered: number; failed: number; total: number; deliveryRate: number | null };
    };
  const alerts = () => own.client.messages.list({ to: oncall });

  it('counts each message once, whatever callbacks repeat, and alerts once per hour when the rate falls', async () => {
    expect((await stats()).lastHour).toMatchObject({ total: 0, deliveryRate: null });

    // 8 delivered (each reported twice), then failures: the rate falls under 80% at 10 messages.
    for (let i = 0; i < 8; i += 1) {
      const sid = fakeSid();
      await callback(own.functions.url, sid, uniquePhone(), 'delivered');
      await callback(own.functions.url, sid, uniquePhone(), 'delivered');
    }
    expect((await stats()).lastHour).toMatchObject({ delivered: 8, total: 8, deliveryRate: 1 });

    await callback(own.functions.url, fakeSid(), uniquePhone(), 'failed', 30008);
    expect(await alerts()).toHaveLength(0); // 8/9 = 89%, and under the 10-message minimum

    await callback(own.functions.url, fakeSid(), uniquePhone(), 'undelivered', 30006);
    expect(await alerts()).toHaveLength(0); // 8/10 = 80%: not below the threshold

    await callback(own.functions.url, fakeSid(), uniquePhone(), 'undelivered', 30006);
    const sent = await alerts(); // 8/11 = 72.7%
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toMatch(
      /^Delivery alert: 72\.7% of 11 messages delivered in the last hour \(2 undelivered, 1 failed\), below 80\.0%\.$/,
    );

    for (let i = 0; i < 3; i += 1) await callback(own.functions.url, fakeSid(), uniquePhone(), 'undelivered', 30006);
    const figures = (await stats()).lastHour;
    expect(figures).toMatchObject({ delivered: 8, undelivered: 5, failed: 1, total: 14 });
    expect(figures.deliveryRate).toBeCloseTo(8 / 14);
    expect(await alerts()).toHaveLength(1);
  });
});

describe('the delivery funnel and silent filtering (own sandbox: counters are per account)', () => {
  const oncall = '+12025550178';
  let own: OwnStack;

  beforeAll(async () => {
    own = await startOwnStack({ ALERT_SMS_TO: oncall, DELIVERY_ALERT_RATE: '0.8', DELIVERY_ALERT_MIN: '3' });
  });
  afterAll(() => own.close());

  type Hour = { hour: string; queued: number; sent: number; settled: number; awaiting: number; silent: number | null };
  const hours = async () => (await callApi(`${own.functions.url}/sms/hours?hours=3`)).json as { hours: Hour[] };
  const alerts = () => own.client.messages.list({ to: oncall });
  const stores = () => createStores(own.client, readSettings({}), Deadline.in(60_000));

  it('counts messages left at sent past SILENT_FILTERING_MINUTES in /sms/stats and alerts once when a later callback comes', async () => {
    // Before any callback of this stack: the alert looks at an hour once, when its wait is over (its counts are final then).
    // Four messages reached sent two hours ago (the bookkeeping a status callback does, at that time); one got its receipt.
    const now = Date.now();
    const hourStart = Math.floor((now - 2 * 3_600_000) / 3_600_000) * 3_600_000;
    const sids = [fakeSid(), fakeSid(), fakeSid(), fakeSid()];
    for (const sid of sids) {
      await recordStatusCountingOnce(stores(), { sid, to: uniquePhone(), status: 'sent', resendable: true }, new Date(hourStart + 60_000));
    }
    await recordStatusCountingOnce(
      stores(),
      { sid: sids[0], to: uniquePhone(), status: 'delivered', resendable: true },
      new Date(hourStart + 120_000),
    );
    const hour = new Date(hourStart).toISOString().slice(0, 13);

    const stats = (await callApi(`${own.functions.url}/sms/stats`)).json as { silentFiltering: Record<string, unknown> };
    expect(stats.silentFiltering).toEqual({ thresholdMinutes: 60, hour, sent: 4, settled: 1, awaiting: 3 });
    const past = (await hours()).hours.find((each) => each.hour === hour);
    expect(past).toMatchObject({ sent: 4, settled: 1, awaiting: 3, silent: 3 });

    expect(await alerts()).toHaveLength(0);
    await callback(own.functions.url, fakeSid(), uniquePhone(), 'delivered');
    await own.sandbox.settled();
    const sent = await alerts();
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toBe(
      `Silent filtering alert: 3 of 4 messages sent ${hour.slice(11)}:00-${hour.slice(11)}:59 UTC have no delivery receipt after 60 minutes (25.0% got one, below 80.0%).`,
    );
    await callback(own.functions.url, fakeSid(), uniquePhone(), 'sent');
    await own.sandbox.settled();
    expect(await alerts()).toHaveLength(1);
  });
  it('counts queued and sent once per message, in the write that counts the outcome or the sent callback', async () => {
    await own.sandbox.settled();
    const before = (await hours()).hours.at(-1) as Hour;
    const [deliveredSid, failedSid, silentSid] = [fakeSid(), fakeSid(), fakeSid()];
    for (const status of ['sending', 'sent', 'sent', 'delivered', 'delivered'])
      await callback(own.functions.url, deliveredSid, uniquePhone(), status);
    await callback(own.functions.url, failedSid, uniquePhone(), 'failed', 30008); // straight from the queue: never sent
    await callback(own.functions.url, silentSid, uniquePhone(), 'sent');
    await callback(own.functions.url, silentSid, uniquePhone(), 'sending');
    const current = (await hours()).hours.at(-1) as Hour;
    const added = (name: 'queued' | 'sent' | 'settled' | 'awaiting') => current[name] - before[name];
    expect([added('queued'), added('sent'), added('settled'), added('awaiting')]).toEqual([3, 2, 1, 1]);
    // Waiting: the hour is not over, so nothing counts as silent yet.
    expect(current.silent).toBeNull();
    expect((await tracked(own.functions.url, silentSid)).status).toBe('sent');
  });
});
