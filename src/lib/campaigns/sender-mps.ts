import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { SendContext } from '../outbound/twilio-requests';
import { repeatable } from '../twilio/request-policy';

/** Throughput Twilio documents per US sender: long code 1 message per second, toll-free 3, short code 100. */
export const SENDER_MPS = { long_code: 1, toll_free: 3, short_code: 100 } as const;

/** Senders read from one Messaging Service: far more than any pool holds. */
const MAX_SENDERS = 400;

/**
 * The Messaging Service's throughput: it spreads a campaign over its sender pool, so the rates of
 * its senders add up (each short code 100, toll-free number 3, other number 1). Two list requests,
 * made once when a campaign is created. Undefined without a Messaging Service or with an empty pool.
 */
export async function messagingServiceMps({ twilio, settings, deadline }: SendContext): Promise<number | undefined> {
  const sid = settings.messagingServiceSid;
  if (!sid) return undefined;
  const service = twilio().messaging.v1.services(sid);
  const [numbers, shortCodes] = await Promise.all([
    repeatable(deadline, () => service.phoneNumbers.list({ limit: MAX_SENDERS })),
    repeatable(deadline, () => service.shortCodes.list({ limit: MAX_SENDERS })),
  ]);
  const numberMps = (phoneNumber: string) =>
    parsePhoneNumberFromString(phoneNumber)?.getType() === 'TOLL_FREE' ? SENDER_MPS.toll_free : SENDER_MPS.long_code;
  const total = numbers.reduce((sum, number) => sum + numberMps(number.phoneNumber), 0) + shortCodes.length * SENDER_MPS.short_code;
  return total > 0 ? total : undefined;
}
