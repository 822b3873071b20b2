import { channelKey, type Channel } from '../outbound/address';
import type { SyncMapStore } from './sync-map-store';

interface Pending {
  sids: string[];
}

/** At most this many re-sends are remembered per person (SMS_RETRY_MAX is at most 5 per message). */
const MAX_PENDING = 50;

/**
 * The re-sends scheduled with Twilio for each (channel, number), so that a STOP can cancel them
 * before they go out. Items expire after the longest re-send delay; a canceled or sent SID left
 * in the list costs one harmless cancel attempt.
 */
export class ScheduledResendStore {
  constructor(private readonly map: SyncMapStore<Pending>) {}

  async add(channel: Channel, number: string, sid: string): Promise<void> {
    await this.map.update(channelKey(channel, number), (current) => ({ sids: [...(current?.sids ?? []), sid].slice(-MAX_PENDING) }));
  }

  async pending(channel: Channel, number: string): Promise<string[]> {
    return (await this.map.get(channelKey(channel, number)))?.data.sids ?? [];
  }

  forget(channel: Channel, number: string): Promise<void> {
    return this.map.remove(channelKey(channel, number));
  }
}
