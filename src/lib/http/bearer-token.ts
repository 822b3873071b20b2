import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors/app-error';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares two secrets in time that depends on neither (both are hashed to equal length first). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function presentedBearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

/**
 * Checks `Authorization: Bearer <token>` against the configured token, or any of several (an old
 * and a new one while callers switch over), each compared in constant time and all of them always.
 * Throws 401 for a missing or wrong token, 500 when no token is configured (never open by default).
 */
export function requireBearerToken(authorization: string | undefined, expected: string | readonly string[] | undefined): void {
  const accepted = (typeof expected === 'string' ? [expected] : (expected ?? [])).filter(Boolean);
  if (accepted.length === 0) {
    throw new AppError(500, 'not_configured', 'API_TOKEN is not set; API actions are closed until it is');
  }
  const token = presentedBearerToken(authorization);
  if (token === undefined) {
    throw new AppError(401, 'unauthorized', 'Send the API token as "Authorization: Bearer <API_TOKEN>"');
  }
  const matches = accepted.map((expectedToken) => secretsEqual(token, expectedToken));
  if (!matches.includes(true)) {
    throw new AppError(401, 'unauthorized', 'The API token is not valid');
  }
}
