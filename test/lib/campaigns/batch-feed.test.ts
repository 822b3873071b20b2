import { BatchFeed, type BatchInWork } from '../../../src/lib/campaigns/batch-feed';
import { semaphore } from '../../../src/lib/campaigns/pool';
import type { Outcome, Recipient } from '../../../src/lib/campaigns/store';

const person = (n: number): Recipient => ({ to: `+1206555${String(100 + n).padStart(4, '0')}`, vars: {} });

/** Three stored batches of three; the first recipient of batch 1 already has an outcome. */
function fakeStore() {
  const reads: string[] = [];
  const batches = [0, 1, 2].map((b) => [0, 1, 2].map((i) => person(b * 3 + i)));
  return {
    reads,
    store: {
      batch: (_id: string, _page: number, batch: number) => {
        reads.push(`b${batch}`);
        return Promise.resolve(batches[batch]);
      },
      outcomes: (_id: string, _page: number, batch: number): Promise<Record<string, Outcome>> =>
        Promise.resolve(batch === 1 ? { [person(3).to]: { state: 'sent', sid: 'SM1' } } : {}),
    },
  };
}
const order: Array<[number, number]> = [
  [0, 0],
  [0, 1],
  [0, 2],
];

describe('the batch feed', () => {
  it('hands out each open recipient once, in order, skipping those with outcomes', async () => {
    const { store } = fakeStore();
    const feed = new BatchFeed(store, 'CP1', order, 0, 2, () => undefined);
    const handed: string[] = [];
    for (let taken = await feed.take(); taken; taken = await feed.take()) {
      handed.push(taken.recipient.to);
      feed.settle(taken.batch, taken.recipient.to, { state: 'sent' });
    }
    expect(handed).toEqual([0, 1, 2, 4, 5, 6, 7, 8].map((n) => person(n).to));
  });

  it('serves concurrent takers distinct recipients', async () => {
    const { store } = fakeStore();
    const feed = new BatchFeed(store, 'CP1', order, 0, 3, () => undefined);
    const taken = await Promise.all(Array.from({ length: 10 }, () => feed.take()));
    const handed = taken.flatMap((item) => (item ? [item.recipient.to] : []));
    expect(new Set(handed).size).toBe(8);
    expect(taken.filter((item) => item === undefined)).toHaveLength(2);
  });

  it('settles a batch once, when it is closed and each recipient handed out is finished', async () => {
    const { store } = fakeStore();
    const settled: BatchInWork[] = [];
    const feed = new BatchFeed(store, 'CP1', order, 0, 1, (batch) => settled.push(batch));
    const first = await Promise.all([feed.take(), feed.take(), feed.take()]);
    const fourth = await feed.take(); // moves past batch 0: closed, its three still in work
    expect(settled).toHaveLength(0);
    first.forEach((item) => item && feed.settle(item.batch, item.recipient.to, { state: 'sent' }));
    expect(settled.map((batch) => [batch.index, batch.steps.size])).toEqual([[0, 3]]);
    feed.close(); // the run stops with one of batch 1 in work
    expect(settled).toHaveLength(1);
    if (fourth) feed.settle(fourth.batch, fourth.recipient.to, { state: 'wait', seconds: 2 });
    expect(settled.map((batch) => [batch.index, batch.started])).toEqual([
      [0, 3],
      [1, 1],
    ]);
  });

  it('reads at most `depth` batches ahead of what it hands out', async () => {
    const { store, reads } = fakeStore();
    const feed = new BatchFeed(store, 'CP1', order, 1, 1, () => undefined);
    await feed.take();
    expect(reads).toEqual(['b1', 'b2']);
  });
});

describe('the create limiter', () => {
  it('runs at most `limit` works at once and every work to its end', async () => {
    const limit = semaphore(2);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        limit(async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
