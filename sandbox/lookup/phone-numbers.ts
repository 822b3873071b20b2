/**
 * Phone number parsing and validation as Lookup v2's basic (free) lookup answers it: E.164 or
 * national input, `valid`, `validation_errors` (Twilio's ValidationError values), country,
 * calling code and national format. The sandbox's own small rule table, not libphonenumber:
 * it knows the countries below by calling code and national length, nothing finer.
 */

/** Twilio's `ValidationError` enum (twilio_lookups_v2.json). */
type ValidationError = 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_BUT_POSSIBLE' | 'INVALID_COUNTRY_CODE' | 'INVALID_LENGTH' | 'NOT_A_NUMBER';

interface CountryRule {
  iso: string;
  callingCode: string;
  /** Inclusive bounds on the national significant number's length. */
  minLength: number;
  maxLength: number;
  /** What a valid national significant number looks like (length already checked). */
  pattern: RegExp;
  /** The national format of a valid national significant number. */
  format: (national: string) => string;
}

const trunkZero = (national: string): string => `0${national}`;

const COUNTRIES: readonly CountryRule[] = [
  // NANP: NPA and exchange start with 2-9. Every +1 number is reported as US (no NPA → country table).
  {
    iso: 'US',
    callingCode: '1',
    minLength: 10,
    maxLength: 10,
    pattern: /^[2-9]\d{2}[2-9]\d{6}$/,
    format: (n) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
  },
  {
    iso: 'GB',
    callingCode: '44',
    minLength: 9,
    maxLength: 10,
    pattern: /^[1-9]\d{8,9}$/,
    format: (n) => `0${n.slice(0, 4)} ${n.slice(4)}`,
  },
  { iso: 'FR', callingCode: '33', minLength: 9, maxLength: 9, pattern: /^[1-9]\d{8}$/, format: trunkZero },
  { iso: 'DE', callingCode: '49', minLength: 6, maxLength: 13, pattern: /^[1-9]\d+$/, format: trunkZero },
  { iso: 'ES', callingCode: '34', minLength: 9, maxLength: 9, pattern: /^[5-9]\d{8}$/, format: (n) => n },
  { iso: 'IT', callingCode: '39', minLength: 6, maxLength: 11, pattern: /^\d+$/, format: (n) => n },
  { iso: 'NL', callingCode: '31', minLength: 9, maxLength: 9, pattern: /^[1-9]\d{8}$/, format: trunkZero },
  { iso: 'AU', callingCode: '61', minLength: 9, maxLength: 9, pattern: /^[1-9]\d{8}$/, format: trunkZero },
  { iso: 'IN', callingCode: '91', minLength: 10, maxLength: 10, pattern: /^[6-9]\d{9}$/, format: trunkZero },
  { iso: 'BR', callingCode: '55', minLength: 10, maxLength: 11, pattern: /^[1-9]\d+$/, format: (n) => n },
  { iso: 'MX', callingCode: '52', minLength: 10, maxLength: 10, pattern: /^[1-9]\d{9}$/, format: (n) => n },
  { iso: 'JP', callingCode: '81', minLength: 9, maxLength: 10, pattern: /^[1-9]\d+$/, format: trunkZero },
  { iso: 'CU', callingCode: '53', minLength: 8, maxLength: 8, pattern: /^[2-9]\d{7}$/, format: (n) => n },
  { iso: 'IR', callingCode: '98', minLength: 10, maxLength: 10, pattern: /^[1-9]\d{9}$/, format: trunkZero },
  { iso: 'SY', callingCode: '963', minLength: 9, maxLength: 9, pattern: /^[1-9]\d{8}$/, format: trunkZero },
];

const BY_CALLING_CODE = new Map(COUNTRIES.map((c) => [c.callingCode, c]));
const BY_ISO = new Map(COUNTRIES.map((c) => [c.iso, c]));

export interface ParsedNumber {
  /** E.164 when the country is known (valid or not), else `+` and the digits given. */
  phoneNumber: string;
  valid: boolean;
  validationErrors: ValidationError[];
  /** ISO 3166 alpha-2, `null` when invalid. */
  countryCode: string | null;
  callingCountryCode: string | null;
  nationalFormat: string | null;
}

function invalid(phoneNumber: string, error: ValidationError): ParsedNumber {
  return { phoneNumber, valid: false, validationErrors: [error], countryCode: null, callingCountryCode: null, nationalFormat: null };
}

/** The country whose calling code starts `digits` (calling codes are prefix-free: 1–3 digits). */
function countryOfInternational(digits: string): CountryRule | undefined {
  for (let length = 1; length <= 3; length += 1) {
    const country = BY_CALLING_CODE.get(digits.slice(0, length));
    if (country) return country;
  }
  return undefined;
}

/**
 * Parses `raw` (E.164, or national format in `countryCode`, default US as Twilio documents) and
 * validates it. Never throws: an invalid number is `valid: false` with its validation errors.
 */
export function parsePhoneNumber(raw: string, countryCode?: string | null): ParsedNumber {
  const compact = raw.trim().replace(/[\s().-]/g, '');
  const international = compact.startsWith('+');
  const digits = international ? compact.slice(1) : compact;
  if (!/^\d+$/.test(digits)) return invalid(compact, 'NOT_A_NUMBER');

  let country: CountryRule | undefined;
  let national: string;
  if (international) {
    country = countryOfInternational(digits);
    if (!country) return invalid(`+${digits}`, 'INVALID_COUNTRY_CODE');
    national = digits.slice(country.callingCode.length);
  } else {
    country = BY_ISO.get((countryCode || 'US').toUpperCase());
    if (!country) return invalid(digits, 'INVALID_COUNTRY_CODE');
    national = digits;
    if (country.callingCode === '1' && national.length === 11 && national.startsWith('1')) national = national.slice(1);
    else if (country.callingCode !== '1' && national.startsWith('0')) national = national.slice(1);
  }

  const phoneNumber = `+${country.callingCode}${national}`;
  if (national.length < country.minLength) return invalid(phoneNumber, 'TOO_SHORT');
  if (national.length > country.maxLength) return invalid(phoneNumber, 'TOO_LONG');
  if (!country.pattern.test(national)) return invalid(phoneNumber, 'INVALID_BUT_POSSIBLE');
  return {
    phoneNumber,
    valid: true,
    validationErrors: [],
    countryCode: country.iso,
    callingCountryCode: country.callingCode,
    nationalFormat: country.format(national),
  };
}
