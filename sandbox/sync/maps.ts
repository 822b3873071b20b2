import type { Clock } from '../clock';
import { iso8601, iso8601OrNull } from '../dates';
import { TwilioApiError } from '../http/errors';
import { newSid } from '../sids';
import { mapUrl, writeLabel, type SyncMapRecord, type SyncServiceRecord } from './model';
import type { WriteRateLimiter } from './rate-limit';
import { expiryOf, isExpired } from './ttl';

function mapNotFound(sidOrName: string): TwilioApiError {
  return new TwilioApiError(404, 54200, `Map ${sidOrName} not found`);
}

/** Sync Maps of a service: unique names, TTL expiry, and the per-map write limit. */
export class SyncMaps {
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly limiter: WriteRateLimiter,
  ) {}

  create(service: SyncServiceRecord, init: { uniqueName: string | null; ttl: number | undefined }): SyncMapRecord {
    const { uniqueName } = init;
    if (uniqueName !== null && this.findByName(service, uniqueName)) {
      throw new TwilioApiError(409, 54301, `Unique name already exists: ${uniqueName}`);
    }
    const sid = newSid('MP');
    this.limiter.take(sid, writeLabel({ sid, uniqueName }));
    const now = this.clock.now();
    const map: SyncMapRecord = {
      sid,
      serviceSid: service.sid,
      uniqueName,
      seq: ++this.seq,
      revision: 0,
      dateCreated: now,
      dateUpdated: now,
      expiresAt: init.ttl === undefined ? null : expiryOf(now, init.ttl),
      items: new Map(),
      sortedKeys: [],
    };
    service.maps.set(sid, map);
    if (uniqueName !== null) service.mapSidByName.set(uniqueName, sid);
    return map;
  }

  /** By SID or unique name; an expired map is removed and reported as not found (54200). */
  resolve(service: SyncServiceRecord, sidOrName: string): SyncMapRecord {
    const bySid = service.maps.get(sidOrName);
    const map = bySid && !this.expireIfDue(service, bySid) ? bySid : this.findByName(service, sidOrName);
    if (!map) throw mapNotFound(sidOrName);
    return map;
  }

  /** Sets a new collection TTL (counted from now). */
  update(map: SyncMapRecord, ttl: number | undefined): void {
    this.limiter.take(map.sid, writeLabel(map));
    if (ttl !== undefined) this.setCollectionTtl(map, ttl);
    map.revision += 1;
    map.dateUpdated = this.clock.now();
  }

  remove(service: SyncServiceRecord, map: SyncMapRecord): void {
    this.limiter.take(map.sid, writeLabel(map));
    this.drop(service, map);
  }

  /** Live maps in creation order (expired ones are removed on the way). */
  list(service: SyncServiceRecord): SyncMapRecord[] {
    const now = this.clock.now();
    const live: SyncMapRecord[] = [];
    for (const map of [...service.maps.values()]) {
      if (isExpired(map.expiresAt, now)) this.drop(service, map);
      else live.push(map);
    }
    return live;
  }

  /** CollectionTtl given on a map or on one of its items' writes. */
  setCollectionTtl(map: SyncMapRecord, ttl: number): void {
    map.expiresAt = expiryOf(this.clock.now(), ttl);
  }

  /** By unique name (one lookup in the service's name index); an expired map is removed and not found. */
  findByName(service: SyncServiceRecord, name: string): SyncMapRecord | undefined {
    const sid = service.mapSidByName.get(name);
    const map = sid === undefined ? undefined : service.maps.get(sid);
    return map && !this.expireIfDue(service, map) ? map : undefined;
  }

  private drop(service: SyncServiceRecord, map: SyncMapRecord): void {
    service.maps.delete(map.sid);
    if (map.uniqueName !== null) service.mapSidByName.delete(map.uniqueName);
    this.limiter.forget(map.sid);
  }

  /** Whether the map has expired (then it is removed). */
  private expireIfDue(service: SyncServiceRecord, map: SyncMapRecord): boolean {
    if (!isExpired(map.expiresAt, this.clock.now())) return false;
    this.drop(service, map);
    return true;
  }
}

/** The Sync Map resource as the v1 API serializes it. */
export function mapResource(accountSid: string, m: SyncMapRecord): Record<string, unknown> {
  const url = mapUrl(m);
  return {
    account_sid: accountSid,
    created_by: 'system',
    date_created: iso8601(m.dateCreated),
    date_expires: iso8601OrNull(m.expiresAt),
    date_updated: iso8601(m.dateUpdated),
    links: { items: `${url}/Items`, permissions: `${url}/Permissions` },
    revision: String(m.revision),
    service_sid: m.serviceSid,
    sid: m.sid,
    unique_name: m.uniqueName,
    url,
  };
}
