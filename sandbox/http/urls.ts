/** URL checks shared by the hosts (Messages and Calls validate callback URLs the same way). */

/**
 * True for an absolute `http:` / `https:` URL with a host. Relative paths (`/status`), other
 * schemes (`ftp://x`, `mailto:`) and text that is no URL at all (`not a url`) are false.
 */
export function isAbsoluteHttpUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}
