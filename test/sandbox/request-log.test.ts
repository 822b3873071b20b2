import { longestChain, type LoggedRequest } from '../../sandbox';
import { control, startTestSandbox, type TestSandbox } from './helpers';

describe('longestChain', () => {
  const at = (startMs: number, endMs: number) => ({ startMs, endMs });

  it('counts requests sent one after the other', () => {
    expect(longestChain([at(0, 80), at(81, 161), at(162, 242)])).toBe(3);
  });

  it('counts requests sent together once', () => {
    expect(longestChain([at(0, 80), at(1, 81), at(2, 82)])).toBe(1);
  });

  it('follows the longest of several branches, in any order', () => {
    // a ─┬─ b ── d      (a, b, d in a row; c beside b)
    //    └─ c
    expect(longestChain([at(170, 250), at(0, 80), at(82, 162), at(81, 161)])).toBe(3);
    expect(longestChain([])).toBe(0);
  });
});

describe('GET /_sandbox/requests', () => {
  let env: TestSandbox;
  beforeAll(async () => {
    env = await startTestSandbox();
  });
  afterAll(() => env.sandbox.close());

  it('logs each API request with its host, path, status and times, not control requests', async () => {
    const { body: before } = await control<{ lastSeq: number }>(env.sandbox, 'GET', '/requests');
    await env.client.sync.v1.services('default').syncMaps.create({ uniqueName: 'logged' });
    await env.client.sync.v1
      .services('default')
      .syncMaps('missing')
      .fetch()
      .catch(() => undefined);
    const { body } = await control<{ entries: LoggedRequest[]; inFlight: number }>(env.sandbox, 'GET', `/requests?after=${before.lastSeq}`);
    expect(body.inFlight).toBe(0);
    expect(body.entries.map(({ method, host, path, status }) => ({ method, host, path, status }))).toEqual([
      { method: 'POST', host: 'sync', path: '/v1/Services/default/Maps', status: 201 },
      { method: 'GET', host: 'sync', path: '/v1/Services/default/Maps/missing', status: 404 },
    ]);
    for (const entry of body.entries) expect(entry.endMs).toBeGreaterThanOrEqual(entry.startMs);
    expect(body.entries[1].startMs).toBeGreaterThanOrEqual(body.entries[0].endMs);
  });

  it('is cleared by DELETE', async () => {
    await env.client.sync.v1.services('default').fetch();
    const { body } = await control<{ cleared: number }>(env.sandbox, 'DELETE', '/requests');
    expect(body.cleared).toBeGreaterThan(0);
    expect((await control<{ entries: LoggedRequest[] }>(env.sandbox, 'GET', '/requests')).body.entries).toEqual([]);
  });
});
