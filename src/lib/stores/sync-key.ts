import { createHash } from 'node:crypto';

/** Sync's limit on a map item key. */
const MAX_KEY_LENGTH = 320;
/** Characters that pass through a REST path segment unchanged and that Sync keeps as they are. */
const PLAIN = /^[A-Za-z0-9+@._:-]$/;

/**
 * The one encoding of every Sync item key: the characters of E.164 numbers, SIDs, emails and our
 * own `kind:value@hour` keys stay as they are (so keys stored before this encoding keep their
 * meaning), every other UTF-8 byte becomes `~XX`. A `#`, `/`, `?` or `%` can then never cut or
 * reroute the item's URL, and distinct inputs stay distinct keys. A key still longer than Sync
 * allows keeps a readable head and ends in a SHA-256 of the whole input.
 */
export function syncKey(raw: string): string {
  // `.` and `..` alone are path steps, not names: a URL would walk up from them.
  const dotSegment = raw === '.' || raw === '..';
  let encoded = '';
  for (const char of raw) {
    encoded +=
      PLAIN.test(char) && !dotSegment
        ? char
        : [...Buffer.from(char, 'utf8')].map((byte) => `~${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  if (encoded.length <= MAX_KEY_LENGTH) return encoded;
  const digest = createHash('sha256').update(raw, 'utf8').digest('hex');
  return `${encoded.slice(0, MAX_KEY_LENGTH - digest.length - 2)}~h${digest}`;
}
