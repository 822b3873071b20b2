import type { Deadline } from '../runtime/deadline';
import { retryWithin } from '../runtime/retry';
import { isRetryableTwilioError, isTransientTwilioError } from '../errors/twilio-errors';
import type { TwilioClient } from '../twilio/sdk';
import { shardOf } from './shard';
import { syncKey } from './sync-key';
import { SYNC, hasCode, isMapMissing } from './sync-codes';

type SyncMap = ReturnType<ReturnType<TwilioClient['sync']['v1']['services']>['syncMaps']>;

export interface StoredItem<T> {
  data: T;
  revision: string;
}

export interface MapStoreOptions {
  /** Sync service SID or "default". */
  service: string;
  /** Base unique name; shard maps are named `<name>-<n>` (`<name>` when one shard). */
  name: string;
  /**
   * Sync takes about 20 writes/s per map, item writes included: spread a hot store over this
   * many maps (keys hash to a fixed map).
   */
  shards?: number;
  /** Item TTL in seconds (0 = keep); Sync removes expired items itself. */
  itemTtlSeconds?: number;
  deadline: Deadline;
}

/**
 * A key/value store over Twilio Sync map items: keys encoded once (`syncKey`, so no input can
 * cut or reroute an item URL), sharded over several maps, maps created on first use, and
 * read-modify-write updates guarded by `If-Match` revisions so concurrent writers never lose each
 * other's change. Every request is retried with jittered backoff until the deadline when Sync is
 * busy (54009, 20429) or fails transiently (5xx, a connection lost): reads and deletes as they are;
 * a write whose answer was lost is first checked (read back) so it is never applied twice. An
 * operation that cannot be done in time throws, so the route fails loudly and Twilio retries or
 * falls back.
 */
export class SyncMapStore<T extends object> {
  private readonly shards: number;

  constructor(
    private readonly client: TwilioClient,
    private readonly options: MapStoreOptions,
  ) {
    this.shards = Math.max(1, options.shards ?? 1);
  }

  async get(rawKey: string): Promise<StoredItem<T> | undefined> {
    const key = syncKey(rawKey);
    try {
      const item = await this.withMap(key, (map) => map.syncMapItems(key).fetch(), { createMap: false, idempotent: true });
      return { data: item.data as T, revision: item.revision };
    } catch (error) {
      if (hasCode(error, SYNC.itemNotFound) || isMapMissing(error)) return undefined;
      throw error;
    }
  }

  /** Writes `data` whatever was there (create, or overwrite). */
  async put(key: string, data: T): Promise<void> {
    await this.update(key, () => data);
  }

  /**
   * Applies `change` to the current value (undefined when absent) and writes the result with
   * `If-Match`, re-reading and re-applying on a concurrent change. `change` returning undefined
   * means "leave it as it is". Returns the value now stored.
   *
   * A write whose answer was lost (5xx, connection reset) may have been applied: it is sent again
   * as it was, and if that meets a changed revision, the re-read finding exactly what was written
   * stops there instead of applying `change` twice (so a counter is not counted twice). Should
   * another writer have stored the very same value in between, that is taken as ours: the one
   * case where an ambiguous write can still be lost.
   */
  async update(rawKey: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    const key = syncKey(rawKey);
    let unconfirmed: T | undefined;
    return retryWithin(
      async () => {
        const current = await this.get(rawKey);
        if (unconfirmed !== undefined && current && sameData(current.data, unconfirmed)) return unconfirmed;
        const next = change(current?.data);
        if (next === undefined) return current?.data;
        const write = (map: SyncMap) =>
          current
            ? map.syncMapItems(key).update({ data: next, ifMatch: current.revision, ...this.ttl() })
            : map.syncMapItems.create({ key, data: next, ...this.ttl() });
        unconfirmed = undefined;
        await this.withMap(
          key,
          this.noting(write, () => (unconfirmed = next)),
          { idempotent: true },
        );
        return next;
      },
      {
        deadline: this.options.deadline,
        // Someone else wrote first (or removed it), or a repeated write met its own first copy: read again.
        retryable: (error) => hasCode(error, SYNC.revisionMismatch, SYNC.itemExists, SYNC.itemNotFound),
        baseDelayMs: 20,
        maxDelayMs: 200,
        maxAttempts: 20,
      },
    );
  }

  /**
   * Creates the item only if absent; returns false when it already existed. A create whose answer
   * was lost is sent again; finding the item then, it is ours when it holds exactly `data`.
   */
  async createIfAbsent(rawKey: string, data: T): Promise<boolean> {
    const key = syncKey(rawKey);
    let unconfirmed = false;
    const create = (map: SyncMap) => map.syncMapItems.create({ key, data, ...this.ttl() });
    try {
      await this.withMap(
        key,
        this.noting(create, () => (unconfirmed = true)),
        { idempotent: true },
      );
      return true;
    } catch (error) {
      if (hasCode(error, SYNC.itemExists)) return unconfirmed && sameData((await this.get(rawKey))?.data, data);
      throw error;
    }
  }

  /** A write that calls `lost` when it fails in a way that may have left it carried out (its answer lost, not refused). */
  private noting<R>(write: (map: SyncMap) => Promise<R>, lost: () => void): (map: SyncMap) => Promise<R> {
    return async (map) => {
      try {
        return await write(map);
      } catch (error) {
        if (isTransientTwilioError(error) && !isRetryableTwilioError(error)) lost();
        throw error;
      }
    };
  }

  async remove(rawKey: string): Promise<void> {
    const key = syncKey(rawKey);
    try {
      await this.withMap(key, (map) => map.syncMapItems(key).remove(), { createMap: false, idempotent: true });
    } catch (error) {
      if (!hasCode(error, SYNC.itemNotFound) && !isMapMissing(error)) throw error;
    }
  }

  /** Up to `limit` items of an unsharded store (for small, listable stores such as voicemails). */
  async list(limit: number): Promise<T[]> {
    if (this.shards !== 1) throw new Error(`${this.options.name} is sharded; it cannot be listed`);
    try {
      const items = await this.withMap('', (map) => map.syncMapItems.list({ limit }), { createMap: false, idempotent: true });
      return items.map((item) => item.data as T);
    } catch (error) {
      if (isMapMissing(error)) return [];
      throw error;
    }
  }

  /** The map an (encoded) key lives in. */
  mapNameFor(key: string): string {
    return this.shards === 1 ? this.options.name : `${this.options.name}-${shardOf(key, this.shards)}`;
  }

  private ttl(): { itemTtl?: number } {
    return this.options.itemTtlSeconds ? { itemTtl: this.options.itemTtlSeconds } : {};
  }

  /**
   * Runs an operation on the key's map, retried while Sync is busy, and also after a transient
   * failure when the operation is `idempotent` (a read or a delete). A write to a map that does
   * not exist yet creates it (once: a concurrent creator's 54301 is fine) and runs again.
   */
  private async withMap<R>(
    key: string,
    operation: (map: SyncMap) => Promise<R>,
    { createMap = true, idempotent = false } = {},
  ): Promise<R> {
    const name = this.mapNameFor(key);
    const map = this.client.sync.v1.services(this.options.service).syncMaps(name);
    const retrying = <V>(work: () => Promise<V>, retryable: (error: unknown) => boolean) =>
      retryWithin(work, { deadline: this.options.deadline, retryable });
    const retryable = idempotent ? isTransientTwilioError : isRetryableTwilioError;
    try {
      return await retrying(() => operation(map), retryable);
    } catch (error) {
      if (!createMap || !isMapMissing(error)) throw error;
      await retrying(() => this.createMap(name), isTransientTwilioError);
      return retrying(() => operation(map), retryable);
    }
  }

  private async createMap(name: string): Promise<void> {
    try {
      await this.client.sync.v1.services(this.options.service).syncMaps.create({ uniqueName: name });
    } catch (error) {
      if (!hasCode(error, SYNC.uniqueNameExists)) throw error;
    }
  }
}

/** Whether two Sync item values hold the same JSON (key order aside). */
function sameData(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}
