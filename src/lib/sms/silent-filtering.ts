import type { Counts } from '../stores/sharded-counters';
import { hourOf, rateOf, SETTLED_PREFIX, SKIPPED_PREFIX, type DeliveryRate, type DeliveryStats } from '../stores/delivery-stats';

const HOUR_MS = 3_600_000;

/** The clock hour `offset` hours before or after `hour` (`2026-11-23T10`). */
const hourAfter = (hour: string, offset: number): string => hourOf(new Date(Date.parse(`${hour}:00:00Z`) + offset * HOUR_MS));

/**
 * Whether every message that reached `sent` in `hour` has waited `thresholdMinutes` since (the
 * hour is over and the wait has passed for its last minute): only then does `sent` without an
 * outcome count as silently filtered.
 */
export const waitIsOver = (hour: string, thresholdMinutes: number, now: Date): boolean =>
  Date.parse(`${hour}:00:00Z`) + HOUR_MS + thresholdMinutes * 60_000 <= now.getTime();

/** The latest clock hour whose wait is over at `now`. */
export const latestWaitedHour = (thresholdMinutes: number, now: Date): string =>
  hourOf(new Date(now.getTime() - HOUR_MS - thresholdMinutes * 60_000));

/** Messages that reached `sent` in an hour: how many got an outcome since, and how many still wait. */
export interface SentHour {
  sent: number;
  settled: number;
  /** sent − settled: still at `sent` (or with an outcome not yet reported to us). */
  awaiting: number;
}

/**
 * `hour`'s sent messages and their outcomes, from the counters of `hour` and every hour after it
 * (`later`, in any order): an outcome is counted as `settled:<sent hour>` in the hour it came.
 */
export function sentHour(hour: string, counts: Counts, later: ReadonlyArray<Counts>): SentHour {
  const name = `${SETTLED_PREFIX}${hour}`;
  const sent = counts.sent ?? 0;
  const settled = [counts, ...later].reduce((sum, each) => sum + (each[name] ?? 0), 0);
  return { sent, settled, awaiting: Math.max(0, sent - settled) };
}

/** The last hour whose wait is over, as /sms/stats and the alert report it. */
export interface SilentFiltering extends SentHour {
  thresholdMinutes: number;
  /** The clock hour (UTC) the messages reached `sent` in. */
  hour: string;
}

/** The counters of every clock hour from `from` to `now`'s, oldest first (one read of the shards each). */
export async function readHoursSince(stats: DeliveryStats, from: string, now: Date): Promise<Array<{ hour: string; counts: Counts }>> {
  const names: string[] = [];
  for (let hour = from; hour <= hourOf(now); hour = hourAfter(hour, 1)) names.push(hour);
  const read = await Promise.all(names.map((hour) => stats.counts(hour)));
  return names.map((hour, index) => ({ hour, counts: read[index] }));
}

/** Silent filtering in `hours` (read from its first hour to now): the latest hour whose wait is over. */
export function silentFilteringOf(
  hours: ReadonlyArray<{ hour: string; counts: Counts }>,
  thresholdMinutes: number,
  now: Date,
): SilentFiltering {
  const hour = latestWaitedHour(thresholdMinutes, now);
  const index = hours.findIndex((each) => each.hour === hour);
  const counts = index < 0 ? {} : hours[index].counts;
  const later = index < 0 ? [] : hours.slice(index + 1).map((each) => each.counts);
  return { thresholdMinutes, hour, ...sentHour(hour, counts, later) };
}

/**
 * GET /sms/stats's figures: the last hour's delivery rate and the silent filtering of the latest
 * hour whose wait is over, from one read of each clock hour between that hour and now (3 hours at
 * the default 60 minutes), whatever the number of messages.
 */
export async function readDeliveryStats(
  stats: DeliveryStats,
  thresholdMinutes: number,
  now = new Date(),
): Promise<DeliveryRate & { silentFiltering: SilentFiltering; staffNoticesSkipped: StaffNoticesSkipped }> {
  const previous = hourOf(new Date(now.getTime() - HOUR_MS));
  const waited = latestWaitedHour(thresholdMinutes, now);
  const hours = await readHoursSince(stats, waited < previous ? waited : previous, now);
  const countsOf = (hour: string) => hours.find((each) => each.hour === hour)?.counts ?? {};
  const current = countsOf(hourOf(now));
  return {
    ...rateOf(current, countsOf(previous), now),
    silentFiltering: silentFilteringOf(hours, thresholdMinutes, now),
    staffNoticesSkipped: {
      hour: hourOf(now),
      forwards: current[`${SKIPPED_PREFIX}forward`] ?? 0,
      voicemailNotices: current[`${SKIPPED_PREFIX}voicemail-notice`] ?? 0,
    },
  };
}

/** Staff notices skipped this clock hour because the spend ceiling was spent (../outbound/skipped-notices.ts). */
interface StaffNoticesSkipped {
  hour: string;
  forwards: number;
  voicemailNotices: number;
}
