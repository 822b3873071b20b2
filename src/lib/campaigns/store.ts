import { allInOrder } from '../runtime/all-in-order';
import type { SyncMapStore } from '../stores/sync-map-store';
import type { ShardedCounters } from '../stores/sharded-counters';
import type { CampaignDefinition, CampaignState } from './campaign';
import type { Variables } from './template';

/** A campaign as Sync keeps it: its definition, its pages, where the drivers are, and its counts. */
export interface CampaignRecord extends CampaignDefinition {
  state: CampaignState;
  /** Page index (as the caller numbered it) → how many batches it was stored as. */
  pages: Record<string, number>;
  accepted: number;
  /** Rows refused when their page was added (invalid, duplicate, ...). */
  uploadRefused: number;
  /** Index, in page-then-batch order, of the first batch not yet complete. */
  cursor: number;
  /** Outcomes of accepted recipients: sent, refused at send time (opted out, ...), failed. */
  counts: { sent: number; refused: number; failed: number };
  refusedByReason: Record<string, number>;
  /** When the sender's queue is estimated to be empty (epoch ms): the drivers never queue more than MAX_QUEUE_SECONDS. */
  queueClearsAt: number;
}

export interface Recipient {
  /** E.164. */
  to: string;
  vars: Variables;
}

export interface Outcome {
  state: 'sent' | 'refused' | 'failed';
  sid?: string;
  reason?: string;
}

export interface Refusal {
  row: number;
  to: string;
  reason: string;
}

export interface PageSummary {
  accepted: number;
  refused: Refusal[];
  batches: number;
}

/** A page as stored: its counts; the refusals live in chunks of REFUSAL_CHUNK (an item holds 16 KiB). */
interface StoredPage {
  accepted: number;
  refusedChunks: number;
  batches: number;
}

const REFUSAL_CHUNK = 100;

/** The claim a driver takes on a recipient before the create: the first taker sends, the others wait or reconcile. */
export interface SendClaim {
  at: number;
  driver: string;
  /** Set when the create failed in a way that may or may not have sent (a 5xx, a timeout). */
  ambiguous?: boolean;
}

/** A campaign's entry in the newest-first index. */
export interface CampaignListed {
  id: string;
  createdAt: string;
}

/** Its index key: the creation time (ISO 8601, so key order is time order), then the id. */
const listedKey = (record: Pick<CampaignRecord, 'id' | 'createdAt'>): string => `${record.createdAt}:${record.id}`;

/** Whether a list cursor is an index key as `newest` answers it (it goes into a Sync `From` parameter). */
export const isListCursor = (cursor: string): boolean => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z:CP[0-9a-f]{32}$/.test(cursor);

/** Campaign recipients are stored in batches small enough for one Sync item (16 KiB). */
export const BATCH_SIZE = 40;

/**
 * Campaigns over Sync: records (one item each), the data map (batches of recipients `b`, their
 * outcomes `r`, page summaries `p`, all keyed under the campaign id), claims (`seen` for
 * de-duplication across pages, `send` before every create) sharded for write rate, and the
 * delivery counters joined from status callbacks.
 */
export class CampaignStore {
  constructor(
    private readonly records: SyncMapStore<CampaignRecord>,
    /** One item per campaign keyed `<createdAt>:<id>` (ISO time first: key order is creation order), for the newest-first list. */
    private readonly index: SyncMapStore<CampaignListed>,
    private readonly data: SyncMapStore<
      { items: Recipient[] } | { outcomes: Record<string, Outcome> } | StoredPage | { refused: Refusal[] }
    >,
    private readonly claims: SyncMapStore<{ page: number } | { hash: string } | SendClaim>,
    readonly stats: ShardedCounters,
  ) {}

  async get(id: string): Promise<CampaignRecord | undefined> {
    return (await this.records.get(id))?.data;
  }

  /** Stores a new campaign and its place in the newest-first list, side by side. */
  async create(record: CampaignRecord): Promise<void> {
    await allInOrder([
      this.records.createIfAbsent(record.id, record),
      this.index.createIfAbsent(listedKey(record), { id: record.id, createdAt: record.createdAt }),
    ]);
  }

  /**
   * Up to `limit` campaigns, newest first, after `cursor` (the `nextCursor` of an earlier page):
   * one Sync page of the index however many campaigns there are. A campaign created before the
   * index existed is not listed (it still answers GET /campaigns/status).
   */
  async newest(limit: number, cursor?: string): Promise<{ ids: string[]; nextCursor?: string }> {
    const page = await this.index.newest(limit, cursor);
    return {
      ids: page.map((item) => item.data.id),
      ...(page.length === limit ? { nextCursor: page[page.length - 1].key } : {}),
    };
  }

  /** Read-modify-write of the record (If-Match); `change` returning undefined leaves it. */
  update(id: string, change: (current: CampaignRecord) => CampaignRecord | undefined): Promise<CampaignRecord | undefined> {
    return this.records.update(id, (current) => (current ? change(current) : undefined));
  }

  async page(id: string, page: number): Promise<PageSummary | undefined> {
    const stored = (await this.data.get(`${id}:p:${page}`))?.data as StoredPage | undefined;
    if (!stored) return undefined;
    const chunks = await Promise.all(Array.from({ length: stored.refusedChunks }, (_, k) => this.data.get(`${id}:p:${page}:r${k}`)));
    return {
      accepted: stored.accepted,
      batches: stored.batches,
      refused: chunks.flatMap((chunk) => (chunk?.data as { refused: Refusal[] } | undefined)?.refused ?? []),
    };
  }

  /** Stores a page's summary once (refusals first, in chunks); false when the page was already stored. */
  async savePage(id: string, page: number, summary: PageSummary): Promise<boolean> {
    const chunks = Math.ceil(summary.refused.length / REFUSAL_CHUNK);
    await Promise.all(
      Array.from({ length: chunks }, (_, k) =>
        this.data.createIfAbsent(`${id}:p:${page}:r${k}`, { refused: summary.refused.slice(k * REFUSAL_CHUNK, (k + 1) * REFUSAL_CHUNK) }),
      ),
    );
    return this.data.createIfAbsent(`${id}:p:${page}`, { accepted: summary.accepted, refusedChunks: chunks, batches: summary.batches });
  }

  /**
   * Binds a page number to its rows (by their hash) the first time; false when the number was
   * already used for other rows. A retry of the same page passes, so a crashed upload can be redone.
   */
  async bindPage(id: string, page: number, hash: string): Promise<boolean> {
    if (await this.claims.createIfAbsent(`${id}:page:${page}`, { hash })) return true;
    return ((await this.claims.get(`${id}:page:${page}`))?.data as { hash: string } | undefined)?.hash === hash;
  }

  /** Stores one batch of a page (idempotent: a re-upload after a crash writes the same). */
  async saveBatch(id: string, page: number, batch: number, items: Recipient[]): Promise<void> {
    await this.data.createIfAbsent(`${id}:b:${page}:${batch}`, { items });
  }

  async batch(id: string, page: number, batch: number): Promise<Recipient[]> {
    return ((await this.data.get(`${id}:b:${page}:${batch}`))?.data as { items: Recipient[] } | undefined)?.items ?? [];
  }

  async outcomes(id: string, page: number, batch: number): Promise<Record<string, Outcome>> {
    return ((await this.data.get(`${id}:r:${page}:${batch}`))?.data as { outcomes: Record<string, Outcome> } | undefined)?.outcomes ?? {};
  }

  /** Adds outcomes to a batch's record; answers the ones that were new (what this call should count). */
  async addOutcomes(id: string, page: number, batch: number, outcomes: Record<string, Outcome>): Promise<Record<string, Outcome>> {
    let added: Record<string, Outcome> = {};
    await this.data.update(`${id}:r:${page}:${batch}`, (current) => {
      const known = (current as { outcomes: Record<string, Outcome> } | undefined)?.outcomes ?? {};
      added = Object.fromEntries(Object.entries(outcomes).filter(([to]) => !known[to]));
      return Object.keys(added).length === 0 ? undefined : { outcomes: { ...known, ...added } };
    });
    return added;
  }

  /**
   * Marks a recipient as seen in `page`: true the first time (or again for the same page, so a
   * re-upload after a crash is not a duplicate of itself), false when another page had them.
   */
  async markSeen(id: string, to: string, page: number): Promise<boolean> {
    if (await this.claims.createIfAbsent(`${id}:seen:${to}`, { page })) return true;
    const holder = (await this.claims.get(`${id}:seen:${to}`))?.data as { page: number } | undefined;
    return holder?.page === page;
  }

  /** Takes the send claim; false when someone holds it. */
  claimSend(id: string, to: string, claim: SendClaim): Promise<boolean> {
    return this.claims.createIfAbsent(`${id}:send:${to}`, claim);
  }

  async sendClaim(id: string, to: string): Promise<SendClaim | undefined> {
    return (await this.claims.get(`${id}:send:${to}`))?.data as SendClaim | undefined;
  }

  /** Replaces a stale claim with ours; false when someone else changed it first. */
  async takeOver(id: string, to: string, stale: SendClaim, ours: SendClaim): Promise<boolean> {
    let taken = false;
    await this.claims.update(`${id}:send:${to}`, (current) => {
      const claim = current as SendClaim | undefined;
      taken = claim !== undefined && claim.at === stale.at && claim.driver === stale.driver;
      return taken ? ours : undefined;
    });
    return taken;
  }

  async markAmbiguous(id: string, to: string, claim: SendClaim): Promise<void> {
    await this.claims.put(`${id}:send:${to}`, { ...claim, ambiguous: true });
  }
}
