import { AppError } from '../errors/app-error';
import { fromTwilioError, isTwilioRestError } from '../errors/twilio-errors';
import type { RouteInput } from '../runtime/route';
import type { Stores } from '../stores';

/** The day (UTC) a time falls in, as `2026-11-23`: the bucket Verify outcomes are counted in. */
export const dayOf = (time: Date): string => time.toISOString().slice(0, 10);

/**
 * What an operator watches for an attack: `sent:<channel>`, `approved`, `refused:<reason>`,
 * `check_failed:<reason>`, and the paid calls `paid:lookup` / `paid:verification`.
 */
export function countVerify(stores: Stores, ...names: string[]): Promise<void> {
  return stores.verifyStats.increment(dayOf(new Date()), ...names);
}

/**
 * A route's refusal listener: counts each refusal as `<prefix>:<error code>` (ours, or Twilio's
 * mapped), the origin and token checks included.
 */
export const countRefusalsAs =
  (prefix: string) =>
  async (input: RouteInput, error: unknown): Promise<void> => {
    const reason = error instanceof AppError ? error.code : isTwilioRestError(error) ? fromTwilioError(error).code : 'internal_error';
    await countVerify(input.stores, `${prefix}:${reason}`);
  };

/** Today's and yesterday's counters, grouped as an operator reads them. */
export async function readVerifyStats(stores: Stores, now = new Date()) {
  const days = [dayOf(now), dayOf(new Date(now.getTime() - 86_400_000))];
  const [today, yesterday] = await Promise.all(days.map((day) => stores.verifyStats.read(day)));
  return { today: { day: days[0], ...grouped(today) }, yesterday: { day: days[1], ...grouped(yesterday) } };
}

function grouped(counts: Record<string, number>) {
  const group = (prefix: string) =>
    Object.fromEntries(Object.entries(counts).filter(([name]) => name.startsWith(`${prefix}:`)).map(([name, value]) => [name.slice(prefix.length + 1), value]));
  return {
    sent: group('sent'),
    approved: counts.approved ?? 0,
    refused: group('refused'),
    checkFailed: group('check_failed'),
    paid: group('paid'),
  };
}
