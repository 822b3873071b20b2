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

const PHONE_LIKE = /\+?\d[\d\s().-]{6,}\d/g;

/** Masks anything that looks like a phone number inside free text (error messages, bodies). */
export function redactText(text: string): string {
  return text.replace(PHONE_LIKE, (match) => maskPhone(match.replace(/[\s().-]/g, '')));
}
