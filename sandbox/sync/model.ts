/** In-memory shapes of Sync Services, Maps and Map Items. */

export interface SyncMapItemRecord {
  readonly key: string;
  data: unknown;
  revision: number;
  readonly dateCreated: number;
  dateUpdated: number;
  expiresAt: number | null;
}

export interface SyncMapRecord {
  readonly sid: string;
  readonly serviceSid: string;
  readonly uniqueName: string | null;
  /** Creation order; list order and page cursors use it. */
  readonly seq: number;
  revision: number;
  readonly dateCreated: number;
  dateUpdated: number;
  expiresAt: number | null;
  readonly items: Map<string, SyncMapItemRecord>;
  /** Keys in lexicographic order; rebuilt lazily after a key is added or removed. */
  sortedKeys: string[] | null;
}

export interface SyncServiceRecord {
  readonly sid: string;
  readonly uniqueName: string | null;
  friendlyName: string | null;
  readonly seq: number;
  readonly dateCreated: number;
  dateUpdated: number;
  readonly maps: Map<string, SyncMapRecord>;
  readonly mapSidByName: Map<string, string>;
}

export const SYNC_BASE_URL = 'https://sync.twilio.com/v1';

export function serviceUrl(serviceSid: string): string {
  return `${SYNC_BASE_URL}/Services/${serviceSid}`;
}

export function mapUrl(map: SyncMapRecord): string {
  return `${serviceUrl(map.serviceSid)}/Maps/${map.sid}`;
}

/** The name a map's writes are counted under in the write statistics: unique name, else SID. */
export function writeLabel(map: Pick<SyncMapRecord, 'sid' | 'uniqueName'>): string {
  return map.uniqueName ?? map.sid;
}
