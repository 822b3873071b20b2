import { channelKey, type Channel } from '../outbound/address';
import type { SyncMapStore } from '../stores/sync-map-store';

export interface Recent {
  campaign: string;
  at: number;
}

/** The last campaign that messaged a person on a channel, for a day (item TTL): a STOP within 24 h is counted against it. */
export class RecentCampaignStore {
  constructor(private readonly map: SyncMapStore<Recent>) {}

  async remember(channel: Channel, number: string, campaign: string, at = Date.now()): Promise<void> {
    await this.map.put(channelKey(channel, number), { campaign, at });
  }

  /** The campaign that messaged this person within the last 24 hours, if any. */
  async within24h(channel: Channel, number: string, now = Date.now()): Promise<string | undefined> {
    const recent = (await this.map.get(channelKey(channel, number)))?.data;
    return recent && now - recent.at < 86_400_000 ? recent.campaign : undefined;
  }
}
