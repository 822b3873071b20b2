import type { Clock } from '../clock';
import { iso8601, iso8601OrNull } from '../dates';
import { badRequest, TwilioApiError } from '../http/errors';
import { mapUrl, writeLabel, type SyncMapItemRecord, type SyncMapRecord } from './model';
import type { WriteRateLimiter } from './rate-limit';
import { expiryOf, isExpired } from './ttl';

/** Sync's limit on an item's data: 16 KiB of serialized JSON. */
const MAX_DATA_BYTES = 16 * 1024;
/** Longest Map Item key the spec allows. */
const MAX_KEY_LENGTH = 320;

export type ItemOrder = 'asc' | 'desc';

export interface ItemListQuery {
  order: ItemOrder;
  from: string | null;
  inclusive: boolean;
}

export interface ItemWrite {
  data?: unknown;
  itemTtl?: number;
  /** Revision the caller expects (If-Match header). */
  ifMatch?: string;
}

function itemNotFound(key: string): TwilioApiError {
  return new TwilioApiError(404, 54201, `Map Item ${key} not found`);
}

/**
 * Parses the `Data` form parameter: a JSON object of at most 16 KiB (54006, HTTP 413);
 * anything that is not a JSON object is 54008.
 */
export function parseItemData(raw: string | null): unknown {
  if (raw === null) throw badRequest(54206, "Invalid Map Item data: the 'Data' parameter cannot be null");
  if (Buffer.byteLength(raw, 'utf8') > MAX_DATA_BYTES) {
    throw new TwilioApiError(413, 54006, `Request entity too large: Data exceeds ${MAX_DATA_BYTES} bytes`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw badRequest(54008, "Invalid JSON: the 'Data' parameter is not valid JSON");
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw badRequest(54008, "Invalid JSON: the 'Data' parameter must be a JSON object");
  }
  return data;
}

/** Items of one Sync Map: keys, revisions, If-Match, TTL expiry, the map's write limit. */
export class SyncMapItems {
  constructor(
    private readonly clock: Clock,
    private readonly limiter: WriteRateLimiter,
  ) {}

  create(map: SyncMapRecord, key: string, data: unknown, itemTtl: number | undefined): SyncMapItemRecord {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw badRequest(54209, `Invalid Map Item key: must be 1-${MAX_KEY_LENGTH} characters`);
    }
    if (this.live(map, key)) throw new TwilioApiError(409, 54208, `Map Item with key ${key} already exists`);
    this.limiter.take(map.sid, writeLabel(map));
    const now = this.clock.now();
    const item: SyncMapItemRecord = {
      key,
      data,
      revision: 0,
      dateCreated: now,
      dateUpdated: now,
      expiresAt: itemTtl === undefined ? null : expiryOf(now, itemTtl),
    };
    map.items.set(key, item);
    map.sortedKeys = null;
    return item;
  }

  /**
   * Writes an item as a create would, or replaces it, outside the write limit: the control
   * plane's seeding (`POST /_sandbox/sync/items`), never a Twilio request.
   */
  seed(map: SyncMapRecord, key: string, data: unknown, itemTtl: number | undefined): void {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw badRequest(54209, `Invalid Map Item key: must be 1-${MAX_KEY_LENGTH} characters`);
    }
    const now = this.clock.now();
    const known = this.live(map, key);
    map.items.set(key, {
      key,
      data,
      revision: known ? known.revision + 1 : 0,
      dateCreated: known?.dateCreated ?? now,
      dateUpdated: now,
      expiresAt: itemTtl === undefined ? null : expiryOf(now, itemTtl),
    });
    if (!known) map.sortedKeys = null;
  }

  get(map: SyncMapRecord, key: string): SyncMapItemRecord {
    const item = this.live(map, key);
    if (!item) throw itemNotFound(key);
    return item;
  }

  update(map: SyncMapRecord, key: string, write: ItemWrite): SyncMapItemRecord {
    const item = this.get(map, key);
    checkRevision(item, write.ifMatch);
    this.limiter.take(map.sid, writeLabel(map));
    const now = this.clock.now();
    if (write.data !== undefined) item.data = write.data;
    if (write.itemTtl !== undefined) item.expiresAt = expiryOf(now, write.itemTtl);
    item.revision += 1;
    item.dateUpdated = now;
    return item;
  }

  remove(map: SyncMapRecord, key: string, ifMatch: string | undefined): void {
    const item = this.get(map, key);
    checkRevision(item, ifMatch);
    this.limiter.take(map.sid, writeLabel(map));
    map.items.delete(key);
    map.sortedKeys = null;
  }

  /** Live items in key order from `from` (inclusive or not); expired ones are removed. */
  list(map: SyncMapRecord, query: ItemListQuery): SyncMapItemRecord[] {
    const now = this.clock.now();
    const keys = this.sortedKeys(map);
    const ordered = query.order === 'asc' ? keys : [...keys].reverse();
    const out: SyncMapItemRecord[] = [];
    const expired: string[] = [];
    for (const key of ordered) {
      if (query.from !== null) {
        const beforeStart = query.order === 'asc' ? key < query.from : key > query.from;
        if (beforeStart || (!query.inclusive && key === query.from)) continue;
      }
      const item = map.items.get(key);
      if (!item) continue;
      if (isExpired(item.expiresAt, now)) expired.push(key);
      else out.push(item);
    }
    for (const key of expired) map.items.delete(key);
    if (expired.length > 0) map.sortedKeys = null;
    return out;
  }

  private sortedKeys(map: SyncMapRecord): string[] {
    if (map.sortedKeys === null) map.sortedKeys = [...map.items.keys()].sort();
    return map.sortedKeys;
  }

  /** The item under `key` unless it has expired (then it is removed). */
  private live(map: SyncMapRecord, key: string): SyncMapItemRecord | undefined {
    const item = map.items.get(key);
    if (item && isExpired(item.expiresAt, this.clock.now())) {
      map.items.delete(key);
      map.sortedKeys = null;
      return undefined;
    }
    return item;
  }
}

function checkRevision(item: SyncMapItemRecord, ifMatch: string | undefined): void {
  if (ifMatch !== undefined && ifMatch !== String(item.revision)) {
    throw new TwilioApiError(
      412,
      54205,
      `The revision of the Map Item does not match the expected revision (If-Match ${ifMatch}, current ${item.revision})`,
    );
  }
}

/** The Sync Map Item resource as the v1 API serializes it. */
export function itemResource(accountSid: string, map: SyncMapRecord, item: SyncMapItemRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    created_by: 'system',
    data: item.data,
    date_created: iso8601(item.dateCreated),
    date_expires: iso8601OrNull(item.expiresAt),
    date_updated: iso8601(item.dateUpdated),
    key: item.key,
    map_sid: map.sid,
    revision: String(item.revision),
    service_sid: map.serviceSid,
    url: `${mapUrl(map)}/Items/${encodeURIComponent(item.key)}`,
  };
}
