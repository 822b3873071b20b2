import { callApi, type HttpResult } from '../support/http';
import { startOwnStack, type OwnStack } from '../support/own-stack';
import { TEST_PHONE_NUMBER } from '../support/stack';
import { eventually } from '../support/wait';
import { match } from '../support/match';

// Issue 11: a typo in an optional setting once made every route answer 500, STOP included.
// Here four optional settings are broken at once; each turns off only what depends on it.
const BROKEN = {
  WHATSAPP_KEYWORDS: '{bad',
  MAX_SEGMENTS: 'ten',
  VERIFY_CHANNELS: 'sms,pigeon',
  FORWARD_TO: '2065550190',
};

describe('broken optional settings disable only what depends on them', () => {
  let own: OwnStack;
  beforeAll(async () => {
    own = await startOwnStack({ ...BROKEN, OPT_OUT_REPLIES: 'ours' });
  });
  afterAll(() => own.close());

  let line = 100;
  const person = () => `+1312555${String(line++).padStart(4, '0')}`;
  const phone = async (channel: 'sms' | 'whatsapp', from: string, body: string) => {
    const response = await fetch(`${own.sandbox.url}/_sandbox/phone/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: TEST_PHONE_NUMBER, body }),
    });
    if (!response.ok) throw new Error(`sandbox phone: ${response.status} ${await response.text()}`);
    return (await response.json()) as { webhook: { status: number }; replies: Array<{ body: string }> };
  };
  const api = (path: string, body?: Record<string, unknown>): Promise<HttpResult> =>
    callApi(`${own.functions.url}${path}`, body ? { method: 'POST', body } : {});
  const consent = async (number: string) =>
    ((await api(`/consent?number=${encodeURIComponent(number)}`)).json as { channels: Record<string, { optedOut: boolean }> }).channels;

  it('/health answers 200 degraded with the names of the broken settings, never their values', async () => {
    const health = await callApi(`${own.functions.url}/health`, { token: null });
    expect({ status: health.status, json: health.json }).toEqual({
      status: 200,
      json: {
        status: 'degraded',
        version: match.any(String),
        sandbox: true,
        paused: false,
        brokenSettings: ['MAX_SEGMENTS', 'FORWARD_TO', 'VERIFY_CHANNELS', 'WHATSAPP_KEYWORDS'],
      },
    });
    for (const value of Object.values(BROKEN)) expect(health.text).not.toContain(value);
  });

  it('SMS STOP and START still work (WHATSAPP_KEYWORDS broken does not touch them), with our replies', async () => {
    const from = person();
    const stop = await phone('sms', from, 'STOP');
    expect(stop.webhook.status).toBe(200);
    expect(stop.replies.map((reply) => reply.body)).toEqual([match.stringMatching(/unsubscribed/)]);
    expect(await consent(from)).toMatchObject({ sms: { optedOut: true } });
    expect((await phone('sms', from, 'START')).webhook.status).toBe(200);
    expect(await consent(from)).toMatchObject({ sms: { optedOut: false } });
  });

  it('WhatsApp STOP still works; other WhatsApp messages get the help text, since no keyword is routed', async () => {
    const from = person();
    const hello = await phone('whatsapp', from, '{bad');
    expect(hello.webhook.status).toBe(200);
    expect(hello.replies.map((reply) => reply.body)).toEqual([match.stringMatching(/Reply "support"/)]);
    expect((await phone('whatsapp', from, 'STOP')).webhook.status).toBe(200);
    expect(await consent(from)).toMatchObject({ whatsapp: { optedOut: true }, sms: { optedOut: false } });
  });

  it('a broken FORWARD_TO forwards nothing, and the inbound message is still answered', async () => {
    const from = person();
    const result = await phone('sms', from, 'HELP');
    expect(result.webhook.status).toBe(200);
    expect(await own.client.messages.list({ to: '+12065550190' })).toEqual([]);
  });

  it('/sms/send depends on MAX_SEGMENTS: 503 not_configured naming it, nothing sent', async () => {
    const to = person();
    const result = await api('/sms/send', { to, body: 'Your order shipped' });
    expect({ status: result.status, json: result.json }).toEqual({
      status: 503,
      json: {
        error: { code: 'not_configured', message: match.stringContaining('MAX_SEGMENTS is not valid'), settings: ['MAX_SEGMENTS'] },
      },
    });
    expect(await own.client.messages.list({ to })).toEqual([]);
  });

  it('/verify/start depends on VERIFY_CHANNELS: 503 naming it', async () => {
    const result = await api('/verify/start', { to: person() });
    expect(result.status).toBe(503);
    expect(result.json).toMatchObject({ error: { code: 'not_configured', settings: ['VERIFY_CHANNELS'] } });
  });

  it('routes that depend on none of them still work: /whatsapp/send in the window, tracked by its status callbacks', async () => {
    const to = person();
    await phone('whatsapp', to, 'hi');
    const sent = await api('/whatsapp/send', { to, body: 'Thanks for writing!' });
    expect(sent.status).toBe(200);
    const sid = (sent.json as { sid: string }).sid;
    const tracked = await eventually(
      async () => (await api(`/sms/message?sid=${sid}`)).json as { status: string },
      (message) => message.status === 'read',
    );
    expect(tracked.status).toBe('read');
  });
});
