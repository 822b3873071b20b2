import type { Deadline } from '../runtime/deadline';

/** What a sweep removes, by kind: Twilio's resources and our own Sync records. */
export interface SweepCounts {
  messages: number;
  media: number;
  recordings: number;
  transcriptions: number;
  calls: number;
  /** Items of our own Sync stores (inbox, message and call states, voicemails, ...). */
  records: number;
  /** Found but not removable yet (a message or call still in progress: Twilio's 20009). */
  skipped: number;
}

export const noCounts = (): SweepCounts => ({ messages: 0, media: 0, recordings: 0, transcriptions: 0, calls: 0, records: 0, skipped: 0 });

export const addCounts = (a: SweepCounts, b: Partial<SweepCounts>): SweepCounts => {
  const sum = { ...a };
  for (const [kind, n] of Object.entries(b) as Array<[keyof SweepCounts, number]>) sum[kind] += n;
  return sum;
};

/** One page of a step: a task per item listed (a no-op for an item kept), and where the next page is. */
export interface SweepPage {
  tasks: Array<() => Promise<Partial<SweepCounts>>>;
  nextPageUrl?: string;
}

/** A list walked page by page (Twilio's or a Sync map's), each item removed or kept by its task. */
export interface SweepStep {
  /** Names the list in the cursor (`messages`, `records:inbox-3`). */
  name: string;
  /** The page at `pageUrl` (the first when undefined), of at most `pageSize` items. */
  page(pageUrl: string | undefined, pageSize: number): Promise<SweepPage>;
}

/** Where a sweep stands: the step (by name, so a changed list of steps starts over) and the page it is on. Kept in Sync between calls. */
export interface SweepCursor {
  step: string;
  pageUrl?: string;
}

export interface SweepLimits {
  /** At most this many items are looked at per call. */
  limit: number;
  deadline: Deadline;
  /** Stop while this much time is left (to save the cursor and answer). */
  reserveMs: number;
}

/** Twilio's maximum PageSize on the 2010 API and on Sync lists. */
const MAX_PAGE_SIZE = 1000;

/**
 * Walks the steps from `cursor`, a bounded batch per call: at most `limit` items, and never past
 * the deadline's reserve. A page cut short is listed again next time, which is safe because
 * every task is idempotent (what it removed is no longer listed; what it kept is kept again),
 * and because Twilio's page tokens name the boundary item rather than an offset. Answers what
 * was removed and where to go on, or `cursor: undefined` when every step is done.
 */
export async function runSweep(
  steps: readonly SweepStep[],
  start: SweepCursor | undefined,
  { limit, deadline, reserveMs }: SweepLimits,
): Promise<{ counts: SweepCounts; cursor: SweepCursor | undefined }> {
  let counts = noCounts();
  const resumed = start ? steps.findIndex((step) => step.name === start.step) : -1;
  let index = Math.max(0, resumed);
  let pageUrl = resumed >= 0 ? start?.pageUrl : undefined;
  let looked = 0;
  for (; index < steps.length; index += 1, pageUrl = undefined) {
    const step = steps[index];
    for (;;) {
      const here = { step: step.name, ...(pageUrl ? { pageUrl } : {}) };
      if (looked >= limit || deadline.expired(reserveMs)) return { counts, cursor: here };
      const page = await step.page(pageUrl, Math.min(limit - looked, MAX_PAGE_SIZE));
      for (const task of page.tasks) {
        if (deadline.expired(reserveMs)) return { counts, cursor: here };
        counts = addCounts(counts, await task());
        looked += 1;
      }
      if (!page.nextPageUrl) break;
      pageUrl = page.nextPageUrl;
    }
  }
  return { counts, cursor: undefined };
}
