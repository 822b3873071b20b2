import type { Settings } from '../config/settings';
import type { Deadline } from '../runtime/deadline';
import type { TwilioClient } from '../twilio/sdk';
import { CallStore, type CallRecord } from './calls';
import { ClaimStore, type Claim } from './claims';
import { IDEMPOTENCY_MAP, IdempotencyStore, type IdempotencyRecord } from './idempotency';
import { VoicemailStore, type Voicemail } from './voicemails';
import { DeliveryStats } from './delivery-stats';
import { ShardedCounters, type Counts } from './sharded-counters';
import { InboxStore, type InboundMessage } from './inbox';
import { LookupCache, type LineFacts } from './lookup-cache';
import { HourlyBudgetStore, type Spent } from './hourly-budgets';
import { PaidActionBudget } from './paid-actions';
import { SESSION_WINDOW_SECONDS, SessionStore, type Session } from './sessions';
import { VerifyDestinationStore, type DestinationRecord } from './verify-destinations';
import { MessageStore, type MessageRecord } from './messages';
import { ConsentStore, type ConsentRecord } from './consent';
import { ConsentHistoryStore, type ConsentHistory } from './consent-history';
import { CONSENT_DAYS_KEPT, ConsentDays } from './consent-days';
import { ScheduledResendStore } from './scheduled-resends';
import { SendingPauseStore, type SendingPause } from './sending-pause';
import { SyncMapStore, type MapStoreOptions } from './sync-map-store';
import { CampaignStore } from '../campaigns/store';
import { RecentCampaignStore, type Recent } from '../campaigns/recent';
import { datedStore } from '../retention/sync-records';
import type { SweepProgress } from '../retention/progress';

const HOUR = 3_600;
/** How long a per-number or per-range hourly budget item lives (erasure removes the hours it can still be in). */
export const TRIGGERED_SENDS_TTL = 2 * HOUR;
const DAY = 24 * HOUR;
const COUNTER_SHARDS = 8;
/**
 * PHI mode's life for stored content: 3 days, so a staff notice sent on a Friday evening can still
 * be followed on Monday morning; then Sync's item TTL deletes it (Twilio keeps its own copies:
 * the message, the recording and the transcription, until they are deleted there).
 */
const PHI_CONTENT_TTL = 3 * DAY;

/**
 * Every store the product keeps in Sync, with its map layout. Shard counts follow the expected
 * write rate: a campaign's STOP replies and status callbacks arrive by the hundred per second,
 * and Sync takes about 20 writes/s per map (10 s bursts).
 */
export function createStores(
  client: TwilioClient,
  settings: Pick<Settings, 'syncServiceSid' | 'phiMode'>,
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
  /**
   * How long what people wrote or said (inbound bodies, voicemails with their transcript) stays in
   * Sync: 30 days, or in PHI mode PHI_CONTENT_TTL, the minimum the staff notice's link needs.
   */
  const contentTtl = settings.phiMode ? PHI_CONTENT_TTL : 30 * DAY;
  // Records of people with a date, and items keyed by a person's number: what retention and erasure walk (../retention).
  const inbox = map<InboundMessage>('inbox', { shards: 8, itemTtlSeconds: contentTtl });
  const messages = map<MessageRecord>('messages', { shards: 16, itemTtlSeconds: 30 * DAY });
  const voicemails = map<Voicemail>('voicemails', { itemTtlSeconds: contentTtl });
  const calls = map<CallRecord>('calls', { shards: 8, itemTtlSeconds: 30 * DAY });
  const verifyDestinations = map<DestinationRecord>('verify-destinations', { shards: 16, itemTtlSeconds: DAY });
  const lookups = map<LineFacts>('lookups', { shards: 8, itemTtlSeconds: DAY });
  const sessions = map<Session>('whatsapp-sessions', { shards: 8, itemTtlSeconds: SESSION_WINDOW_SECONDS });
  const campaignRecent = map<Recent>('campaign-recent', { shards: 16, itemTtlSeconds: DAY });
  const optOutClarified = map<Claim>('opt-out-clarified', { shards: 8, itemTtlSeconds: 7 * DAY });
  const triggeredSends = map<Spent>('triggered-sends', { shards: 8, itemTtlSeconds: TRIGGERED_SENDS_TTL });
  return {
    consent: new ConsentStore(map<ConsentRecord>('optouts', { shards: 16 })),
    /**
     * Opt-ins with their proof and opt-outs, one append-only history per number, kept without a
     * TTL; each change also counted per day by channel and method (kept CONSENT_DAYS_KEPT days).
     */
    consentHistory: new ConsentHistoryStore(
      map<ConsentHistory>('consent-history', { shards: 8 }),
      new ConsentDays(counters('consent-days', (CONSENT_DAYS_KEPT + 1) * DAY)),
    ),
    /**
     * Messages scheduled with Twilio (re-sends, marketing held for quiet hours) per channel and
     * number, for an opt-out to cancel: an item lives a day past the latest send time it holds
     * (Twilio schedules up to 35 days ahead), a day at the least (the longest re-send delay).
     */
    scheduledResends: new ScheduledResendStore(map('scheduled-resends', { shards: 8, itemTtlSeconds: DAY })),
    inbox: new InboxStore(inbox),
    messages: new MessageStore(messages),
    deliveryStats: new DeliveryStats(counters('stats', 2 * DAY), client),
    claims: new ClaimStore(map('claims', { shards: 16, itemTtlSeconds: 3 * DAY })),
    verifyDestinations: new VerifyDestinationStore(verifyDestinations),
    rangeBudgets: new HourlyBudgetStore(map('verify-ranges', { shards: 8, itemTtlSeconds: 2 * HOUR })),
    /** Sends to recipients someone outside chose (IVR caller ID, auto-replies), per number and per range. */
    triggeredSends: new HourlyBudgetStore(triggeredSends),
    /** The hourly ceiling over paid actions outsiders trigger (PAID_ACTIONS_PER_HOUR), split over single-item maps. */
    paidActions: new PaidActionBudget(
      Array.from(
        { length: COUNTER_SHARDS },
        (_, shard) => new HourlyBudgetStore(map(`paid-actions-${shard}`, { itemTtlSeconds: 2 * HOUR })),
      ),
      settings.syncServiceSid,
    ),
    lookups: new LookupCache(lookups),
    verifyStats: counters('verify-stats', 3 * DAY),
    voicemails: new VoicemailStore(voicemails),
    calls: new CallStore(calls),
    sessions: new SessionStore(sessions),
    /**
     * Campaigns: records, a newest-first index (one unsharded map: campaigns are created far below
     * Sync's 20 writes/s), their data (batches, outcomes, page summaries) and per-recipient claims,
     * sharded for campaigns sent by several drivers at once; delivery counters per campaign.
     */
    campaigns: new CampaignStore(
      map('campaigns', { shards: 4, itemTtlSeconds: 90 * DAY }),
      map('campaign-index', { itemTtlSeconds: 90 * DAY }),
      map('campaign-data', { shards: 16, itemTtlSeconds: 90 * DAY }),
      map('campaign-claims', { shards: 32, itemTtlSeconds: 90 * DAY }),
      counters('campaign-stats', 90 * DAY),
    ),
    /**
     * Who was asked "Reply STOP to stop all messages" after a message that may mean stop, per
     * channel and number: asked once a week at most (the item expires after a week).
     */
    optOutClarifications: new ClaimStore(optOutClarified),
    /** Who got a campaign message in the last 24 hours, so a STOP can be counted against it. */
    campaignRecipients: new RecentCampaignStore(campaignRecent),
    /** The kill switch: present while a Usage Trigger has paused non-essential sends (one item, read once per request). */
    sendingPause: new SendingPauseStore(map<SendingPause>('sending-pause')),
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
      keyed: { verifyDestinations, lookups, sessions, campaignRecent, optOutClarified, triggeredSends },
      sweeps: map<SweepProgress>('privacy-sweeps', { itemTtlSeconds: 7 * DAY }),
    },
  };
}

export type Stores = ReturnType<typeof createStores>;
