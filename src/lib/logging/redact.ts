/** Keeps the country/area prefix and the last two digits: `+1415*****42`. */
export function maskPhone(value: string): string {
  const prefix = value.startsWith('whatsapp:') ? 'whatsapp:' : '';
  const number = value.slice(prefix.length);
  if (number.length <= 6) return prefix + '*'.repeat(number.length);
  return prefix + number.slice(0, 5) + '*'.repeat(number.length - 7) + number.slice(-2);
}

/** Shows only that a secret is set and its last four characters. */
export function maskSecret(value: string | undefined): string {
  if (!value) return '(not set)';
  return value.length <= 8 ? '*'.repeat(value.length) : `${'*'.repeat(8)}${value.slice(-4)}`;
}

/**
 * A run of at least 8 digits with the separators people and URLs put in phone numbers: spaces,
 * brackets, dots, dashes, and a query string's `+` and `%20` (a leading `+` may be `%2B`).
 */
const PHONE_LIKE = /(?:\+|%2B)?\d(?:[\d\s().+-]|%20|%2B){6,}\d/gi;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** A Twilio SID (`SM`, `CA`, `RE`… and 32 hex digits): an identifier, never a phone number, kept whole. */
const SID = /\b[A-Z]{2}[0-9a-f]{32}\b/g;

/**
 * Masks anything that looks like a phone number inside free text (error messages, URLs, bodies);
 * IPv4 addresses and Twilio SIDs (whose hex may hold a run of digits) are left alone.
 */
export function redactText(text: string): string {
  const sids = text.match(SID) ?? [];
  return text
    .split(SID)
    .map((part, index) => redactPhones(part) + (sids[index] ?? ''))
    .join('');
}

function redactPhones(text: string): string {
  return text.replace(PHONE_LIKE, (match) => {
    if (IPV4.test(match)) return match;
    const digits = match
      .replace(/%2B/gi, '+')
      .replace(/%20/gi, '')
      .replace(/[\s().-]/g, '');
    return maskPhone(digits.startsWith('+') ? `+${digits.slice(1).replace(/\+/g, '')}` : digits.replace(/\+/g, ''));
  });
}
