import type { Counts, ShardedCounters } from './sharded-counters';

export type Outcome = 'delivered' | 'undelivered' | 'failed';

type HourCounts = Record<Outcome, number>;

/** An hour's count of failures with a Twilio error code is named `error:<code>`. */
export const ERROR_PREFIX = 'error:';

/**
 * The count of messages that reached `sent` in hour H and got their outcome in this hour is named
 * `settled:H` (in this hour's counter, the write that counts the outcome): `sent` of H minus every
 * `settled:H` since is what still waits for a receipt, found by reading the hours after H only.
 */
export const SETTLED_PREFIX = 'settled:';

/** An hour's count of staff notices skipped for the spend ceiling is named `skipped:<notice>` (../outbound/skipped-notices.ts). */
export const SKIPPED_PREFIX = 'skipped:';

/** What one status callback counts, in one write. */
export interface Tally {
  outcome?: Outcome;
  errorCode?: number;
  /** The funnel steps (queued, sent) this callback was the first to show. */
  steps?: ReadonlyArray<'queued' | 'sent'>;
  /** With an outcome: the hour the message reached `sent`, if it did. */
  sentHour?: string;
}

/** A tally as counter names (one write adds them all). */
function tallyCounts({ outcome, errorCode, steps = [], sentHour }: Tally): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of steps) counts[step] = 1;
  if (outcome) {
    counts[outcome] = 1;
    if (outcome !== 'delivered' && errorCode) counts[`${ERROR_PREFIX}${errorCode}`] = 1;
    if (sentHour) counts[`${SETTLED_PREFIX}${sentHour}`] = 1;
  }
  return counts;
}

export interface DeliveryRate {
  /** Counts over the last 60 minutes (the previous clock hour weighted by how much of it is inside). */
  lastHour: HourCounts & { total: number; deliveryRate: number | null };
  currentHour: HourCounts & { hour: string };
  previousHour: HourCounts & { hour: string };
}

function withOneMore(rate: DeliveryRate, outcome: Outcome): DeliveryRate {
  const lastHour = { ...rate.lastHour, [outcome]: rate.lastHour[outcome] + 1, total: rate.lastHour.total + 1 };
  return {
    ...rate,
    lastHour: { ...lastHour, deliveryRate: lastHour.delivered / lastHour.total },
    currentHour: { ...rate.currentHour, [outcome]: rate.currentHour[outcome] + 1 },
  };
}

/** The outcome a final status counts as (canceled and received messages count as none). */
export function outcomeOf(status: string): Outcome | undefined {
  if (status === 'delivered' || status === 'read') return 'delivered';
  if (status === 'undelivered' || status === 'failed') return status;
  return undefined;
}

/** The clock hour a time falls in, as `2026-11-23T10`. */
export const hourOf = (time: Date): string => time.toISOString().slice(0, 13);

/** Seconds until the next clock hour (at least 1), for Retry-After of an hourly budget. */
export const secondsToNextHour = (now: Date): number => {
  const hourMs = 3_600_000;
  return Math.max(1, Math.ceil((Math.ceil((now.getTime() + 1) / hourMs) * hourMs - now.getTime()) / 1000));
};

/** An hour's three outcomes from its counters (0 for one not counted). */
export const outcomesOf = (counts: Counts): HourCounts => ({
  delivered: counts.delivered ?? 0,
  undelivered: counts.undelivered ?? 0,
  failed: counts.failed ?? 0,
});

/** The delivery rate at `now` from the counters of its clock hour and the one before. */
export function rateOf(currentCounts: Counts, previousCounts: Counts, now: Date): DeliveryRate {
  const current = outcomesOf(currentCounts);
  const previous = outcomesOf(previousCounts);
  const minutesIntoHour = now.getUTCMinutes() + now.getUTCSeconds() / 60;
  const previousWeight = 1 - minutesIntoHour / 60;
  const weigh = (outcome: Outcome) => current[outcome] + Math.round(previous[outcome] * previousWeight);
  const lastHour = { delivered: weigh('delivered'), undelivered: weigh('undelivered'), failed: weigh('failed') };
  const total = lastHour.delivered + lastHour.undelivered + lastHour.failed;
  return {
    lastHour: { ...lastHour, total, deliveryRate: total === 0 ? null : lastHour.delivered / total },
    currentHour: { ...current, hour: hourOf(now) },
    previousHour: { ...previous, hour: hourOf(new Date(now.getTime() - 3_600_000)) },
  };
}

/** A rate read from Sync by this warm container, plus what the container counted since. */
interface Snapshot {
  readAt: number;
  rate: DeliveryRate;
}

/** How long a container reuses a rate read for alert checks (Sync also limits reads to ~20/s per map). */
const RATE_SNAPSHOT_MS = 10_000;

const snapshots = new WeakMap<object, Snapshot>();

/** Delivery outcomes counted per clock hour, over sharded counters. */
export class DeliveryStats {
  /**
   * @param account any object that stands for the account's Sync service (the Twilio client):
   *   snapshots for alert checks are kept per account.
   */
  constructor(
    private readonly counters: ShardedCounters,
    private readonly account: object,
  ) {}

  async count(outcome: Outcome, at = new Date()): Promise<void> {
    await this.counters.increment(hourOf(at), outcome);
    this.countedHere(outcome);
  }

  /** Counts a staff notice skipped for the spend ceiling (`skipped:<notice>`), in one write; not an outcome. */
  async countSkipped(notice: string, at = new Date()): Promise<void> {
    await this.counters.increment(hourOf(at), `${SKIPPED_PREFIX}${notice}`);
  }

  /**
   * Reads the hour's counter ahead (side by side with other reads): the count is then one write.
   * A failure's Twilio error code, the funnel steps and the outcome's `settled:<sent hour>` are
   * counted in the same write (see tallyCounts).
   */
  async prepare(at = new Date()): Promise<{ count(tally: Tally): Promise<void> }> {
    const prepared = await this.counters.prepare(hourOf(at));
    return {
      count: async (tally) => {
        const counts = tallyCounts(tally);
        if (Object.keys(counts).length === 0) return;
        await prepared.add(counts);
        if (tally.outcome) this.countedHere(tally.outcome);
      },
    };
  }

  private countedHere(outcome: Outcome): void {
    const snapshot = snapshots.get(this.account);
    if (snapshot) snapshot.rate = withOneMore(snapshot.rate, outcome);
  }

  /**
   * The last hour as this container last read it (at most RATE_SNAPSHOT_MS ago) plus what it has
   * counted since: cheap enough to ask on every failed delivery of a campaign.
   */
  async recentRate(now = new Date()): Promise<DeliveryRate['lastHour']> {
    const snapshot = snapshots.get(this.account);
    if (snapshot && now.getTime() - snapshot.readAt < RATE_SNAPSHOT_MS && hourOf(now) === snapshot.rate.currentHour.hour) {
      return snapshot.rate.lastHour;
    }
    const rate = await this.rate(now);
    snapshots.set(this.account, { readAt: now.getTime(), rate });
    return rate.lastHour;
  }

  /** Every counter of a clock hour, the `error:<code>` ones included. */
  counts(hour: string): Promise<Counts> {
    return this.counters.read(hour);
  }

  async rate(now = new Date()): Promise<DeliveryRate> {
    const [current, previous] = await Promise.all([this.counts(hourOf(now)), this.counts(hourOf(new Date(now.getTime() - 3_600_000)))]);
    return rateOf(current, previous, now);
  }
}
