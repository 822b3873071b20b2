import { badRequest } from '../http/errors';
import { intParam } from '../http/form';

/** Sync's largest TTL: one year, in seconds. */
const MAX_TTL_SECONDS = 31_536_000;

/**
 * Reads a TTL given as `primary` or its `alias` (`Ttl`); when both are present the alias is
 * ignored, as the spec says. `undefined` = not given; 0 = never expires.
 */
export function readTtl(form: URLSearchParams, primary: string, alias?: string): number | undefined {
  const value = intParam(form, primary) ?? (alias === undefined ? undefined : intParam(form, alias));
  if (value === undefined) return undefined;
  if (value < 0 || value > MAX_TTL_SECONDS) {
    throw badRequest(20001, `Invalid ${primary}: ${value} (must be between 0 and ${MAX_TTL_SECONDS} seconds)`);
  }
  return value;
}

/** Expiry instant of a TTL counted from `now`; `null` when the TTL is 0 (never). */
export function expiryOf(now: number, ttlSeconds: number): number | null {
  return ttlSeconds === 0 ? null : now + ttlSeconds * 1000;
}

export function isExpired(expiresAt: number | null, now: number): boolean {
  return expiresAt !== null && now >= expiresAt;
}
