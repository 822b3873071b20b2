import { AppError, badRequest } from '../errors/app-error';
import type { Settings } from '../config/settings';
import { planFor } from './campaign';
import { batchOrder, progressOf } from './run';
import { optionalString, readCount, type Params } from '../http/params';
import { isListCursor, type CampaignRecord, type CampaignStore } from './store';

async function existing(store: CampaignStore, id: string): Promise<CampaignRecord> {
  const record = await store.get(id);
  if (!record) throw new AppError(404, 'not_found', `No campaign ${id}`);
  return record;
}

/** `GET /campaigns/status`: progress, delivery joined from status callbacks, STOPs within 24 h, refusals by reason. */
export async function campaignStatus(store: CampaignStore, settings: Settings, id: string) {
  const record = await existing(store, id);
  const stats = await store.stats.read(id);
  const delivered = stats.delivered ?? 0;
  const finished = delivered + (stats.undelivered ?? 0) + (stats.failed ?? 0);
  return {
    id,
    name: record.name,
    channel: record.channel,
    kind: record.kind,
    state: record.state,
    plan: planFor(settings, record.accepted, record.mps),
    progress: progressOf(record),
    delivery: { delivered, undelivered: stats.undelivered ?? 0, failed: stats.failed ?? 0 },
    deliveryRate: finished === 0 ? null : Math.round((delivered / finished) * 10_000) / 10_000,
    stopsWithin24h: stats.stops ?? 0,
    refusedByReason: record.refusedByReason,
  };
}

/** What `GET /campaigns/status` (no id) answers when `limit` is not given, and the most it answers (each campaign is 9 Sync reads). */
const LIST_LIMITS = { fallback: 5, max: 20 } as const;

/**
 * `GET /campaigns/status?limit=&cursor=` (no id): the newest campaigns first, each as `?id=`
 * answers it, from the index written at creation (one Sync page), then each campaign's status read
 * side by side; `nextCursor` when there may be more.
 */
export async function listCampaigns(store: CampaignStore, settings: Settings, params: Params) {
  const limit = readCount(params, 'limit', LIST_LIMITS.fallback, LIST_LIMITS.max);
  const cursor = optionalString(params, 'cursor', { maxLength: 64 });
  if (cursor !== undefined && !isListCursor(cursor))
    throw badRequest('invalid_parameter', '"cursor" is the nextCursor of an earlier answer');
  const { ids, nextCursor } = await store.newest(limit, cursor);
  // A campaign whose record expired before its index entry is left out.
  const statuses = await Promise.all(ids.map((id) => campaignStatus(store, settings, id).catch(unlessGone)));
  return { campaigns: statuses.filter((status) => status !== undefined), ...(nextCursor ? { nextCursor } : {}) };
}

const unlessGone = (error: unknown): undefined => {
  if (error instanceof AppError && error.status === 404) return undefined;
  throw error;
};

const STATES = ['pending', 'sent', 'refused', 'failed'] as const;
type ListState = (typeof STATES)[number];
const PAGE_ROWS = 100;
const MAX_READS = 20;

export function readListState(value: string | undefined): ListState | undefined {
  if (value === undefined) return undefined;
  if (!(STATES as readonly string[]).includes(value)) throw badRequest('invalid_parameter', `"state" is one of ${STATES.join(', ')}`);
  return value as ListState;
}

/**
 * `GET /campaigns/recipient-list`: recipients, optionally of one state, about 100 per answer with
 * a cursor: first the rows refused when their page was added (`u<page>`), then the batches
 * (`b<index>`). Each answer reads at most MAX_READS Sync items.
 */
export async function listRecipients(store: CampaignStore, id: string, state: ListState | undefined, cursor: string | undefined) {
  const record = await existing(store, id);
  const pages = Object.keys(record.pages)
    .map(Number)
    .sort((a, b) => a - b);
  const order = batchOrder(record);
  const match = /^([ub])(\d{1,6})$/.exec(cursor ?? 'u0');
  if (!match) throw badRequest('invalid_parameter', '"cursor" is the nextCursor of an earlier answer');
  let phase = match[1];
  let position = Number(match[2]);
  const rows: Array<{ to: string; state: ListState; reason?: string; sid?: string; row?: number }> = [];
  let reads = 0;
  while (rows.length < PAGE_ROWS && reads < MAX_READS) {
    if (phase === 'u') {
      if (position >= pages.length || (state !== undefined && state !== 'refused')) {
        phase = 'b';
        position = 0;
        continue;
      }
      const summary = await store.page(id, pages[position]);
      reads += 1;
      for (const refusal of summary?.refused ?? [])
        rows.push({ to: refusal.to, state: 'refused', reason: refusal.reason, row: refusal.row });
      position += 1;
      continue;
    }
    if (position >= order.length) return { recipients: rows };
    const [page, batch] = order[position];
    const [recipients, outcomes] = await Promise.all([store.batch(id, page, batch), store.outcomes(id, page, batch)]);
    reads += 2;
    for (const recipient of recipients) {
      const outcome = outcomes[recipient.to];
      const row = outcome ? { to: recipient.to, ...outcome } : { to: recipient.to, state: 'pending' as const };
      if (state === undefined || row.state === state) rows.push(row);
    }
    position += 1;
  }
  return { recipients: rows, nextCursor: `${phase}${position}` };
}

/** `POST /campaigns/cancel`: no further sends. Messages already handed to Twilio stay sent or queued (Twilio cancels only scheduled ones, and a campaign schedules none). */
export async function cancelCampaign(store: CampaignStore, id: string) {
  await existing(store, id);
  const record = await store.update(id, (current) =>
    current.state === 'done' || current.state === 'canceled' ? undefined : { ...current, state: 'canceled' },
  );
  return { id, state: record?.state ?? 'canceled', canceledScheduled: 0 };
}
