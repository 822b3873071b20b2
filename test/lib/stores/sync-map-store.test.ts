// SyncMapStore against a sandbox of its own whose faults make Sync falter: transient failures are
// retried, and a write whose answer was lost (carried out, then answered 500) is never applied twice.
import { startSandbox, type Sandbox } from '../../../sandbox';
import { Deadline } from '../../../src/lib/runtime/deadline';
import { SyncMapStore } from '../../../src/lib/stores/sync-map-store';
import { createTwilioClient } from '../../../src/lib/twilio/client';
import type { TwilioClient } from '../../../src/lib/twilio/sdk';
import { addFault, clearFaults, listFaults, syncItems, type FaultRequest } from '../../support/faults';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../../support/stack';

let sandbox: Sandbox;
let client: TwilioClient;

beforeAll(async () => {
  sandbox = await startSandbox({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN });
  client = createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, sandboxUrl: sandbox.url });
});
afterAll(() => sandbox.close());
afterEach(() => clearFaults(sandbox.url));

let maps = 0;
const freshStore = () =>
  new SyncMapStore<{ n: number }>(client, { service: 'default', name: `faltering-${++maps}`, deadline: Deadline.in(9_000) });

const fault = (request: FaultRequest) => addFault(sandbox.url, request);
const activeFaults = async (): Promise<number> => (await listFaults(sandbox.url)).length;

const ITEMS = syncItems();
const increment = (current: { n: number } | undefined) => ({ n: (current?.n ?? 0) + 1 });

describe('SyncMapStore when Sync falters', () => {
  it('retries reads through 500s and 503s', async () => {
    const store = freshStore();
    await store.put('k', { n: 7 });
    await fault({ method: 'GET', pathPattern: ITEMS, status: 500, code: 20500, times: 2 });
    await fault({ method: 'GET', pathPattern: ITEMS, status: 503, code: 20503, times: 1 });
    expect((await store.get('k'))?.data).toEqual({ n: 7 });
    expect(await activeFaults()).toBe(0); // all three were spent
  });

  it('applies an update once when the write failed before Sync carried it out', async () => {
    const store = freshStore();
    await store.put('k', { n: 1 });
    await fault({ method: 'POST', pathPattern: ITEMS, status: 500, code: 20500, times: 3 });
    expect(await store.update('k', increment)).toEqual({ n: 2 });
    expect((await store.get('k'))?.data).toEqual({ n: 2 });
  });

  it('applies an update once when Sync carried it out but the answer was lost', async () => {
    const store = freshStore();
    await store.put('k', { n: 1 });
    await fault({ method: 'POST', pathPattern: ITEMS, status: 500, code: 20500, times: 1, carriedOut: true });
    expect(await store.update('k', increment)).toEqual({ n: 2 });
    expect((await store.get('k'))?.data).toEqual({ n: 2 });
  });

  it('creates once when the create was carried out but its answer lost', async () => {
    const store = freshStore();
    await fault({ method: 'POST', pathPattern: '/Maps/[^/]+/Items$', status: 502, code: 20500, times: 1, carriedOut: true });
    expect(await store.update('fresh', increment)).toEqual({ n: 1 });
    expect((await store.get('fresh'))?.data).toEqual({ n: 1 });
  });

  it('keeps a claim it made even when the answer to its create was lost, and refuses a second claimant', async () => {
    const store = freshStore();
    await fault({ method: 'POST', pathPattern: '/Maps/[^/]+/Items$', status: 500, code: 20500, times: 1, carriedOut: true });
    expect(await store.createIfAbsent('claim', { n: 1 })).toBe(true);
    expect(await store.createIfAbsent('claim', { n: 2 })).toBe(false);
  });

  it('retries a connection that Twilio reset (an axios ECONNRESET) on a read', async () => {
    const store = freshStore();
    await store.put('k', { n: 3 });
    let resets = 2;
    const original = client.request.bind(client);
    const spy = jest.spyOn(client, 'request').mockImplementation((options) => {
      if (resets > 0 && options.method?.toLowerCase() === 'get') {
        resets -= 1;
        return Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      }
      return original(options);
    });
    try {
      expect((await store.get('k'))?.data).toEqual({ n: 3 });
      expect(resets).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('gives up at the deadline, throwing the last error, when Sync keeps failing', async () => {
    const store = new SyncMapStore<{ n: number }>(client, {
      service: 'default',
      name: `faltering-${++maps}`,
      deadline: Deadline.in(1_200),
    });
    await fault({ pathPattern: '/sync/', status: 503, code: 20503, rate: 1 });
    await expect(store.update('k', increment)).rejects.toMatchObject({ status: 503 });
  });
});
