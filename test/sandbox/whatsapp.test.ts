import twilio from 'twilio';
import { CUSTOMER_SERVICE_WINDOW_MS, WHATSAPP_MAGIC_RECIPIENTS } from '../../sandbox';
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

interface InboundAnswer {
  messageSid: string;
  webhook: { status: number | null };
  replies: Array<{ sid: string; from: string; to: string; body: string; mediaUrls: string[] }>;
}

const WA_OWNED = `whatsapp:${OWNED_NUMBER}`;
let env: TestSandbox;
let app: Receiver;
let users = 0;
/** A fresh WhatsApp user per test (fictional 555-01xx lines): windows never leak between tests. */
const newUser = (): string => `+1202555${String(160 + (users += 1)).padStart(4, '0')}`;

beforeAll(async () => {
  env = await startTestSandbox({
    contentTemplates: [{ friendlyName: 'order_update', body: 'Your order {{1}} ships {{2}}', variables: { 1: '(your order)', 2: 'soon' } }],
  });
  app = await startReceiver();
  const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
  await env.client.incomingPhoneNumbers(number.sid).update({ smsUrl: `${app.url}/wa`, smsMethod: 'POST' });
});

afterAll(async () => {
  await env.sandbox.close();
  await app.close();
});

function writeIn(from: string, body = 'hello', extra: Record<string, unknown> = {}): Promise<{ status: number; body: InboundAnswer }> {
  return control<InboundAnswer>(env.sandbox, 'POST', '/phone/whatsapp', { from, to: OWNED_NUMBER, body, ...extra });
}

function callbacksFor(sid: string): Array<Record<string, string>> {
  return app.requests.filter((r) => r.params.MessageSid === sid && r.url.includes('/status')).map((r) => r.params);
}

const statusCallback = (): string => `${app.url}/status`;

describe('the phone as a WhatsApp user', () => {
  it('posts Twilio’s signed WhatsApp parameters to the number’s SmsUrl and sends TwiML replies as WhatsApp', async () => {
    const user = newUser();
    app.requests.length = 0;
    app.reply = { contentType: 'text/xml', body: '<Response><Message>Hi from the shop</Message></Response>' };
    const answer = await writeIn(`whatsapp:${user}`, 'Where is my order?', { profileName: 'Ada' });
    expect(answer.status).toBe(200);
    const [request] = app.requests;
    expect(twilio.validateRequest(AUTH_TOKEN, String(request.headers['x-twilio-signature']), `${app.url}/wa`, request.params)).toBe(true);
    expect(request.params).toEqual({
      SmsMessageSid: answer.body.messageSid,
      NumMedia: '0',
      ProfileName: 'Ada',
      MessageType: 'text',
      SmsSid: answer.body.messageSid,
      WaId: user.slice(1),
      SmsStatus: 'received',
      Body: 'Where is my order?',
      To: WA_OWNED,
      NumSegments: '1',
      ReferralNumMedia: '0',
      MessageSid: answer.body.messageSid,
      AccountSid: ACCOUNT_SID,
      From: `whatsapp:${user}`,
      ApiVersion: '2010-04-01',
    });
    expect(answer.body.replies.map((r) => [r.from, r.to, r.body])).toEqual([[WA_OWNED, `whatsapp:${user}`, 'Hi from the shop']]);
    await env.sandbox.settled();
    const reply = await env.client.messages(answer.body.replies[0].sid).fetch();
    expect([reply.direction, reply.status, reply.errorCode]).toEqual(['outbound-reply', 'read', null]);
    const inbound = await env.client.messages(answer.body.messageSid).fetch();
    expect([inbound.direction, inbound.status, inbound.from, inbound.to]).toEqual(['inbound', 'received', `whatsapp:${user}`, WA_OWNED]);
  });

  it('reports media with MediaUrl0 / MediaContentType0 and the MessageType of the first media', async () => {
    app.requests.length = 0;
    app.reply = { body: '<Response/>' };
    await writeIn(newUser(), '', { mediaUrls: ['https://example.com/a/photo.jpg'] });
    await writeIn(newUser(), 'see', { mediaUrls: ['https://example.com/voice'], mediaContentTypes: ['audio/ogg'] });
    expect(app.requests.map((r) => [r.params.NumMedia, r.params.MessageType, r.params.MediaContentType0, r.params.ProfileName])).toEqual([
      ['1', 'image', 'image/jpeg', 'WhatsApp User'],
      ['1', 'audio', 'audio/ogg', 'WhatsApp User'],
    ]);
  });

  it('refuses bad input with 400 and unknown numbers with 404', async () => {
    expect((await writeIn('not-a-number')).status).toBe(400);
    expect((await writeIn(newUser(), '')).status).toBe(400);
    const unknown = await control(env.sandbox, 'POST', '/phone/whatsapp', { from: newUser(), to: '+12025550111', body: 'x' });
    expect(unknown.status).toBe(404);
  });
});

describe('WhatsApp messages and the 24-hour window', () => {
  beforeAll(() => {
    app.reply = { body: '<Response/>' };
  });

  it('accepts a free-form message to a user who never wrote, then fails it with 63016 in the callback', async () => {
    const created = await env.client.messages.create({
      to: `whatsapp:${newUser()}`,
      from: WA_OWNED,
      body: 'Hello?',
      statusCallback: statusCallback(),
    });
    expect([created.status, created.numSegments]).toEqual(['queued', '1']);
    await env.sandbox.settled();
    expect(callbacksFor(created.sid).map((p) => [p.MessageStatus, p.ErrorCode])).toEqual([['failed', '63016']]);
    const fetched = await env.client.messages(created.sid).fetch();
    expect([fetched.status, fetched.errorCode, fetched.dateSent]).toEqual(['failed', 63016, null]);
    expect(fetched.errorMessage).toContain('outside the allowed window');
  });

  it('delivers free-form inside the window with queued → sending → sent → delivered → read callbacks', async () => {
    const user = newUser();
    await writeIn(user);
    const created = await env.client.messages.create({
      to: `whatsapp:${user}`,
      from: WA_OWNED,
      body: 'We are on it',
      statusCallback: statusCallback(),
    });
    await env.sandbox.settled();
    const callbacks = callbacksFor(created.sid);
    expect(callbacks.map((p) => p.MessageStatus)).toEqual(['sending', 'sent', 'delivered', 'read']);
    expect(callbacks[0]).toMatchObject({ From: WA_OWNED, To: `whatsapp:${user}`, SmsStatus: 'sending' });
    expect((await env.client.messages(created.sid).fetch()).status).toBe('read');
  });

  it('closes the window 24 hours after the user’s last message (sandbox clock), and the next message reopens it', async () => {
    const user = newUser();
    await writeIn(user);
    env.sandbox.clock.advance(CUSTOMER_SERVICE_WINDOW_MS - 60_000);
    const inside = await env.client.messages.create({ to: `whatsapp:${user}`, from: WA_OWNED, body: 'still open' });
    await env.sandbox.settled();
    env.sandbox.clock.advance(60_000);
    const outside = await env.client.messages.create({ to: `whatsapp:${user}`, from: WA_OWNED, body: 'too late' });
    await env.sandbox.settled();
    await writeIn(user, 'back again');
    const reopened = await env.client.messages.create({ to: `whatsapp:${user}`, from: WA_OWNED, body: 'welcome back' });
    await env.sandbox.settled();
    const statuses = await Promise.all([inside, outside, reopened].map(async (m) => (await env.client.messages(m.sid).fetch()).status));
    expect(statuses).toEqual(['read', 'failed', 'read']);
  });

  it('keeps one window per sender: writing to one number does not open another', async () => {
    const user = newUser();
    await writeIn(user);
    const other = await env.client.messages.create({ to: `whatsapp:${user}`, from: 'whatsapp:+15005550006', body: 'from another sender' });
    await env.sandbox.settled();
    expect((await env.client.messages(other.sid).fetch()).errorCode).toBe(63016);
  });

  it('sends a template (ContentSid) outside the window, rendered with ContentVariables and the defaults', async () => {
    const contentSid = env.sandbox.contentSids.order_update;
    expect(contentSid).toMatch(/^HX[0-9a-f]{32}$/);
    const full = await env.client.messages.create({
      to: `whatsapp:${newUser()}`,
      from: WA_OWNED,
      contentSid,
      contentVariables: JSON.stringify({ 1: 'A-1042', 2: 'tomorrow' }),
      statusCallback: statusCallback(),
    });
    const partial = await env.client.messages.create({
      to: `whatsapp:${newUser()}`,
      from: WA_OWNED,
      contentSid,
      contentVariables: '{"1":"B-7"}',
    });
    const none = await env.client.messages.create({ to: `whatsapp:${newUser()}`, from: WA_OWNED, contentSid, body: 'ignored' });
    expect([full.body, partial.body, none.body]).toEqual([
      'Your order A-1042 ships tomorrow',
      'Your order B-7 ships soon',
      'Your order (your order) ships soon',
    ]);
    await env.sandbox.settled();
    expect(callbacksFor(full.sid).map((p) => p.MessageStatus)).toEqual(['sending', 'sent', 'delivered', 'read']);
    expect((await env.client.messages(none.sid).fetch()).status).toBe('read');
  });

  it('picks whatsapp:<first pool number> through a Messaging Service', async () => {
    const user = newUser();
    await writeIn(user);
    const created = await env.client.messages.create({
      to: `whatsapp:${user}`,
      messagingServiceSid: env.sandbox.messagingServiceSid,
      body: 'via service',
    });
    expect(created.status).toBe('accepted');
    await env.sandbox.settled();
    const fetched = await env.client.messages(created.sid).fetch();
    expect([fetched.from, fetched.status]).toEqual([WA_OWNED, 'read']);
  });
});

describe('WhatsApp create-time errors (HTTP 400)', () => {
  it.each([
    ['From SMS, To WhatsApp', { from: OWNED_NUMBER, body: 'x' }, 21910],
    ['From WhatsApp, To SMS', { from: WA_OWNED, body: 'x', plainTo: true }, 21910],
    ['a WhatsApp From the account does not own', { from: 'whatsapp:+12025550188', body: 'x' }, 63007],
    ['From = To', { from: WA_OWNED, body: 'x', to: WA_OWNED }, 63031],
    ['ContentVariables without ContentSid', { from: WA_OWNED, body: 'x', contentVariables: '{"1":"a"}' }, 21654],
    ['an unknown ContentSid', { from: WA_OWNED, contentSid: `HX${'0'.repeat(32)}` }, 21655],
    ['a malformed ContentSid', { from: WA_OWNED, contentSid: 'HXnope' }, 21655],
    ['ContentVariables that are not JSON', { from: WA_OWNED, contentSid: 'seeded', contentVariables: '{1: A-1042}' }, 21656],
    ['a null variable', { from: WA_OWNED, contentSid: 'seeded', contentVariables: '{"1":null}' }, 21656],
    ['a Body over 1,600 characters', { from: WA_OWNED, body: 'x'.repeat(1601) }, 21617],
  ])('%s → %j answers its code', async (_, spec, code) => {
    const { plainTo, to, contentSid, ...rest } = spec as Record<string, unknown>;
    const params = {
      ...(rest as Record<string, string>),
      to: (to as string | undefined) ?? (plainTo ? '+12025550199' : 'whatsapp:+12025550199'),
      ...(contentSid ? { contentSid: contentSid === 'seeded' ? env.sandbox.contentSids.order_update : (contentSid as string) } : {}),
    };
    const error = await restError(env.client.messages.create(params));
    expect([error.status, error.code, error.moreInfo]).toEqual([400, code, `https://www.twilio.com/docs/errors/${code}`]);
  });
});

describe('WhatsApp content rules', () => {
  it('keeps only the first MediaUrl (Twilio ignores the others)', async () => {
    const user = newUser();
    await writeIn(user);
    const created = await env.client.messages.create({
      to: `whatsapp:${user}`,
      from: WA_OWNED,
      mediaUrl: ['https://example.com/a.jpg', 'https://example.com/b.jpg'],
    });
    expect(created.numMedia).toBe('1');
    await env.sandbox.settled();
    expect((await env.client.messages(created.sid).fetch()).status).toBe('read');
  });

  it('fails media of an unsupported type with 63021 at delivery', async () => {
    const user = newUser();
    await writeIn(user);
    const created = await env.client.messages.create({
      to: `whatsapp:${user}`,
      from: WA_OWNED,
      mediaUrl: ['https://example.com/anim.gif'],
    });
    expect(created.status).toBe('queued');
    await env.sandbox.settled();
    const fetched = await env.client.messages(created.sid).fetch();
    expect([fetched.status, fetched.errorCode]).toEqual(['failed', 63021]);
  });

  it('fails a rendered template over 1,024 characters with 63021', async () => {
    const contentSid = env.sandbox.contentSids.order_update;
    const created = await env.client.messages.create({
      to: `whatsapp:${newUser()}`,
      from: WA_OWNED,
      contentSid,
      contentVariables: JSON.stringify({ 1: 'x'.repeat(1100) }),
    });
    await env.sandbox.settled();
    expect((await env.client.messages(created.sid).fetch()).errorCode).toBe(63021);
  });
});

describe('sandbox WhatsApp magic recipients', () => {
  it.each(Object.entries(WHATSAPP_MAGIC_RECIPIENTS))(
    'whatsapp:%s is accepted, then fails with its code in the callback',
    async (number, outcome) => {
      const created = await env.client.messages.create({
        to: `whatsapp:${number}`,
        from: WA_OWNED,
        contentSid: env.sandbox.contentSids.order_update,
        statusCallback: statusCallback(),
      });
      expect(created.status).toBe('queued');
      await env.sandbox.settled();
      expect(callbacksFor(created.sid).map((p) => [p.MessageStatus, p.ErrorCode])).toEqual([['failed', String(outcome.code)]]);
      const fetched = await env.client.messages(created.sid).fetch();
      expect([fetched.status, fetched.errorCode, fetched.errorMessage]).toEqual(['failed', outcome.code, outcome.message]);
    },
  );

  it('applies to WhatsApp only: the same number by SMS is delivered', async () => {
    const created = await env.client.messages.create({ to: '+15005550040', from: OWNED_NUMBER, body: 'sms' });
    await env.sandbox.settled();
    expect((await env.client.messages(created.sid).fetch()).status).toBe('delivered');
  });
});
