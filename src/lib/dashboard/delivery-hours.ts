import { readCount, type Params } from '../http/params';
import { explainDeliveryError } from '../messaging/delivery-errors';
import type { Stores } from '../stores';
import { ERROR_PREFIX, hourOf, outcomesOf } from '../stores/delivery-stats';
import { readHoursSince, sentHour, waitIsOver } from '../sms/silent-filtering';

/** One clock hour of delivery outcomes, as the dashboard charts it. */
interface DeliveryHour {
  hour: string;
  /** Messages whose first status callback after the queue (sent, or an outcome) came this hour. */
  queued: number;
  /** Messages that reached `sent` this hour. */
  sent: number;
  /** Of those, how many have an outcome by now (in any later hour). */
  settled: number;
  /** sent − settled: still waiting for a delivery receipt. */
  awaiting: number;
  /** `awaiting` once SILENT_FILTERING_MINUTES have passed since the hour's end (silently filtered); null before. */
  silent: number | null;
  delivered: number;
  undelivered: number;
  failed: number;
  total: number;
  /** delivered / total, or null for an hour with no outcome. */
  deliveryRate: number | null;
}

/** A Twilio error code behind failed deliveries, with what it means and what to do. */
interface ErrorCount {
  code: number;
  count: number;
  meaning: string;
  action: string;
}

interface DeliveryHours {
  hours: DeliveryHour[];
  /** Every error code counted in those hours, the most frequent first (at most TOP_ERRORS). */
  topErrors: ErrorCount[];
}

/** The counters keep 2 days (stores/index.ts): a day of hours is what a page shows. */
const MAX_HOURS = 24;
const DEFAULT_HOURS = 12;
const TOP_ERRORS = 10;
const HOUR_MS = 3_600_000;

/** `?hours=`: a whole number from 1 to MAX_HOURS, DEFAULT_HOURS when absent. */
export const readHours = (params: Params): number => readCount(params, 'hours', DEFAULT_HOURS, MAX_HOURS);

/**
 * The last `count` clock hours of delivery outcomes and funnel steps (oldest first), with the
 * messages of each hour still at `sent` (silent once the wait is over), and the top error codes. It reads the per-hour counters only (`count` × the counter shards), so its cost does not
 * grow with the number of messages sent.
 */
export async function readDeliveryHours(stores: Stores, count: number, thresholdMinutes: number, now = new Date()): Promise<DeliveryHours> {
  const read = await readHoursSince(stores.deliveryStats, hourOf(new Date(now.getTime() - (count - 1) * HOUR_MS)), now);
  const errors = new Map<number, number>();
  const hours = read.map(({ hour, counts }, index): DeliveryHour => {
    for (const [name, value] of Object.entries(counts)) {
      if (name.startsWith(ERROR_PREFIX)) {
        const code = Number(name.slice(ERROR_PREFIX.length));
        errors.set(code, (errors.get(code) ?? 0) + value);
      }
    }
    const { delivered, undelivered, failed } = outcomesOf(counts);
    const total = delivered + undelivered + failed;
    // An outcome is counted in the hour it came: this hour's sent messages settle in this hour or a later one of the window.
    const waiting = sentHour(
      hour,
      counts,
      read.slice(index + 1).map((later) => later.counts),
    );
    return {
      hour,
      queued: counts.queued ?? 0,
      ...waiting,
      silent: waitIsOver(hour, thresholdMinutes, now) ? waiting.awaiting : null,
      delivered,
      undelivered,
      failed,
      total,
      deliveryRate: total === 0 ? null : delivered / total,
    };
  });
  const topErrors = [...errors]
    .sort(([codeA, a], [codeB, b]) => b - a || codeA - codeB)
    .slice(0, TOP_ERRORS)
    .flatMap(([code, value]) => {
      const explained = explainDeliveryError(code);
      return explained ? [{ ...explained, count: value }] : [];
    });
  return { hours, topErrors };
}
