import { CHANNELS, channelKey } from '../outbound/address';
import type { RouteInput } from '../runtime/route';
import { continueSweep, type SweepReport } from './progress';
import { RESERVE_MS } from './retention';
import { keyedRecords } from './sync-records';
import type { SweepStep } from './sweep';
import { callsOf, messagesOf } from './twilio-resources';

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
