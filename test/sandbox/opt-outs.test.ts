import twilio from 'twilio';
import { OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, type DeliveryRecord, type OptOutEntry } from '../../sandbox';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  OWNED_NUMBER,
  control,
  restError,
  startReceiver,
  startTestSandbox,
  type Receiver,
  type TestSandbox,
} from './helpers';
import { match } from '../support/match';

/** In the Messaging Service's sender pool, with OWNED_NUMBER. */
const POOL_NUMBER = '+14155550143';
/** In no Messaging Service: opt-outs to it are its own. */
const LONE_NUMBER = '+14155550144';
/** In no service and with no SmsUrl. */
const UNBOUND_NUMBER = '+14155550145';
const SERVICE_SID = `MG${'5'.repeat(32)}`;

interface PhoneAnswer {
  messageSid: string;
  replies: Array<{ sid: string; to: string; body: string; error?: { code: number; message: string } }>;
  optOut?: { type: 'STOP' | 'START'; keyword: string; senders: string[]; confirmation: string | null };
  warnings: string[];
}

let env: TestSandbox;
let app: Receiver;
let users = 0;
/** A fresh user per test (fictional 555-01xx lines in a real area code). */
const newUser = (): string => `+1303555${String(100 + (users += 1)).padStart(4, '0')}`;
/** twilio-node serializes only Dates of its own realm (jest gives tests another `Date`). */
let TwilioDate: DateConstructor;

beforeAll(async () => {
  env = await startTestSandbox({
    phoneNumbers: [OWNED_NUMBER, POOL_NUMBER, LONE_NUMBER, UNBOUND_NUMBER],
    messagingServices: [{ sid: SERVICE_SID, friendlyName: 'Notifications', senders: [OWNED_NUMBER, POOL_NUMBER] }],
    // LONE_NUMBER sits in no Messaging Service, so in no A2P 10DLC campaign: these tests are about opt-outs.
    senderRegistration: 'off',
  });
  app = await startReceiver();
  for (const number of await env.client.incomingPhoneNumbers.list()) {
    if (number.phoneNumber !== UNBOUND_NUMBER) await env.client.incomingPhoneNumbers(number.sid).update({ smsUrl: `${app.url}/sms` });
  }
  const probe = await env.client.messages.create({ to: newUser(), from: OWNED_NUMBER, body: 'probe' });
  TwilioDate = probe.dateCreated.constructor as DateConstructor;
  await env.sandbox.settled();
});

afterEach(() => {
  app.reply = {};
});

afterAll(async () => {
  await env.sandbox.close();
  await app.close();
});

const text = async (from: string, to: string, body: string): Promise<PhoneAnswer> => {
  const answer = await control<PhoneAnswer>(env.sandbox, 'POST', '/phone/sms', { from, to, body });
  expect(answer.status).toBe(200);
  return answer.body;
};

const whatsApp = async (from: string, to: string, body: string): Promise<PhoneAnswer> => {
  const answer = await control<PhoneAnswer>(env.sandbox, 'POST', '/phone/whatsapp', { from, to, body });
  expect(answer.status).toBe(200);
  return answer.body;
};

/** A Messages create over plain HTTP, to see the exact error body. */
async function create(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${env.sandbox.url}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ Body: 'hello', ...form }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const codeOf = async (form: Record<string, string>): Promise<number | string> => {
  const { status, body } = await create(form);
  return status === 201 ? String(body.status) : Number(body.code);
};

describe('opt-out keywords texted to a number outside any Messaging Service', () => {
  it('STOP makes a create from that number answer 400 / 21610 in Twilio’s error shape; START lifts it', async () => {
    const user = newUser();
    const stop = await text(user, LONE_NUMBER, 'STOP');
    expect(stop.optOut).toEqual({
      type: 'STOP',
      keyword: 'STOP',
      senders: [LONE_NUMBER],
      confirmation: match.stringMatching(/unsubscribed.*Reply START/),
    });

    const refused = await create({ To: user, From: LONE_NUMBER });
    expect(refused).toEqual({
      status: 400,
      body: {
        code: 21610,
        message: 'Attempt to send to unsubscribed recipient',
        more_info: 'https://www.twilio.com/docs/errors/21610',
        status: 400,
      },
    });
    const error = await restError(env.client.messages.create({ to: user, from: LONE_NUMBER, body: 'sale!' }));
    expect([error.status, error.code, error.moreInfo]).toEqual([400, 21610, 'https://www.twilio.com/docs/errors/21610']);
    // Per sender: the account's other numbers can still write to the user.
    expect(await codeOf({ To: user, From: OWNED_NUMBER })).toBe('queued');

    const start = await text(user, LONE_NUMBER, 'START');
    expect(start.optOut).toEqual({
      type: 'START',
      keyword: 'START',
      senders: [LONE_NUMBER],
      confirmation: match.stringMatching(/re-subscribed/),
    });
    const sent = await env.client.messages.create({ to: user, from: LONE_NUMBER, body: 'welcome back' });
    expect(sent.status).toBe('queued');
    await env.sandbox.settled();
    expect((await env.client.messages(sent.sid).fetch()).status).toBe('delivered');
  });

  it('still delivers the keyword to the webhook, signed, after applying it', async () => {
    app.requests.length = 0;
    const user = newUser();
    const answer = await text(user, LONE_NUMBER, 'stop');
    const [request] = app.requests;
    expect(request.params).toMatchObject({ From: user, To: LONE_NUMBER, Body: 'stop', MessageSid: answer.messageSid });
    expect(twilio.validateRequest(AUTH_TOKEN, String(request.headers['x-twilio-signature']), `${app.url}/sms`, request.params)).toBe(true);
  });

  it.each([...OPT_OUT_KEYWORDS, 'stop', 'Stop', ' STOP ', '\tunsubscribe\n', 'Cancel.', 'quit!', 'End', 'revoke', 'OptOut', 'stopall'])(
    '%j opts out',
    async (body) => {
      const user = newUser();
      expect((await text(user, LONE_NUMBER, body)).optOut?.type).toBe('STOP');
      expect(await codeOf({ To: user, From: LONE_NUMBER })).toBe(21610);
    },
  );

  it.each(['STOP PLEASE', 'please cancel', 'Stop texting me', 'STOPP', 'S T O P', 'HELP', 'INFO', 'hello'])(
    '%j is not an opt-out',
    async (body) => {
      const user = newUser();
      // HELP and INFO are keywords too (Twilio answers them: advanced-opt-out.test.ts), but no opt-out.
      expect((await text(user, LONE_NUMBER, body)).optOut?.type ?? 'none').toBe(/^(HELP|INFO)$/.test(body) ? 'HELP' : 'none');
      expect(await codeOf({ To: user, From: LONE_NUMBER })).toBe('queued');
    },
  );

  it.each([...OPT_IN_KEYWORDS, 'start', ' Yes ', 'unstop.'])('%j opts back in', async (body) => {
    const user = newUser();
    await text(user, LONE_NUMBER, 'STOP');
    expect((await text(user, LONE_NUMBER, body)).optOut?.type).toBe('START');
    expect(await codeOf({ To: user, From: LONE_NUMBER })).toBe('queued');
  });

  it('applies the keyword even when the number has no SmsUrl (409 all the same)', async () => {
    const user = newUser();
    const answer = await control<{ error: { code: string; message: string } }>(env.sandbox, 'POST', '/phone/sms', {
      from: user,
      to: UNBOUND_NUMBER,
      body: 'STOP',
    });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toEqual({ code: 'no_sms_url', message: match.stringMatching(/STOP keyword was applied/) });
    expect(await codeOf({ To: user, From: UNBOUND_NUMBER })).toBe(21610);
  });
});

describe('opt-outs to a number of a Messaging Service cover the whole service', () => {
  it('blocks MessagingServiceSid and From any pool number, not the account’s other numbers; START to any pool number lifts it', async () => {
    const user = newUser();
    const stop = await text(user, OWNED_NUMBER, 'UNSUBSCRIBE');
    expect(stop.optOut?.senders).toEqual([SERVICE_SID]);

    expect(await codeOf({ To: user, MessagingServiceSid: SERVICE_SID })).toBe(21610);
    expect(await codeOf({ To: user, From: OWNED_NUMBER })).toBe(21610);
    expect(await codeOf({ To: user, From: POOL_NUMBER })).toBe(21610);
    expect(await codeOf({ To: user, From: LONE_NUMBER })).toBe('queued');

    await text(user, POOL_NUMBER, 'yes');
    expect(await codeOf({ To: user, MessagingServiceSid: SERVICE_SID })).toBe('accepted');
    expect(await codeOf({ To: user, From: OWNED_NUMBER })).toBe('queued');
  });

  it('lists the opt-out state on GET /_sandbox/optouts: { user, sender, channel, at }', async () => {
    const user = newUser();
    await text(user, POOL_NUMBER, 'STOP');
    await text(user, LONE_NUMBER, 'END');
    const listed = await control<OptOutEntry[]>(env.sandbox, 'GET', `/optouts?user=${encodeURIComponent(user)}`);
    expect(listed.status).toBe(200);
    const at = match.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(listed.body).toEqual([
      { user, sender: SERVICE_SID, channel: 'sms', at },
      { user, sender: LONE_NUMBER, channel: 'sms', at },
    ]);
    await text(user, LONE_NUMBER, 'START');
    const after = await control<OptOutEntry[]>(env.sandbox, 'GET', `/optouts?user=whatsapp:${encodeURIComponent(user)}`);
    expect(after.body.map((e) => [e.sender, e.channel])).toEqual([[SERVICE_SID, 'sms']]);
    const all = await control<OptOutEntry[]>(env.sandbox, 'GET', '/optouts');
    expect(all.body.length).toBeGreaterThan(after.body.length);
  });

  it('does not apply to Verify’s codes (Verify sends from Twilio’s own senders)', async () => {
    const user = newUser();
    await text(user, OWNED_NUMBER, 'STOP');
    await env.client.verify.v2.services(env.sandbox.verifyServiceSid).verifications.create({ to: user, channel: 'sms' });
    await env.sandbox.settled();
    const sent = await control<Array<{ channel: string; body: string }>>(
      env.sandbox,
      'GET',
      `/verify/codes?to=${encodeURIComponent(user)}`,
    );
    expect(sent.body).toEqual([match.objectContaining({ channel: 'sms', body: match.stringContaining('verification code is') })]);
  });
});

describe('WhatsApp keywords outside Advanced Opt-Out (Twilio’s keyword handling is for SMS)', () => {
  it('a WhatsApp STOP blocks nothing: no optOut, no automatic reply, WhatsApp creates from that sender are queued', async () => {
    const user = newUser();
    const stop = await whatsApp(`whatsapp:${user}`, LONE_NUMBER, 'Stop');
    expect(stop.optOut).toBeUndefined();
    expect(await codeOf({ To: `whatsapp:${user}`, From: `whatsapp:${LONE_NUMBER}` })).toBe('queued');
    expect((await whatsApp(user, POOL_NUMBER, 'QUIT')).optOut).toBeUndefined();
    expect(await codeOf({ To: `whatsapp:${user}`, MessagingServiceSid: SERVICE_SID })).toBe('accepted');
    const listed = await control<OptOutEntry[]>(env.sandbox, 'GET', `/optouts?user=${encodeURIComponent(user)}`);
    expect(listed.body).toEqual([]);
  });

  it('an SMS STOP does not block WhatsApp', async () => {
    const user = newUser();
    await text(user, LONE_NUMBER, 'STOP');
    expect(await codeOf({ To: `whatsapp:${user}`, From: `whatsapp:${LONE_NUMBER}` })).toBe('queued');
  });
});

describe('TwiML replies to a user who opted out', () => {
  it('fail with 21610 (failed, with the action callback); after START they are delivered', async () => {
    const user = newUser();
    const action = `${app.url}/reply-status`;
    app.reply = { body: `<Response><Message action="${action}">Sorry to see you go</Message></Response>` };
    const stop = await text(user, LONE_NUMBER, 'STOP');
    expect(stop.replies).toEqual([
      match.objectContaining({
        to: user,
        body: 'Sorry to see you go',
        error: { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
      }),
    ]);
    expect(stop.warnings).toEqual([match.stringMatching(/21610/)]);
    await env.sandbox.settled();
    const blocked = await env.client.messages(stop.replies[0].sid).fetch();
    expect([blocked.status, blocked.errorCode, blocked.dateSent, blocked.price]).toEqual(['failed', 21610, null, null]);
    const callbacks = await control<DeliveryRecord[]>(env.sandbox, 'GET', `/callbacks?sid=${blocked.sid}`);
    expect(callbacks.body.map((d) => [d.url, d.params.MessageStatus, d.params.ErrorCode])).toEqual([[action, 'failed', '21610']]);

    app.reply = { body: '<Response><Message>Welcome back</Message></Response>' };
    const start = await text(user, LONE_NUMBER, 'START');
    expect(start.replies[0].error).toBeUndefined();
    await env.sandbox.settled();
    expect((await env.client.messages(start.replies[0].sid).fetch()).status).toBe('delivered');
  });

  it('a WhatsApp reply to a WhatsApp STOP is delivered (the application confirms its own opt-out)', async () => {
    const user = newUser();
    app.reply = { body: '<Response><Message>You are unsubscribed</Message></Response>' };
    const stop = await whatsApp(user, LONE_NUMBER, 'stop');
    expect(stop.replies).toEqual([match.objectContaining({ to: `whatsapp:${user}`, body: 'You are unsubscribed' })]);
    expect(stop.replies[0].error).toBeUndefined();
    await env.sandbox.settled();
    const reply = await env.client.messages(stop.replies[0].sid).fetch();
    expect([reply.status, reply.errorCode]).toEqual(['read', null]);
  });
});

describe('scheduled messages and opt-outs', () => {
  const MINUTE = 60_000;
  const inSandbox = (ms: number): Date => new TwilioDate(env.sandbox.clock.now() + ms);

  it('a message scheduled before the recipient opted out fails at release with 21610 and is not delivered', async () => {
    const user = newUser();
    const statusCallback = `${app.url}/scheduled`;
    const scheduled = await env.client.messages.create({
      to: user,
      messagingServiceSid: SERVICE_SID,
      body: 'reminder',
      scheduleType: 'fixed',
      sendAt: inSandbox(20 * MINUTE),
      statusCallback,
    });
    expect(scheduled.status).toBe('scheduled');
    await text(user, POOL_NUMBER, 'STOP');

    env.sandbox.clock.advance(21 * MINUTE);
    await env.sandbox.settled();
    const released = await env.client.messages(scheduled.sid).fetch();
    expect([released.status, released.errorCode, released.errorMessage, released.dateSent]).toEqual([
      'failed',
      21610,
      'Attempt to send to unsubscribed recipient',
      null,
    ]);
    const callbacks = await control<DeliveryRecord[]>(env.sandbox, 'GET', `/callbacks?sid=${scheduled.sid}`);
    const statuses = callbacks.body.map((d) => d.params.MessageStatus);
    expect(statuses).toEqual(['queued', 'failed']);
    expect(callbacks.body[1].params.ErrorCode).toBe('21610');
    for (const d of callbacks.body) expect(twilio.validateRequest(AUTH_TOKEN, d.signature, statusCallback, d.params)).toBe(true);
  });

  it('a schedule request for a recipient who already opted out answers 400 / 21610', async () => {
    const user = newUser();
    await text(user, OWNED_NUMBER, 'STOP');
    const error = await restError(
      env.client.messages.create({
        to: user,
        messagingServiceSid: SERVICE_SID,
        body: 'reminder',
        scheduleType: 'fixed',
        sendAt: inSandbox(20 * MINUTE),
      }),
    );
    expect([error.status, error.code]).toEqual([400, 21610]);
  });

  it('a canceled scheduled message never sends, opt-in or not', async () => {
    const user = newUser();
    const statusCallback = `${app.url}/canceled`;
    const scheduled = await env.client.messages.create({
      to: user,
      messagingServiceSid: SERVICE_SID,
      body: 'never',
      scheduleType: 'fixed',
      sendAt: inSandbox(20 * MINUTE),
      statusCallback,
    });
    expect((await env.client.messages(scheduled.sid).update({ status: 'canceled' })).status).toBe('canceled');
    await text(user, OWNED_NUMBER, 'STOP');
    await text(user, OWNED_NUMBER, 'START');
    env.sandbox.clock.advance(30 * MINUTE);
    await env.sandbox.settled();
    const after = await env.client.messages(scheduled.sid).fetch();
    expect([after.status, after.from, after.dateSent, after.errorCode]).toEqual(['canceled', null, null, null]);
    const callbacks = await control<DeliveryRecord[]>(env.sandbox, 'GET', `/callbacks?sid=${scheduled.sid}`);
    expect(callbacks.body.map((d) => d.params.MessageStatus)).toEqual(['canceled']);
  });
});

describe('Twilio’s magic numbers still answer as before', () => {
  it('+15005550004 is 21610 without any STOP, and +15005550013 ends undelivered / 21610', async () => {
    expect(await codeOf({ To: '+15005550004', From: '+15005550006' })).toBe(21610);
    const m = await env.client.messages.create({ to: '+15005550013', from: OWNED_NUMBER, body: 'x' });
    await env.sandbox.settled();
    const fetched = await env.client.messages(m.sid).fetch();
    expect([fetched.status, fetched.errorCode]).toEqual(['undelivered', 21610]);
  });
});
