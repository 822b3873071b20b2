/**
 * The product's burst tests push about 1,500 webhook-driven operations through the sandbox in a
 * few seconds. This keeps the message and Sync hot paths honest: the second half of a burst must
 * not be much slower than the first (nothing O(n) per request), and the whole burst stays fast.
 */
import { CUSTOMER, startReceiver, startTestSandbox, type Receiver, type TestSandbox } from './helpers';

let env: TestSandbox;
let receiver: Receiver;

beforeAll(async () => {
  env = await startTestSandbox({ syncWriteLimit: false });
  receiver = await startReceiver();
});

afterAll(async () => {
  await env.sandbox.close();
  await receiver.close();
});

async function inBatches(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < total; i += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, total - i) }, (_, j) => op(i + j)));
  }
  return Date.now() - started;
}

it('takes 1,500 message sends and 1,500 Sync read-modify-writes in a few seconds, with flat latency', async () => {
  const service = env.client.sync.v1.services('default');
  await service.syncMaps.create({ uniqueName: 'burst' });
  const items = service.syncMaps('burst').syncMapItems;
  const operation = async (i: number): Promise<void> => {
    const key = `k${i % 300}`;
    await env.client.messages.create({
      to: CUSTOMER,
      messagingServiceSid: env.sandbox.messagingServiceSid,
      body: `burst ${i}`,
      statusCallback: `${receiver.url}/s`,
    });
    try {
      const item = await items(key).fetch();
      await items(key).update({ data: { n: (item.data as { n: number }).n + 1 }, ifMatch: item.revision });
    } catch {
      await items.create({ key, data: { n: 1 } }).catch(() => undefined);
    }
  };
  const first = await inBatches(750, 25, operation);
  const second = await inBatches(750, 25, (i) => operation(750 + i));
  await env.sandbox.settled(30_000);
  expect(receiver.requests.length).toBe(1500 * 4);
  expect(first + second).toBeLessThan(30_000);
  expect(second).toBeLessThan(first * 2 + 500);
}, 60_000);
