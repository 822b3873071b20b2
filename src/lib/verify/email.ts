/**
 * An email address as Verify's email channel takes it: a dot-atom or quoted local part of at most
 * 64 characters, and a domain of letters, digits and hyphens with a top-level label. `#`, `/` or
 * `?` may appear in a local part (RFC 5322 allows them) but never in the domain.
 */
const EMAIL =
  /^(?:"[^"\\\r\n]{1,62}"|[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export const isEmailAddress = (text: string): boolean => text.length <= 254 && EMAIL.test(text);

/** Providers that ignore dots in the local part (and the domains they answer to). */
const DOTLESS: Readonly<Record<string, string>> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * One mailbox, one key, for our limits: case folded, quotes dropped, a `+tag` cut off, and dots
 * removed where the provider ignores them (Gmail). `"Victim"+1@Example.com` and
 * `victim@example.com` are one destination; `v.ictim@example.com` stays another, since most
 * providers treat dots as part of the name. The code itself is still sent to the address given.
 */
export function canonicalEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const rawLocal = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  const unquoted = rawLocal.startsWith('"') && rawLocal.endsWith('"') ? rawLocal.slice(1, -1) : rawLocal;
  const local = unquoted.toLowerCase().split('+', 1)[0];
  const provider = DOTLESS[domain];
  return provider ? `${local.replace(/\./g, '')}@${provider}` : `${local}@${domain}`;
}
