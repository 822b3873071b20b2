import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AppError } from '../errors/app-error';

/** Where we may send SMS and place calls: a list of ISO countries, or any country (`*`). */
export type AllowedCountries = 'any' | readonly string[];

/** The ISO country of an E.164 number, when it belongs to one. */
export const countryOf = (e164: string): string | undefined => parsePhoneNumberFromString(e164)?.country;

/** Number types where the callee's side is paid per message or minute: the targets of SMS pumping and toll fraud. */
const PAID_TO_RECEIVE = new Set(['PREMIUM_RATE', 'SHARED_COST']);

/**
 * ALLOWED_COUNTRIES as the gate reads it: `*` for any country (it must be written out); a
 * comma-separated ISO list; empty for the country of TWILIO_PHONE_NUMBER only, so that a fresh
 * deployment cannot be used to text or call premium ranges abroad (SMS pumping, toll fraud).
 * Anything else (`UK`, `USA`) is a configuration error that names the wrong codes.
 */
export function readAllowedCountries(value: string | undefined, phoneNumber: string | undefined): AllowedCountries {
  const text = value?.trim() ?? '';
  if (text === '*') return 'any';
  if (text === '') {
    const home = phoneNumber ? countryOf(phoneNumber) : undefined;
    return home ? [home] : [];
  }
  const codes = text
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
  const wrong = codes.filter((code) => !/^[A-Z]{2}$/.test(code) || !isSupportedCountry(code));
  if (wrong.length > 0) {
    throw new AppError(
      500,
      'not_configured',
      `ALLOWED_COUNTRIES must be "*" or ISO 3166 country codes such as US,GB (not ${wrong.join(', ')})`,
    );
  }
  return codes;
}

/**
 * Why an SMS or call may not go to this number (403), or undefined: `country_not_allowed` outside
 * the allowed countries, `number_type_not_allowed` for premium-rate and shared-cost numbers in any
 * country.
 */
export function destinationRefusal(allowed: AllowedCountries, e164: string): AppError | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  const country = parsed?.country;
  if (allowed !== 'any' && !(country && allowed.includes(country))) {
    const hint =
      allowed.length === 0
        ? 'set ALLOWED_COUNTRIES (TWILIO_PHONE_NUMBER has no country to default to)'
        : `allowed: ${allowed.join(', ')} (ALLOWED_COUNTRIES)`;
    return new AppError(403, 'country_not_allowed', `Numbers in ${country ?? 'this region'} are not allowed; ${hint}`, {
      details: { country: country ?? null },
    });
  }
  const type = parsed?.getType();
  if (type && PAID_TO_RECEIVE.has(type)) {
    return new AppError(403, 'number_type_not_allowed', 'Premium-rate and shared-cost numbers are never texted or called', {
      details: { numberType: type.toLowerCase() },
    });
  }
  return undefined;
}

/** Throws `destinationRefusal`'s error, if any. */
export function refuseDestination(allowed: AllowedCountries, e164: string): void {
  const refusal = destinationRefusal(allowed, e164);
  if (refusal) throw refusal;
}
