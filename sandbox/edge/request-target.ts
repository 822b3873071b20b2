// Reading what a request asks for without trusting it: the Host header and the request-target are
// attacker-controlled bytes, so nothing here throws (no unguarded `new URL`), and anything that is
// not a plain `host[:port]` and an origin-form `/path?query` is refused by the caller with 400.

/** A Host header split into a lower-cased name and its port (undefined when none was given). */
export interface HostAndPort {
  hostname: string;
  port: number | undefined;
}

/** A DNS name or an IPv4 address, or an IPv6 literal in brackets, then an optional port. */
const HOST_PATTERN = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::(\d{1,5}))?$/;

/** The Host header read strictly; undefined for a missing, repeated or malformed one. */
export function readHost(header: string | string[] | undefined): HostAndPort | undefined {
  if (typeof header !== 'string') return undefined;
  const match = HOST_PATTERN.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { hostname: match[1], port };
}

/** `host` or `host:port` as a URL authority writes it. */
export function authorityOf({ hostname, port }: HostAndPort): string {
  return port === undefined ? hostname : `${hostname}:${port}`;
}

/** The longest request-target the edge reads (Node refuses headers past 16 KB before this runs). */
const MAX_TARGET_CHARS = 8192;

/**
 * The path and query of an origin-form request-target (`/path?query`), resolved against `base`;
 * undefined for an absolute-form (`http://x/`), authority-form or `*` target, or one that does not
 * parse as a URL.
 */
export function readTarget(target: string | undefined, base: string): URL | undefined {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//') || target.length > MAX_TARGET_CHARS) return undefined;
  if (/[\s#]/.test(target)) return undefined;
  try {
    const url = new URL(target, base);
    return url.origin === new URL(base).origin ? url : undefined;
  } catch {
    return undefined;
  }
}
