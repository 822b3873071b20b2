import { AppError } from '../errors/app-error';
import { fromTwilioError, isTwilioRestError } from '../errors/twilio-errors';
import type { RouteInput } from '../runtime/route';
import type { Stores } from '../stores';
import type { Counts, PreparedCount } from '../stores/sharded-counters';

/** The day (UTC) a time falls in, as `2026-11-23`: the bucket Verify outcomes are counted in. */
const dayOf = (time: Date): string => time.toISOString().slice(0, 10);

/**
 * Refusals counted by this warm container and not yet written: a refusal must cost the owner no
 * Sync write of its own (an attacker could otherwise buy writes with free requests). They are
 * written with the next write the container makes anyway (a code sent), or by the refusal that
 * makes FLUSH_AFTER_COUNT of them, or the first refusal FLUSH_AFTER_MS after the oldest one
 * waiting: one write per day touched, so 1,000 refusals in a flood cost at most 8 writes (9 if the
 * batches' map is created then). The write is awaited before the refusal is answered, since Twilio ends an invocation when it answers
 * (https://www.twilio.com/docs/serverless/functions-assets/faq) and no hook runs after it. A write
 * that fails keeps its counts for the next; a container that is recycled loses what it had not
 * written (at most a batch): refusal counts are approximate, never inflated.
 */
const unwritten = new Map<string, Counts>();
const FLUSH_AFTER_COUNT = 125;
/** Batches go to one shard: they are few, and a flood never creates more than that shard's map. */
const BATCH_SHARD = 0;
const FLUSH_AFTER_MS = 60_000;
let waiting = 0;
let oldestWaiting: number | undefined;

function takeUnwritten(): Map<string, Counts> {
  const taken = new Map(unwritten);
  unwritten.clear();
  waiting = 0;
  oldestWaiting = undefined;
  return taken;
}

/** Puts counts back to wait for the next write (a write that failed). */
function keepUnwritten(bucket: string, counts: Counts, now = Date.now()): void {
  const kept = unwritten.get(bucket) ?? {};
  for (const [name, value] of Object.entries(counts)) {
    kept[name] = (kept[name] ?? 0) + value;
    waiting += value;
  }
  unwritten.set(bucket, kept);
  oldestWaiting ??= now;
}

/** Whether the refusals waiting make a batch: enough of them, or the oldest waited long enough. */
const batchDue = (now: number): boolean =>
  waiting >= FLUSH_AFTER_COUNT || (oldestWaiting !== undefined && now - oldestWaiting >= FLUSH_AFTER_MS);

/** Today's counter shard read ahead, so counting is one write (see `prepareVerifyCount`). */
export interface PreparedVerifyCount {
  day: string;
  count: PreparedCount;
}

/**
 * Writes `names` (one each) plus everything unwritten, one counter write per day touched; `day`'s
 * through `prepared` when its shard was read ahead.
 */
async function write(stores: Stores, day: string, names: string[], prepared?: PreparedVerifyCount): Promise<void> {
  const batches = takeUnwritten();
  const today: Counts = { ...batches.get(day) };
  for (const name of names) today[name] = (today[name] ?? 0) + 1;
  batches.set(day, today);
  const writes = [...batches].filter(([, counts]) => Object.keys(counts).length > 0);
  const add = (bucket: string, counts: Counts) =>
    prepared && bucket === prepared.day
      ? prepared.count.add(counts)
      : stores.verifyStats.add(bucket, counts, names.length === 0 ? BATCH_SHARD : undefined);
  const results = await Promise.allSettled(writes.map(([bucket, counts]) => add(bucket, counts)));
  // What could not be written waits for the next write (our own `names` included).
  results.forEach((result, index) => {
    if (result.status === 'rejected') keepUnwritten(...writes[index]);
  });
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * What an operator watches for an attack: `sent:<channel>`, `approved`, `refused:<reason>`,
 * `check_failed:<reason>`, and the paid calls `paid:lookup` / `paid:verification`.
 */
export function countVerify(stores: Stores, ...names: string[]): Promise<void> {
  return write(stores, dayOf(new Date()), names);
}

/** Reads today's counter shard now (side by side with other reads), for `countVerifyPrepared` later. */
export async function prepareVerifyCount(stores: Stores, now = new Date()): Promise<PreparedVerifyCount> {
  const day = dayOf(now);
  return { day, count: await stores.verifyStats.prepare(day) };
}

/** `countVerify` in one write, through a shard read ahead (used once). */
export function countVerifyPrepared(stores: Stores, prepared: PreparedVerifyCount, ...names: string[]): Promise<void> {
  return write(stores, prepared.day, names, prepared);
}

/**
 * A route's refusal listener: counts each refusal as `<prefix>:<error code>` (ours, or Twilio's
 * mapped), the origin and token checks included, in memory, written in batches (see `unwritten`).
 */
export const countRefusalsAs =
  (prefix: string) =>
  async (input: RouteInput, error: unknown, now = Date.now()): Promise<void> => {
    const reason = error instanceof AppError ? error.code : isTwilioRestError(error) ? fromTwilioError(error).code : 'internal_error';
    const day = dayOf(new Date(now));
    keepUnwritten(day, { [`${prefix}:${reason}`]: 1 }, now);
    if (batchDue(now)) await write(input.stores, day, []);
  };

/** Today's and yesterday's counters (what Sync holds plus this container's unwritten refusals), grouped as an operator reads them. */
export async function readVerifyStats(stores: Stores, now = new Date()) {
  const days = [dayOf(now), dayOf(new Date(now.getTime() - 86_400_000))];
  const [today, yesterday] = await Promise.all(days.map((day) => stores.verifyStats.read(day)));
  const withUnwritten = (day: string, counts: Counts): Counts => {
    const sum = { ...counts };
    for (const [name, value] of Object.entries(unwritten.get(day) ?? {})) sum[name] = (sum[name] ?? 0) + value;
    return sum;
  };
  return {
    today: { day: days[0], ...grouped(withUnwritten(days[0], today)) },
    yesterday: { day: days[1], ...grouped(withUnwritten(days[1], yesterday)) },
  };
}

function grouped(counts: Record<string, number>) {
  const group = (prefix: string) =>
    Object.fromEntries(
      Object.entries(counts)
        .filter(([name]) => name.startsWith(`${prefix}:`))
        .map(([name, value]) => [name.slice(prefix.length + 1), value]),
    );
  return {
    sent: group('sent'),
    approved: counts.approved ?? 0,
    refused: group('refused'),
    checkFailed: group('check_failed'),
    paid: group('paid'),
  };
}
