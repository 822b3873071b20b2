/**
 * Sandbox magic destinations for Verify. Twilio has no Verify test numbers (its test
 * credentials do not cover Verify), so these are the sandbox's own, chosen in Twilio's magic
 * range (+1 500 555 00xx) on numbers its SMS magic numbers do not use, plus the countries
 * Twilio documents as undeliverable on the 60605 page. Each refusal uses Twilio's error code and
 * the HTTP status its error page gives (https://www.twilio.com/docs/api/errors/<code>).
 */

export const VERIFY_CHANNELS = ['sms', 'call', 'whatsapp', 'email'] as const;
export type VerifyChannel = (typeof VERIFY_CHANNELS)[number];

export interface VerifyRefusal {
  status: number;
  code: number;
  message: string;
  /** The channels refused; other channels to the same destination go through. */
  channels: readonly VerifyChannel[];
}

const PHONE_CHANNELS: readonly VerifyChannel[] = ['sms', 'call', 'whatsapp'];

/** The Fraud Guard range: +1 500 555 0030 … 0039 (Lookup's SMS Pumping Risk reports them blocked). */
export const FRAUD_GUARD_PREFIX = '+1500555003';

/** Exact destinations. */
export const VERIFY_MAGIC_NUMBERS: Readonly<Record<string, VerifyRefusal>> = {
  // Twilio's own SMS magic number for an invalid 'To'.
  '+15005550001': { status: 400, code: 60200, message: 'Invalid parameter: To', channels: PHONE_CHANNELS },
  '+15005550020': { status: 403, code: 60205, message: 'SMS is not supported by landline phone number', channels: ['sms'] },
  '+15005550022': { status: 429, code: 60212, message: 'Too many concurrent requests for phone number', channels: PHONE_CHANNELS },
  '+15005550023': { status: 400, code: 60223, message: 'Delivery channel disabled', channels: PHONE_CHANNELS },
};

/** Destination prefixes, checked after the exact numbers. */
export const VERIFY_MAGIC_PREFIXES: ReadonlyArray<readonly [string, VerifyRefusal]> = [
  // Fraud Guard blocks SMS only; 60410's page states no HTTP status: 403 is the sandbox's choice.
  [FRAUD_GUARD_PREFIX, { status: 403, code: 60410, message: 'Verification delivery attempt blocked', channels: ['sms'] }],
  // Verify Geo Permissions cover SMS and voice; the 60605 page names Iran, Syria and Cuba.
  ['+53', { status: 403, code: 60605, message: 'Verification delivery attempt blocked', channels: ['sms', 'call'] }],
  ['+98', { status: 403, code: 60605, message: 'Verification delivery attempt blocked', channels: ['sms', 'call'] }],
  ['+963', { status: 403, code: 60605, message: 'Verification delivery attempt blocked', channels: ['sms', 'call'] }],
];

/** The refusal a start to `to` on `channel` gets, or `null`. O(1): a map hit and a fixed short table. */
export function magicRefusal(to: string, channel: VerifyChannel): VerifyRefusal | null {
  const exact = VERIFY_MAGIC_NUMBERS[to];
  if (exact) return exact.channels.includes(channel) ? exact : null;
  for (const [prefix, refusal] of VERIFY_MAGIC_PREFIXES) {
    if (to.startsWith(prefix) && refusal.channels.includes(channel)) return refusal;
  }
  return null;
}
