/**
 * Line Type Intelligence, deterministic by number. Twilio publishes no Lookup magic numbers for
 * this package (its Lookup magic numbers cover Identity Match, SIM Swap, Reassigned Number and
 * SMS Pumping Risk only), so these ranges are the sandbox's own, documented in sandbox/README.md.
 * Type values are Twilio's (https://www.twilio.com/docs/lookup/v2-api/line-type-intelligence).
 */

export type LineType =
  | 'mobile'
  | 'landline'
  | 'fixedVoip'
  | 'nonFixedVoip'
  | 'personal'
  | 'tollFree'
  | 'premium'
  | 'sharedCost'
  | 'uan'
  | 'voicemail'
  | 'pager'
  | 'unknown';

export interface LineTypeInfo {
  type: LineType;
  carrierName: string | null;
  mobileCountryCode: string | null;
  mobileNetworkCode: string | null;
}

/** Exact numbers first: Twilio's SMS magic number "not a mobile number" and the Verify landline magic number. */
const EXACT: ReadonlyMap<string, LineType> = new Map<string, LineType>([
  ['+15005550009', 'landline'],
  ['+15005550020', 'landline'],
]);

/** Prefix → type; the longest matching prefix wins. */
const PREFIXES: ReadonlyMap<string, LineType> = new Map<string, LineType>([
  ['+1800', 'tollFree'],
  ['+1833', 'tollFree'],
  ['+1844', 'tollFree'],
  ['+1855', 'tollFree'],
  ['+1866', 'tollFree'],
  ['+1877', 'tollFree'],
  ['+1888', 'tollFree'],
  ['+1900', 'premium'],
  ['+441', 'landline'],
  ['+442', 'landline'],
  ['+443', 'uan'],
  ['+4456', 'fixedVoip'],
  ['+447', 'mobile'],
  ['+4470', 'personal'],
  ['+4476', 'pager'],
  ['+44800', 'tollFree'],
  ['+44808', 'tollFree'],
  ['+4484', 'sharedCost'],
  ['+4487', 'sharedCost'],
  ['+449', 'premium'],
]);
const LONGEST_PREFIX = Math.max(...[...PREFIXES.keys()].map((p) => p.length));

/**
 * NANP fictional lines +1 NPA 555-01xx (the range the project's tests use): the tens digit of
 * the line picks the type, so every area code has each type.
 */
const NANP_555_01 = /^\+1\d{3}55501(\d)\d$/;
const NANP_BY_TENS: Readonly<Record<string, LineType>> = { '5': 'landline', '6': 'fixedVoip', '7': 'nonFixedVoip', '9': 'unknown' };

/** Types Twilio returns no carrier data for (Line Type Intelligence docs). */
const NO_CARRIER: ReadonlySet<LineType> = new Set<LineType>([
  'personal',
  'tollFree',
  'premium',
  'sharedCost',
  'uan',
  'voicemail',
  'pager',
  'unknown',
]);

const CARRIER_NAMES: Partial<Record<LineType, string>> = {
  mobile: 'Sandbox Mobile',
  landline: 'Sandbox Landline',
  fixedVoip: 'Sandbox Fixed VoIP',
  nonFixedVoip: 'Sandbox Virtual VoIP',
};

/** The line type of a valid E.164 number: exact numbers, then prefixes, then the NANP 555-01xx rule; else `mobile`. O(1). */
export function lineTypeOf(e164: string): LineType {
  const exact = EXACT.get(e164);
  if (exact) return exact;
  for (let length = Math.min(LONGEST_PREFIX, e164.length); length >= 2; length -= 1) {
    const type = PREFIXES.get(e164.slice(0, length));
    if (type) return type;
  }
  const nanp = NANP_555_01.exec(e164);
  if (nanp) return NANP_BY_TENS[nanp[1]] ?? 'mobile';
  return 'mobile';
}

/**
 * The Line Type Intelligence facts of a valid E.164 number. Carriers are fictional and use the
 * ITU test network code (MCC 001, MNC 01), so no real operator is named.
 */
export function lineTypeInfo(e164: string): LineTypeInfo {
  const type = lineTypeOf(e164);
  if (NO_CARRIER.has(type)) return { type, carrierName: null, mobileCountryCode: null, mobileNetworkCode: null };
  return { type, carrierName: CARRIER_NAMES[type] ?? null, mobileCountryCode: '001', mobileNetworkCode: '01' };
}
