import type { SyncMapStore } from './sync-map-store';

/** An answer as it was given: status and JSON body (headers are not kept; none of a kept answer matters). */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * One `Idempotency-Key` of one API token. `in_flight` is a claim with a lease: while the lease
 * runs, the same key waits (409); after it, the claim is reconciled and may be taken over.
 * `done` holds the final answer, replayed for the rest of the item's 24 hours.
 */
export interface IdempotencyRecord {
  /** SHA-256 of the route and its canonical parameters: a key names one request, never two. */
  fingerprint: string;
  state: 'in_flight' | 'done';
  /** A random id of the attempt that holds (or held) the claim, so only it may replace it. */
  attempt: string;
  /** When the claim was made (ms since epoch, our clock). */
  claimedAt: number;
  /** Until when the claim is known to be alive (ms since epoch). */
  leaseUntil: number;
  answer?: StoredAnswer;
}

/** The Sync map layout: writes are two per keyed request (claim, answer), spread over 16 maps. */
export const IDEMPOTENCY_MAP = { name: 'idempotency', shards: 16, itemTtlSeconds: 24 * 3_600 } as const;

/**
 * Idempotency records in Sync, keyed `<token id>:<key hash>` (never the key or the token). The
 * claim is Sync's create-if-absent, so of two concurrent requests exactly one proceeds; every
 * later change is a revision-checked update that only the claim's holder can make.
 */
export class IdempotencyStore {
  constructor(private readonly map: SyncMapStore<IdempotencyRecord>) {}

  /** Claims the key; false when a record already exists. */
  claim(key: string, record: IdempotencyRecord): Promise<boolean> {
    return this.map.createIfAbsent(key, record);
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    return (await this.map.get(key))?.data;
  }

  /**
   * Replaces the in-flight claim of `attempt` with `next` (the answer, or a new attempt's claim).
   * False when the record is no longer that claim: another attempt got there first.
   */
  async replace(key: string, attempt: string, next: IdempotencyRecord): Promise<boolean> {
    const stored = await this.map.update(key, (current) =>
      current?.state === 'in_flight' && current.attempt === attempt ? next : undefined,
    );
    return stored === next;
  }

  /** Gives the key back (nothing was sent): the next request with it starts afresh. */
  release(key: string): Promise<void> {
    return this.map.remove(key);
  }
}
