import { AppError } from '../errors/app-error';
import { fromTwilioError, isTwilioRestError } from '../errors/twilio-errors';
import type { RouteInput } from '../runtime/route';
import type { Stores } from '../stores';
import type { Counts, PreparedCount } from '../stores/sharded-counters';

/** The day (UTC) a time falls in, as `2026-11-23`: the bucket Verify outcomes are counted in. */
const dayOf = (time: Date): string => time.toISOString().slice(0, 10);

/**
 * What an operator reads per hour is also counted in its hour, in the same write, as a short
 * field of the day's counter (`13|s`): per-hour numbers cost no extra write and no extra read.
 * Codes sent (`s`, all channels), approvals (`a`), refusals by reason (`r:<reason>`) and paid
 * Lookups and sends (`pl`, `pv`); failed checks and channels are per day only. A Sync item holds
 * 16 KiB (https://www.twilio.com/docs/sync/api/map-item-resource: "Can be up to 16 KiB in
 * length"; more is refused with 54006, https://www.twilio.com/docs/api/errors/54006), and
 * refusal reasons are chosen by whoever sends the requests: `boundDay` keeps the item under it.
 */
const hourOf = (time: Date): string => time.toISOString().slice(11, 13);
const HOUR_SEPARATOR = '|';
const HOURLY: ReadonlyArray<[prefix: string, short: string]> = [
  ['sent:', 's'],
  ['approved', 'a'],
  ['refused:', 'r:'],
  ['paid:lookup', 'pl'],
  ['paid:verification', 'pv'],
];
/** The hourly field of a daily counter name, or undefined when it is counted per day only. */
function hourly(hour: string, name: string): string | undefined {
  for (const [prefix, short] of HOURLY) {
    if (name === prefix || (prefix.endsWith(':') && name.startsWith(prefix)))
      return `${hour}${HOUR_SEPARATOR}${short}${short.endsWith(':') ? name.slice(prefix.length) : ''}`;
  }
  return undefined;
}

/**
 * The most reasons a day's item names, per family: refusals and failed checks per day
 * (`refused:`, `check_failed:`), refusals per hour (`13|r:`); the rest count as `<family>other`,
 * so totals stay right. Reasons are cut to REASON_LENGTH characters. Worst case, every family
 * full, names at their longest and counts of 10 digits (Sync's 20 writes/s per map allow far
 * fewer per day): 34 daily fields of at most 59 bytes and 24 hours of 4 short fields (20 bytes)
 * and 4 refusal fields (51 bytes), about 8.8 KB: under 16 KiB with room for the JSON around them.
 */
const REASONS_PER_DAY = 12;
const REASONS_PER_HOUR = 3;
const REASON_LENGTH = 32;
const OTHER = 'other';

/** The family of a reason counter (`refused:`, `check_failed:`, `13|r:`), or undefined for a fixed name. */
function reasonFamily(name: string): string | undefined {
  if (name.startsWith('refused:')) return 'refused:';
  if (name.startsWith('check_failed:')) return 'check_failed:';
  const hourly = /^\d{2}\|r:/.exec(name);
  return hourly ? hourly[0] : undefined;
}

/**
 * A day's counts as its item may hold them: per family, the REASONS_PER_DAY (or _PER_HOUR)
 * largest reasons by name, the others added into `<family>other`. Pure: applied to the sum
 * before each write (a write that lost a race applies it again).
 */
export function boundDay(counts: Counts): Counts {
  const bounded: Counts = {};
  const families = new Map<string, Array<[string, number]>>();
  for (const [name, value] of Object.entries(counts)) {
    const family = reasonFamily(name);
    if (!family) {
      bounded[name] = (bounded[name] ?? 0) + value;
      continue;
    }
    const reason = name.slice(family.length).slice(0, REASON_LENGTH);
    const reasons = families.get(family) ?? [];
    const same = reasons.find(([known]) => known === reason);
    if (same) same[1] += value;
    else reasons.push([reason, value]);
    families.set(family, reasons);
  }
  for (const [family, reasons] of families) {
    const limit = family.includes('|') ? REASONS_PER_HOUR : REASONS_PER_DAY;
    const named = reasons.filter(([reason]) => reason !== OTHER).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    let other = reasons.find(([reason]) => reason === OTHER)?.[1] ?? 0;
    named.forEach(([reason, value], index) => {
      if (index < limit) bounded[`${family}${reason}`] = value;
      else other += value;
    });
    if (other > 0) bounded[`${family}${OTHER}`] = other;
  }
  return bounded;
}

/** One hour's numbers, from its short fields (`s`, `a`, `r:<reason>`, `pl`, `pv`). */
function hourNumbers(fields: Counts) {
  const refused: Counts = {};
  for (const [name, value] of Object.entries(fields)) if (name.startsWith('r:')) refused[name.slice(2)] = value;
  return {
    sent: fields.s ?? 0,
    approved: fields.a ?? 0,
    refused,
    paid: { lookup: fields.pl ?? 0, verification: fields.pv ?? 0 },
  };
}

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
    if (!name.includes(HOUR_SEPARATOR)) waiting += value; // a refusal's hourly twin is not a second refusal
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
  hour: string;
  count: PreparedCount;
}

/**
 * Writes `names` (one each) plus everything unwritten, one counter write per day touched; `day`'s
 * through `prepared` when its shard was read ahead.
 */
async function write(stores: Stores, day: string, hour: string, names: string[], prepared?: PreparedVerifyCount): Promise<void> {
  const batches = takeUnwritten();
  const today: Counts = { ...batches.get(day) };
  for (const name of names) {
    today[name] = (today[name] ?? 0) + 1;
    const perHour = hourly(hour, name);
    if (perHour) today[perHour] = (today[perHour] ?? 0) + 1;
  }
  batches.set(day, today);
  const writes = [...batches].filter(([, counts]) => Object.keys(counts).length > 0);
  const add = (bucket: string, counts: Counts) =>
    prepared && bucket === prepared.day
      ? prepared.count.add(counts, boundDay)
      : stores.verifyStats.add(bucket, counts, { shard: names.length === 0 ? BATCH_SHARD : undefined, bound: boundDay });
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
  const now = new Date();
  return write(stores, dayOf(now), hourOf(now), names);
}

/** Reads today's counter shard now (side by side with other reads), for `countVerifyPrepared` later. */
export async function prepareVerifyCount(stores: Stores, now = new Date()): Promise<PreparedVerifyCount> {
  const day = dayOf(now);
  return { day, hour: hourOf(now), count: await stores.verifyStats.prepare(day) };
}

/** `countVerify` in one write, through a shard read ahead (used once). */
export function countVerifyPrepared(stores: Stores, prepared: PreparedVerifyCount, ...names: string[]): Promise<void> {
  return write(stores, prepared.day, prepared.hour, names, prepared);
}

/**
 * A route's refusal listener: counts each refusal as `<prefix>:<error code>` (ours, or Twilio's
 * mapped), the origin and token checks included, in memory, written in batches (see `unwritten`).
 */
export const countRefusalsAs =
  (prefix: string) =>
  async (input: Pick<RouteInput, 'stores'>, error: unknown, now = Date.now()): Promise<void> => {
    const reason = error instanceof AppError ? error.code : isTwilioRestError(error) ? fromTwilioError(error).code : 'internal_error';
    const day = dayOf(new Date(now));
    const name = `${prefix}:${reason}`;
    const perHour = hourly(hourOf(new Date(now)), name);
    keepUnwritten(day, { [name]: 1, ...(perHour ? { [perHour]: 1 } : {}) }, now);
    if (batchDue(now)) await write(input.stores, day, hourOf(new Date(now)), []);
  };

/**
 * Today's and yesterday's counters (what Sync holds plus this container's unwritten refusals),
 * grouped as an operator reads them, and the last `hours` clock hours (1 to 24, oldest first),
 * from the same two reads: 24 hours never reach back past yesterday.
 */
export async function readVerifyStats(stores: Stores, hours = 12, now = new Date()) {
  const days = [dayOf(now), dayOf(new Date(now.getTime() - 86_400_000))];
  const [today, yesterday] = await Promise.all(days.map((day) => stores.verifyStats.read(day)));
  const withUnwritten = (day: string, counts: Counts): Counts => {
    const sum = { ...counts };
    for (const [name, value] of Object.entries(unwritten.get(day) ?? {})) sum[name] = (sum[name] ?? 0) + value;
    return sum;
  };
  const byDay = new Map([
    [days[0], withUnwritten(days[0], today)],
    [days[1], withUnwritten(days[1], yesterday)],
  ]);
  const thisHour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const perHour = Array.from({ length: Math.min(24, Math.max(1, hours)) }, (_, index) => {
    const start = new Date(thisHour - index * 3_600_000);
    const prefix = `${hourOf(start)}${HOUR_SEPARATOR}`;
    const counts = Object.fromEntries(
      Object.entries(byDay.get(dayOf(start)) ?? {})
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, value]) => [name.slice(prefix.length), value]),
    );
    return { hour: start.toISOString().slice(0, 13), ...hourNumbers(counts) };
  }).reverse();
  return {
    today: { day: days[0], ...grouped(byDay.get(days[0]) ?? {}) },
    yesterday: { day: days[1], ...grouped(byDay.get(days[1]) ?? {}) },
    hours: perHour,
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
