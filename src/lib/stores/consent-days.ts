import { CHANNELS, type Channel } from '../outbound/address';
import type { ConsentSource } from './consent';
import type { Counts, PreparedCount, ShardedCounters } from './sharded-counters';

/**
 * How a change of consent reached us: the person's keyword, words or key press (`keypad`), the
 * carrier's 21610 (`twilio-21610`), `POST /consent` (`api`) or a marketing campaign's upload
 * (`campaign`, a row's proof recorded as an opt-in).
 */
export type ConsentMethod = ConsentSource | 'campaign';
export const CONSENT_METHODS: readonly ConsentMethod[] = ['keyword', 'words', 'keypad', 'twilio-21610', 'api', 'campaign'];

type Change = 'opt-in' | 'opt-out';

/**
 * How many days the counters are kept, and the most `GET /consent?days=` answers: one Sync page per
 * shard, and a page holds at most 100 items, ordered by key (Twilio's spec, ListSyncMapItem:
 * `Order` asc or desc by key, `PageSize` maximum 100; https://www.twilio.com/docs/sync/api/map-item-resource).
 */
export const CONSENT_DAYS_KEPT = 90;

/** The day (UTC) a time falls in, as `2026-12-07`: the bucket a change is counted in. */
const dayOf = (time: Date): string => time.toISOString().slice(0, 10);

/** A counter's name: `opt-out|sms|keyword`. Channels × methods × 2 changes: 36 names at most, so a day's item stays small. */
const counterName = (change: Change, channel: Channel, method: ConsentMethod): string => `${change}|${channel}|${method}`;

/** One day's opt-outs or opt-ins: the total, and the same split by channel and by method. */
interface ChangeCounts {
  total: number;
  channels: Record<Channel, number>;
  methods: Record<ConsentMethod, number>;
}

export interface ConsentDay {
  day: string;
  optOut: ChangeCounts;
  optIn: ChangeCounts;
}

function changeCounts(counts: Counts, change: Change): ChangeCounts {
  const channels = Object.fromEntries(CHANNELS.map((channel) => [channel, 0])) as Record<Channel, number>;
  const methods = Object.fromEntries(CONSENT_METHODS.map((method) => [method, 0])) as Record<ConsentMethod, number>;
  let total = 0;
  for (const [name, value] of Object.entries(counts)) {
    const [counted, channel, method] = name.split('|') as [string, Channel, ConsentMethod];
    if (counted !== change || !(channel in channels) || !(method in methods)) continue;
    channels[channel] += value;
    methods[method] += value;
    total += value;
  }
  return { total, channels, methods };
}

/**
 * Opt-outs and opt-ins per day, by channel and method, counted where the consent history records
 * a change (ConsentHistoryStore.append): what the dashboard's consent panel reads, without
 * walking the histories. Days are sharded counters whose maps hold nothing else, so the last N
 * days are one Sync page per shard, however many changes were recorded.
 */
export class ConsentDays {
  constructor(private readonly counters: ShardedCounters) {}

  /** Reads the day's shard ahead (beside the history write), so counting the change is one write. */
  async prepare(at: Date): Promise<{ count(change: Change, channel: Channel, method: ConsentMethod): Promise<void> }> {
    const prepared: PreparedCount = await this.counters.prepare(dayOf(at));
    return { count: (change, channel, method) => prepared.add({ [counterName(change, channel, method)]: 1 }) };
  }

  /** The last `days` days (UTC, 1 to CONSENT_DAYS_KEPT), oldest first, today last; a day with no change counts 0. */
  async read(days: number, now = new Date()): Promise<ConsentDay[]> {
    const span = Math.min(CONSENT_DAYS_KEPT, Math.max(1, Math.floor(days)));
    // One day more than asked: a bucket a clock ahead of ours wrote for tomorrow never pushes today out.
    const latest = await this.counters.latest(span + 1);
    return Array.from({ length: span }, (_, index) => {
      const day = dayOf(new Date(now.getTime() - (span - 1 - index) * 86_400_000));
      const counts = latest.get(day) ?? {};
      return { day, optOut: changeCounts(counts, 'opt-out'), optIn: changeCounts(counts, 'opt-in') };
    });
  }
}
