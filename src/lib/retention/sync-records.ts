import type { SyncMapStore } from '../stores/sync-map-store';
import type { SweepPage, SweepStep } from './sweep';

/** What a sweep asks of one of our records: when Sync created it (Twilio's clock), and whose addresses it holds. */
type RecordFilter = (record: { at: Date; addresses: readonly string[] }) => boolean;

/**
 * One of our Sync stores that keeps dated records of people (inbox, message states, voicemails,
 * calls): how to read a record's date and addresses, so retention and erasure can walk it.
 */
export interface DatedStore {
  /** The store's steps, one per shard map, removing the records `remove` selects. */
  steps(remove: RecordFilter): SweepStep[];
}

/** Declares a dated store: its map store and a record's addresses (`+E164`, `whatsapp:+E164`); its date is its Sync item's. */
export function datedStore<T extends object>(store: SyncMapStore<T>, addressesOf: (record: T) => Array<string | undefined>): DatedStore {
  return {
    steps: (remove) =>
      store.mapNames().map((mapName): SweepStep => ({
        name: `records:${mapName}`,
        async page(pageUrl, pageSize): Promise<SweepPage> {
          const page = await store.page(mapName, pageUrl, pageSize);
          return {
            nextPageUrl: page.nextPageUrl,
            tasks: page.items.map(({ key, data, createdAt }) => async () => {
              const addresses = addressesOf(data).filter((address): address is string => typeof address === 'string');
              if (!remove({ at: createdAt, addresses })) return {};
              await store.removeListed(mapName, key);
              return { records: 1 };
            }),
          };
        },
      })),
  };
}

/**
 * Items keyed by a person's address (verify destinations, line lookups, WhatsApp sessions, recent
 * campaign sends): removed by key, one step for all.
 */
export function keyedRecords(name: string, removals: Array<{ store: SyncMapStore<object>; key: string }>): SweepStep {
  return {
    name,
    page(): Promise<SweepPage> {
      return Promise.resolve({
        tasks: removals.map(({ store, key }) => async () => {
          if (!(await store.get(key))) return {};
          await store.remove(key);
          return { records: 1 };
        }),
      });
    },
  };
}
