import { request } from 'node:http';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER, OWNED_NUMBER, control, startTestSandbox, type TestSandbox } from './helpers';
import { match } from '../support/match';

let env: TestSandbox;

beforeAll(async () => {
  env = await startTestSandbox();
});

afterAll(async () => {
  await env.sandbox.close();
});

/** The control plane's error code in a raw answer body. */
const errorCode = (body: string): string => (JSON.parse(body) as { error: { code: string } }).error.code;

/** A raw request, so tests can set Host and other headers fetch() would not let through. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(path, env.sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the console page', () => {
  it('is served at / with its files, under a strict Content-Security-Policy, never framed', async () => {
    const page = await fetch(`${env.sandbox.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<script src="/console/app.js"');
    for (const file of ['/console/app.js', '/console/style.css']) expect((await fetch(`${env.sandbox.url}${file}`)).status).toBe(200);
    expect((await fetch(`${env.sandbox.url}/console/../index.ts`)).status).toBe(404);
    expect(env.sandbox.consoleUrl).toBe(`${env.sandbox.url}/`);
  });
});

describe('the control plane takes requests from this machine’s own pages only', () => {
  const json = { 'Content-Type': 'application/json' };

  it('accepts JSON POSTs only (a cross-site form or text/plain POST needs no preflight)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await raw('POST', '/_sandbox/clock', { 'Content-Type': type }, '{"advanceSeconds":1}');
      expect([answer.status, errorCode(answer.body)]).toEqual([415, 'unsupported_media_type']);
    }
    expect((await raw('POST', '/_sandbox/clock', {}, '')).status).toBe(415);
    expect(
      (await raw('POST', '/_sandbox/clock', { 'Content-Type': 'application/json; charset=utf-8' }, '{"advanceSeconds":0}')).status,
    ).toBe(200);
  });

  it('refuses another origin, cross-site fetches and foreign Host names; grants no CORS', async () => {
    const own = new URL(env.sandbox.url).host;
    const cross = await raw('POST', '/_sandbox/clock', { ...json, Origin: 'https://evil.example' }, '{}');
    expect([cross.status, errorCode(cross.body)]).toEqual([403, 'cross_origin']);
    expect((await raw('DELETE', '/_sandbox/faults', { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await raw('POST', '/_sandbox/clock', { ...json, Origin: `http://${own}` }, '{}')).status).toBe(200);
    // DNS rebinding: evil.example resolved to 127.0.0.1 still says Host: evil.example.
    const rebound = await raw('GET', '/_sandbox/messages', { Host: `evil.example:${env.sandbox.port}` });
    expect([rebound.status, errorCode(rebound.body)]).toEqual([403, 'forbidden_host']);
    expect((await raw('GET', '/', { Host: `evil.example:${env.sandbox.port}` })).status).toBe(403);
    expect((await raw('GET', '/_sandbox/messages', { Host: `localhost:${env.sandbox.port}` })).status).toBe(200);
    const preflight = await raw('OPTIONS', '/_sandbox/clock', { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const read = await raw('GET', '/_sandbox/messages', { Origin: 'https://evil.example' });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the console’s views', () => {
  it('lists numbers, messages (oldest first, keywords marked) and Sync maps', async () => {
    const [number] = await env.client.incomingPhoneNumbers.list({ phoneNumber: OWNED_NUMBER });
    await env.client.incomingPhoneNumbers(number.sid).update({ smsUrl: 'http://127.0.0.1:9/sms' });
    const numbers = await control<Array<{ phoneNumber: string; smsUrl: string | null; messagingServices: string[] }>>(
      env.sandbox,
      'GET',
      '/numbers',
    );
    expect(numbers.body[0]).toMatchObject({
      phoneNumber: OWNED_NUMBER,
      smsUrl: 'http://127.0.0.1:9/sms',
      messagingServices: [env.sandbox.messagingServiceSid],
    });

    const phone = '+12025550161';
    await control(env.sandbox, 'POST', '/phone/sms', { from: phone, to: OWNED_NUMBER, body: 'Stop' });
    await control(env.sandbox, 'POST', '/phone/sms', { from: phone, to: OWNED_NUMBER, body: 'help' });
    await env.client.messages.create({
      to: '+12025550162',
      from: OWNED_NUMBER,
      body: 'other person',
      mediaUrl: ['https://example.com/a.png'],
    });
    const mine = await control<Array<{ body: string; keyword: string | null; direction: string; channel: string }>>(
      env.sandbox,
      'GET',
      `/messages?phone=${encodeURIComponent(phone)}`,
    );
    expect(mine.body.map((m) => [m.body, m.keyword, m.direction, m.channel])).toEqual([
      ['Stop', 'STOP', 'inbound', 'sms'],
      ['help', 'HELP', 'inbound', 'sms'],
    ]);
    const all = await control<Array<{ media: Array<{ contentType: string }> }>>(env.sandbox, 'GET', '/messages');
    expect(all.body[all.body.length - 1].media).toEqual([
      match.objectContaining({ contentType: 'image/png', url: 'https://example.com/a.png' }),
    ]);
    expect((await control(env.sandbox, 'GET', '/messages?limit=0')).status).toBe(400);

    await env.client.sync.v1.services('default').syncMaps.create({ uniqueName: 'console-map' });
    await env.client.sync.v1
      .services('default')
      .syncMaps('console-map')
      .syncMapItems.create({ key: 'k', data: { a: 1 } });
    const maps = await control<Array<{ uniqueName: string; items: Array<{ key: string; data: unknown }> }>>(
      env.sandbox,
      'GET',
      '/sync/maps',
    );
    expect(maps.body.find((m) => m.uniqueName === 'console-map')?.items).toEqual([
      match.objectContaining({ key: 'k', data: { a: 1 }, revision: '0' }),
    ]);
    await env.sandbox.settled();
  });
});

describe('GET /_sandbox/events (Server-Sent Events)', () => {
  it('streams the topics that changed, coalesced, and notices', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${env.sandbox.url}/_sandbox/events`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}`);
        text += decoder.decode(value);
      }
    };
    try {
      await until(/event: ready/);
      await env.client.messages.create({ to: CUSTOMER, from: OWNED_NUMBER, body: 'live' });
      await until(/data: \{"topics":\[[^\]]*"messages"/);
      // A Conversations API write: the console re-reads its threads.
      expect(text).not.toContain('"conversations"');
      await env.client.conversations.v1.conversations.create({ friendlyName: 'live' });
      await until(/data: \{"topics":\[[^\]]*"conversations"/);
      env.sandbox.notify({ text: 'Functions reloaded', ok: true });
      await until(/"notices":\[\{"text":"Functions reloaded","ok":true\}\]/);
      env.sandbox.clock.advance(1000);
      await until(/"clock"/);
    } finally {
      controller.abort();
      await env.sandbox.settled();
    }
  });
});

// The API on the sandbox's port runs deployed code now (the Serverless API and its containers):
// a page of another site must not reach it, by DNS rebinding or a cross-site form.
describe("the Twilio API on the sandbox's port, against other sites' pages", () => {
  const credentials = () => ({ authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` });

  it('refuses a foreign Host (a rebound DNS name) with 403 20403, for reads and writes alike', async () => {
    const host = `evil.example:${env.sandbox.port}`;
    for (const method of ['GET', 'POST']) {
      const answer = await raw(
        method,
        '/serverless/v1/Services',
        { ...credentials(), host, 'content-type': 'application/x-www-form-urlencoded' },
        method === 'POST' ? 'UniqueName=pwn' : undefined,
      );
      expect([answer.status, JSON.parse(answer.body)]).toEqual([403, match.objectContaining({ code: 20403, status: 403 })]);
    }
    expect((await env.client.serverless.v1.services.list()).map((service) => service.uniqueName)).not.toContain('pwn');
  });

  it('refuses a write from another origin or a cross-site fetch, and takes the same request from twilio-node (no Origin)', async () => {
    const form = { ...credentials(), 'content-type': 'application/x-www-form-urlencoded' };
    const crossOrigin = await raw('POST', '/serverless/v1/Services', { ...form, origin: 'https://evil.example' }, 'UniqueName=pwn');
    expect(crossOrigin.status).toBe(403);
    const crossSite = await raw('POST', '/serverless/v1/Services', { ...form, 'sec-fetch-site': 'cross-site' }, 'UniqueName=pwn');
    expect(crossSite.status).toBe(403);
    const plain = await raw('POST', '/serverless/v1/Services', form, 'UniqueName=fine&FriendlyName=fine');
    expect(plain.status).toBe(201);
  });
});
