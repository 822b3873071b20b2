import type { Settings } from '../config/settings';
import type { Deadline } from '../runtime/deadline';
import type { TwilioClient } from '../twilio/sdk';
import { CallStore, type CallRecord } from './calls';
import { ClaimStore } from './claims';
import { IDEMPOTENCY_MAP, IdempotencyStore, type IdempotencyRecord } from './idempotency';
import { VoicemailStore, type Voicemail } from './voicemails';
import { DeliveryStats } from './delivery-stats';
import { ShardedCounters, type Counts } from './sharded-counters';
import { InboxStore, type InboundMessage } from './inbox';
import { LookupCache, type LineFacts } from './lookup-cache';
import { HourlyBudgetStore } from './hourly-budgets';
import { SESSION_WINDOW_SECONDS, SessionStore, type Session } from './sessions';
import { VerifyDestinationStore, type DestinationRecord } from './verify-destinations';
import { MessageStore, type MessageRecord } from './messages';
import { ConsentStore, type ConsentRecord } from './consent';
import { ScheduledResendStore } from './scheduled-resends';
import { SyncMapStore, type MapStoreOptions } from './sync-map-store';
import { CampaignStore } from '../campaigns/store';
import { RecentCampaignStore, type Recent } from '../campaigns/recent';
import { datedStore } from '../retention/sync-records';
import type { SweepProgress } from '../retention/progress';

const HOUR = 3_600;
const DAY = 24 * HOUR;
const COUNTER_SHARDS = 8;

/**
 * Every store the product keeps in Sync, with its map layout. Shard counts follow the expected
 * write rate: a campaign's STOP replies and status callbacks arrive by the hundred per second,
 * and Sync takes about 20 writes/s per map (10 s bursts).
 */
export function createStores(
  client: TwilioClient,
  settings: Pick<Settings, 'syncServiceSid'>,
  deadline: Deadline,
  /** Told of every map store made (provisioning lists the maps this way). */
  onMapStore: (store: SyncMapStore<object>) => void = () => undefined,
) {
  const map = <T extends object>(name: string, options: Partial<MapStoreOptions> = {}) => {
    const store = new SyncMapStore<T>(client, { service: settings.syncServiceSid, name, deadline, ...options });
    onMapStore(store);
    return store;
  };
  /** Counters spread over COUNTER_SHARDS single-item maps `<name>-0`, `<name>-1`, ... */
  const counters = (name: string, itemTtlSeconds: number) =>
    new ShardedCounters(Array.from({ length: COUNTER_SHARDS }, (_, shard) => map<Counts>(`${name}-${shard}`, { itemTtlSeconds })));
  // Records of people with a date, and items keyed by a person's number: what retention and erasure walk (../retention).
  const inbox = map<InboundMessage>('inbox', { shards: 8, itemTtlSeconds: 30 * DAY });
  const messages = map<MessageRecord>('messages', { shards: 16, itemTtlSeconds: 30 * DAY });
  const voicemails = map<Voicemail>('voicemails', { itemTtlSeconds: 30 * DAY });
  const calls = map<CallRecord>('calls', { shards: 8, itemTtlSeconds: 30 * DAY });
  const verifyDestinations = map<DestinationRecord>('verify-destinations', { shards: 16, itemTtlSeconds: DAY });
  const lookups = map<LineFacts>('lookups', { shards: 8, itemTtlSeconds: DAY });
  const sessions = map<Session>('whatsapp-sessions', { shards: 8, itemTtlSeconds: SESSION_WINDOW_SECONDS });
  const campaignRecent = map<Recent>('campaign-recent', { shards: 16, itemTtlSeconds: DAY });
  return {
    consent: new ConsentStore(map<ConsentRecord>('optouts', { shards: 16 })),
    scheduledResends: new ScheduledResendStore(map('scheduled-resends', { shards: 8, itemTtlSeconds: DAY })),
    inbox: new InboxStore(inbox),
    messages: new MessageStore(messages),
    deliveryStats: new DeliveryStats(counters('stats', 2 * DAY), client),
    claims: new ClaimStore(map('claims', { shards: 16, itemTtlSeconds: 3 * DAY })),
    verifyDestinations: new VerifyDestinationStore(verifyDestinations),
    rangeBudgets: new HourlyBudgetStore(map('verify-ranges', { shards: 8, itemTtlSeconds: 2 * HOUR })),
    /** Sends to recipients someone outside chose (IVR caller ID, auto-replies), per number and per range. */
    triggeredSends: new HourlyBudgetStore(map('triggered-sends', { shards: 8, itemTtlSeconds: 2 * HOUR })),
    lookups: new LookupCache(lookups),
    verifyStats: counters('verify-stats', 3 * DAY),
    voicemails: new VoicemailStore(voicemails),
    calls: new CallStore(calls),
    sessions: new SessionStore(sessions),
    /**
     * Campaigns: records, their data (batches, outcomes, page summaries) and per-recipient claims,
     * sharded for campaigns sent by several drivers at once; delivery counters per campaign.
     */
    campaigns: new CampaignStore(
      map('campaigns', { shards: 4, itemTtlSeconds: 90 * DAY }),
      map('campaign-data', { shards: 16, itemTtlSeconds: 90 * DAY }),
      map('campaign-claims', { shards: 32, itemTtlSeconds: 90 * DAY }),
      counters('campaign-stats', 90 * DAY),
    ),
    /** Who got a campaign message in the last 24 hours, so a STOP can be counted against it. */
    campaignRecipients: new RecentCampaignStore(campaignRecent),
    /** `Idempotency-Key`s of the API actions that send or create: claims and final answers, kept 24 hours. */
    idempotency: new IdempotencyStore(map<IdempotencyRecord>(IDEMPOTENCY_MAP.name, IDEMPOTENCY_MAP)),
    /**
     * For retention and erasure: the stores holding dated records of people and those keyed by a
     * person's number (consent is not among them: proof of an opt-out is kept), and where an
     * unfinished sweep stands (a week at most).
     */
    privacy: {
      dated: [
        datedStore(inbox, (m) => [m.from, m.to]),
        datedStore(messages, (m) => [m.to]),
        datedStore(voicemails, (v) => [v.from]),
        datedStore(calls, (c) => [c.to]),
      ],
      keyed: { verifyDestinations, lookups, sessions, campaignRecent },
      sweeps: map<SweepProgress>('privacy-sweeps', { itemTtlSeconds: 7 * DAY }),
    },
  };
}

export type Stores = ReturnType<typeof createStores>;
