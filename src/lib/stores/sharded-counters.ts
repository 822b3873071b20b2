import type { SyncMapStore } from './sync-map-store';

export type Counts = Record<string, number>;

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

  /** Adds each of `counts` to its counter in `bucket`, in one write. */
  async add(bucket: string, counts: Counts): Promise<void> {
    const shard = this.shards[Math.floor(this.random() * this.shards.length)];
    await shard.update(bucket, (current) => {
      const next: Counts = { ...current };
      for (const [name, value] of Object.entries(counts)) next[name] = (next[name] ?? 0) + value;
      return next;
    });
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
