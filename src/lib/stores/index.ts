import type { Settings } from '../config/settings';
import type { Deadline } from '../runtime/deadline';
import type { TwilioClient } from '../twilio/sdk';
import { InboxStore, type InboundMessage } from './inbox';
import { OptOutStore, type ConsentRecord } from './opt-outs';
import { SyncMapStore, type MapStoreOptions } from './sync-map-store';

const DAY = 86_400;

/**
 * Every store the product keeps in Sync, with its map layout. Shard counts follow the expected
 * write rate: a campaign's STOP replies arrive by the hundred per second, Sync takes ~20/s per map.
 */
export function createStores(client: TwilioClient, settings: Settings, deadline: Deadline) {
  const map = <T extends object>(name: string, options: Partial<MapStoreOptions> = {}) =>
    new SyncMapStore<T>(client, { service: settings.syncServiceSid, name, deadline, ...options });
  return {
    optOuts: new OptOutStore(map<ConsentRecord>('optouts', { shards: 16 })),
    inbox: new InboxStore(map<InboundMessage>('inbox', { shards: 8, itemTtlSeconds: 30 * DAY })),
  };
}

export type Stores = ReturnType<typeof createStores>;
