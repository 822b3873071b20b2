import { createHash } from 'node:crypto';

/** A stable shard in [0, shards) for a key, so a key always lives in the same map. */
export function shardOf(key: string, shards: number): number {
  if (shards <= 1) return 0;
  return createHash('sha1').update(key).digest().readUInt32BE(0) % shards;
}
