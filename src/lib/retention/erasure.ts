import { CHANNELS, channelKey } from '../outbound/address';
import { numberBudgetKey } from '../outbound/outsider-budgets';
import type { RouteInput } from '../runtime/route';
import { TRIGGERED_SENDS_TTL } from '../stores';
import { hourOf } from '../stores/delivery-stats';
import { continueSweep, type SweepReport } from './progress';
import { RESERVE_MS } from './retention';
import { keyedRecords } from './sync-records';
import type { SweepStep } from './sweep';
import { callsOf, messagesOf } from './twilio-resources';

/** The clock hours (`YYYY-MM-DDTHH`) a budget item written up to TRIGGERED_SENDS_TTL ago can be keyed by. */
function budgetHours(now: Date): string[] {
  const hours = Math.ceil(TRIGGERED_SENDS_TTL / 3_600) + 1;
  return Array.from({ length: hours + 1 }, (_, back) => hourOf(new Date(now.getTime() - back * 3_600_000)));
}

/**
 * Everything of one person (`number` in E.164) that Twilio and we keep, except the consent records:
 * their messages both ways on SMS and WhatsApp (with media), their calls both ways (with
 * recordings and transcriptions), our dated records naming them, and our items keyed by their number.
 */
function erasureSteps(input: RouteInput, number: string): SweepStep[] {
  const { stores, deadline } = input;
  const context = { client: input.twilio(), deadline };
  const addresses = [number, `whatsapp:${number}`];
  const { dated, keyed } = stores.privacy;
  return [
    ...addresses.flatMap((address) => [messagesOf(context, 'to', address), messagesOf(context, 'from', address)]),
    callsOf(context, 'to', number),
    callsOf(context, 'from', number),
    ...dated.flatMap((store) => store.steps((record) => record.addresses.some((address) => addresses.includes(address)))),
    keyedRecords('records:by-number', [
      { store: keyed.verifyDestinations, key: number },
      { store: keyed.lookups, key: number },
      { store: keyed.sessions, key: number },
      ...CHANNELS.map((channel) => ({ store: keyed.campaignRecent, key: channelKey(channel, number) })),
      ...CHANNELS.map((channel) => ({ store: keyed.optOutClarified, key: channelKey(channel, number) })),
      // The number's own hourly budget (outsider-chosen replies): every hour whose item can still live.
      ...budgetHours(new Date()).map((hour) => ({ store: keyed.triggeredSends, key: `${numberBudgetKey(number)}@${hour}` })),
    ]),
  ];
}

/** POST /privacy/erase: one bounded batch of erasing `number`, resumed from its cursor in Sync. */
export function eraseNumber(input: RouteInput, number: string, limit: number): Promise<SweepReport> {
  return continueSweep(input.stores.privacy.sweeps, `erase:${number}`, erasureSteps(input, number), {
    limit,
    deadline: input.deadline,
    reserveMs: RESERVE_MS,
  });
}
