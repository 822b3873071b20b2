import { channelKey, type Channel } from '../outbound/address';
import type { Purpose } from '../outbound/purpose';
import type { SyncMapStore } from './sync-map-store';

interface Pending {
  sids: string[];
  /** The marketing messages among `sids` (a marketing-only opt-out cancels these alone). */
  marketing?: string[];
  /** Until when the item must be kept (ms): a day past the latest scheduled time among `sids`. */
  keepUntil?: number;
}

/** At most this many re-sends are remembered per person (SMS_RETRY_MAX is at most 5 per message). */
const MAX_PENDING = 50;
const DAY_SECONDS = 24 * 3_600;

/** Which scheduled messages an opt-out cancels: all of them (STOP), or the marketing ones (an opt-out of marketing only). */
export type ScheduledScope = 'all' | 'marketing';

/**
 * The messages scheduled with Twilio for each (channel, number), re-sends and marketing held for
 * quiet hours, so that an opt-out can cancel them before they go out. An item lives a day past
 * the latest scheduled time it holds (at least the map's day, the longest re-send delay; Twilio
 * schedules up to 35 days ahead); a canceled or sent SID left in the list costs one harmless
 * cancel attempt.
 */
export class ScheduledResendStore {
  constructor(private readonly map: SyncMapStore<Pending>) {}

  async add(
    channel: Channel,
    number: string,
    sid: string,
    { purpose = 'transactional', sendAt, now = new Date() }: { purpose?: Purpose; sendAt?: Date; now?: Date } = {},
  ): Promise<void> {
    const wanted = (sendAt ?? now).getTime() + DAY_SECONDS * 1_000;
    await this.map.update(
      channelKey(channel, number),
      (current) => {
        const keepUntil = Math.max(wanted, current?.keepUntil ?? 0);
        const sids = [...(current?.sids ?? []), sid].slice(-MAX_PENDING);
        const marketing = [...(current?.marketing ?? []), ...(purpose === 'marketing' ? [sid] : [])].filter((kept) => sids.includes(kept));
        return { sids, ...(marketing.length > 0 ? { marketing } : {}), keepUntil };
      },
      { itemTtlSeconds: ({ keepUntil = 0 }) => Math.max(DAY_SECONDS, Math.ceil((keepUntil - now.getTime()) / 1_000)) },
    );
  }

  /** The SIDs an opt-out of `scope` cancels. */
  async pending(channel: Channel, number: string, scope: ScheduledScope = 'all'): Promise<string[]> {
    const data = (await this.map.get(channelKey(channel, number)))?.data;
    return (scope === 'marketing' ? data?.marketing : data?.sids) ?? [];
  }

  /** Forgets what an opt-out of `scope` canceled (`sids`, for a marketing-only one; the rest stays). */
  async forget(channel: Channel, number: string, scope: ScheduledScope = 'all', sids: readonly string[] = []): Promise<void> {
    if (scope === 'all') return this.map.remove(channelKey(channel, number));
    await this.map.update(channelKey(channel, number), (current) =>
      current
        ? {
            ...current,
            sids: current.sids.filter((sid) => !sids.includes(sid)),
            marketing: (current.marketing ?? []).filter((sid) => !sids.includes(sid)),
          }
        : undefined,
    );
  }
}
