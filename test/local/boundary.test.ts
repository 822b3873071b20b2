import { gzipSync } from 'node:zlib';
import { loggedTarget } from '../../local/request-boundary';
import { invokeBuilt } from '../support/built-function';
import { toResult, type HttpResult } from '../support/http';
import { TEST_API_TOKEN, TEST_ORIGIN, stack } from '../support/stack';

const send = async (path: string, init: RequestInit = {}): Promise<HttpResult> =>
  toResult(await fetch(`${stack().functionsUrl}${path}`, init));

const code = (answer: HttpResult) => (answer.json as { error?: { code?: string } } | undefined)?.error?.code;

/** What every refusal must look like: a JSON error, never HTML, never a stack or a path. */
function expectJsonRefusal(answer: HttpResult, status: number, errorCode: string): void {
  expect({ status: answer.status, code: code(answer) }).toEqual({ status, code: errorCode });
  expect(answer.headers.get('content-type')).toMatch(/application\/json/);
  expect(answer.text).not.toMatch(/<html|<pre|\bat \w+ \(|node_modules|\/work\//i);
}

describe('the request boundary (local gateway)', () => {
  describe('a parameter named "request" never replaces the headers (case 1)', () => {
    it.each([
      ['in the query', '/verify/start?request=x', { 'content-type': 'application/json' }, JSON.stringify({ to: '+12025550123' })],
      [
        'as a nested form field',
        '/verify/start',
        { 'content-type': 'application/x-www-form-urlencoded' },
        `to=%2B12025550123&request[headers][origin]=${encodeURIComponent(TEST_ORIGIN)}`,
      ],
      [
        'in a JSON body',
        '/verify/start',
        { 'content-type': 'application/json' },
        JSON.stringify({ to: '+12025550123', request: { headers: { origin: TEST_ORIGIN }, cookies: {} } }),
      ],
    ])('is refused %s with 400 reserved_parameter, whatever the Origin', async (_where, path, headers, body) => {
      expectJsonRefusal(
        await send(path, { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body }),
        400,
        'reserved_parameter',
      );
    });

    it('refuses credentials smuggled into the query, and the log line would show no value', async () => {
      const path = `/sms/stats?request[headers][authorization]=${encodeURIComponent(`Bearer ${TEST_API_TOKEN}`)}`;
      expectJsonRefusal(await send(path), 400, 'reserved_parameter');
      const logged = loggedTarget(new URL(`http://localhost${path}&number=%2B1%20415%20555%200142`));
      expect(logged).toBe('/sms/stats?request[headers][authorization]=…&number=…');
      expect(logged).not.toContain(TEST_API_TOKEN);
    });

    it.each(['__proto__', 'constructor'])('refuses the top-level name %s', async (name) => {
      expectJsonRefusal(await send(`/health?${name}[x]=1`), 400, 'reserved_parameter');
    });
  });

  describe('malformed bodies get a JSON error, never an HTML page with a stack (case 2)', () => {
    const post = (headers: Record<string, string>, body: string | Buffer) => send('/sms/send', { method: 'POST', headers, body });

    it('answers invalid JSON with 400 invalid_json before the token check', async () => {
      expectJsonRefusal(await post({ 'content-type': 'application/json' }, '{"to":'), 400, 'invalid_json');
      expectJsonRefusal(await post({ 'content-type': 'application/json' }, '[1,2]'), 400, 'invalid_json');
    });

    it('refuses a charset other than UTF-8, compressed bodies and unknown media types with 415', async () => {
      expectJsonRefusal(await post({ 'content-type': 'application/json; charset=koi8-r' }, '{}'), 415, 'unsupported_charset');
      expectJsonRefusal(
        await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"to":"x"}')),
        415,
        'unsupported_encoding',
      );
      expectJsonRefusal(
        await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all'),
        415,
        'unsupported_encoding',
      );
      expectJsonRefusal(await post({ 'content-type': 'text/plain' }, 'to=+1'), 415, 'unsupported_media_type');
    });

    it('refuses more than 1,000 form parameters with 413', async () => {
      const body = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
      expectJsonRefusal(await post({ 'content-type': 'application/x-www-form-urlencoded' }, body), 413, 'too_many_parameters');
    });

    it('answers a 7 MB body with 413, not a reset connection', async () => {
      expectJsonRefusal(
        await post({ 'content-type': 'application/json' }, `{"body":"${'x'.repeat(7 * 1024 * 1024)}"}`),
        413,
        'body_too_large',
      );
    });

    it('answers a URL over 16 KB with a JSON 431, not a bare status line', async () => {
      expectJsonRefusal(await send(`/sms/optout?number=${'1'.repeat(20_000)}`), 431, 'headers_too_large');
    });

    it('answers unknown routes and methods with JSON', async () => {
      expectJsonRefusal(await send('/nowhere'), 404, 'not_found');
      expectJsonRefusal(await send('/health', { method: 'DELETE' }), 405, 'method_not_allowed');
    });
  });
});

// No gateway in front: what the route wrapper itself refuses, as a deployed Function would see it.
describe('the route wrapper refuses an event whose "request" is not the runtime\'s (cases 1 and 8)', () => {
  const context = { DOMAIN_NAME: 'comms-1234-dev.twil.io', API_TOKEN: TEST_API_TOKEN };
  it.each([
    ['a string', 'x'],
    ['headers without cookies (extended form syntax)', { headers: { origin: TEST_ORIGIN } }],
    ['a header that is not a string', { headers: { origin: 5 }, cookies: {} }],
    ['an array', [{ headers: {} }]],
  ])('refuses %s with 400 reserved_parameter', async (_name, request) => {
    const answer = await invokeBuilt('sms/stats', context, { request });
    expect({ status: answer.statusCode, body: answer.body }).toEqual({
      status: 400,
      body: { error: { code: 'reserved_parameter', message: '"request" is a reserved parameter name' } },
    });
  });

  it("still serves the runtime's own event", async () => {
    const answer = await invokeBuilt('health', context, { request: { headers: { 'user-agent': ['a', 'b'] }, cookies: { session: 'x' } } });
    expect(answer.statusCode).toBe(200);
    // cookie-parser makes prototype-less dictionaries.
    const cookies = Object.assign(Object.create(null) as Record<string, string>, { session: 'x' });
    expect((await invokeBuilt('health', context, { request: { headers: {}, cookies } })).statusCode).toBe(200);
  });
});

describe('inputs are bounded and checked before work that grows with them', () => {
  const api = (path: string, body?: unknown) =>
    send(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('refuses a 100,000-character SMS body by its length, before counting segments (case 3)', async () => {
    expectJsonRefusal(await api('/sms/send', { to: '+12025550123', body: '😀'.repeat(50_000) }), 400, 'body_too_long');
    expect((await send('/health')).status).toBe(200);
  });

  it.each([
    ['lone surrogates', '\uD800\uDC00\uD800 hello \uDFFF'],
    ['a NUL', 'hello\u0000world'],
    ['other control characters', 'bell\u0007'],
  ])('answers a /voice/call message with %s with 400, not 500 (case 8)', async (_name, message) => {
    expectJsonRefusal(await api('/voice/call', { to: '+12025550123', message }), 400, 'invalid_parameter');
  });

  it("reads README's own example back: a bare + in a query string is a space (case 10)", async () => {
    const answer = await api('/sms/optout?number=+14155550142');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ number: '+14155550142' });
    expect((await api('/consent?number=+1+415+555+0142')).json).toMatchObject({ number: '+14155550142' });
  });
});
