import type { Channel } from '../outbound/address';
import type { Purpose } from '../outbound/purpose';
import { describeError, log } from '../logging/log';
import type { ConsentDays, ConsentMethod } from './consent-days';
import type { SyncMapStore } from './sync-map-store';

/** A day's count is a figure to watch, not proof: a Sync failure there never fails the change (it is logged). */
const notCounted = (error: unknown): undefined => {
  log('warn', 'consent_change_not_counted', { error: describeError(error) });
  return undefined;
};

/**
 * The most events one number's history keeps: its Sync item holds at most 16 KiB (54006), and an
 * event is at most about 750 bytes (wording 480 bytes, source 64, or 108 from a campaign row). Past the cap the oldest event
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

/**
 * The history event of a change the person made themselves (STOP, START, words, a key press) or
 * the carrier reported (21610): no wording, `source` what was sent (`keyword:STOP`, `keypad:9`,
 * `twilio-21610`, `words:<rule>`). STOP covers every purpose on the channel, so it is recorded as
 * `transactional`; an opt-out of marketing only as `marketing`.
 */
export function ownChangeEvent(
  channel: Channel,
  change: ConsentEvent['change'],
  source: string,
  at: Date,
  purpose: Purpose = 'transactional',
  now = new Date(),
): ConsentEvent {
  return { channel, purpose, change, source: source.slice(0, 64), at: at.toISOString(), recordedAt: now.toISOString() };
}

/** `history` with `event` appended, or undefined when it is already there (a retry). */
function withEvent(number: string, current: ConsentHistory | undefined, event: ConsentEvent): ConsentHistory | undefined {
  const history = current ?? { number, events: [], marketing: {} };
  if (history.events.some((earlier) => sameEvent(earlier, event))) return undefined;
  const events = [...history.events, event].slice(-MAX_HISTORY);
  const proof = history.marketing[event.channel];
  const isNewerProof = event.change === 'opt-in' && event.purpose === 'marketing' && (!proof || proof.at < event.at);
  return { number, events, marketing: isNewerProof ? { ...history.marketing, [event.channel]: event } : history.marketing };
}

/** One page of the audit export: histories in key order, and where the next page starts. */
export interface HistoryPage {
  histories: ConsentHistory[];
  next?: string;
}

/**
 * The record of opt-ins (with their proof: source, wording, time) and opt-outs: made through the
 * API and campaign uploads, and the person's own STOP, START, words and key presses and the
 * carrier's 21610: one Sync item per number, appended to with If-Match, so two writers
 * never lose each other's event. The TCPA puts the burden of proving prior express written
 * consent on the sender (47 CFR 64.1200(f)(9)): items are kept without a TTL.
 */
export class ConsentHistoryStore {
  constructor(
    private readonly map: SyncMapStore<ConsentHistory>,
    /** Each change appended is also counted per day, by channel and method (what the dashboard shows). */
    readonly days: ConsentDays,
  ) {}

  async read(number: string): Promise<ConsentHistory> {
    return (await this.map.get(number))?.data ?? { number, events: [], marketing: {} };
  }

  /**
   * Appends an event (the same event again, a retry, is recorded once, and counted once in the
   * day's counters by `method`); a marketing opt-in also becomes the channel's current marketing
   * proof unless a later one is already there. With
   * `likely: 'absent'` (a number that probably has no history yet, such as a STOP's sender) it
   * first tries one create, one Sync request instead of a read and a write; when the item exists
   * it reads and writes with If-Match as usual.
   */
  async append(
    number: string,
    event: ConsentEvent,
    { method, likely = 'present' }: { method: ConsentMethod; likely?: 'absent' | 'present' },
  ): Promise<ConsentHistory> {
    // The day's counter shard is read beside the history's first request; the count is written as
    // soon as the history is known to take the event (beside its If-Match write, or after its
    // create), so counting adds no round trip to a read-then-write append.
    const day = this.days.prepare(new Date(event.recordedAt)).catch(notCounted);
    let counting: Promise<void> | undefined;
    const count = () => void (counting ??= day.then((prepared) => prepared?.count(event.change, event.channel, method).catch(notCounted)));
    try {
      return await this.appendOnce(number, event, likely, count);
    } finally {
      await day;
      await counting;
    }
  }

  /**
   * The history with `event`; `taken` is called once the history is known to take it (not for a
   * retry of an event already there). Should a concurrent writer add the very same event between
   * our read and our write (two deliveries of one webhook at once), it may be counted twice.
   */
  private async appendOnce(number: string, event: ConsentEvent, likely: 'absent' | 'present', taken: () => void): Promise<ConsentHistory> {
    const fresh = withEvent(number, undefined, event) as ConsentHistory;
    if (likely === 'absent' && (await this.map.createIfAbsent(number, fresh))) {
      taken();
      return fresh;
    }
    const stored = await this.map.update(number, (current) => {
      const next = withEvent(number, current, event);
      if (next) taken();
      return next;
    });
    return stored ?? { number, events: [], marketing: {} };
  }

  /** Up to `limit` histories after `cursor` (from a previous page), shard by shard in key order. */
  page(limit: number, cursor?: string): Promise<HistoryPage> {
    return this.map.listAfter(limit, cursor).then(({ items, next }) => ({ histories: items, ...(next ? { next } : {}) }));
  }
}
