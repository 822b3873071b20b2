import { readFile } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ACCOUNT_SID, AUTH_TOKEN, startTestSandbox, type TestSandbox } from '../helpers';
import { basicAuth, openTunnel, rawExchange, removeDir, requestOverTls, startTls, statusOf, tempCaDir } from './helpers';

let env: TestSandbox;
let caDir: string;
let ca: string;
/** A listener nothing may reach: the proxy dials nothing, so it must see no connection. */
let bait: Server;
let baitPort: number;
let baitConnections = 0;
/** Watches (and still makes) every TCP connect in this process while the tests run: the proxy runs here too. */
let connectSpy: jest.SpiedFunction<typeof Socket.prototype.connect>;

const messagesPath = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
const auth = basicAuth(ACCOUNT_SID, AUTH_TOKEN);

beforeAll(async () => {
  caDir = await tempCaDir();
  env = await startTestSandbox({ proxy: { caDir } });
  ca = await readFile(env.sandbox.caPath ?? '', 'utf8');
  bait = createServer((socket) => {
    baitConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
  baitPort = (bait.address() as AddressInfo).port;
  connectSpy = jest.spyOn(Socket.prototype, 'connect');
});

afterAll(async () => {
  connectSpy.mockRestore();
  await env.sandbox.close();
  await new Promise<void>((resolve) => bait.close(() => resolve()));
  await removeDir(caDir);
});

beforeEach(() => {
  connectSpy.mockClear();
});

/** The ports connected to: `connect(options)`, `connect(port, …)` or Node's normalized `[options, cb]`. */
function dialledPorts(): number[] {
  return connectSpy.mock.calls.map((args: unknown[]) => {
    const first: unknown = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    return Number(typeof first === 'object' && first !== null ? (first as { port?: unknown }).port : first);
  });
}

afterEach(() => {
  // Nothing but the sandbox's own port was dialled, and the bait saw nobody.
  expect(dialledPorts().filter((port) => port !== env.sandbox.port)).toEqual([]);
  expect(baitConnections).toBe(0);
});

const connectAnswer = (target: string): Promise<string> =>
  rawExchange(env.sandbox.port, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);

describe('CONNECT targets the proxy refuses (and closes), dialling nothing', () => {
  it.each([
    ['example.com:443', 403, /not a Twilio host/],
    ['127.0.0.1:22', 403, /IP address/],
    ['[::1]:443', 403, /IP address/],
    ['api.twilio.com:80', 403, /port 443 only/],
    ['taskrouter.twilio.com:443', 403, /not a Twilio API the sandbox serves/],
    ['my-app-1234-dev.twil.io:443', 403, /no deployment/],
    ['api.twilio.com.evil.example:443', 403, /not a Twilio host/],
    ['api.twilio.com:99999', 400, /not a port/],
    ['api.twilio.com', 400, /host:port/],
    ['user@api.twilio.com:443', 400, /host:port/],
    ['api_twilio.com:443', 400, /not a host name/],
  ])('CONNECT %s → %i', async (target, status, reason) => {
    const answer = await connectAnswer(target);
    expect(statusOf(answer)).toBe(status);
    expect(answer).toMatch(reason);
  });

  it('refuses the bait port on this machine by IP and by name', async () => {
    expect(statusOf(await connectAnswer(`127.0.0.1:${baitPort}`))).toBe(403);
    expect(statusOf(await connectAnswer(`localhost:${baitPort}`))).toBe(403);
  });

  it('refuses a CONNECT target the HTTP parser cannot read', async () => {
    expect(statusOf(await connectAnswer('not a target'))).toBe(400);
  });

  it('refuses a plain proxy request with an absolute URL (Twilio is https only)', async () => {
    const answer = await rawExchange(
      env.sandbox.port,
      `GET http://api.twilio.com${messagesPath} HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: ${auth}\r\n\r\n`,
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('absolute_target_refused');
  });
});

describe('inside an accepted tunnel', () => {
  it('serves the API when SNI and Host name the CONNECT host (the control case)', async () => {
    const { status, socket } = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    expect(status).toBe(200);
    const tls = await startTls(socket, { servername: 'api.twilio.com', ca });
    expect(tls.getPeerCertificate().subjectaltname).toBe('DNS:api.twilio.com');
    const answer = await requestOverTls(tls, `GET ${messagesPath} HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: ${auth}`);
    expect(statusOf(answer)).toBe(200);
    expect(answer).toContain('"messages"');
  });

  it('uses the CONNECT host certificate when the client sends no SNI', async () => {
    const { socket } = await openTunnel(env.sandbox.port, 'sync.twilio.com:443');
    const tls = await startTls(socket, { host: '127.0.0.1', ca, checkServerIdentity: () => undefined });
    expect(tls.getPeerCertificate().subjectaltname).toBe('DNS:sync.twilio.com');
    tls.destroy();
  });

  it('refuses an SNI naming another host than the CONNECT target', async () => {
    const { status, socket } = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    expect(status).toBe(200);
    // Certificate checks off on the client: only the proxy's refusal can fail this handshake.
    await expect(startTls(socket, { servername: 'verify.twilio.com', rejectUnauthorized: false })).rejects.toThrow();
  });

  it('refuses a Host header naming another host than the CONNECT target', async () => {
    const { socket } = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    const tls = await startTls(socket, { servername: 'api.twilio.com', ca });
    const answer = await requestOverTls(tls, `GET ${messagesPath} HTTP/1.1\r\nHost: sync.twilio.com\r\nAuthorization: ${auth}`);
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('The Host header must be api.twilio.com');
  });

  it('refuses an absolute request-target inside the tunnel', async () => {
    const { socket } = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    const tls = await startTls(socket, { servername: 'api.twilio.com', ca });
    const answer = await requestOverTls(
      tls,
      `GET https://example.com${messagesPath} HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: ${auth}`,
    );
    expect(statusOf(answer)).toBe(400);
  });

  it('keeps a path inside its product: dot segments cannot reach the control plane', async () => {
    const { socket } = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    const tls = await startTls(socket, { servername: 'api.twilio.com', ca });
    const answer = await requestOverTls(tls, `GET /../_sandbox/requests HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: ${auth}`);
    expect(statusOf(answer)).toBe(404);
    expect(answer).toContain('"code":20404');
  });
});

describe('garbage', () => {
  it('survives garbage on the port, garbage inside a tunnel and a half-made tunnel, and keeps serving', async () => {
    await rawExchange(env.sandbox.port, Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a]));
    await rawExchange(env.sandbox.port, 'CONNECT api.twilio.com:443 HTTP/1.1\r\n\r\nthis is not a TLS ClientHello\r\n\r\n');
    const { socket } = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    const tls = await startTls(socket, { servername: 'api.twilio.com', ca });
    expect(statusOf(await requestOverTls(tls, 'NOT HTTP AT ALL'))).toBe(400);
    const half = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    half.socket.destroy();

    const listed = await env.client.messages.list({ limit: 1 });
    expect(Array.isArray(listed)).toBe(true);
    const again = await openTunnel(env.sandbox.port, 'api.twilio.com:443');
    const tlsAgain = await startTls(again.socket, { servername: 'api.twilio.com', ca });
    expect(statusOf(await requestOverTls(tlsAgain, `GET ${messagesPath} HTTP/1.1\r\nHost: api.twilio.com\r\nAuthorization: ${auth}`))).toBe(
      200,
    );
  });
});
