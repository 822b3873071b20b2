import { startTestSandbox, type TestSandbox } from './helpers';
import { lastRequestSeq } from '../support/sandbox-requests';

let test: TestSandbox;
beforeAll(async () => {
  // A write limit of 2 writes a map: the seeding must not count against it, the API's writes must.
  test = await startTestSandbox({ syncWriteLimit: { perSecond: 1, burstSeconds: 2 } });
});
afterAll(() => test.sandbox.close());

const seed = (body: unknown) =>
  fetch(`${test.sandbox.url}/_sandbox/sync/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const lastSeq = () => lastRequestSeq(test.sandbox.url);

describe('POST /_sandbox/sync/items: a store’s worth of Map Items at once, for tests', () => {
  it('writes the items (making the map), readable through the Sync API, outside the write limit and the request log', async () => {
    const before = await lastSeq();
    const items = Array.from({ length: 5_000 }, (_, index) => ({ key: `k${String(index).padStart(5, '0')}`, data: { n: index }, ttl: 60 }));
    const answer = await seed({ map: 'seeded', items });
    expect([answer.status, await answer.json()]).toEqual([200, { map: 'seeded', written: 5_000 }]);
    expect(await lastSeq()).toBe(before);
    const map = test.client.sync.v1.services('default').syncMaps('seeded');
    expect((await map.syncMapItems('k04999').fetch()).data).toEqual({ n: 4999 });
    expect((await map.syncMapItems.page({ order: 'desc', pageSize: 2 })).instances.map((item) => item.key)).toEqual(['k04999', 'k04998']);
    // Seeded again: replaced, a revision further.
    expect((await seed({ map: 'seeded', items: [{ key: 'k00000', data: { n: -1 } }] })).status).toBe(200);
    const replaced = await map.syncMapItems('k00000').fetch();
    expect([replaced.data, replaced.revision]).toEqual([{ n: -1 }, '1']);
    // The API's own writes still meet the limit.
    const writes = await Promise.allSettled(
      Array.from({ length: 25 }, (_, index) => map.syncMapItems.create({ key: `api${index}`, data: { index } })),
    );
    expect(writes.some((write) => write.status === 'rejected' && (write.reason as { code?: number }).code === 54009)).toBe(true);
  });

  it('refuses what the API would refuse, and more than 10,000 items', async () => {
    const status = async (body: unknown) => (await seed(body)).status;
    expect(await status({ map: 'seeded', items: [{ key: '', data: {} }] })).toBe(400);
    expect(await status({ map: 'seeded', items: [{ key: 'big', data: { text: 'x'.repeat(17_000) } }] })).toBe(413);
    expect(await status({ map: 'seeded', items: [{ key: 'list', data: [1] }] })).toBe(400);
    expect(await status({ map: 'seeded', items: Array.from({ length: 10_001 }, (_, index) => ({ key: `${index}`, data: {} })) })).toBe(400);
    expect(await status({ items: [] })).toBe(400);
  });
});
