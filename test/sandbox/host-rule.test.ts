import { readFile } from 'node:fs/promises';
import { ACCOUNT_SID, AUTH_TOKEN, startTestSandbox, type TestSandbox } from './helpers';
import { basicAuth, openTunnel, rawExchange, removeDir, requestOverTls, startTls, statusOf, tempCaDir } from './proxy/helpers';

// Every route the sandbox serves on its one port refuses a foreign Host (a page whose DNS name was
// rebound to 127.0.0.1 still sends its own name), and a foreign Origin where it changes state.
let env: TestSandbox;
let caDir: string;
let port: number;
const auth = basicAuth(ACCOUNT_SID, AUTH_TOKEN);
const messagesPath = `/api/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

beforeAll(async () => {
  caDir = await tempCaDir();
  env = await startTestSandbox({ proxy: { caDir } });
  port = env.sandbox.port;
});
afterAll(async () => {
  await env.sandbox.close();
  await removeDir(caDir);
});

/** One raw HTTP/1.1 request (headers as given, Connection: close); the whole answer. */
const send = (method: string, target: string, headers: Record<string, string>, body = ''): Promise<string> =>
  rawExchange(
    port,
    `${method} ${target} HTTP/1.1\r\n${Object.entries({
      ...headers,
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n')}\r\n\r\n${body}`,
  );

const own = () => `127.0.0.1:${port}`;
const rebound = () => `evil.example:${port}`;

const ROUTES: Array<[string, string, string, Record<string, string>, string]> = [
  ['the console page', 'GET', '/', {}, ''],
  ['a console file', 'GET', '/console/app.js', {}, ''],
  ['the event stream', 'GET', '/_sandbox/events', {}, ''],
  ['a control read', 'GET', '/_sandbox/messages', {}, ''],
  ['a control write', 'POST', '/_sandbox/clock/advance', { 'Content-Type': 'application/json' }, '{"ms":1}'],
  ['a Twilio API read', 'GET', messagesPath, { Authorization: auth }, ''],
  [
    'a Twilio API write',
    'POST',
    messagesPath,
    { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
    'To=%2B12025550123&From=%2B14155550142&Body=hi',
  ],
  ['an unknown path', 'GET', '/nothing/here', {}, ''],
  ['a console path with a method it does not take', 'POST', '/', { 'Content-Type': 'application/json' }, '{}'],
];

describe("the sandbox's Host rule, on every route of its port", () => {
  it.each(ROUTES)('%s: refused with 403 under a foreign Host', async (_name, method, target, headers, body) => {
    const answer = await send(method, target, { Host: rebound(), ...headers }, body);
    expect(statusOf(answer)).toBe(403);
    expect(answer).toMatch(/answers only to its own address/);
  });

  it.each(ROUTES.filter(([, method]) => method === 'POST'))(
    '%s: refused with 403 from a foreign Origin, under its own Host',
    async (_name, method, target, headers, body) => {
      const answer = await send(method, target, { Host: own(), Origin: 'http://evil.example', ...headers }, body);
      expect(statusOf(answer)).toBe(403);
    },
  );

  it('serves the same requests under its own Host', async () => {
    expect(statusOf(await send('GET', '/', { Host: own() }))).toBe(200);
    expect(statusOf(await send('GET', '/_sandbox/messages', { Host: `localhost:${port}` }))).toBe(200);
    expect(statusOf(await send('GET', messagesPath, { Host: own(), Authorization: auth }))).toBe(200);
  });

  // A Host naming the proxy itself (a loopback name: what node's own http.request sends) is a proxy client's too.
  it('the proxy: a CONNECT whose Host is neither its target nor this machine, or with an Origin, is refused with 403 and opens no tunnel', async () => {
    const connect = (headers: string) => rawExchange(port, `CONNECT api.twilio.com:443 HTTP/1.1\r\n${headers}\r\n\r\n`);
    expect(statusOf(await connect(`Host: ${rebound()}`))).toBe(403);
    expect(statusOf(await connect('Host: api.twilio.com:443\r\nOrigin: http://evil.example'))).toBe(403);
    const { status, socket } = await openTunnel(port, 'api.twilio.com:443');
    expect(status).toBe(200);
    socket.destroy();
  });

  it('inside a tunnel (the API and the edge of deployed sites): a Host other than the tunnel target is refused', async () => {
    const ca = await readFile(env.sandbox.caPath ?? '', 'utf8');
    const { socket } = await openTunnel(port, 'api.twilio.com:443');
    const tls = await startTls(socket, { ca, servername: 'api.twilio.com' });
    const answer = await requestOverTls(
      tls,
      `GET /2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json HTTP/1.1\r\nHost: ${rebound()}\r\nAuthorization: ${auth}`,
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toMatch(/The Host header must be api\.twilio\.com/);
  });
});
