// The spend ceiling: every paid action someone outside can make us take (a Verify code and the
// Lookup before it, an IVR text, an auto-reply, a HELP/START answer, a WhatsApp router reply)
// spends from one hourly budget, PAID_ACTIONS_PER_HOUR, before the paid call. Per-number and
// per-range limits stop a run through one range; this caps a run through many.
import type { Settings } from '../config/settings';
import { AppError } from '../errors/app-error';
import type { Stores } from '../stores';
import { hourOf, secondsToNextHour } from '../stores/delivery-stats';
import type { PaidShardRead } from '../stores/paid-actions';

/**
 * The paid actions an outsider can trigger: a Verify code and a Lookup (/verify/start), and a
 * message or call to a recipient someone outside chose (the outbound gate's `outsider` trigger:
 * IVR texts, auto-replies, keyword answers, WhatsApp router replies).
 */
export type PaidAction = 'verification' | 'lookup' | 'message' | 'call';

declare const allowed: unique symbol;

/** Proof that the ceiling allowed these actions: the paid calls behind them take one, so none can skip the ceiling. */
export type PaidAllowance = { readonly actions: readonly PaidAction[] } & { readonly [allowed]: true };

export interface CeilingContext {
  readonly settings: Pick<Settings, 'paidActionsPerHour'>;
  readonly stores: Pick<Stores, 'paidActions'>;
}

/** Throws (a bug, 500) unless the allowance covers `action`: the paid call it guards is about to be made. */
export function paidFor(allowance: PaidAllowance, action: PaidAction): void {
  if (!allowance.actions.includes(action)) throw new AppError(500, 'internal_error', `A ${action} was not allowed by the spend ceiling`);
}

/** The ceiling's refusal: 429 with Retry-After to the next hour, when the budget opens again. */
export const budgetExhausted = (now: Date) =>
  new AppError(429, 'budget_exhausted', 'The hourly budget for paid actions is spent; try again next hour', {
    retryAfterSeconds: secondsToNextHour(now),
  });

/** Whether an error is the ceiling's refusal (429 budget_exhausted). */
export const isCeilingRefusal = (error: unknown): boolean => error instanceof AppError && error.code === 'budget_exhausted';

/** The hour's spending, read ahead (side by side with a route's other reads); no Sync call once this container saw it spent. */
export function readCeiling({ settings, stores }: CeilingContext, now = new Date()): Promise<PaidShardRead> {
  return stores.paidActions.read(settings.paidActionsPerHour, hourOf(now));
}

/** Whether the read shows room for `actions`, so spending is one write that can go beside others. Pure. */
export function ceilingHasRoom({ settings, stores }: CeilingContext, read: PaidShardRead, actions: readonly PaidAction[]): boolean {
  return stores.paidActions.hasRoomIn(settings.paidActionsPerHour, read, actions.length);
}

/** Whether the ceiling is known to be spent from the read alone: a refusal that costs no Sync call. */
export const ceilingSeenSpent = (read: PaidShardRead): boolean => read.known === 'full';

/**
 * Spends one unit per action from the hour's budget, or throws `budget_exhausted` having written
 * nothing. Nothing is given back if the action is refused later: the ceiling errs towards spending less.
 */
export async function spendCeiling(
  context: CeilingContext,
  actions: readonly PaidAction[],
  read?: PaidShardRead,
  now = new Date(),
): Promise<PaidAllowance> {
  const budget = context.settings.paidActionsPerHour;
  const shard = read ?? (await readCeiling(context, now));
  if (!(await context.stores.paidActions.spend(budget, shard, actions.length))) throw budgetExhausted(now);
  return { actions } as PaidAllowance;
}
