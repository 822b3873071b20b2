import { randomUUID } from 'node:crypto';
import type { SyncMapStore } from './sync-map-store';

export interface Claim {
  at: string;
  /** Unique per claim, so a claim whose answer was lost is told from another made the same millisecond. */
  id: string;
}

/**
 * "Do this once" markers (an hour's alert, a message's Nth re-send): the first claimer wins,
 * decided by Sync's create-if-absent, so two concurrent callbacks cannot both act.
 */
export class ClaimStore {
  constructor(private readonly map: SyncMapStore<Claim>) {}

  claim(key: string, now = new Date()): Promise<boolean> {
    return this.map.createIfAbsent(key, { at: now.toISOString(), id: randomUUID() });
  }

  async isClaimed(key: string): Promise<boolean> {
    return (await this.map.get(key)) !== undefined;
  }

  /** Gives a claim back when the work it guarded could not be done. */
  release(key: string): Promise<void> {
    return this.map.remove(key);
  }
}
