import type { Channel } from '../outbound/address';
import type { Purpose } from '../outbound/purpose';
import type { SyncMapStore } from './sync-map-store';

/**
 * The most events one number's history keeps: its Sync item holds at most 16 KiB (54006), and an
 * event is at most about 700 bytes (wording 480 bytes, source 64). Past the cap the oldest event
 * is dropped; the proof behind each channel's current marketing opt-in is kept apart and never is.
 */
const MAX_HISTORY = 15;

/** One change of consent as it was recorded: never edited afterwards. */
export interface ConsentEvent {
  channel: Channel;
  purpose: Purpose;
  change: 'opt-in' | 'opt-out';
  /** Where the person gave or withdrew it, as the caller says ("web-form:signup", "campaign:CP…"). */
  source: string;
  /** The words the person agreed to (an opt-in's disclosure). */
  wording?: string;
  /** ISO time the person gave or withdrew consent. */
  at: string;
  /** ISO time we recorded it. */
  recordedAt: string;
}

/** One number's consent proof: its events, oldest first, and the latest marketing opt-in per channel. */
export interface ConsentHistory {
  number: string;
  events: ConsentEvent[];
  marketing: Partial<Record<Channel, ConsentEvent>>;
}

const sameEvent = (a: ConsentEvent, b: ConsentEvent) =>
  a.channel === b.channel &&
  a.purpose === b.purpose &&
  a.change === b.change &&
  a.source === b.source &&
  a.wording === b.wording &&
  a.at === b.at;

/** One page of the audit export: histories in key order, and where the next page starts. */
export interface HistoryPage {
  histories: ConsentHistory[];
  next?: string;
}

/**
 * The record of opt-ins (with their proof: source, wording, time) and opt-outs made through the
 * API and campaign uploads: one Sync item per number, appended to with If-Match, so two writers
 * never lose each other's event. The TCPA puts the burden of proving prior express written
 * consent on the sender (47 CFR 64.1200(f)(9)): items are kept without a TTL.
 */
export class ConsentHistoryStore {
  constructor(private readonly map: SyncMapStore<ConsentHistory>) {}

  async read(number: string): Promise<ConsentHistory> {
    return (await this.map.get(number))?.data ?? { number, events: [], marketing: {} };
  }

  /**
   * Appends an event (the same event again, a retry, is recorded once); a marketing opt-in also
   * becomes the channel's current marketing proof unless a later one is already there.
   */
  async append(number: string, event: ConsentEvent): Promise<ConsentHistory> {
    const stored = await this.map.update(number, (current) => {
      const history = current ?? { number, events: [], marketing: {} };
      if (history.events.some((earlier) => sameEvent(earlier, event))) return undefined;
      const events = [...history.events, event].slice(-MAX_HISTORY);
      const proof = history.marketing[event.channel];
      const isNewerProof = event.change === 'opt-in' && event.purpose === 'marketing' && (!proof || proof.at < event.at);
      return { number, events, marketing: isNewerProof ? { ...history.marketing, [event.channel]: event } : history.marketing };
    });
    return stored ?? { number, events: [], marketing: {} };
  }

  /** Up to `limit` histories after `cursor` (from a previous page), shard by shard in key order. */
  page(limit: number, cursor?: string): Promise<HistoryPage> {
    return this.map.listAfter(limit, cursor).then(({ items, next }) => ({ histories: items, ...(next ? { next } : {}) }));
  }
}
