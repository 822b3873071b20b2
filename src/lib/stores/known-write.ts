import { hasCode, SYNC } from './sync-codes';
import type { StoredItem, SyncMapStore } from './sync-map-store';

/** An item as a caller last saw it: read (or written) at a revision, known to be absent, or not read at all. */
export type Known<T> = StoredItem<T> | 'absent' | 'unread';

/** The value now stored; the revision is there when this write made it (so a next write can skip its read too). */
export interface Written<T> {
  data: T | undefined;
  known: Known<T>;
}

export const knownFrom = <T>(item: StoredItem<T> | undefined): Known<T> => item ?? 'absent';

/**
 * `store.update(key, change)` without its read, for a caller that has just read or written the
 * item (often side by side with other reads): one If-Match write, or a create when it was absent.
 * When someone else wrote in between (54205, 54208, 54201), the usual read-and-re-apply takes
 * over, so no change is ever lost; `change` may then run again and must be pure.
 */
export async function updateFrom<T extends object>(
  store: SyncMapStore<T>,
  key: string,
  known: Known<T>,
  change: (current: T | undefined) => T | undefined,
): Promise<Written<T>> {
  if (known !== 'unread') {
    const current = known === 'absent' ? undefined : known;
    const next = change(current?.data);
    if (next === undefined) return { data: current?.data, known };
    try {
      const written = await store.write(key, next, current ? { revision: current.revision } : 'absent');
      return { data: written.data, known: written };
    } catch (error) {
      if (!hasCode(error, SYNC.revisionMismatch, SYNC.itemExists, SYNC.itemNotFound)) throw error;
    }
  }
  return { data: await store.update(key, change), known: 'unread' };
}
