import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError, badRequest } from '../errors/app-error';

export interface PhoneRules {
  /** ISO country used to read a national number (e.g. "US" for "(415) 555-0142"). */
  defaultCountry?: string;
  /** When non-empty, only numbers of these ISO countries are accepted. */
  allowedCountries?: readonly string[];
}

export interface PhoneNumber {
  /** E.164, e.g. +14155550142. */
  e164: string;
  /** ISO 3166-1 alpha-2 country, when the number belongs to one. */
  country?: string;
}

const MAX_INPUT_LENGTH = 32;

/**
 * Reads a phone number as a person types it (spaces, dashes, brackets, national form) and returns
 * it in E.164, or a clear 400: `invalid_phone_number` or `country_not_allowed` (403).
 */
export function normalizePhone(input: string, rules: PhoneRules = {}): PhoneNumber {
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_INPUT_LENGTH) {
    throw badRequest('invalid_phone_number', `"${text.slice(0, MAX_INPUT_LENGTH)}…" is not a phone number`);
  }
  const defaultCountry = rules.defaultCountry?.toUpperCase() as CountryCode | undefined;
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
  if (!parsed || !parsed.isValid()) {
    const hint = text.startsWith('+') || defaultCountry ? '' : ' (use +<country code> or set DEFAULT_COUNTRY)';
    throw badRequest('invalid_phone_number', `"${text}" is not a valid phone number${hint}`);
  }
  const country = parsed.country;
  const allowed = rules.allowedCountries ?? [];
  if (allowed.length > 0 && (!country || !allowed.includes(country))) {
    throw new AppError(403, 'country_not_allowed', `Numbers in ${country ?? 'this region'} are not allowed (ALLOWED_COUNTRIES)`, {
      details: { country: country ?? null },
    });
  }
  return { e164: parsed.number, country };
}

/** Reads a comma-separated list of ISO country codes ("US, CA,gb" → ["US","CA","GB"]). */
export function parseCountryList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => /^[A-Z]{2}$/.test(code));
}
