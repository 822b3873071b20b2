import { CHANNELS, channelKey, type Channel } from '../outbound/address';
import type { SyncMapStore } from './sync-map-store';

/** Why a number's consent changed. */
export type ConsentSource = 'keyword' | 'words' | 'twilio-21610' | 'keypad' | 'api';

/** How much of a channel an opt-out covers when not all of it: marketing only ("stop the promotions"). */
type ConsentScope = 'marketing';

/** The longest message text kept with a consent record (one SMS segment's worth of characters). */
const CONSENT_TEXT_LIMIT = 160;

/** An opt-out a person asked for in plain words, as the intent classifier read it. */
export interface WordsOptOut {
  /** Absent: everything on the channel, as STOP. */
  scope?: ConsentScope;
  /** The classifier rule that matched (a stable id, e.g. `en.stop-contacting`). */
  rule: string;
  /** What they wrote; kept to CONSENT_TEXT_LIMIT characters. */
  text: string;
}

export interface ConsentRecord {
  optedOut: boolean;
  /** ISO time of the last change. */
  at: string;
  source: ConsentSource;
  /** The keyword the person sent, when they sent one. */
  keyword?: string;
  /**
   * Set when the opt-out covers marketing only: transactional sends still go, marketing sends are
   * refused by the gate.
   */
  scope?: ConsentScope;
  /** For an opt-out in words: the rule that matched and what the person wrote (bounded). */
  rule?: string;
  text?: string;
}

/**
 * Who may not be reached, per channel: STOP by SMS stops texts, STOP on WhatsApp stops WhatsApp
 * messages, "press 9" stops calls. One item per (channel, number); an opt-in keeps the item with
 * optedOut false, so the history of the last change stays readable.
 */
export class ConsentStore {
  constructor(private readonly map: SyncMapStore<ConsentRecord>) {}

  /** Whether the number opted out of everything on the channel (an opt-out of marketing only leaves transactional sends). */
  async isOptedOut(channel: Channel, number: string): Promise<boolean> {
    return isFullOptOut(await this.record(channel, number));
  }

  async record(channel: Channel, number: string): Promise<ConsentRecord | undefined> {
    return (await this.map.get(channelKey(channel, number)))?.data;
  }

  /** Every channel's record of a number (read in parallel). */
  async everyChannel(number: string): Promise<Record<Channel, ConsentRecord | undefined>> {
    const records = await Promise.all(CHANNELS.map((channel) => this.record(channel, number)));
    return Object.fromEntries(CHANNELS.map((channel, index) => [channel, records[index]])) as Record<Channel, ConsentRecord | undefined>;
  }

  /**
   * An opt-out always holds (also over an opt-in that got through first: when in doubt, we do not
   * message). Returns whether it changed anything: false when the number was already opted out of
   * everything on the channel, so the law's one confirmation is not sent twice. A create first
   * (one round trip, a first STOP); when an item is there, a read and, unless it already opts out
   * of everything (then it is left as it is), an If-Match write.
   */
  async optOut(channel: Channel, number: string, source: ConsentSource, keyword?: string, now = new Date()): Promise<boolean> {
    return this.writeFullOptOut(channel, number, { optedOut: true, at: now.toISOString(), source, ...(keyword ? { keyword } : {}) });
  }

  /**
   * An opt-out in plain words ("please stop texting me", "no más mensajes"): the same record as
   * STOP, with the rule that matched and the text (bounded). One scoped to marketing never narrows
   * an opt-out of everything already there (a read, then a conditional write). Returns whether it
   * changed anything, as `optOut`: false when the number had already opted out of everything on
   * the channel (or, for a marketing-only one, of marketing).
   */
  async optOutInWords(channel: Channel, number: string, { scope, rule, text }: WordsOptOut, now = new Date()): Promise<boolean> {
    const record: ConsentRecord = {
      optedOut: true,
      at: now.toISOString(),
      source: 'words',
      ...(scope ? { scope } : {}),
      rule,
      text: Array.from(text.trim()).slice(0, CONSENT_TEXT_LIMIT).join(''),
    };
    return scope ? this.writeMarketingOptOut(channel, number, record) : this.writeFullOptOut(channel, number, record);
  }

  /** Writes an opt-out of everything on the channel; whether the number was not so opted out before. */
  private async writeFullOptOut(channel: Channel, number: string, record: ConsentRecord): Promise<boolean> {
    const key = channelKey(channel, number);
    if (await this.map.createIfAbsent(key, record)) return true;
    let changed = false;
    await this.map.update(key, (current) => {
      changed = !isFullOptOut(current);
      return changed ? record : undefined;
    });
    return changed;
  }

  /**
   * Writes an opt-out of marketing only, never over an opt-out of everything (a read, then a
   * conditional write); whether the number had no opt-out before.
   */
  private async writeMarketingOptOut(channel: Channel, number: string, record: ConsentRecord): Promise<boolean> {
    let changed = false;
    await this.map.update(channelKey(channel, number), (current) => {
      changed = !current?.optedOut;
      return isFullOptOut(current) ? undefined : record;
    });
    return changed;
  }

  /**
   * An opt-out of marketing only: transactional sends go on; it never weakens an opt-out of
   * everything. Whether it changed anything, as `optOut` (false when already opted out).
   */
  async optOutOfMarketing(channel: Channel, number: string, source: ConsentSource, now = new Date()): Promise<boolean> {
    return this.writeMarketingOptOut(channel, number, { optedOut: true, at: now.toISOString(), source, scope: 'marketing' });
  }

  /**
   * An opt-in never replaces an opt-out the person sent after it (`now` is when they sent the
   * START): a START that got through late, after a STOP, must not undo the STOP. A read, then a
   * conditional write.
   */
  async optIn(channel: Channel, number: string, source: ConsentSource, keyword?: string, now = new Date()): Promise<void> {
    const record = { optedOut: false, at: now.toISOString(), source, ...(keyword ? { keyword } : {}) };
    await this.map.update(channelKey(channel, number), (current) => (current?.optedOut && current.at > record.at ? undefined : record));
  }
}

/** Whether a record opts out of everything on its channel (not of marketing only). */
const isFullOptOut = (record: ConsentRecord | undefined): boolean => (record?.optedOut ?? false) && record?.scope !== 'marketing';

/**
 * A consent record as API actions show it: `{ optedOut, since?, source?, scope?, rule? }` per
 * channel (`scope: 'marketing'`: opted out of marketing only).
 */
export function describeConsent<C extends Channel>(
  records: Record<C, ConsentRecord | undefined>,
): Record<C, { optedOut: boolean; since?: string; source?: ConsentSource; scope?: ConsentScope; rule?: string }> {
  const shown = (record: ConsentRecord | undefined) => ({
    optedOut: record?.optedOut ?? false,
    ...(record ? { since: record.at, source: record.source } : {}),
    ...(record?.scope ? { scope: record.scope } : {}),
    ...(record?.rule ? { rule: record.rule } : {}),
  });
  return Object.fromEntries(
    Object.entries<ConsentRecord | undefined>(records).map(([channel, record]) => [channel, shown(record)]),
  ) as Record<C, ReturnType<typeof shown>>;
}
