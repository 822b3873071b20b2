import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { badRequest } from '../errors/app-error';

export interface PhoneRules {
  /** ISO country used to read a national number (e.g. "US" for "(415) 555-0142"). */
  defaultCountry?: string;
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
 * it in E.164, or a clear 400 `invalid_phone_number`. Where it may be sent is the gate's question
 * (`outbound/geography`), not this one's.
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
  return { e164: parsed.number, country: parsed.country };
}

/** The number range a phone number belongs to: E.164 without its last 4 digits. */
export const numberRange = (e164: string): string => e164.slice(0, -4);
