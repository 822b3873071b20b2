// The red team's requests against `npm start`'s Functions: each gets a JSON 4xx, the process keeps
// serving, it listens on the Functions' port only, and an unsigned STOP is refused on it.
import net from 'node:net';
import { startLocalFunctions, type LocalFunctions } from '../../local/functions-server';
import { callApi } from '../support/http';
import { match } from '../support/match';
import { listeningPorts } from '../support/listening-sockets';
import { functionsEnv, stack } from '../support/stack';

/** Sends raw bytes, returns everything the server wrote before closing (or after a quiet moment once it answered). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      // One whole answer (headers and a JSON body with its length) is enough.
      const [head, body = ''] = received.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head);
      if (length && Buffer.byteLength(body, 'latin1') >= Number(length[1])) socket.end();
    });
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.write(bytes, 'latin1');
  });
}

function parseAnswer(raw: string): { status: number; json: unknown } {
  const [head, body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), json: JSON.parse(body) as unknown };
}

describe('the local Functions under attack', () => {
  let functions: LocalFunctions;
  let portsBefore: number[];

  beforeAll(async () => {
    portsBefore = listeningPorts();
    functions = await startLocalFunctions({ port: 0, env: functionsEnv(stack().sandbox) });
  });
  afterAll(() => functions.close());

  const health = async () => (await fetch(`${functions.url}/health`)).status;

  it('listens on exactly one port, its own: no upstream runtime port', () => {
    const added = listeningPorts().filter((port) => !portsBefore.includes(port));
    expect(added).toEqual([functions.port]);
  });

  it.each([
    ['a bad Host', () => `GET /health HTTP/1.1\r\nHost: bad host!\r\n\r\n`, 400, 'invalid_host'],
    ['no Host', () => `GET /health HTTP/1.0\r\n\r\n`, 400, 'invalid_host'],
    ['a Host for another site', (port: number) => `GET /health HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`, 400, 'unknown_host'],
    ['a Host with another port', (port: number) => `GET /health HTTP/1.1\r\nHost: localhost:${port + 1}\r\n\r\n`, 400, 'unknown_host'],
    ['an absolute request-target', (port: number) => `GET http://x/ HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`, 400, 'invalid_url'],
    ['an asterisk request-target', (port: number) => `OPTIONS * HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`, 400, 'invalid_url'],
    ['a malformed URL', (port: number) => `GET //evil.example/x HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`, 400, 'invalid_url'],
    ['CONNECT', () => `CONNECT api.twilio.com:443 HTTP/1.1\r\nHost: api.twilio.com:443\r\n\r\n`, 405, 'method_not_allowed'],
    ['PUT', (port: number) => `PUT /health HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Length: 0\r\n\r\n`, 405, 'method_not_allowed'],
    [
      'a huge URL',
      (port: number) => `GET /health?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
    ['garbage bytes', () => '\x00\x01\x02 not http at all\r\n\r\n', 400, 'malformed_request'],
  ])('answers %s with a JSON 4xx and keeps serving', async (_name, request, status, code) => {
    const answer = parseAnswer(await rawExchange(functions.port, request(functions.port)));
    expect(answer).toEqual({ status, json: { error: { code, message: match.any(String) } } });
    expect(await health()).toBe(200);
  });

  it('refuses an unsigned STOP (403), so no opt-out is recorded', async () => {
    const phone = '+14155550177';
    const stop = await fetch(`${functions.url}/sms/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: phone, To: '+15005550006', Body: 'STOP', MessageSid: 'SM' + '1'.repeat(32) }).toString(),
    });
    expect(stop.status).toBe(403);
    const optout = await callApi(`${functions.url}/sms/optout?number=${encodeURIComponent(phone)}`);
    expect(optout.json).toEqual({ number: phone, optedOut: false });
  });
});
