import { AppError } from '../errors/app-error';
import { numberRange } from '../phone/e164';
import { allInOrder } from '../runtime/all-in-order';
import { budgetExhausted, ceilingHasRoom, ceilingSeenSpent, readCeiling, spendCeiling } from '../spend/ceiling';
import { hourOf, secondsToNextHour } from '../stores/delivery-stats';
import { HourlyBudgetStore } from '../stores/hourly-budgets';
import type { Settings } from '../config/settings';
import type { Stores } from '../stores';
import type { Channel } from './address';
import type { Spent } from '../stores/hourly-budgets';
import type { Known } from '../stores/known-write';
import type { PaidShardRead } from '../stores/paid-actions';

interface BudgetContext {
  readonly settings: Pick<Settings, 'triggeredLimits' | 'paidActionsPerHour'>;
  readonly stores: Pick<Stores, 'triggeredSends' | 'paidActions'>;
}

const numberLimited = (perNumber: number, now: Date) =>
  new AppError(429, 'rate_limited', `At most ${perNumber} messages or calls per hour to a number chosen from outside`, {
    retryAfterSeconds: secondsToNextHour(now),
  });

const rangeExhausted = (now: Date) =>
  new AppError(429, 'range_budget_exhausted', 'Too many messages or calls to numbers in this range this hour', {
    retryAfterSeconds: secondsToNextHour(now),
  });

/**
 * The budgets a send to a recipient someone outside chose spends from: TRIGGERED_SENDS_PER_HOUR
 * per number and TRIGGERED_RANGE_PER_HOUR per number range (SMS and voice; a WhatsApp account has
 * no premium range to pump), and the spend ceiling PAID_ACTIONS_PER_HOUR unless `paid` is false
 * (a STOP's confirmation). All are read side by side and decided before anything is written, so a
 * refusal writes nothing; then spent side by side, each in one write. A spend that loses a race
 * for the last unit gives the others back (a rare write, on a race only).
 */
export async function spendOutsiderBudgets(
  context: BudgetContext,
  recipient: { channel: Channel; to: string },
  { paid = true, now = new Date() } = {},
): Promise<void> {
  await spendReadBudgets(context, recipient, await readOutsiderBudgets(context, recipient, { paid, now }), now);
}

/** The budgets' reads, taken ahead so they can go side by side with a caller's other reads. */
export interface OutsiderBudgetReads {
  number?: Known<Spent>;
  range?: Known<Spent>;
  ceiling?: PaidShardRead;
}

/** A number's own hourly budget item, as kept in `triggered-sends` (`<key>@<hour>`): erasure removes it by this key. */
export const numberBudgetKey = (to: string): string => `to:${to}`;

const keysOf = (to: string) => ({ number: numberBudgetKey(to), range: `range:${numberRange(to)}` });

/**
 * Reads the budgets `spendOutsiderBudgets` spends from, side by side: the gate starts them beside
 * its pause and consent reads. `perRecipient: false` reads the ceiling alone: a staff notice an
 * outsider caused (a forward, a voicemail notice) goes to our own number, which no per-number or
 * per-range limit is for.
 */
export async function readOutsiderBudgets(
  { stores, settings }: BudgetContext,
  recipient: { channel: Channel; to: string },
  { paid = true, perRecipient = true, now = new Date() } = {},
): Promise<OutsiderBudgetReads> {
  const hour = hourOf(now);
  const ranged = perRecipient && recipient.channel !== 'whatsapp';
  const keys = keysOf(recipient.to);
  const [number, range, ceiling] = await allInOrder([
    ranged ? stores.triggeredSends.read(keys.number, hour) : undefined,
    ranged ? stores.triggeredSends.read(keys.range, hour) : undefined,
    paid ? readCeiling({ settings, stores }, now) : undefined,
  ]);
  return { number, range, ceiling };
}

/** Decides and spends from budgets read ahead (see spendOutsiderBudgets); a refusal writes nothing. */
export async function spendReadBudgets(
  context: BudgetContext,
  recipient: { channel: Channel; to: string },
  { number, range, ceiling }: OutsiderBudgetReads,
  now = new Date(),
): Promise<void> {
  const { stores, settings } = context;
  const { perNumber, perRange } = settings.triggeredLimits;
  const hour = hourOf(now);
  const action = recipient.channel === 'voice' ? 'call' : 'message';
  const keys = keysOf(recipient.to);
  if (number && !HourlyBudgetStore.hasRoom(number, perNumber)) throw numberLimited(perNumber, now);
  if (range && !HourlyBudgetStore.hasRoom(range, perRange)) throw rangeExhausted(now);
  // The ceiling first when the shard read is spent: it then looks at its other shards, and a refusal there writes nothing else.
  const ceilingFirst = ceiling !== undefined && !ceilingHasRoom(context, ceiling, [action]);
  if (ceiling && ceilingSeenSpent(ceiling)) throw budgetExhausted(now);
  if (ceilingFirst) await spendCeiling(context, [action], ceiling, now);
  const [numberSpent, rangeSpent, ceilingSpent] = await allInOrder([
    number ? stores.triggeredSends.spend(keys.number, hour, perNumber, number) : true,
    range ? stores.triggeredSends.spend(keys.range, hour, perRange, range) : true,
    // The ceiling's spend as a boolean: its refusal is one of the outcomes decided below.
    ceiling && !ceilingFirst ? stores.paidActions.spend(settings.paidActionsPerHour, ceiling, 1) : true,
  ]);
  if (numberSpent && rangeSpent && ceilingSpent) return;
  await allInOrder([
    number && numberSpent ? stores.triggeredSends.refund(keys.number, hour) : undefined,
    range && rangeSpent ? stores.triggeredSends.refund(keys.range, hour) : undefined,
  ]);
  if (!numberSpent) throw numberLimited(perNumber, now);
  if (!rangeSpent) throw rangeExhausted(now);
  throw budgetExhausted(now);
}
