import type { SyncWriteStatsSnapshot } from '../../sandbox';
import { ACCOUNT_SID, AUTH_TOKEN, control, restError, startTestSandbox, type TestSandbox } from './helpers';

let env: TestSandbox;
const svc = () => env.client.sync.v1.services('default');

beforeAll(async () => {
  env = await startTestSandbox({ syncWriteLimit: { perSecond: 1, burstSeconds: 5 } });
});

afterAll(async () => {
  await env.sandbox.close();
});

describe('Sync services', () => {
  it('resolves the default alias to a seeded IS service and lists and creates services', async () => {
    const fetched = await svc().fetch();
    expect(fetched.sid).toMatch(/^IS[0-9a-f]{32}$/);
    const created = await env.client.sync.v1.services.create({ friendlyName: 'second' });
    const all = await env.client.sync.v1.services.list();
    expect(all.map((s) => s.sid)).toEqual([fetched.sid, created.sid]);
    expect((await env.client.sync.v1.services(created.sid).fetch()).friendlyName).toBe('second');
  });

  it('answers 404 / 54050 for an unknown service', async () => {
    const error = await restError(env.client.sync.v1.services(`IS${'9'.repeat(32)}`).fetch());
    expect([error.status, error.code]).toEqual([404, 54050]);
  });
});

describe('Sync maps', () => {
  it('creates, fetches by SID and unique name, lists and deletes maps', async () => {
    const map = await svc().syncMaps.create({ uniqueName: 'crud-map' });
    expect(map.sid).toMatch(/^MP[0-9a-f]{32}$/);
    expect(map.revision).toBe('0');
    expect(map.createdBy).toBe('system');
    expect(map.dateExpires).toBeNull();
    expect((await svc().syncMaps('crud-map').fetch()).sid).toBe(map.sid);
    expect((await svc().syncMaps(map.sid).fetch()).uniqueName).toBe('crud-map');
    expect((await svc().syncMaps.list()).map((m) => m.sid)).toContain(map.sid);
    expect(await svc().syncMaps(map.sid).remove()).toBe(true);
    const error = await restError(svc().syncMaps('crud-map').fetch());
    expect([error.status, error.code]).toEqual([404, 54200]);
  });

  it('rejects a duplicate unique name with 409 / 54301', async () => {
    await svc().syncMaps.create({ uniqueName: 'dup-map' });
    const error = await restError(svc().syncMaps.create({ uniqueName: 'dup-map' }));
    expect([error.status, error.code]).toEqual([409, 54301]);
  });
});

describe('Sync map items', () => {
  it('creates, fetches, updates with If-Match, and deletes an item', async () => {
    await svc().syncMaps.create({ uniqueName: 'items-crud' });
    const items = svc().syncMaps('items-crud').syncMapItems;
    const created = await items.create({ key: 'alice', data: { n: 1 } });
    expect(created.revision).toBe('0');
    expect(created.data).toEqual({ n: 1 });
    expect((await svc().syncMaps('items-crud').syncMapItems('alice').fetch()).data).toEqual({ n: 1 });

    const updated = await svc()
      .syncMaps('items-crud')
      .syncMapItems('alice')
      .update({ data: { n: 2 }, ifMatch: created.revision });
    expect(updated.revision).toBe('1');
    expect(updated.data).toEqual({ n: 2 });

    const stale = await restError(
      svc()
        .syncMaps('items-crud')
        .syncMapItems('alice')
        .update({ data: { n: 3 }, ifMatch: '0' }),
    );
    expect([stale.status, stale.code]).toEqual([412, 54205]);
    const staleDelete = await restError(svc().syncMaps('items-crud').syncMapItems('alice').remove({ ifMatch: '0' }));
    expect([staleDelete.status, staleDelete.code]).toEqual([412, 54205]);

    expect(await svc().syncMaps('items-crud').syncMapItems('alice').remove({ ifMatch: '1' })).toBe(true);
    const gone = await restError(svc().syncMaps('items-crud').syncMapItems('alice').fetch());
    expect([gone.status, gone.code]).toEqual([404, 54201]);
  });

  it('sends the item revision as ETag on create, fetch and update, and takes it back as If-Match', async () => {
    // "When using REST … this is the ETag header provided in responses" (https://www.twilio.com/docs/api/errors/54205).
    await svc().syncMaps.create({ uniqueName: 'etag-map' });
    const url = `${env.sandbox.url}/sync/v1/Services/default/Maps/etag-map/Items`;
    const auth = { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` };
    const form = { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' };
    const created = await fetch(url, { method: 'POST', headers: form, body: new URLSearchParams({ Key: 'k', Data: '{"n":1}' }) });
    expect([created.status, created.headers.get('etag')]).toEqual([201, '0']);
    const fetched = await fetch(`${url}/k`, { headers: auth });
    expect(fetched.headers.get('etag')).toBe(((await fetched.json()) as { revision: string }).revision);
    const updated = await fetch(`${url}/k`, {
      method: 'POST',
      headers: { ...form, 'If-Match': fetched.headers.get('etag') as string },
      body: new URLSearchParams({ Data: '{"n":2}' }),
    });
    expect([updated.status, updated.headers.get('etag')]).toEqual([200, '1']);
    const stale = await fetch(`${url}/k`, {
      method: 'POST',
      headers: { ...form, 'If-Match': '"0"' },
      body: new URLSearchParams({ Data: '{"n":3}' }),
    });
    expect([stale.status, ((await stale.json()) as { code: number }).code]).toEqual([412, 54205]);
  });

  it('answers each Sync error with Twilio’s code and status', async () => {
    await svc().syncMaps.create({ uniqueName: 'items-errors' });
    const items = svc().syncMaps('items-errors').syncMapItems;
    await items.create({ key: 'k', data: {} });
    const exists = await restError(items.create({ key: 'k', data: {} }));
    expect([exists.status, exists.code]).toEqual([409, 54208]);
    const tooLarge = await restError(items.create({ key: 'big', data: { blob: 'x'.repeat(16 * 1024) } }));
    expect([tooLarge.status, tooLarge.code]).toEqual([413, 54006]);
    const noMap = await restError(svc().syncMaps('no-such-map').syncMapItems.create({ key: 'k', data: {} }));
    expect([noMap.status, noMap.code]).toEqual([404, 54200]);
    const nothing = await restError(svc().syncMaps('items-errors').syncMapItems('k').update({}));
    expect([nothing.status, nothing.code]).toEqual([400, 54010]);
  });

  it('lists items in key order with paging, Order, From and Bounds', async () => {
    await svc().syncMaps.create({ uniqueName: 'items-list' });
    const items = svc().syncMaps('items-list').syncMapItems;
    const keys = ['e', 'a', 'd', 'b', 'c'];
    const limited = await startTestSandbox({ syncWriteLimit: false });
    try {
      const lsvc = limited.client.sync.v1.services('default');
      await lsvc.syncMaps.create({ uniqueName: 'list' });
      for (const key of keys) await lsvc.syncMaps('list').syncMapItems.create({ key, data: { key } });
      const asc = await lsvc.syncMaps('list').syncMapItems.list({ pageSize: 2 });
      expect(asc.map((i) => i.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
      const desc = await lsvc.syncMaps('list').syncMapItems.list({ order: 'desc', pageSize: 2 });
      expect(desc.map((i) => i.key)).toEqual(['e', 'd', 'c', 'b', 'a']);
      const fromC = await lsvc.syncMaps('list').syncMapItems.list({ from: 'c', pageSize: 2 });
      expect(fromC.map((i) => i.key)).toEqual(['c', 'd', 'e']);
      const afterC = await lsvc.syncMaps('list').syncMapItems.list({ from: 'c', bounds: 'exclusive' });
      expect(afterC.map((i) => i.key)).toEqual(['d', 'e']);
      const page = await lsvc.syncMaps('list').syncMapItems.page({ pageSize: 2 });
      expect(page.nextPageUrl).toMatch(
        /^https:\/\/sync\.twilio\.com\/v1\/Services\/IS[0-9a-f]{32}\/Maps\/MP[0-9a-f]{32}\/Items\?PageSize=2&Page=1&PageToken=PA/,
      );
    } finally {
      await limited.sandbox.close();
    }
    expect(await items.list()).toEqual([]);
  });

  it('expires items and maps after their TTL on the sandbox clock', async () => {
    await svc().syncMaps.create({ uniqueName: 'ttl-map', ttl: 3600 });
    const items = svc().syncMaps('ttl-map').syncMapItems;
    const item = await items.create({ key: 'short', data: {}, itemTtl: 60 });
    await items.create({ key: 'forever', data: {} });
    expect(item.dateExpires).not.toBeNull();

    env.sandbox.clock.advance(59_000);
    expect((await svc().syncMaps('ttl-map').syncMapItems('short').fetch()).key).toBe('short');
    env.sandbox.clock.advance(1_000);
    const expired = await restError(svc().syncMaps('ttl-map').syncMapItems('short').fetch());
    expect([expired.status, expired.code]).toEqual([404, 54201]);
    expect((await items.list()).map((i) => i.key)).toEqual(['forever']);

    env.sandbox.clock.advance(3_600_000);
    const mapGone = await restError(svc().syncMaps('ttl-map').fetch());
    expect([mapGone.status, mapGone.code]).toEqual([404, 54200]);
  });

  it('limits writes per map with a token bucket (429 / 54009) that refills with time', async () => {
    // perSecond 1, burstSeconds 5: the map create takes 1 of 5 tokens.
    await svc().syncMaps.create({ uniqueName: 'hot-map' });
    const items = svc().syncMaps('hot-map').syncMapItems;
    for (let i = 0; i < 4; i += 1) await items.create({ key: `k${i}`, data: {} });
    const limited = await restError(items.create({ key: 'over', data: {} }));
    expect([limited.status, limited.code]).toEqual([429, 54009]);

    // Another map has its own bucket.
    await svc().syncMaps.create({ uniqueName: 'cool-map' });
    await expect(svc().syncMaps('cool-map').syncMapItems.create({ key: 'k', data: {} })).resolves.toBeDefined();

    env.sandbox.clock.advance(1_000);
    await items.create({ key: 'after-refill', data: {} });
    expect((await restError(items.create({ key: 'again', data: {} }))).code).toBe(54009);

    env.sandbox.clock.advance(10_000);
    for (let i = 0; i < 5; i += 1)
      await svc()
        .syncMaps('hot-map')
        .syncMapItems(`k${i % 4}`)
        .update({ data: { i } });
    expect((await restError(svc().syncMaps('hot-map').syncMapItems('k0').update({ data: {} }))).code).toBe(54009);
  });
});

describe('GET /_sandbox/sync/stats', () => {
  it('counts accepted and rejected (54009) writes, in total and per map unique name', async () => {
    // The burst test above: hot-map took 11 writes and was refused 3 times; cool-map took 2.
    const stats = await control<SyncWriteStatsSnapshot>(env.sandbox, 'GET', '/sync/stats');
    expect(stats.body.perMap['hot-map']).toEqual({ writes: 11, rejected: 3 });
    expect(stats.body.perMap['cool-map']).toEqual({ writes: 2, rejected: 0 });
    const perMap = Object.values(stats.body.perMap);
    expect(stats.body.writes).toBe(perMap.reduce((n, c) => n + c.writes, 0));
    expect(stats.body.rejected).toBe(perMap.reduce((n, c) => n + c.rejected, 0));

    const reset = await control<SyncWriteStatsSnapshot>(env.sandbox, 'DELETE', '/sync/stats');
    expect(reset.body).toEqual({ writes: 0, rejected: 0, perMap: {} });
    const anonymous = await svc().syncMaps.create({});
    await svc().syncMaps(anonymous.sid).syncMapItems.create({ key: 'k', data: {} });
    await restError(svc().syncMaps(anonymous.sid).syncMapItems.create({ key: 'k', data: {} })); // 409: not a write
    expect((await control<SyncWriteStatsSnapshot>(env.sandbox, 'GET', '/sync/stats')).body).toEqual({
      writes: 2,
      rejected: 0,
      perMap: { [anonymous.sid]: { writes: 2, rejected: 0 } },
    });
  });

  it('still counts writes when the limit is off', async () => {
    const unlimited = await startTestSandbox({ syncWriteLimit: false });
    try {
      const service = unlimited.client.sync.v1.services('default');
      await service.syncMaps.create({ uniqueName: 'free' });
      await Promise.all(Array.from({ length: 300 }, (_, i) => service.syncMaps('free').syncMapItems.create({ key: `k${i}`, data: { i } })));
      const stats = await control<SyncWriteStatsSnapshot>(unlimited.sandbox, 'GET', '/sync/stats');
      expect(stats.body).toEqual({ writes: 301, rejected: 0, perMap: { free: { writes: 301, rejected: 0 } } });
    } finally {
      await unlimited.sandbox.close();
    }
  });
});
