import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AppError } from '../errors/app-error';

/** Where we may send SMS and place calls: a list of ISO countries, or any country (`*`). */
export type AllowedCountries = 'any' | readonly string[];

/** The ISO country of an E.164 number, when it belongs to one. */
export const countryOf = (e164: string): string | undefined => parsePhoneNumberFromString(e164)?.country;

/**
 * ALLOWED_COUNTRIES as the gate reads it: `*` for any country (it must be written out); a
 * comma-separated ISO list; empty for the country of TWILIO_PHONE_NUMBER only, so that a fresh
 * deployment cannot be used to text or call premium ranges abroad (SMS pumping, toll fraud).
 * Anything else is a configuration error that names the wrong codes.
 */
export function readAllowedCountries(value: string | undefined, phoneNumber: string | undefined): AllowedCountries {
  const text = value?.trim() ?? '';
  if (text === '*') return 'any';
  if (text === '') {
    const home = phoneNumber ? countryOf(phoneNumber) : undefined;
    return home ? [home] : [];
  }
  const codes = text.split(',').map((code) => code.trim().toUpperCase()).filter((code) => code !== '');
  const wrong = codes.filter((code) => !/^[A-Z]{2}$/.test(code));
  if (wrong.length > 0) throw new AppError(500, 'not_configured', `ALLOWED_COUNTRIES must be "*" or ISO country codes such as US,CA (not ${wrong.join(', ')})`);
  return codes;
}

/** 403 `country_not_allowed` unless the number's country is allowed. */
export function refuseCountry(allowed: AllowedCountries, e164: string): void {
  if (allowed === 'any') return;
  const country = countryOf(e164);
  if (country && allowed.includes(country)) return;
  const hint = allowed.length === 0 ? 'set ALLOWED_COUNTRIES (no TWILIO_PHONE_NUMBER to take the country from)' : `allowed: ${allowed.join(', ')} (ALLOWED_COUNTRIES)`;
  throw new AppError(403, 'country_not_allowed', `Numbers in ${country ?? 'this region'} are not allowed; ${hint}`, { details: { country: country ?? null } });
}
