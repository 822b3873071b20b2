/** Date formats of Twilio's two API generations. */

/** RFC 2822 as the 2010 API writes it: `Fri, 24 May 2019 17:44:46 +0000`. */
export function rfc2822(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace(/GMT$/, '+0000');
}

/** ISO 8601 to the second, as the v1 APIs write it: `2015-07-30T20:00:00Z`. */
export function iso8601(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Like `iso8601`, but `null` stays `null`. */
export function iso8601OrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : iso8601(epochMs);
}
