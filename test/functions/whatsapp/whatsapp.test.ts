import { readSettings } from '../../../src/lib/config/settings';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { createStores } from '../../../src/lib/stores';
import { callApi, type HttpResult } from '../../support/http';
import { startOwnStack, type OwnStack } from '../../support/own-stack';
import { TEST_PHONE_NUMBER } from '../../support/stack';
import { eventually } from '../../support/wait';
import { match } from '../../support/match';

const KEYWORDS = { 'order status': 'Send us your order number and we will look it up.', support: 'A person will answer within the hour.' };
const HELP = 'Reply "order status" or "support".';

// Own sandbox: the tests move its clock (the 24-hour window) and seed a Content template.
describe('WhatsApp', () => {
  let own: OwnStack;
  let templateSid: string;
  beforeAll(async () => {
    own = await startOwnStack(
      { WHATSAPP_KEYWORDS: JSON.stringify(KEYWORDS), WHATSAPP_HELP_TEXT: HELP },
      {
        contentTemplates: [
          { friendlyName: 'order_update', body: 'Your order {{1}} ships {{2}}.', variables: { 1: 'your order', 2: 'soon' } },
        ],
      },
    );
    templateSid = own.sandbox.contentSids.order_update;
  });
  afterAll(() => own.close());

  let userCounter = 0;
  const newUser = () => `+4474001234${String(userCounter++).padStart(2, '0')}`;
  const fromUser = async (user: string, body: string, extra: Record<string, unknown> = {}) => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: user, to: TEST_PHONE_NUMBER, body, ...extra }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      messageSid: string;
      webhook: { url: string; status: number };
      replies: Array<{ to: string; body: string }>;
    };
  };
  const send = (body: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}/whatsapp/send`, { method: 'POST', body });
  const sentTo = (user: string) => own.client.messages.list({ to: `whatsapp:${user}` });
  const tracked = async (sid: string) =>
    (await callApi(`${own.functions.url}/sms/message?sid=${sid}`)).json as { status: string; errorCode: number | null };
  const advanceHours = async (hours: number) => {
    await fetch(`${own.sandbox.url}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds: hours * 3600 }),
    });
  };
  const stores = () => createStores(own.client, readSettings({}), Deadline.in(9000));

  describe('POST /whatsapp/incoming', () => {
    it('opens the window, keeps the message with ProfileName and media, and answers with the help text', async () => {
      const user = newUser();
      const result = await fromUser(user, 'hello there', { profileName: 'Ada', mediaUrls: ['https://media.example/receipt.jpg'] });
      expect(result.webhook).toMatchObject({ url: `${own.functions.url}/whatsapp/incoming`, status: 200 });
      expect(result.replies).toEqual([match.objectContaining({ to: `whatsapp:${user}`, body: HELP })]);
      expect(await stores().inbox.get(result.messageSid)).toMatchObject({
        from: `whatsapp:${user}`,
        body: 'hello there',
        profileName: 'Ada',
        media: [{ url: 'https://media.example/receipt.jpg', contentType: 'image/jpeg' }],
      });
      expect(await stores().sessions.current(user)).toMatchObject({ profileName: 'Ada' });
    });

    it.each([
      ['order status', KEYWORDS['order status']],
      ['Order status for A-1042?', KEYWORDS['order status']],
      ['SUPPORT', KEYWORDS.support],
    ])('routes %j by keyword', async (body, reply) => {
      expect((await fromUser(newUser(), body)).replies.map((r) => r.body)).toEqual([reply]);
    });

    // Twilio's keyword handling is for SMS (long codes, toll-free), not WhatsApp: our consent store
    // is what stops WhatsApp sends, and our one confirmation is the only one the phone gets.
    it('handles STOP itself: recorded in the consent store, one confirmation reaches the phone, a later send is 409 and not sent', async () => {
      const user = newUser();
      const stop = await fromUser(user, 'stop');
      expect(stop.replies).toEqual([match.objectContaining({ to: `whatsapp:${user}`, body: match.stringMatching(/unsubscribed/) })]);
      expect(stop.replies[0]).not.toHaveProperty('error');
      expect(await stores().consent.record('whatsapp', user)).toMatchObject({ optedOut: true, source: 'keyword', keyword: 'stop' });
      await own.sandbox.settled();
      const received = await sentTo(user);
      expect(received.map((m) => [m.body, m.status, m.errorCode])).toEqual([[match.stringMatching(/unsubscribed/), 'read', null]]);

      const refused = await send({ to: user, body: 'Sale!' });
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ error: { code: 'opted_out' } });
      expect(await sentTo(user)).toHaveLength(1);

      const start = await fromUser(user, 'START');
      expect(start.replies).toEqual([match.objectContaining({ body: match.stringMatching(/subscribed again/) })]);
      expect(start.replies[0]).not.toHaveProperty('error');
      expect((await send({ to: user, body: 'Welcome back' })).status).toBe(200);
    });
  });

  describe('POST /whatsapp/send', () => {
    it('refuses free-form outside the window with 409 outside_session_window, before paying Twilio', async () => {
      const user = newUser();
      const result = await send({ to: user, body: 'Hi!' });
      expect(result.status).toBe(409);
      expect(result.json).toEqual({ error: { code: 'outside_session_window', message: match.stringMatching(/template/) } });
      expect(await sentTo(user)).toEqual([]);
    });

    it('sends free-form inside the window (path session) and tracks it up to read', async () => {
      const user = newUser();
      await fromUser(user, 'hi');
      const result = await send({ to: `whatsapp:${user}`, body: 'Thanks for writing!', mediaUrl: 'https://media.example/menu.pdf' });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({
        sid: match.stringMatching(/^(SM|MM)[0-9a-f]{32}$/),
        status: 'queued',
        to: `whatsapp:${user}`,
        path: 'session',
      });
      const sid = (result.json as { sid: string }).sid;
      expect(
        await eventually(
          () => tracked(sid),
          (m) => m.status === 'read',
        ),
      ).toMatchObject({ status: 'read' });
    });

    it('sends the approved template outside the window (path template), with its variables rendered', async () => {
      const user = newUser();
      const result = await send({ to: user, body: 'Hi!', contentSid: templateSid, contentVariables: { 1: 'A-1042', 2: 'tomorrow' } });
      expect(result.json).toMatchObject({ path: 'template', to: `whatsapp:${user}` });
      const [message] = await sentTo(user);
      expect(message.body).toBe('Your order A-1042 ships tomorrow.');
    });

    it('closes the window 24 hours after the last inbound message (sandbox clock, Sync item TTL)', async () => {
      const user = newUser();
      await fromUser(user, 'hi');
      expect((await send({ to: user, body: 'Within the window' })).json).toMatchObject({ path: 'session' });
      await advanceHours(25);
      const late = await send({ to: user, body: 'Too late' });
      expect(late.json).toMatchObject({ error: { code: 'outside_session_window' } });
      expect((await send({ to: user, contentSid: templateSid })).json).toMatchObject({ path: 'template' });
    });

    it.each([
      ['two media items', { mediaUrl: ['https://media.example/a.png', 'https://media.example/b.png'] }, 'too_many_media'],
      ['an unsupported media type', { mediaUrl: 'https://media.example/tool.exe' }, 'unsupported_media'],
      ['a body over 1600 characters', { body: 'x'.repeat(1601) }, 'body_too_long'],
      ['a bad contentSid', { contentSid: 'order_update' }, 'invalid_parameter'],
    ])('refuses %s with 400', async (_name, body, code) => {
      const result = await send({ to: newUser(), ...body });
      expect(result.status).toBe(400);
      expect(result.json).toMatchObject({ error: { code } });
    });

    it("retries Twilio's 63018 (sender rate limit) at create with backoff and sends once", async () => {
      const user = newUser();
      const fault = { method: 'POST', pathPattern: '/Messages\\.json$', status: 429, code: 63018, times: 2 };
      await fetch(`${own.sandbox.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      const result = await send({ to: user, contentSid: templateSid });
      expect(result.status).toBe(200);
      expect(await sentTo(user)).toHaveLength(1);
    });

    it.each([
      ['+15005550040', 63018],
      ['+15005550041', 63021],
      ['+15005550042', 63025],
      ['+15005550043', 63038],
      ['+15005550044', 63032],
      ['+15005550045', 63003],
    ])('tracks the WhatsApp failure for %s with ErrorCode %i', async (to, errorCode) => {
      const result = await send({ to, contentSid: templateSid });
      const sid = (result.json as { sid: string }).sid;
      expect(
        await eventually(
          () => tracked(sid),
          (m) => m.status === 'failed',
        ),
      ).toMatchObject({ errorCode });
    });
  });
});
