import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundledScript, removeBundle } from '../support/script-bundle';
import { runCommand } from '../support/run-command';

const TOKEN = 'retention-token-0123456789abcdef';

describe("npm run retention (the campaign CLI's token lookup and bearer request, with its time limit)", () => {
  let bundle: string;
  let server: http.Server;
  let base: string;
  const seen: Array<{ path: string; authorization: string | undefined }> = [];
  beforeAll(async () => {
    bundle = await bundledScript('retention');
    server = http.createServer((request, response) => {
      seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
      // A service that hangs: never answers this one.
      if (request.url === '/hang/retention/run') return;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ deleted: { inbox: 2 }, total: { inbox: 2 }, done: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    removeBundle(bundle);
  });

  const retention = (...args: string[]) => runCommand(process.execPath, [bundle, ...args], { ...process.env, RETENTION_TOKEN: TOKEN });

  it('calls POST /retention/run with the bearer token until done', async () => {
    const run = await retention('--url', base);
    expect(run.output).toContain('Retention done: inbox 2.');
    expect(run.code).toBe(0);
    expect(seen).toContainEqual({ path: '/retention/run', authorization: `Bearer ${TOKEN}` });
  });

  it('gives up on a service that does not answer within --timeout, saying so, instead of waiting forever', async () => {
    const run = await retention('--url', `${base}/hang`, '--timeout', '1');
    expect(run.output).toContain('/retention/run did not answer: timed out');
    expect(run.code).toBe(1);
  });

  it.each(['1.5', '3000000', 'Infinity', '0'])('refuses --timeout %s before any request, naming the range', async (value) => {
    const before = seen.length;
    const run = await retention('--url', base, '--timeout', value);
    expect(run.output).toContain('--timeout takes whole seconds from 1 to 2147483');
    expect(run.code).toBe(1);
    expect(seen).toHaveLength(before);
  });
});
