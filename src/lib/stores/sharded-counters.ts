import { knownFrom, updateFrom } from './known-write';
import type { SyncMapStore } from './sync-map-store';

export type Counts = Record<string, number>;

/**
 * What a bucket's item may hold at most, applied to the sum before each write: a caller whose
 * counter names can grow (reasons, hours) folds them so the item stays under Sync's 16 KiB.
 */
export type CountsBound = (counts: Counts) => Counts;

/** A count whose shard was read ahead: `add` writes it (once), through `bound` when given. */
export interface PreparedCount {
  add(counts: Counts, bound?: CountsBound): Promise<void>;
}

const plus =
  (counts: Counts, bound: CountsBound = (sum) => sum) =>
  (current: Counts | undefined): Counts => {
    const next: Counts = { ...current };
    for (const [name, value] of Object.entries(counts)) next[name] = (next[name] ?? 0) + value;
    return bound(next);
  };

/**
 * Named counters per bucket (an hour, a day) that many Function instances increment at once.
 * Every increment of a busy bucket would hit the same Sync item, so each bucket is spread over
 * `shards` single-item maps (Sync's write limit is per map) and summed on read.
 */
export class ShardedCounters {
  constructor(
    private readonly shards: ReadonlyArray<SyncMapStore<Counts>>,
    private readonly random: () => number = Math.random,
  ) {}

  /** Adds one to each of `names` in `bucket`, in one write. */
  increment(bucket: string, ...names: string[]): Promise<void> {
    const counts: Counts = {};
    for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
    return this.add(bucket, counts);
  }

  /**
   * Adds each of `counts` to its counter in `bucket`, in one write (to `shard` when given, else one
   * at random), the sum passed through `bound` when given.
   */
  async add(bucket: string, counts: Counts, { shard, bound }: { shard?: number; bound?: CountsBound } = {}): Promise<void> {
    await (shard === undefined ? this.pickShard() : this.shards[shard % this.shards.length]).update(bucket, plus(counts, bound));
  }

  /**
   * Reads one shard's bucket now, so that a later `add` is a single If-Match write: the read can
   * go side by side with a route's other reads, and the count costs one round trip when it is
   * known. A write that lost a race re-reads and re-applies (see updateFrom).
   */
  async prepare(bucket: string): Promise<PreparedCount> {
    const shard = this.pickShard();
    const known = knownFrom(await shard.get(bucket));
    return { add: async (counts, bound) => void (await updateFrom(shard, bucket, known, plus(counts, bound))) };
  }

  private pickShard(): SyncMapStore<Counts> {
    return this.shards[Math.floor(this.random() * this.shards.length)];
  }

  /**
   * The `count` greatest buckets (by name: days `2026-12-07` sort as time does) summed over all
   * shards, one request per shard however many buckets the maps hold; a bucket no shard has is
   * absent. For counters whose maps hold nothing but their buckets (items with a TTL).
   */
  async latest(count: number): Promise<Map<string, Counts>> {
    const pages = await Promise.all(this.shards.map((shard) => shard.newest(count)));
    const sums = new Map<string, Counts>();
    for (const { key, data } of pages.flat()) {
      const sum = sums.get(key) ?? {};
      for (const [name, value] of Object.entries(data)) sum[name] = (sum[name] ?? 0) + value;
      sums.set(key, sum);
    }
    return sums;
  }

  /** The bucket's counters summed over all shards (absent names are absent, not 0). */
  async read(bucket: string): Promise<Counts> {
    const parts = await Promise.all(this.shards.map((shard) => shard.get(bucket)));
    const sum: Counts = {};
    for (const part of parts) {
      for (const [name, value] of Object.entries(part?.data ?? {})) sum[name] = (sum[name] ?? 0) + value;
    }
    return sum;
  }
}
