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

/** One page of a map's items, as `SyncMapStore.page` reads it. */
export interface MapPage<T> {
  /** Each item with the time Sync created it (Twilio's clock). */
  items: Array<{ key: string; data: T; createdAt: Date }>;
  /** Where the next page is; absent on the last. */
  nextPageUrl?: string;
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

  /**
   * Writes `data` whatever was there, without reading it first: a create, or an overwrite when the
   * item exists (no If-Match: the latest writer wins). One round trip when `likely` guesses right,
   * two when not; an item removed or created meanwhile is tried again.
   */
  async put(key: string, data: T, { likely = 'absent' }: { likely?: 'absent' | 'present' } = {}): Promise<void> {
    const order: Array<'absent' | 'any'> = likely === 'absent' ? ['absent', 'any'] : ['any', 'absent'];
    await retryWithin(async (attempt) => this.write(key, data, order[attempt % 2]), {
      deadline: this.options.deadline,
      retryable: (error) => hasCode(error, SYNC.itemExists, SYNC.itemNotFound),
      baseDelayMs: 0,
      maxAttempts: 6,
    });
  }

  /**
   * Applies `change` to the current value (undefined when absent) and writes the result with
   * `If-Match`, re-reading and re-applying on a concurrent change. `change` returning undefined
   * means "leave it as it is". Returns the value now stored. `itemTtlSeconds`, when given, is this
   * write's TTL instead of the map's, from the value written (an item that must outlive the map's usual life).
   */
  async update(
    rawKey: string,
    change: (current: T | undefined) => T | undefined,
    { itemTtlSeconds }: { itemTtlSeconds?: (next: T) => number } = {},
  ): Promise<T | undefined> {
    return retryWithin(
      async () => {
        const current = await this.get(rawKey);
        const next = change(current?.data);
        if (next === undefined) return current?.data;
        await this.write(rawKey, next, current ? { revision: current.revision } : 'absent', itemTtlSeconds?.(next));
        return next;
      },
      {
        deadline: this.options.deadline,
        // Someone else wrote first (or removed it): read again and re-apply.
        retryable: (error) => hasCode(error, SYNC.revisionMismatch, SYNC.itemExists, SYNC.itemNotFound),
        baseDelayMs: 20,
        maxDelayMs: 200,
        maxAttempts: 20,
      },
    );
  }

  /** Creates the item only if absent; returns false when it already existed. */
  async createIfAbsent(rawKey: string, data: T): Promise<boolean> {
    try {
      await this.write(rawKey, data, 'absent');
      return true;
    } catch (error) {
      if (hasCode(error, SYNC.itemExists)) return false;
      throw error;
    }
  }

  /**
   * One write and no read, for a caller that knows what is there: `{ revision }` updates that
   * revision (If-Match), `'absent'` creates, `'any'` overwrites whatever exists. Returns the item
   * as written; when the caller was wrong, Sync's 54205 / 54208 / 54201 is thrown.
   *
   * A write whose answer was lost (5xx, a connection reset) may have been carried out: it is sent
   * again as it was, and when that meets its own first copy (54208, 54205), the item read back
   * holding exactly `data` is taken as written, so no caller applies its change twice (a counter
   * never counts twice, a claim made is kept). Should another writer have stored the very same
   * value in between, that is taken as ours: the one case where an ambiguous write can be lost.
   */
  async write(
    rawKey: string,
    data: T,
    expected: { revision: string } | 'absent' | 'any',
    itemTtlSeconds = this.options.itemTtlSeconds,
  ): Promise<StoredItem<T>> {
    const key = syncKey(rawKey);
    const ttl = itemTtlSeconds ? { itemTtl: itemTtlSeconds } : {};
    let unconfirmed = false;
    const send = async (map: SyncMap) => {
      try {
        return await (expected === 'absent'
          ? map.syncMapItems.create({ key, data, ...ttl })
          : map.syncMapItems(key).update({ data, ...(expected === 'any' ? {} : { ifMatch: expected.revision }), ...ttl }));
      } catch (error) {
        // Failed after it may have arrived (not a "too many requests" refusal): its answer may be all that was lost.
        if (isTransientTwilioError(error) && !isRetryableTwilioError(error)) unconfirmed = true;
        throw error;
      }
    };
    try {
      const item = await this.withMap(key, send, { idempotent: true });
      return { data, revision: item.revision };
    } catch (error) {
      if (unconfirmed && hasCode(error, SYNC.itemExists, SYNC.revisionMismatch)) {
        const stored = await this.get(rawKey);
        if (stored && sameData(stored.data, data)) return stored;
      }
      throw error;
    }
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
    const items = await this.onMap(this.options.name, (map) => map.syncMapItems.list({ limit }), []);
    return items.map((item) => item.data as T);
  }

  /**
   * Up to `limit` items after `cursor` (from a previous answer), shard by shard, in key order
   * within a shard (Sync's `Order=asc`, `From` and `Bounds=exclusive`): a listing that can be
   * walked page by page while items are added. `next` is absent once every shard is read; a page
   * can come back empty before the end.
   */
  async listAfter(limit: number, cursor?: string): Promise<{ items: T[]; next?: string }> {
    let { shard, after } = readListCursor(cursor, this.shards);
    const items: T[] = [];
    while (shard < this.shards && items.length < limit) {
      const pageSize = limit - items.length;
      const query = { order: 'asc' as const, pageSize, ...(after === undefined ? {} : { from: after, bounds: 'exclusive' as const }) };
      const found = await this.onMap(this.mapNames()[shard], async (map) => (await map.syncMapItems.page(query)).instances, []);
      items.push(...found.slice(0, pageSize).map((item) => item.data as T));
      if (found.length >= pageSize) after = found[pageSize - 1].key;
      else [shard, after] = [shard + 1, undefined];
    }
    return { items, ...(shard < this.shards ? { next: Buffer.from(JSON.stringify({ shard, after })).toString('base64url') } : {}) };
  }

  /**
   * Up to `limit` items of an unsharded store, the greatest key first (Sync's `Order=desc`), from
   * after `before` (a key an earlier answer ended on; `Bounds=exclusive`): one request, however many
   * items the map holds. Keys come back as stored (encoded by `syncKey`).
   */
  async newest(limit: number, before?: string): Promise<Array<{ key: string; data: T }>> {
    if (this.shards !== 1) throw new Error(`${this.options.name} is sharded; it has no single newest page`);
    const query = {
      order: 'desc' as const,
      pageSize: limit,
      ...(before === undefined ? {} : { from: before, bounds: 'exclusive' as const }),
    };
    const found = await this.onMap(this.options.name, async (map) => (await map.syncMapItems.page(query)).instances, []);
    return found.slice(0, limit).map((item) => ({ key: item.key, data: item.data as T }));
  }

  /**
   * One page of one of this store's maps (`mapName` from `mapNames()`), oldest key first; `pageUrl`
   * continues where a previous page's `nextPageUrl` left off. A map not made yet is an empty page.
   * For sweeps (retention, erasure) that must visit every item of a sharded store.
   */
  async page(mapName: string, pageUrl: string | undefined, pageSize: number): Promise<MapPage<T>> {
    return this.onMap<MapPage<T>>(
      mapName,
      async ({ syncMapItems: items }) => {
        const page = await (pageUrl ? items.getPage(pageUrl) : items.page({ pageSize }));
        return {
          items: page.instances.map((item) => ({ key: item.key, data: item.data as T, createdAt: item.dateCreated })),
          nextPageUrl: page.nextPageUrl,
        };
      },
      { items: [] },
    );
  }

  /** Removes an item by the key a `page()` listed (already encoded); gone already is fine. */
  async removeListed(mapName: string, key: string): Promise<void> {
    try {
      await this.onMap(mapName, (map) => map.syncMapItems(key).remove(), true);
    } catch (error) {
      if (!hasCode(error, SYNC.itemNotFound)) throw error;
    }
  }

  /**
   * A read (or a removal, idempotent) on one named map, retried while Sync fails transiently; a map
   * not made yet answers `ifMissing`.
   */
  private async onMap<R>(mapName: string, operation: (map: SyncMap) => Promise<R>, ifMissing: R): Promise<R> {
    const map = this.client.sync.v1.services(this.options.service).syncMaps(mapName);
    try {
      return await retryWithin(() => operation(map), { deadline: this.options.deadline, retryable: isTransientTwilioError });
    } catch (error) {
      if (isMapMissing(error)) return ifMissing;
      throw error;
    }
  }

  /** Every map this store spreads over (what provisioning creates ahead of use). */
  mapNames(): string[] {
    return this.shards === 1 ? [this.options.name] : Array.from({ length: this.shards }, (_, shard) => `${this.options.name}-${shard}`);
  }

  /** The map an (encoded) key lives in. */
  mapNameFor(key: string): string {
    return this.shards === 1 ? this.options.name : `${this.options.name}-${shardOf(key, this.shards)}`;
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

/** A `listAfter` cursor read back; anything that is not one of ours starts from the beginning of nothing: refused. */
function readListCursor(cursor: string | undefined, shards: number): { shard: number; after?: string } {
  if (cursor === undefined) return { shard: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { shard, after } = (parsed ?? {}) as { shard?: unknown; after?: unknown };
  if (
    typeof shard !== 'number' ||
    !Number.isInteger(shard) ||
    shard < 0 ||
    shard >= shards ||
    (after !== undefined && typeof after !== 'string')
  )
    throw new RangeError('not a listing cursor');
  return { shard, ...(typeof after === 'string' ? { after } : {}) };
}
