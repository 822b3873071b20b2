import { startSandbox, type Sandbox } from '../../../sandbox';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { updateFrom } from '../../../src/lib/stores/known-write';
import { SyncMapStore } from '../../../src/lib/stores/sync-map-store';
import { createTwilioClient } from '../../../src/lib/twilio/client';

interface Tally {
  n: number;
}

const accountSid = 'AC' + '0'.repeat(32);
const authToken = 'known-write-test-token';
let sandbox: Sandbox;
let store: SyncMapStore<Tally>;
const add = (by: number) => (current: Tally | undefined) => ({ n: (current?.n ?? 0) + by });

beforeAll(async () => {
  sandbox = await startSandbox({ accountSid, authToken });
  const client = createTwilioClient({ accountSid, authToken, sandboxUrl: sandbox.url });
  store = new SyncMapStore<Tally>(client, { service: 'default', name: 'known-write', deadline: Deadline.in(60_000) });
});
afterAll(() => sandbox.close());

test('writes from what was read, and chains on the revision it wrote', async () => {
  const first = await updateFrom(store, 'a', 'absent', add(1));
  expect(first.data).toEqual({ n: 1 });
  const second = await updateFrom(store, 'a', first.known, add(2));
  expect(second.data).toEqual({ n: 3 });
  expect((await store.get('a'))?.data).toEqual({ n: 3 });
});

test('a write someone else made in between is never lost: read again and re-apply', async () => {
  const seen = await store.get('a');
  await store.update('a', add(10));
  const written = await updateFrom(store, 'a', seen ?? 'absent', add(100));
  expect(written).toEqual({ data: { n: 113 }, known: 'unread' });
  // Believed absent, but there: the create fails and the change applies to what is there.
  expect((await updateFrom(store, 'a', 'absent', add(1000))).data).toEqual({ n: 1113 });
});

test('a change that returns undefined writes nothing', async () => {
  const seen = await store.get('a');
  expect(await updateFrom(store, 'a', seen ?? 'absent', () => undefined)).toEqual({ data: { n: 1113 }, known: seen });
});

test('put is a blind write either way round', async () => {
  await store.put('b', { n: 1 });
  await store.put('b', { n: 2 });
  await store.put('c', { n: 3 }, { likely: 'present' });
  await store.put('c', { n: 4 }, { likely: 'present' });
  expect([(await store.get('b'))?.data, (await store.get('c'))?.data]).toEqual([{ n: 2 }, { n: 4 }]);
});
